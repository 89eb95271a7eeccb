// English texts of the export downloads (the `exports` namespace of en.ts). exports-zh.ts has the same keys.
export const exportsEn = {
  label: 'Export',
  format: 'Export as',
  csv: 'CSV',
  json: 'JSON',
  bom: 'with BOM for Excel',
  download: 'Download',
  downloading: 'Downloading…',
};
