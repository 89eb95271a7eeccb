// 解释配额数值的中文文本（zh.ts 的 `quotaExplained` 命名空间，issue 16 §2）：配额代码对应哪个 AWS 配额、已应用值与
// AWS 默认值、历史图表的数据点、表格与标注。与 quota-explained-en.ts 的键完全相同。
export const quotaExplainedZh = {
  scope: {
    'global-cross-region': '全球跨区域',
    'cross-region': '地理跨区域',
    'on-demand': '区域内（按需）',
    other: '其他',
  },
  unknownName: '内置配额目录中没有此代码',
  nameUnconfirmed: 'AWS 名称未经确认',
  aboutTitle: '这些是哪些 AWS 配额？',
  aboutCode: '{{dim}} · {{code}}',
  scopeNote:
    '这里显示的是全球跨区域配额（通过 global.… 推理配置文件的请求）。AWS 对同一模型还有区域内（按需）和地理跨区域（us.、eu.、apac. 等）配额；它们是不同的配额，这里不显示。在 AWS 控制台（Service Quotas → Amazon Bedrock）中，请对照名称相同的那一行。',
  helpTitle: '已应用值与 AWS 默认值',
  appliedHelp: '已应用值：AWS 对该账号在该区域实际执行的配额，包括 AWS 已批准的提升。',
  defaultHelp:
    'AWS 默认值：AWS 在该区域给每个账号的配额。没有已应用值的账号按默认值执行，卡片上显示“AWS 默认值”。账号的已应用值与默认值不同时，默认值显示在旁边。',
  defaultBeside: 'AWS 默认值：{{value}}',
  defaultBesideTitle: '该配额在此区域的 AWS 默认值：{{value}}（读取于{{when}}）',
  configNote:
    '每个代码都是 AWS Service Quotas（服务“bedrock”）中的一个配额，下方显示其 AWS 名称。新添加代码的名称在保存配置后显示。',
  chart: {
    showTable: '以表格显示',
    showChart: '以图表显示',
    tableCaption: '{{model}}：配额历史',
    time: '时间',
    quota: '配额',
    value: '数值',
    source: '来源',
    event: '事件',
    previous: '之前',
    point: '{{dim}}：{{value}}（{{source}}），{{event}}，{{when}}',
    pointNoValue: '{{dim}}：无数值，{{event}}，{{when}}',
    toApplied: 'AWS 默认值 → 已应用值',
    toAppliedLong: '{{dim}} 于 {{when}} 从 AWS 默认值变为已应用值（{{from}} → {{to}}）',
    pointsHint: '用 Tab 键移到数据点上可读取数值，或以表格显示。',
    noSource: '无数值',
  },
  event: {
    first_read: '首次读取',
    changed: '已变化',
    became_stale: '变为过期',
    recovered: '已恢复',
    failed: '读取失败',
  },
};
