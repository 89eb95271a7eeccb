// The alerts API against the real binary (issue 13 §3): rule and channel CRUD with versions and the 422 fields,
// secrets never in answers, the audit log or the server's output, test deliveries to a real loopback webhook
// receiver (signature checked, a failing receiver retried) and to the simulator's SNS, and alerts (seeded into the
// store, as the evaluator writes them) listed, acknowledged and muted under their account's access rules.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { seedAlertSql, startWebhookReceiver } from './lib/alerts.mjs';
import { ADMIN, Platform, assertError, assertStatus, sqlite } from './lib/platform.mjs';

const SECRET = 'whsec-integration-0123456789';
const SLACK_SECRET_PART = 'SLACKTOKENPART0123';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:platform-alerts';
// Scheduled usage polls off: nothing runs in the background but what a test asks for.
const ARGS = ['--usage-interval', '0'];

describe('alerts API', () => {
  let p;
  let admin;
  let userA; // team-a: may read and act on account A's alerts
  let accountA;
  let accountB;
  let receiver;
  let failing;
  const seeded = {};

  before(async () => {
    p = await Platform.start({ args: ARGS });
    admin = await p.login(ADMIN.email, ADMIN.password);
    userA = await p.createUser(admin, { email: 'alerts-a@example.com', teams: ['team-a'] });
    accountA = (await p.createAccount(admin, { teams: ['team-a'] })).account_id;
    accountB = (await p.createAccount(admin, { teams: ['team-b'] })).account_id;
    await p.waitNoRefresh(admin);
    receiver = await startWebhookReceiver({ secret: SECRET });
    failing = await startWebhookReceiver({ secret: SECRET, fail: 100 });
  });
  after(async () => {
    if (p) await p.stop();
    if (receiver) await receiver.stop();
    if (failing) await failing.stop();
  });

  const api = (method, path, body, token = admin) => p.api(method, path, { token, body });

  test('rules: create, read, replace with the version, delete with ?version=', async () => {
    let r = await api('POST', '/api/admin/alert-rules', {
      name: 'A low on headroom', condition: 'headroom_below', threshold: 0.2, window: '24h',
      scope: { kind: 'account', account_id: accountA }, renotify_minutes: 60,
    });
    assertStatus(r, 201);
    const rule = r.json;
    assert.match(rule.id, /^ar_[0-9a-f]+$/);
    assert.equal(rule.version, 1);
    assert.equal(rule.duration_minutes, null);
    assert.deepEqual(rule.scope, { kind: 'account', team: null, account_id: accountA, model_id: null });
    assert.equal(r.headers.get('location'), `/api/admin/alert-rules/${rule.id}`);

    r = await api('PUT', `/api/admin/alert-rules/${rule.id}`, { ...rule, name: 'renamed', enabled: false });
    assertStatus(r, 200);
    assert.equal(r.json.version, 2);
    assert.equal(r.json.enabled, false);
    r = await api('PUT', `/api/admin/alert-rules/${rule.id}`, { ...rule, name: 'stale' });
    assertError(r, 409, 'conflict');

    r = await api('GET', '/api/admin/alert-rules');
    assertStatus(r, 200);
    assert.deepEqual(r.json.items.map((x) => x.name), ['renamed']);

    assertError(await api('DELETE', `/api/admin/alert-rules/${rule.id}`), 422, 'validation_failed',
      { field: 'version' });
    assertError(await api('DELETE', `/api/admin/alert-rules/${rule.id}?version=1`), 409, 'conflict');
    assertStatus(await api('DELETE', `/api/admin/alert-rules/${rule.id}?version=2`), 204);
    assertError(await api('GET', `/api/admin/alert-rules/${rule.id}`), 404, 'not_found');

    const audit = await p.audit(admin, 'action=alert_rule.');
    assert.deepEqual(audit.map((e) => e.action).sort(),
      ['alert_rule.create', 'alert_rule.delete', 'alert_rule.update']);
  });

  test('rules: 422 names the wire field', async () => {
    const cases = [
      [{ condition: 'usage_missing', scope: { kind: 'fleet' }, duration_minutes: 10 }, 'name'],
      [{ name: 'x', condition: 'usage_missing', scope: { kind: 'fleet' } }, 'duration_minutes'],
      [{ name: 'x', condition: 'usage_missing', scope: { kind: 'fleet' }, duration_minutes: 99999 }, 'duration_minutes'],
      [{ name: 'x', condition: 'headroom_below', scope: { kind: 'fleet' }, threshold: 2 }, 'threshold'],
      [{ name: 'x', condition: 'headroom_below', scope: { kind: 'fleet' }, threshold: 0.1, renotify_minutes: 1 },
        'renotify_minutes'],
      [{ name: 'x', condition: 'headroom_below', scope: { kind: 'team', team: 'nope' }, threshold: 0.1 }, 'scope.team'],
      [{ name: 'x', condition: 'headroom_below', scope: { kind: 'model', account_id: accountA, model_id: 'nope' },
        threshold: 0.1 }, 'scope.model_id'],
      [{ name: 'x', condition: 'headroom_below', scope: { kind: 'fleet' }, threshold: 0.1, channel_ids: ['ch_x'] },
        'channel_ids'],
    ];
    for (const [body, field] of cases) {
      assertError(await api('POST', '/api/admin/alert-rules', body), 422, 'validation_failed', { field });
    }
  });

  test('channels: secrets are write-only, Slack URLs masked, nothing secret in the audit or the logs', async () => {
    let r = await api('POST', '/api/admin/alert-channels', {
      kind: 'slack', name: 'team slack', url: `https://hooks.slack.com/services/T0/B0/${SLACK_SECRET_PART}`,
    });
    assertStatus(r, 201);
    assert.equal(r.json.url, 'https://hooks.slack.com/…');
    const slack = r.json;
    r = await api('POST', '/api/admin/alert-channels', { kind: 'webhook', name: 'hook', url: receiver.url, secret: SECRET });
    assertStatus(r, 201);
    assert.equal(r.json.has_secret, true);
    assert.equal(r.json.url, receiver.url);
    const hook = r.json;

    // The masked URL sent back keeps the real one; a PUT without secret keeps it; null removes it.
    r = await api('PUT', `/api/admin/alert-channels/${slack.id}`, { ...slack, name: 'slack 2' });
    assertStatus(r, 200);
    r = await api('PUT', `/api/admin/alert-channels/${hook.id}`, { version: 1, name: 'hook 2', url: receiver.url });
    assertStatus(r, 200);
    assert.equal(r.json.has_secret, true);
    assertError(await api('PUT', `/api/admin/alert-channels/${hook.id}`, { version: 1, name: 'stale' }), 409,
      'conflict');
    assertError(await api('POST', '/api/admin/alert-channels', { kind: 'webhook', name: 'x', url: 'http://example.com/' }),
      422, 'validation_failed', { field: 'url' });
    assertError(await api('POST', '/api/admin/alert-channels', { kind: 'fax', name: 'x' }), 422, 'validation_failed',
      { field: 'kind' });

    const everything = [
      (await api('GET', '/api/admin/alert-channels')).text,
      JSON.stringify(await p.audit(admin, 'page_size=1000')),
      p.stdoutLines.join('\n'),
      p.stderrLines.join('\n'),
    ].join('\n');
    assert.ok(!everything.includes(SLACK_SECRET_PART), 'the Slack URL never comes back');
    assert.ok(!everything.includes(SECRET), 'the webhook secret never comes back');

    // Sealed at rest, too: the store does not hold them in the clear (read after a restart).
    p = await p.restart({ args: ARGS }, async (dir) => {
      const dump = await sqlite(dir, 'SELECT doc FROM alert_channels;');
      assert.ok(!dump.includes(SLACK_SECRET_PART) && !dump.includes(SECRET), dump);
    });
    admin = await p.login(ADMIN.email, ADMIN.password);
    userA.token = await p.login('alerts-a@example.com', userA.password);
  });

  test('test delivery: a signed webhook reaches the receiver; a failing one is retried and reported', async () => {
    let r = await api('POST', '/api/admin/alert-channels',
      { kind: 'webhook', name: 'live', url: `${receiver.url}/ap`, secret: SECRET, enabled: false });
    assertStatus(r, 201);
    const live = r.json;
    r = await api('POST', `/api/admin/alert-channels/${live.id}/test`);
    assertStatus(r, 200);
    assert.equal(r.json.delivered, true, r.text);
    assert.equal(r.json.attempts, 1);
    assert.equal(r.json.http_status, 200);
    assert.equal(r.json.error, null);
    const got = (await receiver.deliveries()).filter((d) => d.path === '/ap');
    assert.equal(got.length, 1);
    assert.equal(got[0].signature_valid, true);
    assert.equal(got[0].delivery, r.json.delivery_id);
    assert.equal(got[0].body.state, 'test');
    assert.equal(got[0].body.version, 1);

    r = await api('POST', '/api/admin/alert-channels',
      { kind: 'webhook', name: 'down', url: `${failing.url}/down`, secret: SECRET });
    assertStatus(r, 201);
    r = await api('POST', `/api/admin/alert-channels/${r.json.id}/test`);
    assertStatus(r, 200);
    assert.equal(r.json.delivered, false);
    assert.equal(r.json.attempts, 3);
    assert.equal(r.json.http_status, 500);
    assert.ok(r.json.error && !r.json.error.includes(failing.url), r.text);
    assert.equal((await failing.deliveries()).filter((d) => d.path === '/down').length, 3);
    const tests = await p.audit(admin, 'action=alert_channel.test');
    assert.deepEqual(tests.map((e) => e.outcome), ['failure', 'success']);

    assertError(await api('POST', '/api/admin/alert-channels/ch_nope/test'), 404, 'not_found');
  });

  test('test delivery: SNS Publish reaches the simulator topic', async () => {
    await p.sim.control('POST', '/_sim/sns/topics', { arn: TOPIC });
    let r = await api('POST', '/api/admin/alert-channels',
      { kind: 'sns', name: 'topic', topic_arn: TOPIC, region: 'us-east-1' });
    assertStatus(r, 201);
    assert.equal(r.json.url, null);
    r = await api('POST', `/api/admin/alert-channels/${r.json.id}/test`);
    assertStatus(r, 200);
    assert.equal(r.json.delivered, true, r.text);
    const messages = await p.sim.control('GET', `/_sim/sns/topics/${encodeURIComponent(TOPIC)}/messages`);
    assert.equal(messages.messages.length, 1, JSON.stringify(messages));
    assert.match(messages.messages[0].subject, /^\[TEST\]/);
  });

  test('a channel a rule uses cannot be deleted', async () => {
    let r = await api('POST', '/api/admin/alert-channels', { kind: 'webhook', name: 'used', url: receiver.url });
    assertStatus(r, 201);
    const ch = r.json;
    r = await api('POST', '/api/admin/alert-rules', { name: 'user of the channel', condition: 'refresh_failing',
      scope: { kind: 'fleet' }, duration_minutes: 20, channel_ids: [ch.id] });
    assertStatus(r, 201);
    const rule = r.json;
    r = await api('DELETE', `/api/admin/alert-channels/${ch.id}?version=1`);
    assertError(r, 409, 'conflict');
    assert.match(r.json.error.message, /user of the channel/);
    assertStatus(await api('DELETE', `/api/admin/alert-rules/${rule.id}?version=1`), 204);
    assertStatus(await api('DELETE', `/api/admin/alert-channels/${ch.id}?version=1`), 204);
  });

  test('alerts: users see and act on the alerts of their accounts only', async () => {
    const rule = (await api('POST', '/api/admin/alert-rules', { name: 'usage missing', condition: 'usage_missing',
      scope: { kind: 'fleet' }, duration_minutes: 30 })).json;
    const now = Date.now();
    seeded.a = seedAlertSql({ ruleId: rule.id, accountId: accountA, startedAtMs: now - 1000 });
    seeded.b = seedAlertSql({ ruleId: rule.id, accountId: accountB, startedAtMs: now - 2000 });
    p = await p.restart({ args: ARGS }, (dir) => sqlite(dir, seeded.a.sql + seeded.b.sql));
    admin = await p.login(ADMIN.email, ADMIN.password);
    const user = await p.login('alerts-a@example.com', userA.password);

    let r = await api('GET', '/api/alerts?state=firing');
    assertStatus(r, 200);
    assert.deepEqual(r.json.items.map((x) => x.alert_id), [seeded.a.id, seeded.b.id], 'newest first');
    assert.equal(r.json.items[0].rule_name, 'usage missing');
    assert.equal(r.json.items[0].condition, 'usage_missing');
    r = await api('GET', '/api/alerts?limit=1');
    assert.equal(r.json.items.length, 1);
    r = await api('GET', `/api/alerts?limit=1&cursor=${encodeURIComponent(r.json.next)}`);
    assert.deepEqual(r.json.items.map((x) => x.alert_id), [seeded.b.id]);
    assert.equal(r.json.next, null);

    assertError(await api('GET', '/api/alerts', undefined, user), 422, 'validation_failed', { field: 'account_id' });
    assertError(await api('GET', `/api/alerts?account_id=${accountB}`, undefined, user), 403, 'forbidden');
    r = await api('GET', `/api/alerts?account_id=${accountA}`, undefined, user);
    assertStatus(r, 200);
    assert.deepEqual(r.json.items.map((x) => x.alert_id), [seeded.a.id]);
    assertError(await api('GET', `/api/alerts/${seeded.b.id}`, undefined, user), 403, 'forbidden');
    assertError(await api('POST', `/api/alerts/${seeded.b.id}/ack`, undefined, user), 403, 'forbidden');
    assertError(await api('GET', '/api/alerts/bm9uZQ', undefined, user), 404, 'not_found');

    r = await api('POST', `/api/alerts/${seeded.a.id}/ack`, undefined, user);
    assertStatus(r, 200);
    assert.equal(r.json.acknowledged_by, userA.user.user_id);
    const until = new Date(Math.floor(Date.now() / 1000) * 1000 + 3600_000).toISOString().replace('.000Z', 'Z');
    r = await api('POST', `/api/alerts/${seeded.a.id}/mute`, { until }, user);
    assertStatus(r, 200);
    assert.equal(r.json.muted_until, until);
    assertError(await api('POST', `/api/alerts/${seeded.a.id}/mute`, { until: '2000-01-01T00:00:00Z' }, user), 422,
      'validation_failed', { field: 'until' });
    r = await api('GET', `/api/alerts/${seeded.a.id}`, undefined, user);
    assertStatus(r, 200);
    assert.equal(r.json.muted_until, until);
    const audit = await p.audit(admin, 'action=alert.');
    assert.deepEqual(audit.map((e) => `${e.action} ${e.target_id}`),
      [`alert.mute ${seeded.a.id}`, `alert.ack ${seeded.a.id}`]);
  });
});
