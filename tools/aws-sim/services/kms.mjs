// AWS Key Management Service, JSON 1.1 protocol (X-Amz-Target: TrentService.<Operation>): symmetric keys per
// region, GenerateDataKey, Encrypt, Decrypt (with encryption-context checks), CreateKey, DescribeKey, EnableKey,
// DisableKey.
//
// Ciphertext blobs are the simulator's own format (real KMS blobs are opaque too): "SIMK" 0x01, the key id's
// length and bytes, a 12-byte IV, a 16-byte tag, then the AES-256-GCM ciphertext under the key's secret, with
// the key id and the canonical encryption context (members sorted by name, JSON) as associated data. So a blob
// opens only under its key and with exactly the context it was made with (else InvalidCiphertextException).
//
// Like DynamoDB, KMS serves the platform itself: the platform identity (services/dynamodb.mjs) may call it beside
// every key the simulator knows; its calls are counted apart (/_sim/kms/stats, with the last calls' contexts);
// the global latency and the AWS API rate limits do not apply, and only fault rules naming service "kms" do.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { ApiError } from './common.mjs';
import { SimError } from '../state.mjs';

export const name = 'kms';
export const TARGET_PREFIX = 'TrentService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAGIC = Buffer.from('SIMK\x01', 'latin1');
const RECENT_CALLS = 100;

// ---------------------------------------------------------------------------------------------------
// Keys

/** The keys of every region, their aliases, and the call log the stats show. */
export class KmsState {
  constructor() {
    this.reset();
  }

  reset() {
    this.keys = new Map(); // key id → {key_id, arn, region, account_id, secret, enabled, created, description}
    this.aliases = new Map(); // `${region}\n${alias name}` → key id
    this.recent = [];
  }

  /** Creates a key; {region = us-east-1, account_id, alias ('alias/…'), key_id, description}. */
  createKey({ region = 'us-east-1', account_id: accountId, alias, key_id: keyId, description = '' } = {}) {
    if (typeof region !== 'string' || !/^[a-z][a-z0-9-]{0,31}$/.test(region)) throw new SimError(400, 'region must be an AWS region name');
    const account = accountId ?? '000000000000';
    if (!/^\d{12}$/.test(account)) throw new SimError(400, 'account_id must be 12 digits');
    const id = keyId ?? randomUUID();
    if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new SimError(400, 'key_id must be 1-64 of [A-Za-z0-9-]');
    if (this.keys.has(id)) throw new SimError(409, `key ${id} exists`);
    if (alias !== undefined) this.checkAlias(region, alias);
    const key = {
      key_id: id,
      arn: `arn:aws:kms:${region}:${account}:key/${id}`,
      region,
      account_id: account,
      secret: randomBytes(32),
      enabled: true,
      created: new Date(),
      description: String(description),
    };
    this.keys.set(id, key);
    if (alias !== undefined) this.aliases.set(`${region}\n${alias}`, id);
    return key;
  }

  checkAlias(region, alias) {
    if (typeof alias !== 'string' || !/^alias\/[a-zA-Z0-9:/_-]{1,250}$/.test(alias) || alias.startsWith('alias/aws/')) {
      throw new SimError(400, 'alias must be alias/<name> (not alias/aws/…)');
    }
    if (this.aliases.has(`${region}\n${alias}`)) throw new SimError(409, `alias ${alias} exists in ${region}`);
  }

  /** The key `ref` names in `region` (id, key ARN, alias name or alias ARN), or null. */
  resolve(ref, region) {
    if (typeof ref !== 'string' || ref === '') return null;
    let id = ref;
    let aliasName = null;
    const arn = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/.exec(ref);
    if (arn) {
      if (arn[1] !== region) return null;
      if (arn[3] === 'alias') aliasName = `alias/${arn[4]}`;
      else id = arn[4];
    } else if (ref.startsWith('alias/')) {
      aliasName = ref;
    }
    if (aliasName !== null) {
      id = this.aliases.get(`${region}\n${aliasName}`);
      if (id === undefined) return null;
    }
    const key = this.keys.get(id);
    if (!key || key.region !== region) return null;
    if (arn && arn[3] === 'key' && arn[2] !== key.account_id) return null;
    return key;
  }

  view(key) {
    const aliases = [];
    for (const [k, id] of this.aliases) {
      const [region, alias] = k.split('\n');
      if (id === key.key_id && region === key.region) aliases.push(alias);
    }
    return { key_id: key.key_id, arn: key.arn, region: key.region, account_id: key.account_id, enabled: key.enabled, aliases };
  }

  /** Enables or disables the key `ref` (id, ARN or alias; alias lookups in `region`). SimError 404 when unknown. */
  setEnabled(ref, enabled, region = 'us-east-1') {
    const key = this.keys.get(ref) ?? this.resolve(ref, region);
    if (!key) throw new SimError(404, `no key ${ref}`);
    key.enabled = enabled;
    return this.view(key);
  }

  record(operation, key, context) {
    this.recent.push({ operation, key_id: key?.key_id ?? null, encryption_context: context ?? {} });
    if (this.recent.length > RECENT_CALLS) this.recent.splice(0, this.recent.length - RECENT_CALLS);
  }
}

// ---------------------------------------------------------------------------------------------------
// Protocol

export function matches({ headers }) {
  const t = headers['x-amz-target'];
  return typeof t === 'string' && t.startsWith(TARGET_PREFIX);
}

export function parse({ headers, body }) {
  const target = headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) throw new ApiError('UnknownOperationException', null);
  const operation = target.slice(TARGET_PREFIX.length);
  if (!HANDLERS[operation]) throw new ApiError('UnknownOperationException', null);
  let input;
  try {
    input = JSON.parse(body.length ? body.toString('utf8') : '{}');
  } catch {
    throw new ApiError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new ApiError('SerializationException', 'Start of structure or map found where not expected.');
  }
  return { operation, input };
}

export function faultTarget() {
  return {};
}

export function errorFor(kind, message) {
  switch (kind) {
    case 'throttle': return new ApiError('ThrottlingException', message ?? 'Rate exceeded', 400);
    case 'internal': return new ApiError('KMSInternalException', message ?? 'An internal error occurred.', 500);
    case 'unavailable': return new ApiError('ServiceUnavailableException', message ?? 'Service Unavailable', 503);
    case 'access_denied':
      return new ApiError('AccessDeniedException', message ?? 'User is not authorized to perform this KMS action.', 400);
    case 'missing_auth': return new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400);
    case 'incomplete_signature': return new ApiError('IncompleteSignatureException', message, 400);
    case 'unknown_key':
    case 'invalid_token': return new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
    case 'expired_token': return new ApiError('ExpiredTokenException', 'The security token included in the request is expired', 400);
    case 'skew':
    case 'signature': return new ApiError('InvalidSignatureException', message, 400);
    default: return new ApiError('KMSInternalException', message ?? 'An internal error occurred.', 500);
  }
}

export function render(err) {
  return {
    status: err.status,
    headers: { 'content-type': CONTENT_TYPE },
    body: JSON.stringify({ __type: err.code, message: err.message ?? null }),
  };
}

function ok(obj) {
  return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: JSON.stringify(obj) };
}

function validation(message) {
  return new ApiError('ValidationException', message);
}

/** The canonical form of an encryption context: members sorted by name, as JSON. */
export function canonicalContext(ctx) {
  const sorted = {};
  for (const k of Object.keys(ctx).sort()) sorted[k] = ctx[k];
  return JSON.stringify(sorted);
}

function readContext(input) {
  const ctx = input.EncryptionContext ?? {};
  if (typeof ctx !== 'object' || Array.isArray(ctx) || ctx === null) throw validation('EncryptionContext must be a map of strings');
  for (const [k, v] of Object.entries(ctx)) {
    if (typeof v !== 'string' || k === '') throw validation('EncryptionContext must be a map of non-empty names to strings');
  }
  return ctx;
}

function readBase64(input, field, { min = 1, max = 4096 } = {}) {
  const v = input[field];
  if (v === undefined || v === null) throw validation(`1 validation error detected: Value null at '${field.charAt(0).toLowerCase() + field.slice(1)}' failed to satisfy constraint: Member must not be null`);
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new ApiError('SerializationException', `${field} is not valid base64`);
  const buf = Buffer.from(v, 'base64');
  if (buf.length < min || buf.length > max) throw validation(`${field} must be ${min} to ${max} bytes`);
  return buf;
}

/** The enabled key the request's KeyId names: NotFoundException, DisabledException. */
function usableKey(ctx, ref) {
  if (ref === undefined || ref === null) throw validation("1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
  const key = ctx.kms.resolve(ref, ctx.region);
  if (!key) throw new ApiError('NotFoundException', `Key '${ref}' does not exist`);
  if (!key.enabled) throw new ApiError('DisabledException', `${key.arn} is disabled.`);
  return key;
}

function seal(key, plaintext, context) {
  const id = Buffer.from(key.key_id, 'utf8');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.secret, iv);
  cipher.setAAD(Buffer.concat([id, Buffer.from('\n' + canonicalContext(context), 'utf8')]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([MAGIC, Buffer.from([id.length]), id, iv, cipher.getAuthTag(), body]);
}

/** {key id, iv, tag, body} of a blob, or null when it is not one of ours. */
function parseBlob(blob) {
  if (blob.length < MAGIC.length + 1 || !blob.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const n = blob[MAGIC.length];
  const start = MAGIC.length + 1;
  if (blob.length < start + n + 12 + 16) return null;
  return {
    keyId: blob.subarray(start, start + n).toString('utf8'),
    iv: blob.subarray(start + n, start + n + 12),
    tag: blob.subarray(start + n + 12, start + n + 28),
    body: blob.subarray(start + n + 28),
  };
}

function invalidCiphertext() {
  return new ApiError('InvalidCiphertextException', null);
}

const HANDLERS = {
  CreateKey(ctx, input) {
    const key = ctx.kms.createKey({ region: ctx.region, account_id: ctx.identity.account_id, description: input.Description ?? '' });
    ctx.kms.record('CreateKey', key);
    return ok({ KeyMetadata: metadata(key) });
  },

  DescribeKey(ctx, input) {
    const key = ctx.kms.resolve(input.KeyId, ctx.region);
    if (!key) throw new ApiError('NotFoundException', `Key '${input.KeyId}' does not exist`);
    return ok({ KeyMetadata: metadata(key) });
  },

  EnableKey(ctx, input) {
    const key = ctx.kms.resolve(input.KeyId, ctx.region);
    if (!key) throw new ApiError('NotFoundException', `Key '${input.KeyId}' does not exist`);
    key.enabled = true;
    return ok({});
  },

  DisableKey(ctx, input) {
    const key = ctx.kms.resolve(input.KeyId, ctx.region);
    if (!key) throw new ApiError('NotFoundException', `Key '${input.KeyId}' does not exist`);
    key.enabled = false;
    return ok({});
  },

  GenerateDataKey(ctx, input) {
    const context = readContext(input);
    const key = usableKey(ctx, input.KeyId);
    let bytes;
    if (input.KeySpec !== undefined && input.NumberOfBytes !== undefined) throw validation('Specify either KeySpec or NumberOfBytes, not both');
    if (input.KeySpec !== undefined) {
      if (input.KeySpec === 'AES_256') bytes = 32;
      else if (input.KeySpec === 'AES_128') bytes = 16;
      else throw validation(`1 validation error detected: Value '${input.KeySpec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]`);
    } else if (input.NumberOfBytes !== undefined) {
      if (!Number.isInteger(input.NumberOfBytes) || input.NumberOfBytes < 1 || input.NumberOfBytes > 1024) throw validation('NumberOfBytes must be 1..1024');
      bytes = input.NumberOfBytes;
    } else {
      throw validation('Please specify either number of bytes or key spec.');
    }
    const plaintext = randomBytes(bytes);
    ctx.kms.record('GenerateDataKey', key, context);
    return ok({ CiphertextBlob: seal(key, plaintext, context).toString('base64'), Plaintext: plaintext.toString('base64'), KeyId: key.arn });
  },

  Encrypt(ctx, input) {
    const context = readContext(input);
    const key = usableKey(ctx, input.KeyId);
    const plaintext = readBase64(input, 'Plaintext');
    ctx.kms.record('Encrypt', key, context);
    return ok({ CiphertextBlob: seal(key, plaintext, context).toString('base64'), KeyId: key.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  },

  Decrypt(ctx, input) {
    const context = readContext(input);
    const blob = parseBlob(readBase64(input, 'CiphertextBlob', { max: 6144 }));
    if (!blob) throw invalidCiphertext();
    const key = ctx.kms.keys.get(blob.keyId);
    if (!key || key.region !== ctx.region) throw invalidCiphertext();
    if (input.KeyId !== undefined && input.KeyId !== null) {
      const named = ctx.kms.resolve(input.KeyId, ctx.region);
      if (!named) throw new ApiError('NotFoundException', `Key '${input.KeyId}' does not exist`);
      if (named.key_id !== key.key_id) {
        throw new ApiError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
      }
    }
    if (!key.enabled) throw new ApiError('DisabledException', `${key.arn} is disabled.`);
    let plaintext;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.secret, blob.iv);
      decipher.setAAD(Buffer.concat([Buffer.from(key.key_id, 'utf8'), Buffer.from('\n' + canonicalContext(context), 'utf8')]));
      decipher.setAuthTag(blob.tag);
      plaintext = Buffer.concat([decipher.update(blob.body), decipher.final()]);
    } catch {
      ctx.kms.record('Decrypt', key, context);
      throw invalidCiphertext();
    }
    ctx.kms.record('Decrypt', key, context);
    return ok({ KeyId: key.arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  },
};

function metadata(key) {
  return {
    AWSAccountId: key.account_id,
    KeyId: key.key_id,
    Arn: key.arn,
    CreationDate: key.created.getTime() / 1000,
    Enabled: key.enabled,
    Description: key.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: key.enabled ? 'Enabled' : 'Disabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    KeySpec: 'SYMMETRIC_DEFAULT',
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
  };
}

export const OPERATIONS = Object.keys(HANDLERS);

export function invoke(ctx) {
  return HANDLERS[ctx.operation](ctx, ctx.input);
}
