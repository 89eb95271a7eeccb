// LiteLLM 路由导出的中文文本（zh.ts 的 `litellm` 命名空间）。与 litellm-en.ts 的键完全相同。
import type { litellmEn } from './litellm-en';

export const litellmZh: typeof litellmEn = {
  open: 'LiteLLM 配置',
  title: 'LiteLLM 路由配置',
  intro:
    'LiteLLM 路由的 model_list：每个账号和区域一个部署，TPM 和 RPM 限额取自缓存的配额。凭证只被引用、不会写入文件：请为访问密钥账号填写 .env 模板。',
  models: '包含的模型',
  noModels: '仪表盘上没有显示任何模型。',
  chooseModel: '请至少选择一个模型。',
  safetyFactor: '安全系数',
  safetyFactorHint: '限额为 floor(配额 × 系数)；大于 0，最大为 1。',
  safetyFactorInvalid: '请输入大于 0 且不超过 1 的数字。',
  useHeadroom: '使用 24 小时余量',
  useHeadroomHint: '有用量数据时，限额为配额减去过去 24 小时的峰值分钟用量。',
  downloadYaml: '下载 YAML',
  downloadEnv: '下载 .env 模板',
  downloadSecrets: '包含凭证…',
  saved: '已保存 {{name}}。',
  secretsTitle: '下载包含凭证的文件？',
  secretsWarning:
    '文件将以明文包含各账号的 AWS 密钥和外部 ID。此次下载会记录在审计日志中。请勿将文件提交到版本库，加载后请删除。',
  secretsConfirm: '下载包含凭证的文件',
};
