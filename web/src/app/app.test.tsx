import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { apiError } from '@/test/fixtures';
import { LANGUAGE_STORAGE_KEY } from '@/lib/i18n';

describe('language switch', () => {
  it('switches every text to Chinese and back, and remembers the choice', async () => {
    const user = userEvent.setup();
    renderApp('/');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Dashboard' })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Fleet capacity' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '中文' }));
    expect(await screen.findByRole('navigation', { name: '主导航' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '仪表盘' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '账号' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '设置' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: '全局容量' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '退出登录' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '中文' })).toHaveAttribute('aria-pressed', 'true');
    // Numbers follow the language: 2,500,000 is 250万 in Chinese.
    expect(screen.getAllByText('250万').length).toBeGreaterThan(0);
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('zh');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(document.title).toBe('账号平台');

    await user.click(screen.getByRole('button', { name: 'English' }));
    expect(await screen.findByRole('link', { name: 'Dashboard' })).toBeInTheDocument();
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
  });

  it('is on the login page too', async () => {
    server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: null })));
    const user = userEvent.setup();
    renderApp('/login');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '中文' }));
    expect(await screen.findByRole('heading', { name: '登录' })).toBeInTheDocument();
    expect(screen.getByLabelText('邮箱')).toBeInTheDocument();
    expect(screen.getByLabelText('密码')).toBeInTheDocument();
  });
});

describe('app shell', () => {
  it('shows a 404 page for an unknown address', async () => {
    renderApp('/no/such/page');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the dashboard' })).toHaveAttribute('href', '/');
  });

  it('goes to the login page when a query answers 401 (session ended)', async () => {
    server.use(
      http.get('/api/dashboard/stats', () =>
        HttpResponse.json(apiError('unauthenticated', 'session expired'), { status: 401 }),
      ),
    );
    const { router } = renderApp('/');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
  });

  it('logs out', async () => {
    let loggedOut = false;
    server.use(
      http.post('/api/auth/logout', ({ request }) => {
        loggedOut = request.headers.get('X-Requested-With') === 'account-platform';
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { router } = renderApp('/');
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Log out' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(loggedOut).toBe(true);
  });
});
