#!/usr/bin/env node
// AWS simulator for Account Platform: Service Quotas (JSON 1.1), STS (query/XML), the Account Management API
// (REST-JSON), DynamoDB (JSON 1.0, forwarded to an in-process dynalite), KMS (JSON 1.1) and CloudWatch
// GetMetricData / ListMetrics (JSON 1.0, scripted Bedrock traffic) and SNS Publish (query/XML, topics made through
// the control API) on one loopback HTTP endpoint, with real SigV4 verification.
//
//   node tools/aws-sim/server.mjs --port 0 [--host 127.0.0.1] [--seed-accounts K] [--rate-limits on|off]
//                                 [--latency-ms N] [--max-skew-seconds N] [--dynamodb on|off] [--verbose]
//
// The first line of stdout is the URL (e.g. http://127.0.0.1:41234); logs go to stderr.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuthError, DEFAULT_MAX_SKEW_MS, peekScope, verifyRequest } from './sigv4-verify.mjs';
import { Catalogue, State, seedCredentials } from './state.mjs';
import { RateLimiter } from './rate-limit.mjs';
import { Faults, Counters } from './faults.mjs';
import { handleControl } from './control.mjs';
import { ApiError } from './services/common.mjs';
import * as serviceQuotas from './services/service-quotas.mjs';
import * as sts from './services/sts.mjs';
import * as account from './services/account.mjs';
import * as dynamodb from './services/dynamodb.mjs';
import * as kms from './services/kms.mjs';
import * as cloudwatch from './services/cloudwatch.mjs';
import * as sns from './services/sns.mjs';

export const SERVICES = { servicequotas: serviceQuotas, sts, account, dynamodb, kms, monitoring: cloudwatch, sns };
const DETECT_ORDER = [serviceQuotas, sts, sns, account, kms, cloudwatch, dynamodb];
const MAX_BODY = 1024 * 1024;
const TIMEOUT_FAULT_HOLD_MS = 10 * 60 * 1000;

export function isLoopbackHost(host) {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export class Simulator {
  /**
   * options: {seedAccounts, rateLimits (bool), latencyMs, maxSkewSeconds, verbose, cataloguePath, log,
   *           dynamodb (bool, default true: start dynalite in listen())}
   */
  constructor(options = {}) {
    this.options = options;
    this.log = options.log ?? ((line) => process.stderr.write(line + '\n'));
    this.state = new State({
      catalogue: new Catalogue(options.cataloguePath),
      seedAccounts: options.seedAccounts ?? 0,
    });
    this.faults = new Faults();
    this.counters = new Counters();
    // DynamoDB is the platform's own store, not an AWS API it manages: its calls are counted apart, so that
    // /_sim/counters keeps counting only the calls made on behalf of accounts.
    this.dynamoCounters = new Counters();
    // KMS too serves the platform itself (its credential sealing): counted apart, like DynamoDB.
    this.kms = new kms.KmsState();
    this.kmsCounters = new Counters();
    // CloudWatch metric data, scripted per (account, region, model id) through /_sim/accounts/{id}/traffic.
    this.cloudwatch = new cloudwatch.CloudWatchState();
    // SNS topics and what was published to them (alert delivery: the platform's own calls, counted apart).
    this.sns = new sns.SnsState();
    this.snsCounters = new Counters();
    this.dynamo = options.dynamodb === false ? null : new dynamodb.DynaliteBackend({ log: this.log });
    this.rateLimiter = new RateLimiter({ enabled: options.rateLimits !== false });
    this.applyInitialConfig();
    this.sockets = new Set();
    this.held = new Set();
    this.server = http.createServer({ keepAlive: true }, (req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 70_000;
    this.server.requestTimeout = 0;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  applyInitialConfig() {
    this.config = {
      latency_ms: this.options.latencyMs ?? 0,
      max_skew_ms: (this.options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_MS / 1000) * 1000,
      // Data points per GetMetricData answer page (AWS: 100,800); lower it to make clients page.
      cloudwatch_page_points: cloudwatch.MAX_DATAPOINTS,
    };
    this.rateLimiter.enabled = this.options.rateLimits !== false;
  }

  configure(cfg) {
    if (cfg.latency_ms !== undefined) {
      if (!(typeof cfg.latency_ms === 'number' && cfg.latency_ms >= 0)) throw new Error('latency_ms must be a number >= 0');
      this.config.latency_ms = cfg.latency_ms;
    }
    if (cfg.max_skew_seconds !== undefined) {
      if (!(typeof cfg.max_skew_seconds === 'number' && cfg.max_skew_seconds > 0)) throw new Error('max_skew_seconds must be > 0');
      this.config.max_skew_ms = cfg.max_skew_seconds * 1000;
    }
    if (cfg.cloudwatch_page_points !== undefined) {
      const n = cfg.cloudwatch_page_points;
      if (!(Number.isInteger(n) && n >= 1 && n <= cloudwatch.MAX_DATAPOINTS)) {
        throw new Error(`cloudwatch_page_points must be an integer in 1..${cloudwatch.MAX_DATAPOINTS}`);
      }
      this.config.cloudwatch_page_points = n;
    }
    if (cfg.increase_script !== undefined) this.state.increaseScript = serviceQuotas.validateScript(cfg.increase_script);
    if (cfg.rate_limits !== undefined) {
      if (typeof cfg.rate_limits === 'boolean') this.rateLimiter.enabled = cfg.rate_limits;
      else if (cfg.rate_limits && typeof cfg.rate_limits === 'object') {
        this.rateLimiter.setLimits(cfg.rate_limits.limits ?? cfg.rate_limits);
        if (typeof cfg.rate_limits.enabled === 'boolean') this.rateLimiter.enabled = cfg.rate_limits.enabled;
      } else throw new Error('rate_limits must be true, false or {Operation: {rate, burst}}');
    }
  }

  configView() {
    return {
      latency_ms: this.config.latency_ms,
      max_skew_seconds: this.config.max_skew_ms / 1000,
      cloudwatch_page_points: this.config.cloudwatch_page_points,
      increase_script: this.state.increaseScript ?? null,
      rate_limits: this.rateLimiter.view(),
    };
  }

  reset() {
    this.state.reset();
    this.faults.clear();
    this.counters.reset();
    this.dynamoCounters.reset();
    this.kms.reset();
    this.kmsCounters.reset();
    this.cloudwatch.reset();
    this.sns.reset();
    this.snsCounters.reset();
    this.dynamo?.reset();
    this.rateLimiter.reset();
    this.applyInitialConfig();
  }

  async listen(port = 0, host = '127.0.0.1') {
    if (!isLoopbackHost(host)) throw new Error(`refusing to listen on non-loopback host ${host}`);
    if (this.dynamo) {
      try {
        await this.dynamo.start();
      } catch (e) {
        throw new Error(`cannot start dynalite for DynamoDB (run npm ci in tools/aws-sim): ${e.message}`);
      }
    }
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address();
    const h = addr.family === 'IPv6' || addr.family === 6 ? `[${addr.address}]` : addr.address;
    this.url = `http://${h}:${addr.port}`;
    return this.url;
  }

  async close() {
    for (const t of this.held) clearTimeout(t);
    this.held.clear();
    await new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections?.();
      for (const s of this.sockets) s.destroy();
    });
    await this.dynamo?.stop();
  }

  // -------------------------------------------------------------------------------------------------

  onRequest(req, res) {
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    const limit = dynamodb.looksLikeDynamoDb(req.headers, peekScope(req.headers.authorization)?.service)
      ? dynamodb.MAX_REQUEST_BYTES
      : MAX_BODY;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const requestId = randomUUID();
      res.setHeader('x-amzn-RequestId', requestId);
      if (tooLarge) {
        this.send(res, { status: 413, headers: { 'content-type': 'text/plain' }, body: 'Request entity too large' });
        return;
      }
      const p = req.url.startsWith('/_sim') ? this.handleControlRequest(req, res, body) : this.handleApi(req, res, body, requestId);
      p.catch((e) => {
        this.log(`aws-sim: internal error: ${e.stack ?? e}`);
        if (!res.headersSent) this.send(res, { status: 500, headers: { 'content-type': 'text/plain' }, body: 'internal error' });
      });
    });
    req.on('error', () => {});
  }

  async handleControlRequest(req, res, body) {
    this.send(res, handleControl(this, req, body));
  }

  send(res, { status, headers = {}, body = '' }) {
    if (res.destroyed || res.writableEnded) return;
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    res.writeHead(status, { ...headers, 'content-length': buf.length, date: new Date().toUTCString() });
    res.end(buf);
  }

  async handleApi(req, res, body, requestId) {
    const now = Date.now();
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
    const reqInfo = { method: req.method, path, rawQuery, headers: req.headers, body };
    const scope = peekScope(req.headers.authorization);
    const svc = (scope && SERVICES[scope.service]) || DETECT_ORDER.find((s) => s.matches(reqInfo));
    if (!svc) {
      this.counters.record({ operation: 'unknown', account_id: 'unknown', outcome: 'UnknownOperationException' });
      await this.delay(0);
      this.send(res, {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ __type: 'UnknownOperationException', message: 'Unknown service or operation' }),
      });
      return;
    }
    if (svc === dynamodb) {
      await this.handleDynamoDb(req, res, body, requestId, reqInfo, now);
      return;
    }

    // KMS and SNS are the platform's own (see services/kms.mjs, sns.mjs): the platform identity may call them, their
    // calls are counted apart, and neither the global latency, the API rate limits nor fault rules without a
    // service apply.
    const own = svc === kms || svc === sns;
    const ownCounters = svc === sns ? this.snsCounters : this.kmsCounters;
    const ctx = { requestId, state: this.state, kms: this.kms, sns: this.sns, cloudwatch: this.cloudwatch, cloudwatchPagePoints: this.config.cloudwatch_page_points, now, region: scope?.region ?? 'us-east-1', service: svc.name };
    let operation = 'unknown';
    let accountId = 'unknown';
    let outcome = 'ok';
    let extraLatency = 0;
    let action = null;
    let result;
    try {
      let parsed = null;
      let parseError = null;
      try {
        parsed = svc.parse(reqInfo);
        operation = parsed.operation;
        ctx.protocol = parsed.protocol; // services that speak several protocols answer in the request's
      } catch (e) {
        parseError = e;
      }
      const auth = await this.authenticate(svc, req, reqInfo, now,
        (id) => this.state.lookupCredentials(id) ?? (own ? dynamodb.platformCredentials(id) : null));
      ctx.identity = auth.credentials.identity;
      ctx.region = auth.region;
      accountId = ctx.identity.account_id;
      if (parseError) throw parseError;
      ctx.operation = parsed.operation;
      ctx.input = parsed.input;

      const fault = this.faults.evaluate({
        service: svc.faultName ?? svc.name,
        operation,
        account_id: accountId,
        region: ctx.region,
        code: svc.faultTarget(parsed.input).code,
        explicitService: own,
      });
      extraLatency = fault.latency_ms;
      ({ action, result } = this.applyFault(svc, fault));
      if (result) outcome = result.outcome;
      if (!action && !result) {
        if (!own && !this.rateLimiter.take(accountId, ctx.region, operation)) throw svc.errorFor('throttle');
        result = await svc.invoke(ctx);
      }
    } catch (e) {
      ({ result, outcome } = this.renderError(svc, e, ctx, operation));
    }
    if (action) outcome = `fault_${action}`;
    (own ? ownCounters : this.counters).record({ operation, account_id: accountId, outcome });
    if (own) {
      if (extraLatency > 0) await sleep(extraLatency);
    } else {
      await this.delay(extraLatency);
    }
    if (this.options.verbose) {
      this.log(JSON.stringify({ t: new Date().toISOString(), id: requestId, svc: svc.name, op: operation, account: accountId, region: ctx.region, outcome, status: result?.status }));
    }
    this.finish(req, res, action, result);
  }

  // DynamoDB: verified here, answered by dynalite. Unlike the other services it is the platform's own store, so
  // it has its own counters, ignores the global latency and the AWS API rate limits, and only fault rules that
  // name service "dynamodb" apply to it.
  async handleDynamoDb(req, res, body, requestId, reqInfo, now) {
    const { operation } = dynamodb.parse(reqInfo);
    const ctx = { requestId, region: 'us-east-1' };
    let accountId = 'unknown';
    let outcome = 'ok';
    let extraLatency = 0;
    let action = null;
    let result;
    try {
      const auth = await this.authenticate(dynamodb, req, reqInfo, now,
        (id) => this.state.lookupCredentials(id) ?? dynamodb.platformCredentials(id));
      accountId = auth.credentials.identity.account_id;
      ctx.region = auth.region;
      if (!this.dynamo) throw dynamodb.errorFor('unavailable', 'DynamoDB is switched off in this simulator (--dynamodb off)');
      const fault = this.faults.evaluate({ service: dynamodb.name, operation, account_id: accountId, region: ctx.region, explicitService: true });
      extraLatency = fault.latency_ms;
      const forward = () => this.dynamo.forward({ method: req.method, url: req.url, rawHeaders: req.rawHeaders, body });
      // A lost answer: dynalite applies the request, the client gets the fault instead of dynalite's answer.
      if (fault.error && fault.rule.after) await forward();
      ({ action, result } = this.applyFault(dynamodb, fault));
      if (result) outcome = result.outcome;
      if (!action && !result) {
        result = await forward();
        outcome = result.outcome;
      }
    } catch (e) {
      ({ result, outcome } = this.renderError(dynamodb, e, ctx, operation));
    }
    if (action) outcome = `fault_${action}`;
    this.dynamoCounters.record({ operation, account_id: accountId, outcome });
    if (extraLatency > 0) await sleep(extraLatency);
    if (this.options.verbose) {
      this.log(JSON.stringify({ t: new Date().toISOString(), id: requestId, svc: dynamodb.name, op: operation, account: accountId, region: ctx.region, outcome, status: result?.status }));
    }
    this.finish(req, res, action, result);
  }

  /** Verifies the SigV4 signature for `svc`; resolves with verifyRequest's answer or throws svc's ApiError. */
  async authenticate(svc, req, reqInfo, now, lookup) {
    let auth;
    try {
      auth = await verifyRequest(
        { method: req.method, path: reqInfo.path, rawQuery: reqInfo.rawQuery, headers: req.headersDistinct, body: reqInfo.body },
        lookup,
        { now, maxSkewMs: this.config.max_skew_ms },
      );
    } catch (e) {
      if (e instanceof AuthError) throw svc.errorFor(e.kind, e.message);
      throw e;
    }
    if (auth.service !== svc.name) {
      throw svc.errorFor('signature', `Credential should be scoped to correct service: '${svc.name}'. `);
    }
    return auth;
  }

  /**
   * Turns an evaluated fault into {action: 'timeout'|'reset'|null, result: a canned answer with .outcome | null};
   * throws svc's ApiError for faults answered with an AWS error.
   */
  applyFault(svc, fault) {
    if (!fault.error) return { action: null, result: null };
    const r = fault.rule;
    switch (fault.error) {
      case 'timeout':
      case 'reset':
        return { action: fault.error, result: null };
      case 'throttle':
        throw svc.errorFor('throttle', r.message ?? undefined);
      case 'access_denied':
        throw svc.errorFor('access_denied', r.message ?? undefined);
      case '5xx':
        if (r.status === 502 || r.status === 504) {
          const text = r.status === 502 ? 'Bad Gateway' : 'Gateway Timeout';
          return {
            action: null,
            result: { status: r.status, headers: { 'content-type': 'text/html' }, body: `<html><body><h1>${r.status} ${text}</h1></body></html>`, outcome: `http_${r.status}` },
          };
        }
        throw svc.errorFor(r.status === 503 ? 'unavailable' : 'internal', r.message ?? undefined);
      default:
        return { action: null, result: null };
    }
  }

  renderError(svc, e, ctx, operation) {
    if (e instanceof ApiError) return { result: svc.render(e, ctx), outcome: e.code };
    this.log(`aws-sim: ${operation} failed: ${e.stack ?? e}`);
    const err = svc.errorFor('internal');
    return { result: svc.render(err, ctx), outcome: err.code };
  }

  /** Sends `result`, or carries out a connection fault: reset (RST) or timeout (hold, then drop). */
  finish(req, res, action, result) {
    if (action === 'reset') {
      if (typeof req.socket.resetAndDestroy === 'function') req.socket.resetAndDestroy();
      else req.socket.destroy();
      return;
    }
    if (action === 'timeout') {
      const t = setTimeout(() => {
        this.held.delete(t);
        req.socket.destroy();
      }, TIMEOUT_FAULT_HOLD_MS);
      t.unref();
      this.held.add(t);
      return;
    }
    this.send(res, result);
  }

  delay(extra) {
    const ms = this.config.latency_ms + (extra || 0);
    return ms > 0 ? sleep(ms) : Promise.resolve();
  }
}

// ---------------------------------------------------------------------------------------------------
// CLI

export function parseArgs(argv) {
  const opts = { port: 0, host: '127.0.0.1', seedAccounts: 0, rateLimits: true, latencyMs: 0, dynamodb: true, verbose: false };
  const need = (i, flag) => {
    if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? a.split(/=(.*)/s) : [a, undefined];
    const value = () => (inline !== undefined ? inline : need(i++, flag));
    switch (flag) {
      case '--port': opts.port = Number(value()); break;
      case '--host': opts.host = value(); break;
      case '--seed-accounts': opts.seedAccounts = Number(value()); break;
      case '--rate-limits': {
        const v = value();
        if (!['on', 'off', 'true', 'false'].includes(v)) throw new Error('--rate-limits takes on or off');
        opts.rateLimits = v === 'on' || v === 'true';
        break;
      }
      case '--latency-ms': opts.latencyMs = Number(value()); break;
      case '--max-skew-seconds': opts.maxSkewSeconds = Number(value()); break;
      case '--catalogue': opts.cataloguePath = value(); break;
      case '--dynamodb': {
        const v = value();
        if (!['on', 'off'].includes(v)) throw new Error('--dynamodb takes on or off');
        opts.dynamodb = v === 'on';
        break;
      }
      case '--verbose': opts.verbose = true; break;
      case '--help':
      case '-h': opts.help = true; break;
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('--port must be 0..65535');
  if (!Number.isInteger(opts.seedAccounts) || opts.seedAccounts < 0) throw new Error('--seed-accounts must be an integer >= 0');
  if (!(opts.latencyMs >= 0)) throw new Error('--latency-ms must be >= 0');
  return opts;
}

const USAGE = `usage: node server.mjs --port N [--host 127.0.0.1] [--seed-accounts K] [--rate-limits on|off]
                      [--latency-ms N] [--max-skew-seconds N] [--catalogue FILE] [--dynamodb on|off] [--verbose]`;

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`aws-sim: ${e.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const sim = new Simulator(opts);
  let url;
  try {
    url = await sim.listen(opts.port, opts.host);
  } catch (e) {
    process.stderr.write(`aws-sim: ${e.message}\n`);
    process.exit(1);
  }
  process.stdout.write(url + '\n');
  sim.log(`aws-sim: listening on ${url} (${sim.state.catalogue.quotas.length} bedrock quotas, ` +
    `${sim.state.accounts.size} seeded accounts, rate limits ${sim.rateLimiter.enabled ? 'on' : 'off'}, ` +
    `latency ${sim.config.latency_ms} ms, dynamodb ${sim.dynamo ? 'on' : 'off'})`);
  if (sim.dynamo) {
    sim.log(`aws-sim: dynamodb platform key ${dynamodb.PLATFORM_ACCESS_KEY_ID} secret ${dynamodb.PLATFORM_SECRET_ACCESS_KEY} ` +
      `(AWS_ENDPOINT_URL_DYNAMODB=${url})`);
  }
  const show = Math.min(opts.seedAccounts, 5);
  for (let i = 1; i <= show; i++) {
    const c = seedCredentials(i);
    sim.log(`aws-sim: seed account ${c.account_id} key ${c.access_key_id} secret ${c.secret_access_key} role ${c.role_arn} external id ${c.external_id}`);
  }
  if (opts.seedAccounts > show) sim.log(`aws-sim: ... ${opts.seedAccounts - show} more; GET ${url}/_sim/accounts lists them all`);
  const stop = async (sig) => {
    sim.log(`aws-sim: ${sig}, shutting down`);
    await sim.close();
    process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main();
}
