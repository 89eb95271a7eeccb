// An msw fake of the server for unit tests, shaped by the contract: every default handler answers a body of
// docs/openapi.yaml's schema for its route (fixtures.ts checks them with the generated zod schemas). It is not the
// server: it keeps no state and checks no rights; a test adds or overrides handlers with server.use().
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { zRegion } from '@/lib/api/contract';
import {
  account,
  adminUser,
  availableModels,
  dashboardStats,
  headroomPage,
  quotaRead,
  refreshed,
  usageHistory,
  usagePollReport,
} from './fixtures';

const regionOf = (request: Request) => zRegion.parse(new URL(request.url).searchParams.get('region') ?? 'us-east-1');

export const defaultHandlers = [
  http.get('/api/auth/session', () => HttpResponse.json({ user: adminUser })),
  http.post('/api/auth/logout', () => new HttpResponse(null, { status: 204 })),
  http.get('/api/dashboard/stats', () => HttpResponse.json(dashboardStats)),
  http.get('/api/accounts', () => HttpResponse.json({ items: [account()], next: null, page_size: 20, total: 1 })),
  http.get('/api/accounts/:id', ({ params }) => HttpResponse.json(account({ account_id: String(params.id) }))),
  http.get('/api/accounts/:id/quota', ({ params, request }) =>
    HttpResponse.json(quotaRead(String(params.id), regionOf(request))),
  ),
  http.post('/api/accounts/:id/quota/refresh', ({ params, request }) =>
    HttpResponse.json(refreshed(String(params.id), regionOf(request))),
  ),
  http.get('/api/accounts/:id/quota/history', ({ params, request }) =>
    HttpResponse.json({
      account_id: String(params.id),
      region: regionOf(request),
      model_id: new URL(request.url).searchParams.get('model_id'),
      items: [],
      next: null,
    }),
  ),
  http.get('/api/accounts/:id/usage/history', ({ params }) => HttpResponse.json(usageHistory([], String(params.id)))),
  http.post('/api/accounts/:id/usage/refresh', ({ params }) =>
    HttpResponse.json({
      account_id: String(params.id),
      regions: [usagePollReport({ account_id: String(params.id) })],
    }),
  ),
  http.get('/api/usage/headroom', () => HttpResponse.json(headroomPage([]))),
  // None stored: 204, an empty state (not a 404).
  http.get('/api/accounts/:id/billing', () => new HttpResponse(null, { status: 204 })),
  http.get('/api/admin/onboarding/assume-role', () =>
    HttpResponse.json({
      platform_principal: {
        account: '111122223333',
        arn: 'arn:aws:sts::111122223333:assumed-role/PlatformTask/i-1',
        principal_arn: 'arn:aws:iam::111122223333:role/PlatformTask',
      },
      principal_error: null,
      role_name: 'AccountPlatformQuotaReader',
      trust_policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:role/PlatformTask' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': '${ExternalId}' } },
          },
        ],
      },
      permissions_policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['account:GetContactInformation'],
            Resource: 'arn:aws:account::${Account}:account',
          },
        ],
      },
      increase_requests_policy: null,
    }),
  ),
  http.get('/api/admin/users', () => HttpResponse.json({ items: [adminUser], next: null, total: 1, page_size: 50 })),
  http.get('/api/admin/teams', () =>
    HttpResponse.json({ items: [{ team_id: 'ops', name: 'ops', created_at: null }], total: 1 }),
  ),
  http.get('/api/jobs', () => HttpResponse.json({ items: [], next: null })),
  http.get('/api/jobs/:id/items', () => HttpResponse.json({ items: [], next: null })),
  http.get('/api/admin/available-models', () => HttpResponse.json(availableModels())),
  // The navigation's firing-alerts badge (admins) reads this on every page.
  http.get('/api/alerts', () => HttpResponse.json({ items: [], next: null })),
  // The account page's increase requests (issue 14): none, and the caller may request (admins).
  http.get('/api/accounts/:id/quota-increases', () => HttpResponse.json({ items: [], next: null, may_request: true })),
];

export const server = setupServer(...defaultHandlers);
