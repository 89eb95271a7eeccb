import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { apiError, normalUser } from '@/test/fixtures';

const YAML = 'model_list:\n  - model_name: "claude-sonnet-4.5-v1"\n# end of export\n';

async function openDialog() {
  renderApp('/');
  await userEvent.click(await screen.findByRole('link', { name: 'LiteLLM config' }));
  return screen.findByRole('region', { name: 'LiteLLM routing config' });
}

// The browser's download: the anchor the page clicks (jsdom cannot navigate), with its file name.
const downloads: string[] = [];
beforeEach(() => {
  downloads.length = 0;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push(this.download);
  });
});

describe('LiteLLM config export (/exports/litellm, linked from the dashboard)', () => {
  it('downloads the YAML for the chosen models with the safety factor and headroom toggle', async () => {
    let url: URL | undefined;
    server.use(
      http.get('/api/exports/litellm', ({ request }) => {
        url = new URL(request.url);
        return new HttpResponse(YAML, { headers: { 'Content-Type': 'application/yaml; charset=utf-8' } });
      }),
    );
    const dialog = await openDialog();
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /Claude Opus 4.5/ }));
    const factor = within(dialog).getByLabelText('Safety factor');
    await userEvent.clear(factor);
    await userEvent.type(factor, '0.8');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Use the 24-hour headroom' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Download YAML' }));
    expect(await within(dialog).findByRole('status')).toHaveTextContent('Saved litellm-config.yaml.');
    expect(url?.searchParams.get('model_id')).toBe('claude-sonnet-4.5-v1');
    expect(url?.searchParams.get('safety_factor')).toBe('0.8');
    expect(url?.searchParams.get('use_headroom')).toBe('true');
    expect(url?.searchParams.get('format')).toBe('yaml');
    expect(downloads).toEqual(['litellm-config.yaml']);
  });

  it("refuses a safety factor above 1 before asking the server, and shows the server's errors", async () => {
    server.use(
      http.get('/api/exports/litellm', () =>
        HttpResponse.json(apiError('validation_failed', 'model_id: no model x', 'model_id'), { status: 422 }),
      ),
    );
    const dialog = await openDialog();
    const factor = within(dialog).getByLabelText('Safety factor');
    await userEvent.clear(factor);
    await userEvent.type(factor, '1.5');
    expect(within(dialog).getByText('Enter a number greater than 0 and at most 1.')).toBeInTheDocument();
    await userEvent.clear(factor);
    await userEvent.type(factor, '0.5');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Download .env template' }));
    expect(await within(dialog).findByText(/no model x/)).toBeInTheDocument();
  });

  it('admins download the variant with credentials only after confirming', async () => {
    let body: unknown;
    server.use(
      http.post('/api/admin/exports/litellm-with-secrets', async ({ request }) => {
        body = await request.json();
        return new HttpResponse('# WARNING\n' + YAML, { headers: { 'Content-Type': 'application/yaml' } });
      }),
    );
    const dialog = await openDialog();
    await userEvent.click(within(dialog).getByRole('button', { name: 'With credentials…' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Download with credentials?' });
    expect(body).toBeUndefined();
    await userEvent.click(within(confirm).getByRole('button', { name: 'Download with credentials' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Saved litellm-config.yaml.');
    expect(body).toMatchObject({ model_ids: ['claude-sonnet-4.5-v1', 'claude-opus-4.5'], format: 'yaml' });
  });

  it('users get no credentials button', async () => {
    server.use(http.get('/api/auth/session', () => HttpResponse.json({ user: normalUser })));
    const dialog = await openDialog();
    expect(within(dialog).getByRole('button', { name: 'Download YAML' })).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'With credentials…' })).not.toBeInTheDocument();
  });
});
