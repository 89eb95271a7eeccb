// Simulator state: the Bedrock quota catalogue, simulated accounts (keys, roles, contact information,
// quota values per region, quota increase requests) and temporary STS sessions.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_CATALOGUE_PATH = path.join(HERE, 'data', 'bedrock-quotas.json');

// ---------------------------------------------------------------------------------------------------
// Catalogue

/**
 * Default for quotas whose AWS default is unknown in the catalogue (default_value null).
 * These are simulator choices, not AWS facts; they only make every code answerable.
 */
export function synthesizedDefault(name) {
  const n = name.toLowerCase();
  if (n.includes('tokens per minute')) return 1000000;
  if (n.includes('tokens per day')) return 1440000000;
  if (n.includes('requests per minute')) return 200;
  if (n.includes('per second')) return 5;
  if (n.includes('minimum number of records')) return 100;
  if (n.includes('records per')) return 50000;
  if (/\bgb\b/.test(n)) return 1;
  if (n.includes('concurrent')) return 10;
  if (n.includes('in-progress') || n.includes('jobs')) return 20;
  return 10;
}

function inferAdjustable(q) {
  if (typeof q.adjustable === 'boolean') return q.adjustable;
  if (typeof q.adjustable_inferred === 'boolean') return q.adjustable_inferred;
  return /tokens per minute|requests per minute/i.test(q.name);
}

export class Catalogue {
  constructor(file = DEFAULT_CATALOGUE_PATH) {
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    this.serviceCode = raw.service_code ?? 'bedrock';
    this.serviceName = raw.service_name ?? 'Amazon Bedrock';
    this.quotas = raw.quotas.map((q) => ({
      code: q.code,
      name: q.name,
      unit: q.unit ?? 'None',
      adjustable: inferAdjustable(q),
      global: q.global === true,
      defaultValue: q.default_value ?? synthesizedDefault(q.name),
      defaultSynthesized: q.default_value == null,
      defaultByRegion: q.default_value_by_region ?? {},
      period: q.period ?? null,
      description: q.description ?? null,
    }));
    this.byCode = new Map(this.quotas.map((q, i) => [q.code, { ...q, index: i }]));
    this.quotas = this.quotas.map((q) => this.byCode.get(q.code));
  }

  get(code) {
    return this.byCode.get(code) ?? null;
  }

  defaultValue(q, region) {
    const v = q.defaultByRegion[region];
    return typeof v === 'number' ? v : q.defaultValue;
  }
}

// ---------------------------------------------------------------------------------------------------
// Deterministic helpers

export function fnv1a(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function idFrom(seed, length) {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; out.length < length; i++) out += B32[digest[i % digest.length] & 31];
  return out;
}
function secretFrom(seed) {
  return createHash('sha256').update(`secret:${seed}`).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 30) +
    createHash('sha256').update(`secret2:${seed}`).digest('hex').slice(0, 10);
}
function randomSecret() {
  return randomBytes(30).toString('base64').slice(0, 40);
}

/** Unique ids of IAM users (AIDA...) and roles (AROA...), derived from their ARN. */
export function uniqueId(prefix, arn) {
  return prefix + idFrom(`uid:${arn}`, 17);
}

const FACTORS = [2, 5, 10, 0.5];

export const SEED_ROLE_NAME = 'AccountPlatformReadOnly';

export function seedAccountId(i) {
  return String(100000000000 + i);
}

/** Credentials of seeded account i (1-based); deterministic so demos and tests can rely on them. */
export function seedCredentials(i) {
  const accountId = seedAccountId(i);
  return {
    account_id: accountId,
    access_key_id: 'AKIASIM' + String(i).padStart(13, '0'),
    secret_access_key: secretFrom(`seed-${i}`),
    role_arn: `arn:aws:iam::${accountId}:role/${SEED_ROLE_NAME}`,
    external_id: `ext-${accountId}`,
  };
}

const CONTACT_FIELDS = [
  'AddressLine1', 'AddressLine2', 'AddressLine3', 'City', 'CompanyName', 'CountryCode',
  'DistrictOrCounty', 'FullName', 'PhoneNumber', 'PostalCode', 'StateOrRegion', 'WebsiteUrl',
];
export { CONTACT_FIELDS };

export function defaultContact(accountId) {
  const n = fnv1a(accountId) % 1000;
  return {
    AddressLine1: `${100 + n} Simulated Street`,
    City: 'Seattle',
    CompanyName: `Example Corp ${accountId.slice(-4)}`,
    CountryCode: 'US',
    FullName: `Account Owner ${accountId.slice(-4)}`,
    PhoneNumber: `+1 206-555-${String(n).padStart(4, '0')}`,
    PostalCode: '98101',
    StateOrRegion: 'WA',
    WebsiteUrl: `https://example.com/${accountId}`,
  };
}

export class SimError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// ---------------------------------------------------------------------------------------------------
// State

export class State {
  constructor({ catalogue = new Catalogue(), seedAccounts = 0 } = {}) {
    this.catalogue = catalogue;
    this.seedCount = seedAccounts;
    this.reset();
  }

  reset() {
    this.increaseScript = null; // the status progression new increase requests follow (services/service-quotas.mjs)
    this.accounts = new Map(); // account_id -> account
    this.keys = new Map(); // access key id -> {account_id, access_key_id, secret_access_key, user_name}
    this.sessions = new Map(); // temporary access key id -> session
    this.roles = new Map(); // role arn -> {account_id, role}
    this.nextAccount = 1;
    for (let i = 1; i <= this.seedCount; i++) {
      const c = seedCredentials(i);
      this.createAccount({
        account_id: c.account_id,
        access_key_id: c.access_key_id,
        secret_access_key: c.secret_access_key,
        roles: [{ role_arn: c.role_arn, external_id: c.external_id }],
        seeded: true,
      });
    }
  }

  // ----- accounts

  createAccount(spec = {}) {
    let accountId = spec.account_id;
    if (accountId === undefined) {
      do accountId = String(200000000000 + this.nextAccount++);
      while (this.accounts.has(accountId));
    }
    accountId = String(accountId);
    if (!/^\d{12}$/.test(accountId)) throw new SimError(400, 'account_id must be 12 digits');
    if (this.accounts.has(accountId)) throw new SimError(409, `account ${accountId} already exists`);
    const profile = spec.quota_profile ?? 'varied';
    if (!['varied', 'defaults'].includes(profile)) throw new SimError(400, "quota_profile must be 'varied' or 'defaults'");
    const account = {
      account_id: accountId,
      quota_profile: profile,
      management_account_id: spec.management_account_id ?? null,
      access_keys: [],
      roles: [],
      contact: spec.contact === null ? null : { ...defaultContact(accountId), ...(spec.contact ?? {}) },
      overrides: new Map(), // `${region}|${code}` -> {value} | {unapplied: true}
      requests: [], // quota increase requests
      seeded: spec.seeded === true,
    };
    this.accounts.set(accountId, account);
    try {
      if (spec.access_keys) for (const k of spec.access_keys) this.addKey(accountId, k);
      else this.addKey(accountId, { access_key_id: spec.access_key_id, secret_access_key: spec.secret_access_key, user_name: spec.user_name });
      for (const r of spec.roles ?? []) this.addRole(accountId, r);
      for (const q of spec.quotas ?? []) this.setQuota(accountId, q.region ?? 'us-east-1', q.code ?? q.quota_code, q);
      for (const code of spec.unapplied ?? []) this.setQuota(accountId, 'us-east-1', code, { unapplied: true });
    } catch (e) {
      this.deleteAccount(accountId);
      throw e;
    }
    return account;
  }

  deleteAccount(accountId) {
    const a = this.accounts.get(accountId);
    if (!a) return false;
    for (const k of a.access_keys) this.keys.delete(k.access_key_id);
    for (const r of a.roles) this.roles.delete(r.role_arn);
    for (const [id, s] of this.sessions) if (s.account_id === accountId) this.sessions.delete(id);
    this.accounts.delete(accountId);
    return true;
  }

  getAccount(accountId) {
    return this.accounts.get(String(accountId)) ?? null;
  }

  requireAccount(accountId) {
    const a = this.getAccount(accountId);
    if (!a) throw new SimError(404, `no account ${accountId}`);
    return a;
  }

  addKey(accountId, spec = {}) {
    const account = this.requireAccount(accountId);
    const id = spec.access_key_id ?? 'AKIA' + idFrom(`${accountId}:${account.access_keys.length}:${randomUUID()}`, 16);
    if (!/^[A-Z0-9]{16,128}$/.test(id)) throw new SimError(400, 'access_key_id must be 16..128 upper-case letters/digits');
    if (this.keys.has(id) || this.sessions.has(id)) throw new SimError(409, `access key ${id} already exists`);
    const key = {
      account_id: accountId,
      access_key_id: id,
      secret_access_key: spec.secret_access_key ?? randomSecret(),
      user_name: spec.user_name ?? 'account-platform',
    };
    account.access_keys.push(key);
    this.keys.set(id, key);
    return key;
  }

  addRole(accountId, spec = {}) {
    const account = this.requireAccount(accountId);
    const arn = spec.role_arn ?? `arn:aws:iam::${accountId}:role/${spec.role_name ?? SEED_ROLE_NAME}`;
    const m = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn);
    if (!m) throw new SimError(400, `invalid role_arn ${arn}`);
    if (m[1] !== accountId) throw new SimError(400, `role_arn ${arn} does not belong to account ${accountId}`);
    if (this.roles.has(arn)) throw new SimError(409, `role ${arn} already exists`);
    const role = {
      role_arn: arn,
      role_name: m[2],
      role_id: uniqueId('AROA', arn),
      external_id: spec.external_id ?? null,
      max_session_duration: spec.max_session_duration ?? 3600,
      trusted_account_ids: spec.trusted_account_ids ?? null, // null = any simulated account may assume it
    };
    account.roles.push(role);
    this.roles.set(arn, { account_id: accountId, role });
    return role;
  }

  // ----- credentials

  /** For the SigV4 verifier: secret (and session token) of an access key id, or null. */
  lookupCredentials(accessKeyId) {
    const key = this.keys.get(accessKeyId);
    if (key) return { secretAccessKey: key.secret_access_key, identity: this.userIdentity(key) };
    const s = this.sessions.get(accessKeyId);
    if (s) {
      return {
        secretAccessKey: s.secret_access_key,
        sessionToken: s.session_token,
        expiration: s.expiration,
        identity: this.sessionIdentity(s),
      };
    }
    return null;
  }

  userIdentity(key) {
    const arn = `arn:aws:iam::${key.account_id}:user/${key.user_name}`;
    return { type: 'user', account_id: key.account_id, arn, user_id: uniqueId('AIDA', arn), access_key_id: key.access_key_id };
  }

  sessionIdentity(s) {
    return {
      type: 'assumed-role',
      account_id: s.account_id,
      arn: s.assumed_role_arn,
      user_id: `${s.role_id}:${s.session_name}`,
      access_key_id: s.access_key_id,
      role_arn: s.role_arn,
    };
  }

  createSession({ role, accountId, sessionName, durationSeconds, now = Date.now() }) {
    const accessKeyId = 'ASIA' + idFrom(`session:${randomUUID()}`, 16);
    const session = {
      access_key_id: accessKeyId,
      secret_access_key: randomSecret(),
      session_token: 'IQoJb3JpZ2luX2VjE' + randomBytes(240).toString('base64'),
      expiration: new Date(now + durationSeconds * 1000),
      account_id: accountId,
      role_arn: role.role_arn,
      role_id: role.role_id,
      session_name: sessionName,
      assumed_role_arn: `arn:aws:sts::${accountId}:assumed-role/${role.role_name}/${sessionName}`,
    };
    this.sessions.set(accessKeyId, session);
    this.pruneSessions(now);
    return session;
  }

  pruneSessions(now = Date.now()) {
    if (this.sessions.size < 10000) return;
    for (const [id, s] of this.sessions) if (s.expiration.getTime() + 3600_000 < now) this.sessions.delete(id);
  }

  expireSessions(accessKeyId) {
    let n = 0;
    for (const s of this.sessions.values()) {
      if (!accessKeyId || s.access_key_id === accessKeyId) {
        s.expiration = new Date(0);
        n++;
      }
    }
    return n;
  }

  // ----- quotas

  /**
   * The applied value of a quota for an account in a region: {value} or {unapplied: true}.
   * Without an override it is derived deterministically from (account id, quota code):
   * about 1 in 40 codes has no applied value, about 1 in 4 adjustable quotas differs from the
   * AWS default by a factor of 2, 5, 10 or 0.5; the rest equal the default. Profile 'defaults'
   * applies every default unchanged.
   */
  appliedQuota(account, region, q) {
    const o = account.overrides.get(`${region}|${q.code}`);
    if (o) return o;
    const def = this.catalogue.defaultValue(q, region);
    if (account.quota_profile === 'defaults') return { value: def };
    const h = fnv1a(`${account.account_id}:${q.code}`);
    if (h % 40 === 0) return { unapplied: true };
    if (q.adjustable && ((h >>> 8) & 3) === 0) {
      const f = FACTORS[(h >>> 12) & 3];
      return { value: Math.max(1, Math.round(def * f)) };
    }
    return { value: def };
  }

  setQuota(accountId, region, code, spec) {
    const account = this.requireAccount(accountId);
    if (!this.catalogue.get(code)) throw new SimError(404, `unknown quota code ${code}`);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new SimError(400, `invalid region ${region}`);
    const key = `${region}|${code}`;
    if (spec.reset === true) {
      account.overrides.delete(key);
    } else if (spec.unapplied === true) {
      account.overrides.set(key, { unapplied: true });
    } else if (typeof spec.value === 'number' && Number.isFinite(spec.value) && spec.value >= 0) {
      account.overrides.set(key, { value: spec.value });
    } else {
      throw new SimError(400, 'body needs {value: number >= 0}, {unapplied: true} or {reset: true}');
    }
    return this.appliedQuota(account, region, this.catalogue.get(code));
  }

  // ----- views for the control API

  accountView(account, { quotas = false, region = 'us-east-1' } = {}) {
    const view = {
      account_id: account.account_id,
      quota_profile: account.quota_profile,
      management_account_id: account.management_account_id,
      access_keys: account.access_keys.map((k) => ({
        access_key_id: k.access_key_id,
        secret_access_key: k.secret_access_key,
        user_name: k.user_name,
        arn: `arn:aws:iam::${k.account_id}:user/${k.user_name}`,
      })),
      roles: account.roles.map((r) => ({
        role_arn: r.role_arn,
        external_id: r.external_id,
        max_session_duration: r.max_session_duration,
        trusted_account_ids: r.trusted_account_ids,
      })),
      contact_information: account.contact,
      quota_overrides: Object.fromEntries(account.overrides),
      quota_increase_requests: account.requests.length,
    };
    if (quotas) view.quotas = this.quotaView(account, region);
    return view;
  }

  quotaView(account, region) {
    return this.catalogue.quotas.map((q) => {
      const a = this.appliedQuota(account, region, q);
      return {
        code: q.code,
        name: q.name,
        default_value: this.catalogue.defaultValue(q, region),
        applied_value: a.unapplied ? null : a.value,
        unapplied: a.unapplied === true,
        adjustable: q.adjustable,
      };
    });
  }
}
