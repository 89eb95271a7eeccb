// 配额刷新状态的中文文本（zh.ts 的 `refreshStatus` 命名空间），与 refresh-status-en.ts 的键完全相同。
export const refreshStatusZh = {
  failed: '最近一次刷新失败：{{reason}}（{{when}}）',
  partial_one: '最近一次刷新有 {{count}} 个数值读取失败：{{reason}}（{{when}}）',
  partial_other: '最近一次刷新有 {{count}} 个数值读取失败：{{reason}}（{{when}}）',
  kept: '在刷新成功之前，显示的是最后一次成功读取的数值，并标记为过期。',
  badgeFailed: '刷新失败',
  badgePartial: '刷新部分失败',
  rowTitle: '最近一次刷新（{{when}}）：{{reason}}',
  hint: {
    access_denied:
      'AWS 拒绝访问。请检查该角色的权限（servicequotas:GetServiceQuota 和 servicequotas:GetAWSDefaultServiceQuota）及其信任策略（平台的主体和外部 ID）。',
    credentials: 'AWS 不接受该凭证。请检查账号的访问密钥，或其角色 ARN 和外部 ID，以及平台自身的 AWS 身份。',
    throttled: 'AWS 对读取进行了限流（重试后仍然如此）。请几分钟后再试。',
    unavailable: '无法连接 AWS 或网络。请稍后再试；如果持续出现，请检查平台到 AWS 的网络访问。',
    other: '上面的原因来自 AWS；请先处理该原因，然后再次刷新。',
  },
};
