// English texts of "from configuration to data" (issue 16 §3): the fleet refresh offered after a model is added or
// enabled, the dashboard's never-read cells, and region-scoped refresh actions. The `configData` namespace of
// en.ts; config-data-zh.ts has the same keys.
export const configDataEn = {
  offerTitle_one: '{{models}} is not read yet on any account.',
  offerTitle_other: '{{models}} are not read yet on any account.',
  offerRefresh_one: 'Refresh {{models}} across the fleet now',
  offerRefresh_other: 'Refresh these {{count}} models across the fleet now',
  offerStarted: 'Fleet refresh started ({{total}} account-regions, only the new models).',
  offerFollow: 'Follow it on the fleet refresh page',
  offerBusy: 'Another fleet refresh is running; start this one when it ends, from here or the fleet refresh page.',
  showNeedsEnabled: 'Enable the model to show it on the dashboard.',
  hiddenBecauseDisabled: '{{name}} is no longer shown on the dashboard: a disabled model is not read.',
  neverRead: 'never read',
  refreshNow: 'refresh now',
  refreshNowLabel: 'Refresh {{account}} in {{region}} now',
  refreshingNow: 'refreshing…',
  refreshRegion: 'Refresh {{region}} from AWS',
  refreshingRegion: 'Refreshing {{region}}…',
  refreshedRegion_one: '{{region}}: {{count}} value read from AWS.',
  refreshedRegion_other: '{{region}}: all {{count}} values were read from AWS.',
};
