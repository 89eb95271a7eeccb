// CloudWatch: the official JavaScript client against the simulator (in process): the request shape the SDK sends
// (AWS JSON 1.0, query-compatible), scripted Bedrock traffic, the statistics over a period, scan order, paging
// (MaxDatapoints / NextToken, MAC'd tokens), ListMetrics discovery of model ids, AWS-like validation errors,
// SigV4, counters, faults, rate limits and the traffic control API (caps, DELETE).
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  paginateGetMetricData,
  paginateListMetrics,
  InvalidParameterValueException,
  InvalidNextToken,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { startSim, control, createAccount, signedRequest } from './helpers.mjs';

const REGION = 'us-east-1';
const T0 = 1764979200; // 2025-12-06T00:00:00Z, minute-aligned
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';

function query(id, metric, model, { period = 60, stat = 'Sum' } = {}) {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'AWS/Bedrock', MetricName: metric, Dimensions: [{ Name: 'ModelId', Value: model }] },
      Period: period,
      Stat: stat,
    },
  };
}

const secs = (dates) => dates.map((d) => d.getTime() / 1000);

describe('CloudWatch', () => {
  let s;
  let acct;
  let cw;
  const client = (credentials = acct.credentials, extra = {}) =>
    new CloudWatchClient({ endpoint: s.url, region: REGION, credentials, maxAttempts: 1, ...extra });
  const traffic = (body, id = acct.account_id) => control(s.url, 'POST', `/_sim/accounts/${id}/traffic`, body);

  before(async () => {
    s = await startSim({ dynamodb: false, rateLimits: false });
  });
  after(async () => {
    await s?.close();
  });
  beforeEach(async () => {
    acct = await createAccount(s.url);
    cw = client();
    // Haiku: ten minutes; minute i has i+1 invocations of 100 input and 20 output tokens each; a throttle at i = 3.
    const series = [];
    for (let i = 0; i < 10; i++) {
      series.push({ at: T0 + 60 * i, invocations: i + 1, input_tokens: 100 * (i + 1), output_tokens: 20 * (i + 1), throttles: i === 3 ? 2 : 0 });
    }
    const r = await traffic({ region: REGION, model_id: HAIKU, series });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.points, 10);
  });

  test('the SDK sends AWS JSON 1.0 (query-compatible) and the simulator answers it', async () => {
    const seen = [];
    const c = client();
    c.middlewareStack.add((next) => async (args) => {
      seen.push(args.request);
      return next(args);
    }, { step: 'finalizeRequest', name: 'capture' });
    await c.send(new GetMetricDataCommand({ MetricDataQueries: [query('inv', 'Invocations', HAIKU)], StartTime: new Date(T0 * 1000), EndTime: new Date((T0 + 600) * 1000) }));
    const req = seen[0];
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/');
    assert.equal(req.headers['content-type'], 'application/x-amz-json-1.0');
    assert.equal(req.headers['x-amz-target'], 'GraniteServiceVersion20100801.GetMetricData');
    assert.equal(req.headers['x-amzn-query-mode'], 'true');
    assert.match(req.headers.authorization, new RegExp(`/${REGION}/monitoring/aws4_request`));
    const body = JSON.parse(req.body);
    assert.equal(body.StartTime, T0, 'timestamps are epoch seconds');
    assert.equal(body.EndTime, T0 + 600);
    assert.deepEqual(body.MetricDataQueries[0].MetricStat.Metric.Dimensions, [{ Name: 'ModelId', Value: HAIKU }]);
  });

  test('the request the C++ client sends (no x-amzn-query-mode, integer times) is accepted', async () => {
    const res = await signedRequest(s.url, {
      service: 'monitoring',
      credentials: acct.credentials,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData' },
      body: JSON.stringify({
        MetricDataQueries: [{ ...query('a', 'Invocations', HAIKU), ReturnData: true }],
        StartTime: T0,
        EndTime: T0 + 180,
        ScanBy: 'TimestampAscending',
      }),
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
    const out = res.json();
    assert.deepEqual(out.MetricDataResults[0].Timestamps, [T0, T0 + 60, T0 + 120]);
    assert.match(res.text, /"Values":\[1\.0,2\.0,3\.0\]/, 'values are written as doubles');
    assert.equal(out.MetricDataResults[0].StatusCode, 'Complete');
  });

  test('Sum per minute, newest first by default; TimestampAscending reverses', async () => {
    const input = { MetricDataQueries: [query('inv', 'Invocations', HAIKU)], StartTime: new Date(T0 * 1000), EndTime: new Date((T0 + 600) * 1000) };
    const desc = await cw.send(new GetMetricDataCommand(input));
    const r = desc.MetricDataResults[0];
    assert.equal(r.Id, 'inv');
    assert.equal(r.Label, 'Invocations');
    assert.equal(r.StatusCode, 'Complete');
    assert.deepEqual(r.Values, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert.equal(secs(r.Timestamps)[0], T0 + 540);
    const asc = await cw.send(new GetMetricDataCommand({ ...input, ScanBy: 'TimestampAscending' }));
    assert.deepEqual(asc.MetricDataResults[0].Values, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(secs(asc.MetricDataResults[0].Timestamps), [...Array(10).keys()].map((i) => T0 + 60 * i));
  });

  test('statistics over a 5-minute period: Sum, SampleCount, Average, Maximum, Minimum', async () => {
    const stats = ['Sum', 'SampleCount', 'Average', 'Maximum', 'Minimum'];
    const out = await cw.send(new GetMetricDataCommand({
      MetricDataQueries: stats.map((stat) => query(stat.toLowerCase(), 'InputTokenCount', HAIKU, { period: 300, stat })),
      StartTime: new Date(T0 * 1000),
      EndTime: new Date((T0 + 600) * 1000),
      ScanBy: 'TimestampAscending',
    }));
    const by = Object.fromEntries(out.MetricDataResults.map((r) => [r.Id, r.Values]));
    // Minutes 0-4: 1..5 invocations of 100 tokens; minutes 5-9: 6..10.
    assert.deepEqual(by.sum, [1500, 4000]);
    assert.deepEqual(by.samplecount, [15, 40]);
    assert.deepEqual(by.average, [100, 100]);
    assert.deepEqual(by.maximum, [100, 100]);
    assert.deepEqual(by.minimum, [100, 100]);
    assert.deepEqual(secs(out.MetricDataResults[0].Timestamps), [T0, T0 + 300]);
  });

  test('minutes without traffic have no data point (no data is not zero)', async () => {
    const out = await cw.send(new GetMetricDataCommand({
      MetricDataQueries: [
        query('thr', 'InvocationThrottles', HAIKU),
        query('cache', 'CacheReadInputTokenCount', HAIKU),
        query('other', 'Invocations', SONNET),
        query('wrongns', 'Invocations', HAIKU),
      ].map((q) => (q.Id === 'wrongns' ? { ...q, MetricStat: { ...q.MetricStat, Metric: { ...q.MetricStat.Metric, Namespace: 'AWS/EC2' } } } : q)),
      StartTime: new Date((T0 - 3600) * 1000),
      EndTime: new Date((T0 + 3600) * 1000),
    }));
    const [thr, cache, other, wrongns] = out.MetricDataResults;
    assert.deepEqual(thr.Values, [2]);
    assert.deepEqual(secs(thr.Timestamps), [T0 + 180]);
    for (const r of [cache, other, wrongns]) {
      assert.deepEqual(r.Values, []);
      assert.equal(r.StatusCode, 'Complete');
    }
  });

  test('the per_minute generator fills [from, to); regions and accounts are separate', async () => {
    let r = await traffic({ region: 'eu-west-1', model_id: SONNET, per_minute: { invocations: 4, output_tokens: 400 }, from: T0, to: T0 + 3600 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.minutes_set, 60);
    const eu = client(acct.credentials, { region: 'eu-west-1' });
    const out = await eu.send(new GetMetricDataCommand({
      MetricDataQueries: [query('o', 'OutputTokenCount', SONNET, { period: 3600 }), query('h', 'Invocations', HAIKU)],
      StartTime: new Date(T0 * 1000),
      EndTime: new Date((T0 + 3600) * 1000),
    }));
    assert.deepEqual(out.MetricDataResults[0].Values, [24000]);
    assert.deepEqual(out.MetricDataResults[1].Values, [], 'haiku traffic is in us-east-1 only');
    const other = await createAccount(s.url);
    const none = await client(other.credentials).send(new GetMetricDataCommand({
      MetricDataQueries: [query('h', 'Invocations', HAIKU)], StartTime: new Date(T0 * 1000), EndTime: new Date((T0 + 600) * 1000),
    }));
    assert.deepEqual(none.MetricDataResults[0].Values, []);
    r = await control(s.url, 'GET', `/_sim/accounts/${acct.account_id}/traffic`);
    assert.equal(r.body.points, 70);
    assert.equal(r.body.series.length, 2);
  });

  test('MaxDatapoints pages with NextToken; PartialData until each id is complete; pages merge to the whole', async () => {
    const input = {
      MetricDataQueries: [query('a', 'Invocations', HAIKU), query('b', 'OutputTokenCount', HAIKU)],
      StartTime: new Date(T0 * 1000),
      EndTime: new Date((T0 + 600) * 1000),
      MaxDatapoints: 4,
    };
    const first = await cw.send(new GetMetricDataCommand(input));
    assert.ok(first.NextToken);
    assert.equal(first.MetricDataResults.length, 2, 'every id is on every page');
    assert.deepEqual(first.MetricDataResults[0].Values, [10, 9, 8, 7]);
    assert.equal(first.MetricDataResults[0].StatusCode, 'PartialData');
    assert.deepEqual(first.MetricDataResults[1].Values, []);
    assert.equal(first.MetricDataResults[1].StatusCode, 'PartialData');
    const merged = { a: [], b: [] };
    let pages = 0;
    let last;
    for await (const page of paginateGetMetricData({ client: cw }, input)) {
      pages++;
      for (const r of page.MetricDataResults) merged[r.Id].push(...r.Values);
      last = page;
    }
    assert.equal(pages, 5);
    assert.deepEqual(merged.a, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert.deepEqual(merged.b, [200, 180, 160, 140, 120, 100, 80, 60, 40, 20]);
    assert.equal(last.NextToken, undefined);
    assert.deepEqual(last.MetricDataResults.map((r) => r.StatusCode), ['Complete', 'Complete']);
  });

  test('the cloudwatch_page_points setting caps every answer page (for clients that do not set MaxDatapoints)', async () => {
    const cfg = await control(s.url, 'PUT', '/_sim/config', { cloudwatch_page_points: 3 });
    assert.equal(cfg.body.cloudwatch_page_points, 3);
    try {
      const out = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [query('a', 'Invocations', HAIKU)], StartTime: new Date(T0 * 1000), EndTime: new Date((T0 + 600) * 1000) }));
      assert.deepEqual(out.MetricDataResults[0].Values, [10, 9, 8]);
      assert.ok(out.NextToken);
      assert.equal((await control(s.url, 'PUT', '/_sim/config', { cloudwatch_page_points: 0 })).status, 400);
    } finally {
      await control(s.url, 'PUT', '/_sim/config', { cloudwatch_page_points: 100800 });
    }
  });

  test('a tampered or foreign NextToken is InvalidNextToken', async () => {
    const input = { MetricDataQueries: [query('a', 'Invocations', HAIKU)], StartTime: new Date(T0 * 1000), EndTime: new Date((T0 + 600) * 1000), MaxDatapoints: 2 };
    const first = await cw.send(new GetMetricDataCommand(input));
    const forged = Buffer.from(JSON.stringify({ o: 4, m: JSON.parse(Buffer.from(first.NextToken, 'base64')).m })).toString('base64');
    await assert.rejects(cw.send(new GetMetricDataCommand({ ...input, NextToken: forged })), InvalidNextToken);
    // The same token for another request (a different range) is refused too.
    await assert.rejects(
      cw.send(new GetMetricDataCommand({ ...input, EndTime: new Date((T0 + 300) * 1000), NextToken: first.NextToken })),
      (e) => e.name === 'InvalidNextToken' && e.Code === 'InvalidNextToken',
    );
  });

  test('validation errors as CloudWatch sends them (query codes in x-amzn-query-error)', async () => {
    const base = { StartTime: new Date(T0 * 1000), EndTime: new Date((T0 + 600) * 1000) };
    await assert.rejects(
      cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries: [query('a', 'Invocations', HAIKU), query('a', 'Invocations', HAIKU)] })),
      (e) => e instanceof InvalidParameterValueException && e.Code === 'InvalidParameterValue' && /not unique/.test(e.message),
    );
    await assert.rejects(
      cw.send(new GetMetricDataCommand({ MetricDataQueries: [query('a', 'Invocations', HAIKU)], StartTime: base.EndTime, EndTime: base.StartTime })),
      (e) => e instanceof InvalidParameterValueException && /StartTime must be less than/.test(e.message),
    );
    await assert.rejects(
      cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries: [query('a', 'Invocations', HAIKU, { period: 45 })] })),
      (e) => e instanceof InvalidParameterValueException && /multiple of 60/.test(e.message),
    );
    await assert.rejects(
      cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries: [query('Bad-Id', 'Invocations', HAIKU)] })),
      (e) => e.name === 'ValidationException' && e.Code === 'ValidationError' && /regular expression pattern/.test(e.message),
    );
    const many = [...Array(501).keys()].map((i) => query(`q${i}`, 'Invocations', HAIKU));
    await assert.rejects(
      cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries: many })),
      (e) => e.name === 'ValidationException' && /less than or equal to 500/.test(e.message),
    );
    await assert.rejects(
      cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries: [{ Id: 'e', Expression: 'SUM(METRICS())' }] })),
      InvalidParameterValueException,
    );
  });

  test('500 queries in one request are answered', async () => {
    const many = [...Array(500).keys()].map((i) => query(`q${i}`, 'Invocations', HAIKU));
    const out = await cw.send(new GetMetricDataCommand({ MetricDataQueries: many, StartTime: new Date(T0 * 1000), EndTime: new Date((T0 + 120) * 1000) }));
    assert.equal(out.MetricDataResults.length, 500);
    assert.deepEqual(out.MetricDataResults[499].Values, [2, 1]);
  });

  test('ListMetrics discovers the model ids with traffic, with filters and paging', async () => {
    await traffic({ region: REGION, model_id: SONNET, series: [{ at: T0, invocations: 1, input_tokens: 5, output_tokens: 5, cache_read: 3 }] });
    const out = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Bedrock', MetricName: 'Invocations' }));
    assert.deepEqual(out.Metrics.map((m) => m.Dimensions[0].Value), [HAIKU, SONNET]);
    assert.deepEqual(out.Metrics[0], { Namespace: 'AWS/Bedrock', MetricName: 'Invocations', Dimensions: [{ Name: 'ModelId', Value: HAIKU }] });
    const sonnet = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Bedrock', Dimensions: [{ Name: 'ModelId', Value: SONNET }] }));
    assert.deepEqual(sonnet.Metrics.map((m) => m.MetricName).sort(), ['CacheReadInputTokenCount', 'InputTokenCount', 'Invocations', 'OutputTokenCount']);
    const throttled = await cw.send(new ListMetricsCommand({ MetricName: 'InvocationThrottles' }));
    assert.deepEqual(throttled.Metrics.map((m) => m.Dimensions[0].Value), [HAIKU]);
    const ec2 = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/EC2' }));
    assert.deepEqual(ec2.Metrics, []);
    const recent = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Bedrock', RecentlyActive: 'PT3H' }));
    assert.deepEqual(recent.Metrics, [], 'the scripted traffic is older than 3 hours');

    // 120 models × 5 metrics = 600 metrics: two pages of at most 500.
    const other = await createAccount(s.url);
    for (let i = 0; i < 120; i++) {
      await traffic({ region: REGION, model_id: `model-${String(i).padStart(3, '0')}`, series: [{ at: T0, invocations: 1, input_tokens: 1, output_tokens: 1, throttles: 1, cache_write: 1 }] }, other.account_id);
    }
    let n = 0;
    let pages = 0;
    for await (const page of paginateListMetrics({ client: client(other.credentials) }, { Namespace: 'AWS/Bedrock' })) {
      pages++;
      n += page.Metrics.length;
      assert.ok(page.Metrics.length <= 500);
    }
    assert.equal(pages, 2);
    assert.equal(n, 600);
  });

  test('a wrong secret is SignatureDoesNotMatch; calls are counted per account and operation', async () => {
    await control(s.url, 'POST', '/_sim/counters/reset');
    const secret = acct.credentials.secretAccessKey;
    const bad = client({ ...acct.credentials, secretAccessKey: (secret[0] === 'x' ? 'y' : 'x') + secret.slice(1) });
    await assert.rejects(bad.send(new ListMetricsCommand({})), (e) => e.name === 'SignatureDoesNotMatch' && e.$metadata.httpStatusCode === 403);
    await cw.send(new ListMetricsCommand({}));
    await cw.send(new GetMetricDataCommand({ MetricDataQueries: [query('a', 'Invocations', HAIKU)], StartTime: new Date(T0 * 1000), EndTime: new Date((T0 + 60) * 1000) }));
    const counters = (await control(s.url, 'GET', '/_sim/counters')).body;
    const ops = counters.by_account[acct.account_id].operations;
    assert.deepEqual(ops.ListMetrics, { ok: 1 });
    assert.deepEqual(ops.GetMetricData, { ok: 1 });
    // A call whose signature fails has no verified caller: it is counted under the operation, not the account.
    assert.equal(counters.by_operation.ListMetrics.outcomes.SignatureDoesNotMatch, 1);
  });

  test('faults with service cloudwatch (or monitoring) apply', async () => {
    await control(s.url, 'DELETE', '/_sim/faults');
    let r = await control(s.url, 'POST', '/_sim/faults', { service: 'cloudwatch', operation: 'GetMetricData', error: 'throttle', count: 1 });
    assert.equal(r.status, 201);
    const input = { MetricDataQueries: [query('a', 'Invocations', HAIKU)], StartTime: new Date(T0 * 1000), EndTime: new Date((T0 + 60) * 1000) };
    await assert.rejects(cw.send(new GetMetricDataCommand(input)), (e) => e.name === 'Throttling' && e.$metadata.httpStatusCode === 400);
    await cw.send(new GetMetricDataCommand(input));
    r = await control(s.url, 'POST', '/_sim/faults', { service: 'monitoring', error: '5xx', status: 500, count: 1, code: HAIKU });
    assert.equal(r.body.service, 'cloudwatch');
    await assert.rejects(cw.send(new GetMetricDataCommand(input)), (e) => e.name === 'InternalServiceFault' && e.$metadata.httpStatusCode === 500);
    await control(s.url, 'POST', '/_sim/faults', { service: 'servicequotas', error: 'throttle' });
    await cw.send(new GetMetricDataCommand(input)); // another service's rule does not apply
    await control(s.url, 'DELETE', '/_sim/faults');
  });

  test('traffic control API: validation, the per-account cap (413) and DELETE', async () => {
    const url = `/_sim/accounts/${acct.account_id}/traffic`;
    assert.equal((await control(s.url, 'POST', url, { region: REGION, model_id: HAIKU, series: [{ at: T0 + 30 }] })).status, 400);
    assert.equal((await control(s.url, 'POST', url, { region: REGION, model_id: HAIKU, series: [{ at: T0, invocations: -1 }] })).status, 400);
    assert.equal((await control(s.url, 'POST', url, { region: REGION })).status, 400);
    assert.equal((await control(s.url, 'POST', '/_sim/accounts/999999999999/traffic', { region: REGION, model_id: HAIKU, series: [] })).status, 404);
    const tooMany = await control(s.url, 'POST', url, { region: REGION, model_id: SONNET, per_minute: { invocations: 1 }, from: T0, to: T0 + 60 * 201600 });
    assert.equal(tooMany.status, 413, JSON.stringify(tooMany.body));
    assert.match(tooMany.body.error, /at most 201600/);
    assert.equal((await control(s.url, 'GET', url)).body.points, 10, 'a refused script changes nothing');
    // Re-scripting the same minutes replaces them instead of adding points.
    const again = await control(s.url, 'POST', url, { region: REGION, model_id: HAIKU, series: [{ at: T0, invocations: 50 }] });
    assert.equal(again.body.points, 10);
    const del = await control(s.url, 'DELETE', `${url}?model_id=${encodeURIComponent(HAIKU)}`);
    assert.deepEqual(del.body, { account_id: acct.account_id, removed: 10, points: 0 });
    const out = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [query('a', 'Invocations', HAIKU)], StartTime: new Date(T0 * 1000), EndTime: new Date((T0 + 600) * 1000) }));
    assert.deepEqual(out.MetricDataResults[0].Values, []);
  });
});

// The other two protocols the installed SDK can send (a client built with `protocol: …`): the same answers.
for (const [label, protocol, contentType] of [
  ['AWS Query (XML)', AwsQueryProtocol, 'application/x-www-form-urlencoded'],
  ['Smithy RPC v2 CBOR', AwsSmithyRpcV2CborProtocol, 'application/cbor'],
]) {
  describe(`CloudWatch over ${label}`, () => {
    let s;
    let acct;
    let cw;
    const seen = [];
    before(async () => {
      s = await startSim({ dynamodb: false, rateLimits: false });
      acct = await createAccount(s.url);
      const series = [];
      for (let i = 0; i < 10; i++) series.push({ at: T0 + 60 * i, invocations: i + 1, input_tokens: 100 * (i + 1) });
      await control(s.url, 'POST', `/_sim/accounts/${acct.account_id}/traffic`, { region: REGION, model_id: HAIKU, series });
      await control(s.url, 'POST', `/_sim/accounts/${acct.account_id}/traffic`, { region: REGION, model_id: SONNET, series: [{ at: T0 + 30 * 60, invocations: 2 }] });
      cw = new CloudWatchClient({ endpoint: s.url, region: REGION, credentials: acct.credentials, maxAttempts: 1, protocol });
      cw.middlewareStack.add((next) => async (args) => {
        seen.push(args.request);
        return next(args);
      }, { step: 'finalizeRequest', name: 'capture' });
    });
    after(async () => {
      await s?.close();
    });

    test('GetMetricData: request shape, values, timestamps and scan order', async () => {
      seen.length = 0;
      const out = await cw.send(new GetMetricDataCommand({
        MetricDataQueries: [query('inv', 'Invocations', HAIKU), query('tok', 'InputTokenCount', HAIKU, { period: 300, stat: 'Average' })],
        StartTime: new Date(T0 * 1000),
        EndTime: new Date((T0 + 600) * 1000),
        ScanBy: 'TimestampAscending',
      }));
      assert.equal(seen[0].headers['content-type'], contentType);
      assert.deepEqual(out.MetricDataResults[0].Values, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.deepEqual(secs(out.MetricDataResults[0].Timestamps), [...Array(10).keys()].map((i) => T0 + 60 * i));
      assert.equal(out.MetricDataResults[0].StatusCode, 'Complete');
      assert.equal(out.MetricDataResults[0].Label, 'Invocations');
      assert.deepEqual(out.MetricDataResults[1].Values, [100, 100]);
    });

    test('GetMetricData pages with MaxDatapoints and NextToken', async () => {
      const values = [];
      let pages = 0;
      for await (const page of paginateGetMetricData({ client: cw }, {
        MetricDataQueries: [query('inv', 'Invocations', HAIKU)],
        StartTime: new Date(T0 * 1000),
        EndTime: new Date((T0 + 600) * 1000),
        MaxDatapoints: 4,
      })) {
        pages++;
        values.push(...page.MetricDataResults[0].Values);
      }
      assert.equal(pages, 3);
      assert.deepEqual(values, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    });

    test('ListMetrics with a dimension filter without a value', async () => {
      const out = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Bedrock', MetricName: 'Invocations', Dimensions: [{ Name: 'ModelId' }] }));
      assert.deepEqual(out.Metrics.map((m) => m.Dimensions[0].Value), [HAIKU, SONNET]);
      assert.deepEqual(out.Metrics[1], { Namespace: 'AWS/Bedrock', MetricName: 'Invocations', Dimensions: [{ Name: 'ModelId', Value: SONNET }] });
    });

    test('errors decode to the modeled exceptions', async () => {
      await assert.rejects(
        cw.send(new GetMetricDataCommand({
          MetricDataQueries: [query('a', 'Invocations', HAIKU), query('a', 'Invocations', HAIKU)],
          StartTime: new Date(T0 * 1000),
          EndTime: new Date((T0 + 60) * 1000),
        })),
        (e) => e instanceof InvalidParameterValueException && /not unique/.test(e.message) && e.$metadata.httpStatusCode === 400,
      );
      await control(s.url, 'POST', '/_sim/faults', { service: 'cloudwatch', error: 'throttle', count: 1 });
      await assert.rejects(cw.send(new ListMetricsCommand({})), (e) => e.name === 'Throttling');
    });
  });
}

describe('CloudWatch rate limits', () => {
  test('GetMetricData is limited at 50 requests per second per account and region', async () => {
    const s = await startSim({ dynamodb: false, rateLimits: true });
    try {
      const acct = await createAccount(s.url);
      const view = (await control(s.url, 'GET', '/_sim/config')).body.rate_limits.limits;
      assert.deepEqual(view.GetMetricData, { rate: 50, burst: 50 });
      assert.deepEqual(view.ListMetrics, { rate: 25, burst: 25 });
      // A tiny bucket makes the limit observable without timing: 2 requests pass, the third is throttled.
      await control(s.url, 'PUT', '/_sim/config', { rate_limits: { GetMetricData: { rate: 0.001, burst: 2 } } });
      const cw = new CloudWatchClient({ endpoint: s.url, region: REGION, credentials: acct.credentials, maxAttempts: 1 });
      const input = { MetricDataQueries: [query('a', 'Invocations', HAIKU)], StartTime: new Date(T0 * 1000), EndTime: new Date((T0 + 60) * 1000) };
      await cw.send(new GetMetricDataCommand(input));
      await cw.send(new GetMetricDataCommand(input));
      await assert.rejects(cw.send(new GetMetricDataCommand(input)), (e) => e.name === 'Throttling' && e.Code === 'Throttling');
      const eu = new CloudWatchClient({ endpoint: s.url, region: 'eu-west-1', credentials: acct.credentials, maxAttempts: 1 });
      await eu.send(new GetMetricDataCommand(input)); // another region has its own bucket
    } finally {
      await s.close();
    }
  });
});
