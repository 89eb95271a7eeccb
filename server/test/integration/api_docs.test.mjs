// /api/docs: Swagger UI, built by the web app into <web-root>/api-docs/ and served from there (public), with the
// standard 404 error body when the server has no web root.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { startPlatform, makeTempDir, assertError, assertStatus } from './lib/platform.mjs';

describe('/api/docs with a web root', () => {
  let p;
  let webRoot;
  before(async () => {
    webRoot = await makeTempDir('ap-docs-web-');
    await mkdir(join(webRoot, 'api-docs'));
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(join(webRoot, 'api-docs', 'index.html'), '<!doctype html><title>docs</title>');
    await writeFile(join(webRoot, 'api-docs', 'swagger-ui.css'), 'body{}');
    p = await startPlatform({ args: ['--web-root', webRoot], sim: null });
  });
  after(async () => {
    await p?.stop();
    if (webRoot) await rm(webRoot, { recursive: true, force: true });
  });

  test('GET /api/docs and /api/docs/ answer the Swagger UI page without login', async () => {
    for (const path of ['/api/docs', '/api/docs/']) {
      const r = await p.api('GET', path);
      assertStatus(r, 200);
      assert.match(r.headers.get('content-type'), /^text\/html/);
      assert.equal(r.text, '<!doctype html><title>docs</title>');
      assert.match(r.headers.get('content-security-policy'), /script-src 'self'[;$]/);
    }
  });

  test('an asset is served from <web-root>/api-docs/', async () => {
    const r = await p.api('GET', '/api/docs/swagger-ui.css');
    assertStatus(r, 200);
    assert.match(r.headers.get('content-type'), /^text\/css/);
    assert.equal(r.text, 'body{}');
  });

  test('a missing file is 404 (no fallback to the web app), and writes are 405', async () => {
    assertError(await p.api('GET', '/api/docs/missing.js'), 404, 'not_found');
    assertError(await p.api('GET', '/api/docs/..%2findex.html'), 404, 'not_found');
    const post = await p.api('POST', '/api/docs', { body: {} });
    assertError(post, 405, 'method_not_allowed');
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });

  test('the API itself is unaffected: /api/docsx is an unknown API route', async () => {
    assertError(await p.api('GET', '/api/docsx'), 404, 'not_found', { message: 'no such API route' });
  });
});

test('/api/docs without a web root is 404 with the error body', async () => {
  const p = await startPlatform({ sim: null });
  try {
    assertError(await p.api('GET', '/api/docs'), 404, 'not_found');
    assertError(await p.api('GET', '/api/docs/swagger-ui.css'), 404, 'not_found');
  } finally {
    await p.stop();
  }
});
