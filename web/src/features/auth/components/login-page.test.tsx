import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { adminUser, apiError } from '@/test/fixtures';

function loggedOut() {
  server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: null })));
}

async function fillAndSubmit(email = 'admin@example.com', password = 'secret-pass') {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('Email'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  return user;
}

describe('login page', () => {
  it('sends a logged-out visitor to the login page, remembering where they were', async () => {
    loggedOut();
    const { router } = renderApp('/accounts');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(router.state.location.search).toBe('?next=%2Faccounts');
  });

  it('says so when the email or password is wrong', async () => {
    loggedOut();
    server.use(
      http.post('/api/auth/login', () =>
        HttpResponse.json(apiError('unauthenticated', 'wrong email or password'), { status: 401 }),
      ),
    );
    renderApp('/login');
    await fillAndSubmit();
    expect(await screen.findByRole('alert')).toHaveTextContent('The email or password is wrong.');
  });

  it('tells a throttled user when to try again, from Retry-After', async () => {
    loggedOut();
    server.use(
      http.post('/api/auth/login', () =>
        HttpResponse.json(apiError('rate_limited', 'too many failed logins'), {
          status: 429,
          headers: { 'Retry-After': '30' },
        }),
      ),
    );
    renderApp('/login');
    await fillAndSubmit();
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 30 s.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  });

  it('logs in with the CSRF header and goes to the page asked for', async () => {
    let body: unknown;
    let csrf: string | null = null;
    let loggedIn = false;
    server.use(
      http.get('/api/auth/session', () =>
        loggedIn ? HttpResponse.json({ user: adminUser }) : HttpResponse.json({ user: null }),
      ),
      http.post('/api/auth/login', async ({ request }) => {
        body = await request.json();
        csrf = request.headers.get('X-Requested-With');
        loggedIn = true;
        return HttpResponse.json({ token: 't', user: adminUser, expires_at: '2026-01-01T12:00:00Z' });
      }),
    );
    const { router } = renderApp('/login?next=%2Faccounts');
    await fillAndSubmit();
    await waitFor(() => expect(router.state.location.pathname).toBe('/accounts'));
    expect(body).toEqual({ email: 'admin@example.com', password: 'secret-pass' });
    expect(csrf).toBe('account-platform');
    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
  });

  it('ignores a next parameter that leaves the app', async () => {
    server.use(
      http.post('/api/auth/login', () => HttpResponse.json({ token: 't', user: adminUser, expires_at: null })),
    );
    loggedOut();
    const { router } = renderApp('/login?next=%2F%2Fevil.example');
    await fillAndSubmit();
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
  });
});
