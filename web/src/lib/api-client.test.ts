import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { server } from '@/test/server';
import { apiError } from '@/test/fixtures';
import { apiRequest, ApiError } from './api-client';

/** The error a request rejects with; fails the test when the request succeeds. */
async function rejection(request: Promise<unknown>): Promise<ApiError> {
  try {
    await request;
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected the request to fail');
}

describe('apiRequest', () => {
  it('sends the CSRF header on writes but not on reads, and validates the body', async () => {
    const seen: Record<string, string | null> = {};
    server.use(
      http.get('/api/thing', ({ request }) => {
        seen.get = request.headers.get('X-Requested-With');
        return HttpResponse.json({ n: 1 });
      }),
      http.post('/api/thing', async ({ request }) => {
        seen.post = request.headers.get('X-Requested-With');
        seen.body = await request.text();
        return HttpResponse.json({ n: 2 });
      }),
    );
    const schema = z.object({ n: z.number() });
    await expect(apiRequest('GET', '/api/thing', { schema })).resolves.toEqual({ n: 1 });
    await expect(apiRequest('POST', '/api/thing', { schema, body: { a: 1 } })).resolves.toEqual({ n: 2 });
    expect(seen.get).toBeNull();
    expect(seen.post).toBe('account-platform');
    expect(seen.body).toBe('{"a":1}');
  });

  it('throws one typed error with the server code, field and request id', async () => {
    server.use(
      http.post('/api/thing', () =>
        HttpResponse.json(apiError('validation_failed', 'regions[2]: unknown AWS region "x"', 'regions[2]'), {
          status: 422,
        }),
      ),
    );
    const err = await rejection(apiRequest('POST', '/api/thing'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 422,
      code: 'validation_failed',
      field: 'regions[2]',
      request_id: 'req-test-1',
    });
    expect(err.detail).toBe('unknown AWS region "x"');
  });

  it('reads Retry-After on 429', async () => {
    server.use(
      http.post('/api/thing', () =>
        HttpResponse.json(apiError('rate_limited', 'slow down'), { status: 429, headers: { 'Retry-After': '42' } }),
      ),
    );
    const err = await rejection(apiRequest('POST', '/api/thing'));
    expect(err.retryAfterSeconds).toBe(42);
  });

  it('rejects a body that does not match the schema', async () => {
    server.use(http.get('/api/thing', () => HttpResponse.json({ n: 'one' })));
    const err = await rejection(apiRequest('GET', '/api/thing', { schema: z.object({ n: z.number() }) }));
    expect(err).toMatchObject({ code: 'invalid_response', status: 200 });
  });

  it('drops empty query values', async () => {
    let url = '';
    server.use(
      http.get('/api/thing', ({ request }) => {
        url = request.url;
        return HttpResponse.json({});
      }),
    );
    await apiRequest('GET', '/api/thing', { query: { a: 'x', b: '', c: undefined, page: 2 } });
    expect(new URL(url).search).toBe('?a=x&page=2');
  });
});
