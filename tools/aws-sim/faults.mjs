// Fault injection rules and call counters.

export const FAULT_ERRORS = ['throttle', '5xx', 'timeout', 'access_denied', 'reset'];

export class Faults {
  constructor({ random = Math.random } = {}) {
    this.random = random;
    this.rules = [];
    this.nextId = 1;
  }

  /**
   * spec: {operation?: string ('*' or absent = any), service?, account_id?, region?, code?,
   *        latency_ms?, error?: throttle|5xx|timeout|access_denied|reset, error_rate? (0..1, default 1),
   *        count? (fire at most this many times), status? (for 5xx: 500 or 503), message?,
   *        after? (service dynamodb only: the request is applied first, then its answer is replaced by the
   *        error: a lost answer)}
   */
  add(spec) {
    if (!spec || typeof spec !== 'object') throw new Error('fault must be a JSON object');
    if (spec.error !== undefined && !FAULT_ERRORS.includes(spec.error)) {
      throw new Error(`error must be one of ${FAULT_ERRORS.join(', ')}`);
    }
    if (spec.error === undefined && spec.latency_ms === undefined) throw new Error('a fault needs error and/or latency_ms');
    const rate = spec.error_rate ?? 1;
    if (typeof rate !== 'number' || rate < 0 || rate > 1) throw new Error('error_rate must be a number in 0..1');
    if (spec.latency_ms !== undefined && !(typeof spec.latency_ms === 'number' && spec.latency_ms >= 0)) {
      throw new Error('latency_ms must be a number >= 0');
    }
    if (spec.count !== undefined && !(Number.isInteger(spec.count) && spec.count > 0)) throw new Error('count must be an integer > 0');
    if (spec.status !== undefined && ![500, 502, 503, 504].includes(spec.status)) throw new Error('status must be 500, 502, 503 or 504');
    if (spec.after !== undefined) {
      if (typeof spec.after !== 'boolean') throw new Error('after must be true or false');
      if (spec.after && spec.service !== 'dynamodb') throw new Error('after applies to service dynamodb only');
      if (spec.after && spec.error === undefined) throw new Error('after needs an error');
    }
    const rule = {
      id: this.nextId++,
      operation: spec.operation ?? '*',
      // CloudWatch signs as "monitoring"; either name selects it.
      service: spec.service === 'monitoring' ? 'cloudwatch' : spec.service ?? null,
      account_id: spec.account_id != null ? String(spec.account_id) : null,
      region: spec.region ?? null,
      code: spec.code ?? null,
      latency_ms: spec.latency_ms ?? 0,
      error: spec.error ?? null,
      error_rate: rate,
      count: spec.count ?? null,
      status: spec.status ?? null,
      message: spec.message ?? null,
      after: spec.after === true,
      fired: 0,
    };
    this.rules.push(rule);
    return rule;
  }

  remove(id) {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return before !== this.rules.length;
  }

  clear() {
    this.rules = [];
  }

  /**
   * Returns {latency_ms, error, rule} for a call, consuming `count` of the rules that fire. explicitService:
   * only rules that name this service apply (DynamoDB, so that catch-all rules never break the platform's store).
   */
  evaluate({ service, operation, account_id, region, code, explicitService = false }) {
    let latency = 0;
    let error = null;
    let rule = null;
    for (const r of this.rules) {
      if (r.count !== null && r.fired >= r.count) continue;
      if (r.operation !== '*' && r.operation !== operation) continue;
      if (r.service ? r.service !== service : explicitService) continue;
      if (r.account_id && r.account_id !== account_id) continue;
      if (r.region && r.region !== region) continue;
      if (r.code && r.code !== code) continue;
      if (r.error) {
        if (error) continue; // the first matching error rule wins
        if (r.error_rate < 1 && this.random() >= r.error_rate) continue;
        error = r.error;
        rule = r;
      }
      latency += r.latency_ms;
      r.fired++;
    }
    this.rules = this.rules.filter((r) => r.count === null || r.fired < r.count);
    return { latency_ms: latency, error, rule };
  }
}

export class Counters {
  constructor() {
    this.reset();
  }

  reset() {
    this.total = 0;
    this.byOperation = {};
    this.byAccount = {};
    this.byOutcome = {};
    this.since = new Date().toISOString();
  }

  record({ operation = 'unknown', account_id = 'unknown', outcome = 'ok' }) {
    this.total++;
    const op = (this.byOperation[operation] ??= { total: 0, outcomes: {} });
    op.total++;
    op.outcomes[outcome] = (op.outcomes[outcome] ?? 0) + 1;
    const acct = (this.byAccount[account_id] ??= { total: 0, operations: {} });
    acct.total++;
    const ao = (acct.operations[operation] ??= {});
    ao[outcome] = (ao[outcome] ?? 0) + 1;
    this.byOutcome[outcome] = (this.byOutcome[outcome] ?? 0) + 1;
  }

  view() {
    return {
      since: this.since,
      total: this.total,
      by_operation: this.byOperation,
      by_account: this.byAccount,
      by_outcome: this.byOutcome,
    };
  }
}
