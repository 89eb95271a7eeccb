// 导出下载的中文文本（zh.ts 的 `exports` 命名空间），与 exports-en.ts 键相同。
export const exportsZh = {
  label: '导出',
  format: '导出格式',
  csv: 'CSV',
  json: 'JSON',
  bom: '带 BOM（适用于 Excel）',
  download: '下载',
  downloading: '正在下载…',
};
