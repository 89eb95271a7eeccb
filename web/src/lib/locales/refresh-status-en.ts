// English texts of a quota refresh's status (the `refreshStatus` namespace of en.ts): the account page's "last
// refresh failed" line with its fix hint, and the dashboard row's badge. refresh-status-zh.ts has the same keys.
export const refreshStatusEn = {
  failed: 'Last refresh failed: {{reason}} (at {{when}})',
  partial_one: 'Last refresh could not read {{count}} value: {{reason}} (at {{when}})',
  partial_other: 'Last refresh could not read {{count}} values: {{reason}} (at {{when}})',
  kept: 'The values shown are the last good ones, marked stale, until a refresh succeeds.',
  badgeFailed: 'refresh failed',
  badgePartial: 'refresh partly failed',
  rowTitle: 'Last refresh {{when}}: {{reason}}',
  hint: {
    access_denied:
      'AWS denied access. Check the role’s permissions (servicequotas:GetServiceQuota and servicequotas:GetAWSDefaultServiceQuota) and its trust policy (the platform’s principal and the external id).',
    credentials:
      'AWS did not accept the credentials. Check the account’s access key, or its role ARN and external id, and the platform’s own AWS identity.',
    throttled: 'AWS throttled the reads, even after retries. Try again in a few minutes.',
    unavailable:
      'AWS or the network could not be reached. Try again later; if it persists, check the platform’s network access to AWS.',
    other: 'The reason above comes from AWS; fix its cause, then refresh again.',
  },
};
