// Issue 16 §4: the add-account form guides an assume-role account (the platform's principal, a generated external
// id, the policies to paste) and shows every field error of a submit at once.
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { apiError } from '@/test/fixtures';

describe('add account: onboarding and validation', () => {
  it('shows every field error of a submit at once, without sending it, and focuses the first', async () => {
    let sent = false;
    server.use(
      http.post('/api/accounts', () => {
        sent = true;
        return HttpResponse.json({}, { status: 500 });
      }),
    );
    const user = userEvent.setup({ delay: null });
    renderApp('/accounts/new');
    await user.type(await screen.findByLabelText('Account id'), '12345');
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    await waitFor(() => expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('Required.');
    expect(screen.getByLabelText('Account id')).toHaveAccessibleDescription(
      expect.stringContaining('Exactly 12 digits, or leave it empty.'),
    );
    expect(screen.getByLabelText('Access key id')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Secret access key')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Please correct the marked fields.')).toBeInTheDocument();
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    expect(sent).toBe(false);
  }, 60_000);

  it('shows the platform principal, a generated external id and the policies with both filled in', async () => {
    const user = userEvent.setup({ delay: null });
    renderApp('/accounts/new');
    await user.click(await screen.findByRole('radio', { name: 'Assume role' }));
    const externalId = screen.getByLabelText<HTMLInputElement>('External id').value;
    expect(externalId).toMatch(/^[0-9a-f]{32}$/);
    const panel = await screen.findByRole('region', { name: 'Set up the role in the member account' });
    expect(within(panel).getByTestId('platform-principal')).toHaveTextContent(
      'arn:aws:iam::111122223333:role/PlatformTask',
    );
    expect(within(panel).getByLabelText('Trust policy')).toHaveTextContent(externalId);
    await user.type(screen.getByLabelText('Role ARN'), 'arn:aws:iam::210987654321:role/Reader');
    expect(within(panel).getByLabelText('Permissions policy')).toHaveTextContent(
      'arn:aws:account::210987654321:account',
    );
    await user.clear(screen.getByLabelText('External id'));
    await user.type(screen.getByLabelText('External id'), 'my-own-id');
    expect(within(panel).getByLabelText('Trust policy')).toHaveTextContent('my-own-id');
  }, 60_000);

  it("turns STS AccessDenied into a hint about the trust policy and external id, with AWS's text", async () => {
    server.use(
      http.post('/api/accounts', () =>
        HttpResponse.json(
          apiError(
            'validation_failed',
            'credentials: AccessDenied: User arn:aws:iam::111122223333:role/PlatformTask is not authorized to perform: sts:AssumeRole',
            'credentials',
          ),
          { status: 422 },
        ),
      ),
    );
    const user = userEvent.setup({ delay: null });
    renderApp('/accounts/new');
    await user.type(await screen.findByLabelText('Name'), 'Member');
    await user.click(screen.getByRole('radio', { name: 'Assume role' }));
    await user.type(screen.getByLabelText('Role ARN'), 'arn:aws:iam::210987654321:role/Reader');
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    const group = await screen.findByRole('group', { name: 'Credentials' });
    const alert = await within(group).findByRole('alert');
    expect(alert).toHaveTextContent(
      'The platform could not assume the role: check the role’s trust policy (the platform’s principal) and the external id.',
    );
    expect(alert).toHaveTextContent('AWS said: AccessDenied: User arn:aws:iam::111122223333:role/PlatformTask');
  }, 60_000);
});
