// The response validator every integration test goes through (lib/contract.mjs, called by Platform.api) catches
// responses that break docs/openapi.yaml. No server needed: hand-made responses go through the same function.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { assertResponseMatchesContract, ContractValidator, toJsonSchema } from './lib/contract.mjs';

const JSON_TYPE = 'application/json';
const error = (code) => JSON.stringify({ error: { code, message: 'm', request_id: 'r1' } });
// A received response as Platform.api hands it to the validator.
const response = (method, path, status, text, contentType = JSON_TYPE) => ({ method, path, status, contentType, text });
const check = (method, path, status, text, contentType) =>
  assertResponseMatchesContract(response(method, path, status, text, contentType));

test('a conforming body and a documented error pass', () => {
  check('GET', '/health', 200, '{"status":"ok"}');
  check('HEAD', '/health', 200, '');
  check('GET', '/api/auth/me', 401, error('unauthenticated'));
  // 400/405/500/503 are allowed on every operation (the document's description), with the Error body.
  check('GET', '/health', 500, error('internal'));
  // Unknown paths and static files: only a JSON error body is checked.
  check('GET', '/api/nope?x=1', 404, error('not_found'));
  check('GET', '/index.html', 200, '<!doctype html>', 'text/html');
});

test('a body that does not match the schema fails with the path, the status and ajv errors', () => {
  assert.throws(
    () => check('GET', '/health', 200, '{"status":"sick"}'),
    (e) => {
      assert.match(e.message, /GET \/health → 200/);
      assert.match(e.message, /\/status must be equal to one of the allowed values/);
      return true;
    },
  );
});

test('an error body without request_id fails, on documented and undocumented paths', () => {
  const bad = JSON.stringify({ error: { code: 'not_found', message: 'm' } });
  for (const path of ['/api/accounts/123456789012', '/api/nope']) {
    assert.throws(() => check('GET', path, 404, bad), /must have required property 'request_id'/);
  }
});

test('an error code outside the enum fails', () => {
  assert.throws(
    () => check('GET', '/api/auth/me', 401, error('nope')),
    /\/error\/code must be equal to one of the allowed values/,
  );
});

test('an undocumented status fails naming the documented ones', () => {
  assert.throws(
    () => check('GET', '/health', 418, error('internal')),
    /status 418 is not documented for GET \/health \(documented: 200/,
  );
});

test('a media type the operation does not document fails', () => {
  assert.throws(
    () => check('GET', '/health', 200, 'ok', 'text/plain'),
    /documents application\/json, got "text\/plain"/,
  );
});

test('nullable becomes a null type, on typed and on $ref schemas', () => {
  assert.deepEqual(toJsonSchema({ type: 'string', nullable: true }), { type: ['string', 'null'] });
  assert.deepEqual(toJsonSchema({ type: 'string', enum: ['a'], nullable: true }), {
    type: ['string', 'null'],
    enum: ['a', null],
  });
  assert.deepEqual(toJsonSchema({ $ref: '#/x', nullable: true }), { anyOf: [{ $ref: '#/x' }, { type: 'null' }] });
  assert.deepEqual(toJsonSchema({ type: 'integer', nullable: false }), { type: 'integer' });
});

test('formats are checked: date-time and email; password takes any string', () => {
  const schema = {
    type: 'object',
    properties: {
      at: { type: 'string', format: 'date-time' },
      email: { type: 'string', format: 'email' },
      password: { type: 'string', format: 'password' },
    },
  };
  const doc = {
    openapi: '3.0.3',
    paths: { '/t': { get: { responses: { 200: { content: { [JSON_TYPE]: { schema } } } } } } },
  };
  const v = new ContractValidator(doc);
  const problems = (body) => v.check(response('GET', '/t', 200, JSON.stringify(body)));
  assert.deepEqual(problems({ at: '2026-01-31T08:36:04Z', email: 'a@example.com', password: 'x y' }), []);
  assert.match(problems({ at: 'yesterday' }).join('\n'), /\/at must match format "date-time"/);
  assert.match(problems({ email: 'not an address' }).join('\n'), /\/email must match format "email"/);
});
