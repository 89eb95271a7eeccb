// The dashboard's key factory: the dashboard feature reads under it, every feature that changes what the dashboard
// counts (accounts, quotas, the quota config) invalidates `dashboardKeys.all`.
export const dashboardKeys = {
  all: ['dashboard'] as const,
  stats: ['dashboard', 'stats'] as const,
};
