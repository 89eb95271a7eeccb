// End-to-end steps of issue 16 §4 and §6 (en and zh): an admin forces a user's password reset, the user's next login
// shows only "Set a new password" and then the page asked for; changing one's own password; a user logging in on an
// admin page lands on the dashboard, not a 403; the add-account form shows the platform's principal, a generated
// external id and the policies, and every field error of a submit at once.
// Registered by run.mjs with its server and admin browser.
import { launchBrowser, test } from './harness.mjs';

const CSRF = { 'X-Requested-With': 'account-platform' };

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/** Registers the steps; `ctx()` gives run.mjs's { server, admin, setLanguage } once started. */
export function registerBasicsTests(ctx, shot) {
  test('a forced password reset: the next login only sets a new password, then the page asked for (en, zh)', async () => {
    const { server, admin, setLanguage } = ctx();
    const api = async (method, path, data) => {
      const r = await admin.page.request.fetch(`${server.baseUrl}${path}`, { method, headers: CSRF, data });
      return { status: r.status(), json: await r.json().catch(() => null) };
    };
    const made = await api('POST', '/api/admin/users', {
      email: 'reset-me@example.com',
      password: 'first-password-1',
      role: 'user',
    });
    expect(made.status === 201, `user: ${made.status}`);

    // The admin forces the reset from the users page.
    const { page } = admin;
    await page.goto(`${server.baseUrl}/settings/users`);
    await page.getByRole('button', { name: 'Force password reset for reset-me@example.com' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByRole('button', { name: 'Force password reset' }).click();
    await dialog.getByText('reset-me@example.com must set a new password at their next login.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await page
      .getByRole('row')
      .filter({ hasText: 'reset-me@example.com' })
      .getByText('must set a new password')
      .waitFor();
    // Focus went back into the page, not to <body>.
    expect(await page.evaluate(() => document.activeElement !== document.body), 'focus returned into the page');

    // The user, in Chinese, opens an account page: login, then only the new-password form.
    const user = await launchBrowser({ locale: 'zh-CN' });
    await user.page.goto(`${server.baseUrl}/accounts`);
    await user.page.getByLabel('邮箱').fill('reset-me@example.com');
    await user.page.getByLabel('密码', { exact: true }).fill('first-password-1');
    await user.page.getByRole('button', { name: '登录' }).click();
    await user.page.getByRole('heading', { name: '设置新密码' }).waitFor();
    expect((await user.page.getByRole('navigation').count()) === 0, 'no navigation under a forced reset');
    await shot(user.page, 'zh-forced-password-reset');
    await user.page.getByLabel('当前密码').fill('first-password-1');
    await user.page.getByLabel('新密码', { exact: true }).fill('second-password-2');
    await user.page.getByLabel('再次输入新密码').fill('second-password-2');
    await user.page.getByRole('button', { name: '修改密码' }).click();
    await user.page.getByRole('heading', { name: '账号', exact: true }).waitFor();

    // In English: change it again from the header link; a wrong current password is said in words.
    await setLanguage(user.page, 'en');
    await user.page.getByRole('link', { name: 'Change password' }).click();
    await user.page.getByRole('heading', { name: 'Change your password' }).waitFor();
    await user.page.getByLabel('Current password').fill('not-my-password');
    await user.page.getByLabel('New password', { exact: true }).fill('third-password-3');
    await user.page.getByLabel('Repeat the new password').fill('third-password-3');
    await user.page.getByRole('button', { name: 'Change password' }).click();
    await user.page.getByText('This is not your current password.').waitFor();
    expect(
      await user.page.evaluate(() => document.activeElement?.getAttribute('name') === 'current_password'),
      'the focus is on the field to fix',
    );
    await user.page.getByLabel('Current password').fill('second-password-2');
    await user.page.getByRole('button', { name: 'Change password' }).click();
    await user.page.getByText('Password changed. Your other sessions have ended.').waitFor();
    await shot(user.page, 'en-password-changed');

    // Logged out, then in again with ?next= of an admin page: the dashboard, not a 403.
    await user.page.getByRole('button', { name: 'Log out' }).click();
    await user.page.goto(`${server.baseUrl}/login?next=%2Fsettings%2Fusers`);
    await user.page.getByLabel('Email').fill('reset-me@example.com');
    await user.page.getByLabel('Password').fill('third-password-3');
    await user.page.getByRole('button', { name: 'Sign in' }).click();
    await user.page.getByRole('navigation', { name: 'Main' }).waitFor();
    await user.page.waitForURL(`${server.baseUrl}/`);
    expect((await user.page.getByText('Access denied').count()) === 0, 'no 403 after login');
    await user.context.close();
  });

  test('add account: the platform principal, a generated external id, the policies and every field error at once (en, zh)', async () => {
    const { server, admin, setLanguage } = ctx();
    const { page } = admin;
    await page.goto(`${server.baseUrl}/accounts/new`);
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByLabel('Name').and(page.locator('[aria-invalid="true"]')).waitFor();
    expect((await page.locator('[aria-invalid="true"]').count()) >= 3, 'name, access key id and secret at once');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name') === 'account_name'), 'focus on Name');

    await page.getByRole('radio', { name: 'Assume role' }).click();
    const externalId = await page.getByLabel('External id').inputValue();
    expect(/^[0-9a-f]{32}$/.test(externalId), `generated external id: ${externalId}`);
    const panel = page.getByRole('region', { name: 'Set up the role in the member account' });
    await panel.getByLabel('Trust policy', { exact: true }).waitFor();
    const trust = await panel.getByLabel('Trust policy', { exact: true }).textContent();
    expect(trust.includes(externalId), 'the trust policy names the external id');
    if ((await panel.getByTestId('platform-principal').count()) > 0) {
      const principal = await panel.getByTestId('platform-principal').textContent();
      expect(/^arn:aws:(iam|sts)::\d{12}:/.test(principal ?? ''), `principal: ${principal}`);
      expect(trust.includes(principal), 'the trust policy names the principal');
    } else {
      // The harness's server may run without an AWS identity of its own: the form says so and keeps the placeholder.
      await panel.getByText(/The platform’s AWS identity could not be read/).waitFor();
      expect(trust.includes('${PlatformRoleArn}'), 'the placeholder stays');
    }
    await page.getByLabel('Role ARN').fill('arn:aws:iam::210987654321:role/Reader');
    expect(
      (await panel.getByLabel('Permissions policy', { exact: true }).textContent()).includes('210987654321'),
      'the member account',
    );
    await shot(page, 'en-add-account-onboarding');
    await setLanguage(page, 'zh');
    try {
      await page
        .getByRole('region', { name: '在成员账号中设置角色' })
        .getByRole('heading', { name: '信任策略' })
        .waitFor();
      await shot(page, 'zh-add-account-onboarding');
    } finally {
      await setLanguage(page, 'en');
    }
  });
}
