// Control API under /_sim/ (JSON, no auth, loopback clients only).
import { SimError } from './state.mjs';
import * as dynamodb from './services/dynamodb.mjs';
import * as serviceQuotas from './services/service-quotas.mjs';

function isLoopback(address) {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function json(status, obj) {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(obj, null, 1) };
}

function parseJson(body) {
  if (!body.length) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new SimError(400, 'body is not valid JSON');
  }
}

/** Routes: [method, regex, handler(sim, match, body, url)]. */
const ROUTES = [
  ['GET', /^\/_sim\/health$/, () => ({ ok: true })],

  ['GET', /^\/_sim\/accounts$/, (sim, m, body, url) => {
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 100000);
    const all = [...sim.state.accounts.values()];
    return { total: all.length, accounts: all.slice(offset, offset + limit).map((a) => sim.state.accountView(a)) };
  }],
  ['POST', /^\/_sim\/accounts$/, (sim, m, body) => [201, sim.state.accountView(sim.state.createAccount(parseJson(body)))]],
  ['GET', /^\/_sim\/accounts\/(\d{12})$/, (sim, m, body, url) =>
    sim.state.accountView(sim.state.requireAccount(m[1]), {
      quotas: url.searchParams.get('quotas') === '1' || url.searchParams.get('quotas') === 'true',
      region: url.searchParams.get('region') ?? 'us-east-1',
    })],
  ['DELETE', /^\/_sim\/accounts\/(\d{12})$/, (sim, m) => {
    if (!sim.state.deleteAccount(m[1])) throw new SimError(404, `no account ${m[1]}`);
    sim.cloudwatch.clear(m[1]);
    return { deleted: m[1] };
  }],
  ['POST', /^\/_sim\/accounts\/(\d{12})\/keys$/, (sim, m, body) => [201, sim.state.addKey(m[1], parseJson(body))]],
  ['POST', /^\/_sim\/accounts\/(\d{12})\/roles$/, (sim, m, body) => [201, sim.state.addRole(m[1], parseJson(body))]],
  ['PUT', /^\/_sim\/accounts\/(\d{12})\/contact$/, (sim, m, body) => {
    const a = sim.state.requireAccount(m[1]);
    const c = parseJson(body);
    a.contact = c && Object.keys(c).length ? c.ContactInformation ?? c : null;
    return { contact_information: a.contact };
  }],
  ['GET', /^\/_sim\/accounts\/(\d{12})\/quotas\/([a-z0-9-]+)$/, (sim, m) =>
    ({ region: m[2], quotas: sim.state.quotaView(sim.state.requireAccount(m[1]), m[2]) })],
  ['PUT', /^\/_sim\/accounts\/(\d{12})\/quotas\/([a-z0-9-]+)\/([A-Za-z0-9-]+)$/, (sim, m, body) => {
    const applied = sim.state.setQuota(m[1], m[2], m[3], parseJson(body));
    return { account_id: m[1], region: m[2], code: m[3], ...applied };
  }],
  ['DELETE', /^\/_sim\/accounts\/(\d{12})\/quotas\/([a-z0-9-]+)\/([A-Za-z0-9-]+)$/, (sim, m) => {
    const applied = sim.state.setQuota(m[1], m[2], m[3], { reset: true });
    return { account_id: m[1], region: m[2], code: m[3], ...applied };
  }],
  ['GET', /^\/_sim\/accounts\/(\d{12})\/requests$/, (sim, m) => ({ requests: sim.state.requireAccount(m[1]).requests })],
  // A request "made outside the platform" (the console, the CLI): {region? (us-east-1), quota_code, desired_value,
  // status? (PENDING), case_id?, script? (null: none; absent: the configured increase_script)}.
  ['POST', /^\/_sim\/accounts\/(\d{12})\/requests$/, (sim, m, body) => {
    const a = sim.state.requireAccount(m[1]);
    const spec = parseJson(body);
    const region = spec.region ?? 'us-east-1';
    const q = sim.state.catalogue.get(spec.quota_code ?? spec.code);
    if (!q) throw new SimError(400, 'quota_code must be a code of the catalogue');
    if (!(typeof spec.desired_value === 'number' && spec.desired_value > 0)) throw new SimError(400, 'desired_value must be a number > 0');
    const status = spec.status ?? 'PENDING';
    if (!serviceQuotas.REQUEST_STATUSES.includes(status)) throw new SimError(400, `status must be one of ${serviceQuotas.REQUEST_STATUSES.join(', ')}`);
    let script;
    try {
      script = spec.script === undefined ? undefined : serviceQuotas.validateScript(spec.script);
    } catch (e) {
      throw new SimError(400, e.message);
    }
    const r = serviceQuotas.createRequest(sim.state, a, region, q, spec.desired_value, { status, caseId: spec.case_id, script });
    if (status === 'APPROVED') serviceQuotas.setRequestStatus(sim.state, a, r, status);
    return [201, r];
  }],
  // {status?, case_id?, script? (this request's own progression from now on; null: none)}.
  ['POST', /^\/_sim\/accounts\/(\d{12})\/requests\/([A-Za-z0-9_-]+)$/, (sim, m, body) => {
    const a = sim.state.requireAccount(m[1]);
    const r = a.requests.find((x) => x.id === m[2]);
    if (!r) throw new SimError(404, `no request ${m[2]}`);
    const { status, case_id: caseId, script } = parseJson(body);
    if (script !== undefined) {
      let sc;
      try {
        sc = serviceQuotas.validateScript(script);
      } catch (e) {
        throw new SimError(400, e.message);
      }
      Object.defineProperty(r, 'script', { value: sc && { ...sc, done: 0 }, writable: true, enumerable: false, configurable: true });
      if (status === undefined) return r;
    }
    if (!serviceQuotas.REQUEST_STATUSES.includes(status)) throw new SimError(400, `status must be one of ${serviceQuotas.REQUEST_STATUSES.join(', ')}`);
    serviceQuotas.setRequestStatus(sim.state, a, r, status, caseId);
    return r;
  }],

  // CloudWatch traffic (services/cloudwatch.mjs): scripted per-minute Bedrock metrics per (account, region, model id).
  ['GET', /^\/_sim\/accounts\/(\d{12})\/traffic$/, (sim, m) => {
    sim.state.requireAccount(m[1]);
    return sim.cloudwatch.view(m[1]);
  }],
  ['POST', /^\/_sim\/accounts\/(\d{12})\/traffic$/, (sim, m, body) => {
    sim.state.requireAccount(m[1]);
    try {
      return sim.cloudwatch.script(m[1], parseJson(body));
    } catch (e) {
      if (e instanceof SimError || e.status === undefined) throw e;
      throw new SimError(e.status, e.message);
    }
  }],
  ['DELETE', /^\/_sim\/accounts\/(\d{12})\/traffic$/, (sim, m, body, url) => {
    sim.state.requireAccount(m[1]);
    const removed = sim.cloudwatch.clear(m[1], { region: url.searchParams.get('region'), model_id: url.searchParams.get('model_id') });
    return { account_id: m[1], removed, points: sim.cloudwatch.view(m[1]).points };
  }],

  ['POST', /^\/_sim\/sessions\/expire$/, (sim, m, body) => ({ expired: sim.state.expireSessions(parseJson(body).access_key_id) })],

  ['GET', /^\/_sim\/catalogue$/, (sim) => ({
    service_code: sim.state.catalogue.serviceCode,
    service_name: sim.state.catalogue.serviceName,
    quotas: sim.state.catalogue.quotas.map(({ index, ...q }) => q),
  })],

  ['GET', /^\/_sim\/faults$/, (sim) => ({ faults: sim.faults.rules })],
  ['POST', /^\/_sim\/faults$/, (sim, m, body) => {
    try {
      return [201, sim.faults.add(parseJson(body))];
    } catch (e) {
      if (e instanceof SimError) throw e;
      throw new SimError(400, e.message);
    }
  }],
  ['DELETE', /^\/_sim\/faults$/, (sim) => {
    sim.faults.clear();
    return { faults: [] };
  }],
  ['DELETE', /^\/_sim\/faults\/(\d+)$/, (sim, m) => {
    if (!sim.faults.remove(Number(m[1]))) throw new SimError(404, `no fault ${m[1]}`);
    return { deleted: Number(m[1]) };
  }],

  ['GET', /^\/_sim\/counters$/, (sim) => sim.counters.view()],
  ['POST', /^\/_sim\/counters\/reset$/, (sim) => {
    sim.counters.reset();
    return sim.counters.view();
  }],

  ['GET', /^\/_sim\/dynamodb$/, (sim) => ({
    enabled: sim.dynamo !== null,
    backend: 'dynalite (in memory)',
    platform_identity: {
      account_id: dynamodb.PLATFORM_ACCOUNT_ID,
      arn: dynamodb.PLATFORM_USER_ARN,
      access_key_id: dynamodb.PLATFORM_ACCESS_KEY_ID,
      secret_access_key: dynamodb.PLATFORM_SECRET_ACCESS_KEY,
    },
  })],
  ['GET', /^\/_sim\/dynamodb\/stats$/, (sim) => sim.dynamoCounters.view()],
  ['POST', /^\/_sim\/dynamodb\/stats\/reset$/, (sim) => {
    sim.dynamoCounters.reset();
    return sim.dynamoCounters.view();
  }],

  ['GET', /^\/_sim\/kms\/keys$/, (sim) => ({ keys: [...sim.kms.keys.values()].map((k) => sim.kms.view(k)) })],
  ['POST', /^\/_sim\/kms\/keys$/, (sim, m, body) => [201, sim.kms.view(sim.kms.createKey(parseJson(body)))]],
  ['POST', /^\/_sim\/kms\/keys\/([^/]+)\/(enable|disable)$/, (sim, m, body, url) =>
    sim.kms.setEnabled(decodeURIComponent(m[1]), m[2] === 'enable', url.searchParams.get('region') ?? 'us-east-1')],
  ['GET', /^\/_sim\/kms\/stats$/, (sim) => ({ ...sim.kmsCounters.view(), recent: sim.kms.recent })],
  ['POST', /^\/_sim\/kms\/stats\/reset$/, (sim) => {
    sim.kmsCounters.reset();
    sim.kms.recent = [];
    return { ...sim.kmsCounters.view(), recent: [] };
  }],

  // SNS (services/sns.mjs): topics, and the messages published to each (the last 1000).
  ['GET', /^\/_sim\/sns\/topics$/, (sim) => ({ topics: [...sim.sns.topics.values()].map((t) => sim.sns.view(t)) })],
  ['POST', /^\/_sim\/sns\/topics$/, (sim, m, body) => [201, sim.sns.view(sim.sns.createTopic(parseJson(body)))]],
  ['DELETE', /^\/_sim\/sns\/topics\/([^/]+)$/, (sim, m) => {
    const arn = decodeURIComponent(m[1]);
    if (!sim.sns.deleteTopic(arn)) throw new SimError(404, `no topic ${arn}`);
    return { deleted: arn };
  }],
  ['GET', /^\/_sim\/sns\/topics\/([^/]+)\/messages$/, (sim, m) => {
    const topic = sim.sns.requireTopic(decodeURIComponent(m[1]));
    return { topic_arn: topic.arn, published: topic.published, messages: topic.messages };
  }],
  ['GET', /^\/_sim\/sns\/stats$/, (sim) => sim.snsCounters.view()],

  ['GET', /^\/_sim\/config$/, (sim) => sim.configView()],
  ['PUT', /^\/_sim\/config$/, (sim, m, body) => {
    try {
      sim.configure(parseJson(body));
    } catch (e) {
      if (e instanceof SimError) throw e;
      throw new SimError(400, e.message);
    }
    return sim.configView();
  }],

  ['POST', /^\/_sim\/reset$/, (sim) => {
    sim.reset();
    return { reset: true, accounts: sim.state.accounts.size };
  }],
];

export function handleControl(sim, req, body) {
  if (!isLoopback(req.socket.remoteAddress)) return json(403, { error: 'control API is available to loopback clients only' });
  const url = new URL(req.url, 'http://localhost');
  const pathname = url.pathname.replace(/\/+$/, '');
  let pathMatched = false;
  for (const [method, re, fn] of ROUTES) {
    const m = re.exec(pathname);
    if (!m) continue;
    pathMatched = true;
    if (method !== req.method) continue;
    try {
      const result = fn(sim, m, body, url);
      return Array.isArray(result) ? json(result[0], result[1]) : json(200, result);
    } catch (e) {
      if (e instanceof SimError) return json(e.status, { error: e.message });
      throw e;
    }
  }
  return pathMatched ? json(405, { error: `method ${req.method} not allowed` }) : json(404, { error: `no route ${pathname}` });
}
