// English texts of the dashboard grid's sort, filters and scope (the `dashboardSort` namespace of en.ts).
// dashboard-sort-zh.ts has the same keys.
export const dashboardSortEn = {
  scopeAll: 'All accounts',
  scopeTeams: 'Your teams’ accounts',
  scopeLine: 'Showing: {{scope}}',
  filters: 'Filter and sort the grid',
  team: 'Filter by team',
  allTeams: 'All teams',
  region: 'Filter by region',
  allRegions: 'All regions',
  sortName: 'Account name',
  sortBy: 'Sort by {{what}}',
  sortedBy: 'Sorted by {{what}}, {{order}}.',
  asc: 'ascending',
  desc: 'descending',
  ascShort: 'smallest first',
  descShort: 'largest first',
  missingLast: 'Rows without a value (never read or failed) come last.',
  filteredTotals:
    'The totals above count every account shown in the scope; the team and region filters apply to the grid.',
  emptyPage: 'No row on this page matches the filters; the next page may have more.',
  noMatch: 'No rows match the filters.',
  dim: { tpm: 'TPM', rpm: 'RPM', tpm_1m: '1M ctx TPM', rpm_1m: '1M ctx RPM' },
  modelDim: '{{model}} {{dim}}',
};
