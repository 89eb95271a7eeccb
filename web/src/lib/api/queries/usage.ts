// The usage key factory (issue 13): CloudWatch usage read by several features (quota: the account page's history and
// refresh; dashboard: the "closest to the limit" list). A usage refresh invalidates `usageKeys.all`. The usage figures
// of one account region come with its quota read (quotaKeys.read).
export const usageKeys = {
  all: ['usage'] as const,
  histories: (accountId: string) => ['usage', 'history', accountId] as const,
  history: (accountId: string, region: string, modelId: string) =>
    ['usage', 'history', accountId, region, modelId] as const,
  headroom: (team: string | null) => ['usage', 'headroom', team] as const,
};
