// Issue 16 §6: changing one's password, a forced reset, where a login lands, error codes in words.
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from 'i18next';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { adminUser, apiError, normalUser } from '@/test/fixtures';
import { ApiError } from '@/lib/api-client';
import { awsCodeOf, errorSummary } from '@/lib/errors';
import { landingFor } from '../landing';

describe('change password', () => {
  it('shows every field error at once, then sends the change and confirms it', async () => {
    let body: unknown;
    server.use(
      http.post('/api/auth/password', async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(adminUser);
      }),
    );
    renderApp('/account/password');
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Change password' }));
    expect(screen.getByText('Enter your current password.')).toBeInTheDocument();
    expect(screen.getByText('At least 8 characters.', { selector: '.field__error' })).toBeInTheDocument();
    // The focus lands on the first marked field, not on <body>.
    expect(document.activeElement).toBe(screen.getByLabelText('Current password'));

    await user.type(screen.getByLabelText('Current password'), 'old-password');
    await user.type(screen.getByLabelText('New password'), 'new-password-1');
    await user.type(screen.getByLabelText('Repeat the new password'), 'new-password-1');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('Password changed. Your other sessions have ended.')).toBeInTheDocument();
    expect(body).toEqual({ current_password: 'old-password', new_password: 'new-password-1' });
  }, 60_000);

  it('says a wrong current password in words', async () => {
    server.use(
      http.post('/api/auth/password', () =>
        HttpResponse.json(
          apiError('validation_failed', 'current_password: is not your current password', 'current_password'),
          {
            status: 422,
          },
        ),
      ),
    );
    renderApp('/account/password');
    const user = userEvent.setup({ delay: null });
    await user.type(await screen.findByLabelText('Current password'), 'wrong-password');
    await user.type(screen.getByLabelText('New password'), 'new-password-1');
    await user.type(screen.getByLabelText('Repeat the new password'), 'new-password-1');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('This is not your current password.')).toBeInTheDocument();
  }, 60_000);

  it('shows only the new-password form under a forced reset, then the page asked for', async () => {
    let changed = false;
    server.use(
      http.get('/api/auth/session', () =>
        HttpResponse.json({ user: { ...normalUser, must_change_password: !changed } }),
      ),
      http.post('/api/auth/password', () => {
        changed = true;
        return HttpResponse.json({ ...normalUser, must_change_password: false });
      }),
    );
    renderApp('/accounts');
    expect(await screen.findByRole('heading', { name: 'Set a new password' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
    const user = userEvent.setup({ delay: null });
    await user.type(screen.getByLabelText('Current password'), 'user-password');
    await user.type(screen.getByLabelText('New password'), 'new-password-1');
    await user.type(screen.getByLabelText('Repeat the new password'), 'new-password-1');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
  });
});

describe('where a login lands', () => {
  it('keeps a page the user may see and drops an admin page for a user', () => {
    expect(landingFor('/accounts', 'user')).toBe('/accounts');
    expect(landingFor('/settings/users', 'user')).toBe('/');
    expect(landingFor('/accounts/new', 'user')).toBe('/');
    expect(landingFor('/settings/users', 'admin')).toBe('/settings/users');
    expect(landingFor('//evil.example', 'admin')).toBe('/');
  });

  it('sends a user who logs in on an admin page to the dashboard, not a 403', async () => {
    let loggedIn = false;
    server.use(
      http.get('/api/auth/session', () => HttpResponse.json({ user: loggedIn ? normalUser : null })),
      http.post('/api/auth/login', () => {
        loggedIn = true;
        return HttpResponse.json({ token: 't', user: normalUser, expires_at: null });
      }),
    );
    const { router } = renderApp('/login?next=%2Fsettings%2Fusers');
    const user = userEvent.setup({ delay: null });
    await user.type(await screen.findByLabelText('Email'), 'user@example.com');
    await user.type(screen.getByLabelText('Password'), 'user-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(screen.queryByText('Access denied')).not.toBeInTheDocument();
  });
});

describe('errors in the user language', () => {
  const accessDenied = new ApiError({
    status: 422,
    code: 'validation_failed',
    message:
      'credentials: AccessDenied: User arn:aws:sts::1:assumed-role/X/s is not authorized to perform sts:AssumeRole',
    field: 'credentials',
  });

  it('finds the AWS code after a field prefix', () => {
    expect(awsCodeOf(accessDenied.message)).toBe('AccessDenied');
    expect(awsCodeOf('ThrottlingException: Rate exceeded')).toBe('ThrottlingException');
    expect(awsCodeOf('nothing here')).toBeNull();
  });

  it('maps error codes and AWS codes to words in en and zh', async () => {
    const csrf = new ApiError({ status: 403, code: 'csrf', message: 'cookie-authenticated writes need the header' });
    renderApp('/accounts'); // loads the texts
    await screen.findByRole('heading', { name: 'Accounts' });
    const t = i18n.getFixedT('en');
    expect(errorSummary(t, accessDenied)).toBe('AWS denied access: check the role’s trust policy and external id.');
    expect(errorSummary(t, csrf)).toBe('The request was refused for your safety. Reload the page and try again.');
    await act(async () => {
      await i18n.changeLanguage('zh');
    });
    const zh = i18n.getFixedT('zh');
    await waitFor(() => expect(zh('basics.codes.csrf')).not.toBe('basics.codes.csrf'));
    expect(errorSummary(zh, accessDenied)).toBe('AWS 拒绝访问：请检查角色的信任策略和外部 ID。');
    await act(async () => {
      await i18n.changeLanguage('en');
    });
  });
});
