// The server side of the contract: every response the integration suite receives is checked against
// docs/openapi.yaml (Platform.api calls assertResponseMatchesContract). A response fails the test when
//  - its path and method are a documented operation but its status is not documented for it (the statuses the
//    document's description lists for every operation — 400, 405, 413, 431, 500, 503 — are allowed everywhere, with
//    the Error body);
//  - its body does not match the documented schema for that status and media type (JSON bodies, error bodies
//    included), or it sends a media type the operation does not document.
// A path the document does not describe (the web app's static files, a deliberately unknown /api/... path) is
// only checked when it answers a JSON error: that body must be the Error schema.
//
// The document is read from docs/openapi.yaml through scripts/yaml-to-json (the converter the build uses), so the
// tests check the source of truth even when the binary under test embeds an older copy. OpenAPI 3.0's
// `nullable: true` becomes JSON Schema's `null` type (see toJsonSchema). The document's formats are checked:
// date-time and email by ajv-formats; `password` only marks a field for documentation tools and accepts any string.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

import { REPO_ROOT } from './common.mjs';

// Error statuses any operation may answer (docs/openapi.yaml's info.description), with the Error body.
export const GLOBAL_ERROR_STATUSES = Object.freeze(['400', '405', '413', '431', '500', '503']);

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

// Reads docs/openapi.yaml as JSON (the build's converter, so YAML quirks are resolved exactly as in the binary).
export function loadOpenApi(yamlPath = resolve(REPO_ROOT, 'docs/openapi.yaml')) {
  const dir = mkdtempSync(join(tmpdir(), 'ap-openapi-'));
  try {
    const out = join(dir, 'openapi.json');
    execFileSync('/usr/bin/python3', [resolve(REPO_ROOT, 'scripts/yaml-to-json'), yamlPath, out]);
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A deep copy of an OpenAPI 3.0 schema tree as JSON Schema ajv understands: `nullable: true` adds "null" to the
// type (and to an enum), or wraps a type-less schema ($ref, allOf, ...) in anyOf [schema, {type: null}].
export function toJsonSchema(node) {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = toJsonSchema(v);
  if (out.nullable !== true) {
    delete out.nullable;
    return out;
  }
  delete out.nullable;
  if (out.type !== undefined) {
    out.type = [...new Set([...(Array.isArray(out.type) ? out.type : [out.type]), 'null'])];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

// "/api/accounts/{id}/quota" → a RegExp matching concrete paths of that template.
function templateRegExp(template) {
  const escaped = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${escaped}$`);
}

const pointer = (...parts) => '#/' + parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

// The validator of one OpenAPI document. check() returns a list of problems (empty when the response conforms).
export class ContractValidator {
  constructor(doc) {
    this.doc = doc;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv, ['date-time', 'email']);
    this.ajv.addFormat('password', true);
    this.ajv.addSchema(toJsonSchema(doc), 'openapi.json');
    this.compiled = new Map();
    // Literal templates first, so "/api/jobs/x" never shadows a literal sibling such as "/api/docs".
    this.templates = Object.keys(doc.paths || {})
      .map((t) => ({ template: t, re: templateRegExp(t), literal: !t.includes('{') }))
      .sort((a, b) => Number(b.literal) - Number(a.literal));
  }

  // The document path template a concrete path belongs to, or undefined.
  templateOf(path) {
    return this.templates.find((t) => t.re.test(path))?.template;
  }

  validator(ref) {
    let v = this.compiled.get(ref);
    if (!v) {
      v = this.ajv.compile({ $ref: `openapi.json${ref}` });
      this.compiled.set(ref, v);
    }
    return v;
  }

  // Problems of `body` (parsed JSON) against the schema at JSON pointer `ref` of the document.
  schemaProblems(ref, body) {
    const v = this.validator(ref);
    if (v(body)) return [];
    return v.errors.map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
  }

  // Checks one response: { method, path (query allowed), status, contentType, text }. Returns problem strings.
  check({ method, path, status, contentType, text }) {
    const bare = path.split('?')[0];
    const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
    const code = String(status);
    const media = (contentType || '').split(';')[0].trim().toLowerCase();
    const hasBody = method.toUpperCase() !== 'HEAD' && text !== undefined && text !== '';
    const errorRef = pointer('components', 'schemas', 'Error');
    const json = () => {
      try {
        return { value: JSON.parse(text) };
      } catch (e) {
        return { problem: `the body is not JSON (${e.message})` };
      }
    };
    const checkErrorBody = () => {
      if (!hasBody) return [];
      if (media !== 'application/json') return [`an error must be application/json, got "${contentType}"`];
      const parsed = json();
      return parsed.problem ? [parsed.problem] : this.schemaProblems(errorRef, parsed.value);
    };

    const template = this.templateOf(bare);
    const operation = template && METHODS.includes(m) ? this.doc.paths[template][m] : undefined;
    if (!operation) {
      // Not a documented operation: a static file, an unknown path, or a method the path does not have (405).
      return status >= 400 && media === 'application/json' ? checkErrorBody() : [];
    }
    const responses = operation.responses || {};
    let key = [code, `${code[0]}XX`, 'default'].find((k) => k in responses);
    if (!key) {
      if (GLOBAL_ERROR_STATUSES.includes(code)) return checkErrorBody();
      return [
        `status ${code} is not documented for ${m.toUpperCase()} ${template} (documented: ${Object.keys(responses).join(', ')})`,
      ];
    }
    let response = responses[key];
    let base = pointer('paths', template, m, 'responses', key);
    if (response.$ref) {
      base = response.$ref;
      response = base
        .slice(2)
        .split('/')
        .reduce((o, p) => o[p.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
    }
    if (!hasBody) return [];
    const content = response.content || {};
    if (!Object.keys(content).length)
      return [`status ${code} of ${m.toUpperCase()} ${template} documents no body, got ${text.length} bytes`];
    if (!(media in content)) {
      return [
        `${m.toUpperCase()} ${template} ${code} documents ${Object.keys(content).join(', ')}, got "${contentType}"`,
      ];
    }
    if (media !== 'application/json' || !content[media].schema) return [];
    const parsed = json();
    if (parsed.problem) return [parsed.problem];
    return this.schemaProblems(`${base}/content/${media.replace(/\//g, '~1')}/schema`, parsed.value);
  }

  // Throws an Error naming the method, path, status, the problems (ajv's error list) and the body when the
  // response does not conform.
  assertResponse(response) {
    const problems = this.check(response);
    if (!problems.length) return;
    const body = response.text && response.text.length > 2000 ? response.text.slice(0, 2000) + '…' : response.text;
    throw new Error(
      `response does not match docs/openapi.yaml: ${response.method} ${response.path} → ${response.status}\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        `\n  body: ${body}`,
    );
  }
}

let shared;
// The validator of docs/openapi.yaml, built once per test process.
export function contract() {
  shared ??= new ContractValidator(loadOpenApi());
  return shared;
}

// Platform.api's check: throws unless the response matches docs/openapi.yaml (see ContractValidator.check).
export function assertResponseMatchesContract(response) {
  contract().assertResponse(response);
}
