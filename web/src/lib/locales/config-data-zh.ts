// 「从配置到数据」（issue 16 §3）的中文文本。键与 config-data-en.ts 相同。
import type { configDataEn } from './config-data-en';

export const configDataZh: typeof configDataEn = {
  offerTitle_one: '{{models}} 还没有在任何账号上读取过。',
  offerTitle_other: '{{models}} 还没有在任何账号上读取过。',
  offerRefresh_one: '立即在所有账号上刷新 {{models}}',
  offerRefresh_other: '立即在所有账号上刷新这 {{count}} 个模型',
  offerStarted: '已开始全量刷新（{{total}} 个账号区域，只读取新模型）。',
  offerFollow: '在全量刷新页面查看进度',
  offerBusy: '另一个全量刷新正在进行；结束后可在此处或全量刷新页面再开始。',
  showNeedsEnabled: '启用该模型后才能在仪表盘显示。',
  hiddenBecauseDisabled: '{{name}} 已不在仪表盘显示：停用的模型不会被读取。',
  neverRead: '从未读取',
  refreshNow: '立即刷新',
  refreshNowLabel: '立即刷新 {{account}} 在 {{region}} 的配额',
  refreshingNow: '刷新中…',
  refreshRegion: '从 AWS 刷新 {{region}}',
  refreshingRegion: '正在刷新 {{region}}…',
  refreshedRegion_one: '{{region}}：从 AWS 读取了 {{count}} 个值。',
  refreshedRegion_other: '{{region}}：已从 AWS 读取全部 {{count}} 个值。',
};
