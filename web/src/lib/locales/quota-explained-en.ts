// English texts that explain the quota numbers (the `quotaExplained` namespace of en.ts, issue 16 §2): which AWS quota a
// code is, applied value vs AWS default, and the history chart's points, table and annotations.
// quota-explained-zh.ts has the same keys.
export const quotaExplainedEn = {
  scope: {
    'global-cross-region': 'Global cross-Region',
    'cross-region': 'Geographic cross-Region',
    'on-demand': 'In-Region (on-demand)',
    other: 'Other',
  },
  unknownName: 'Not in the built-in quota catalogue',
  nameUnconfirmed: 'AWS name not confirmed',
  aboutTitle: 'Which AWS quotas are these?',
  aboutCode: '{{dim}} · {{code}}',
  scopeNote:
    'These are the Global cross-Region quotas (requests through global.… inference profiles). AWS also has in-Region (on-demand) and geographic cross-Region (us., eu., apac. …) quotas for the same models; they are separate quotas and are not shown here. In the AWS console (Service Quotas → Amazon Bedrock), compare with the row of the same name.',
  helpTitle: 'Applied value and AWS default',
  appliedHelp:
    'Applied value: the quota AWS enforces for this account in this region, including any increase AWS granted.',
  defaultHelp:
    'AWS default: the quota AWS gives every account in this region. An account without an applied value runs on the default; the card then shows “AWS default”. Where an account has an applied value that differs, the default is shown beside it.',
  defaultBeside: 'AWS default: {{value}}',
  defaultBesideTitle: 'AWS default for this quota in this region: {{value}} (read {{when}})',
  configNote:
    'Each code is a quota of AWS Service Quotas (service “bedrock”); its AWS name is shown under it. Names of codes you add appear after you save the configuration.',
  chart: {
    showTable: 'Show as table',
    showChart: 'Show as chart',
    tableCaption: '{{model}}: quota history',
    time: 'Time',
    quota: 'Quota',
    value: 'Value',
    source: 'Source',
    event: 'Event',
    previous: 'Before',
    point: '{{dim}}: {{value}} ({{source}}), {{event}}, {{when}}',
    pointNoValue: '{{dim}}: no value, {{event}}, {{when}}',
    toApplied: 'AWS default → applied',
    toAppliedLong: '{{dim}} went from the AWS default to an applied value ({{from}} → {{to}}) at {{when}}',
    pointsHint: 'Tab to the points to read their values, or show the table.',
    noSource: 'no value',
  },
  event: {
    first_read: 'first read',
    changed: 'changed',
    became_stale: 'became stale',
    recovered: 'recovered',
    failed: 'read failed',
  },
};
