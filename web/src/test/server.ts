// MSW at the network level. Every test starts from handlers that act like today's server (the routes of the
// parallel issue answer 404 "no such API route"); a test adds or overrides handlers with server.use().
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { account, adminUser, apiError, dashboardStats, quotaRead } from './fixtures';

const noRoute = () => HttpResponse.json(apiError('not_found', 'no such API route'), { status: 404 });

export const defaultHandlers = [
  http.get('/api/auth/me', () => HttpResponse.json(adminUser)),
  http.post('/api/auth/logout', () => new HttpResponse(null, { status: 204 })),
  http.get('/api/dashboard/stats', () => HttpResponse.json(dashboardStats)),
  http.get('/api/accounts', () => HttpResponse.json({ items: [account()], total: 1, page: 1, page_size: 20 })),
  http.get('/api/accounts/:id', ({ params }) => HttpResponse.json(account({ account_id: String(params.id) }))),
  http.get('/api/accounts/:id/quota', ({ params, request }) =>
    HttpResponse.json(quotaRead(String(params.id), new URL(request.url).searchParams.get('region') ?? 'us-east-1')),
  ),
  http.get('/api/accounts/:id/billing', () =>
    HttpResponse.json(apiError('not_found', 'no contact information is stored'), { status: 404 }),
  ),
  http.get('/api/admin/users', () => HttpResponse.json({ items: [adminUser], total: 1 })),
  http.get('/api/admin/teams', () =>
    HttpResponse.json({ items: [{ team_id: 'ops', name: 'ops', created_at: null }], total: 1 }),
  ),
  http.get('/api/jobs', () => HttpResponse.json({ items: [] })),
  // Not on every server:
  http.options('/api/accounts/:id/quota/refresh', noRoute),
  http.post('/api/accounts/:id/quota/refresh', noRoute),
  http.get('/api/accounts/:id/quota/history', noRoute),
  http.options('/api/admin/quota/refresh-all', noRoute),
  http.get('/api/admin/available-models', noRoute),
];

export const server = setupServer(...defaultHandlers);
