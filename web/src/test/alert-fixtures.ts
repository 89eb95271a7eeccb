// Sample alerts, rules and channels for the alerts pages' tests, typed by the generated contract and checked
// against its zod schemas when built (as fixtures.ts does).
import {
  zAlert,
  zAlertChannel,
  zAlertDeliveryReport,
  zAlertRule,
  type Alert,
  type AlertChannel,
  type AlertDeliveryReport,
  type AlertRule,
} from '@/lib/api/contract';
import { checked } from './fixtures';

export function alertRule(overrides: Partial<AlertRule> = {}): AlertRule {
  return checked(zAlertRule, {
    id: 'ar_0019396b0f6003f1c2a9e5b7d8e4c',
    name: 'Low headroom',
    enabled: true,
    condition: 'headroom_below',
    scope: { kind: 'fleet', team: null, account_id: null, model_id: null },
    threshold: 0.2,
    window: '1h',
    duration_minutes: null,
    channel_ids: ['ch_0019396b0f6003f1c2a9e5b7d8e4c'],
    renotify_minutes: 60,
    version: 3,
    created_at: '2026-12-01T00:00:00Z',
    updated_at: '2026-12-02T00:00:00Z',
    updated_by: 'u_admin',
    ...overrides,
  });
}

export function alertChannel(overrides: Partial<AlertChannel> = {}): AlertChannel {
  return checked(zAlertChannel, {
    id: 'ch_0019396b0f6003f1c2a9e5b7d8e4c',
    kind: 'webhook',
    name: 'Ops webhook',
    enabled: true,
    url: 'https://hooks.example.com/alerts',
    has_secret: true,
    topic_arn: null,
    region: null,
    version: 2,
    created_at: '2026-12-01T00:00:00Z',
    updated_at: '2026-12-01T00:00:00Z',
    updated_by: 'u_admin',
    ...overrides,
  });
}

export const slackChannel: AlertChannel = alertChannel({
  id: 'ch_0019396b0f6003f1c2a9e5b7d8e4d',
  kind: 'slack',
  name: 'Team Slack',
  url: 'https://hooks.slack.com/…',
  has_secret: false,
  version: 1,
});

export function alert(overrides: Partial<Alert> = {}): Alert {
  return checked(zAlert, {
    alert_id: 'YXJfMDAxOXwxMjM0NTY3ODkwMTJ8dXMtZWFzdC0xfGNsYXVkZS1vcHVzLTQuNQ',
    rule_id: 'ar_0019396b0f6003f1c2a9e5b7d8e4c',
    rule_name: 'Low headroom',
    condition: 'headroom_below',
    target: { account_id: '123456789012', region: 'us-east-1', model_id: 'claude-opus-4.5' },
    state: 'firing',
    started_at: '2026-12-06T10:00:00Z',
    resolved_at: null,
    value: 0.125,
    summary: 'TPM headroom 12.5 % at peak over 1 h',
    last_notified_at: '2026-12-06T10:00:05Z',
    notifications: 1,
    acknowledged_by: null,
    acknowledged_at: null,
    muted_until: null,
    pending_notice: null,
    deliveries: [
      {
        channel_id: 'ch_0019396b0f6003f1c2a9e5b7d8e4c',
        notice: 'firing',
        at: '2026-12-06T10:00:05Z',
        attempts: 1,
        delivered: true,
        http_status: 200,
        error: null,
        next_retry_at: null,
      },
      {
        channel_id: 'ch_0019396b0f6003f1c2a9e5b7d8e4d',
        notice: 'firing',
        at: '2026-12-06T10:00:10Z',
        attempts: 3,
        delivered: false,
        http_status: 500,
        error: 'receiver answered HTTP 500',
        next_retry_at: '2026-12-06T10:05:10Z',
      },
    ],
    ...overrides,
  });
}

export const resolvedAlert: Alert = alert({
  alert_id: 'cmVzb2x2ZWQ',
  rule_name: 'Refresh failing',
  condition: 'refresh_failing',
  target: { account_id: '123456789012', region: 'eu-west-1', model_id: null },
  state: 'resolved',
  started_at: '2026-12-05T08:00:00Z',
  resolved_at: '2026-12-05T09:00:00Z',
  value: 45,
  summary: 'refresh failing for 45 min',
  deliveries: [],
});

export function deliveryReport(overrides: Partial<AlertDeliveryReport> = {}): AlertDeliveryReport {
  return checked(zAlertDeliveryReport, {
    delivered: true,
    attempts: 1,
    http_status: 200,
    error: null,
    delivery_id: 'd_test_1',
    ...overrides,
  });
}
