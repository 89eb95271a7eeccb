import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { server } from '@/test/server';
import { renderApp } from '@/test/render';
import { job, jobItem } from '@/test/fixtures';

// Fleet jobs that also poll usage (issue 13): the start form's checkbox, the items' usage column, usage_failed.
describe('fleet refresh: usage', () => {
  function startJob(onBody: (b: unknown) => void) {
    server.use(
      http.post('/api/admin/quota/refresh-all', async ({ request }) => {
        onBody(await request.json());
        return HttpResponse.json({ job_id: 'j1', total: 2 }, { status: 202 });
      }),
    );
  }

  it('leaves usage to the server by default and turns it off when unticked', async () => {
    const bodies: unknown[] = [];
    startJob((b) => bodies.push(b));
    server.use(http.get('/api/jobs/:id', () => HttpResponse.json(job({ state: 'succeeded', done: 4, ok: 4 }))));
    const user = userEvent.setup();
    renderApp('/settings/fleet-refresh');
    const box = await screen.findByRole('checkbox', { name: 'Also poll usage from CloudWatch' });
    expect(box).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Refresh all accounts' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({ team: null, region: null });
    await user.click(box);
    expect(box).not.toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Refresh all accounts' }));
    await waitFor(() => expect(bodies).toHaveLength(2));
    expect(bodies[1]).toEqual({ team: null, region: null, include_usage: false });
  });

  it("shows each item's usage poll and the job's failed polls", async () => {
    server.use(
      http.get('/api/jobs', () =>
        HttpResponse.json({
          items: [job({ state: 'succeeded', total: 2, done: 2, ok: 2, include_usage: true, usage_failed: 1 })],
          next: null,
        }),
      ),
      http.get('/api/jobs/:id', () =>
        HttpResponse.json(job({ state: 'succeeded', total: 2, done: 2, ok: 2, include_usage: true, usage_failed: 1 })),
      ),
      http.get('/api/jobs/:id/items', () =>
        HttpResponse.json({
          items: [
            jobItem({ seq: 0, usage_state: 'ok' }),
            jobItem({
              seq: 1,
              account_id: '210987654321',
              usage_state: 'stale',
              usage_error: 'CloudWatch could not be reached',
            }),
          ],
          next: null,
        }),
      ),
    );
    const user = userEvent.setup();
    renderApp('/settings/fleet-refresh');
    await user.click(await screen.findByRole('button', { name: 'Show' }));
    const followed = await screen.findByTestId('fleet-job');
    expect(within(followed).getByText('Usage: 1 poll failed (stale)')).toHaveClass('text-error');
    const items = await screen.findByRole('table', { name: 'Accounts of the job' });
    expect(within(items).getByRole('columnheader', { name: 'Usage' })).toBeInTheDocument();
    expect(within(items).getByText('Polled')).toHaveClass('badge--ok');
    expect(within(items).getByText('Stale')).toHaveClass('badge--warn');
    expect(within(items).getByText('CloudWatch could not be reached')).toBeInTheDocument();
  });

  it('has no usage column for a job that does not poll usage', async () => {
    server.use(
      http.get('/api/jobs', () =>
        HttpResponse.json({ items: [job({ state: 'succeeded', done: 4, ok: 4 })], next: null }),
      ),
      http.get('/api/jobs/:id', () => HttpResponse.json(job({ state: 'succeeded', done: 4, ok: 4 }))),
      http.get('/api/jobs/:id/items', () => HttpResponse.json({ items: [jobItem()], next: null })),
    );
    const user = userEvent.setup();
    renderApp('/settings/fleet-refresh');
    await user.click(await screen.findByRole('button', { name: 'Show' }));
    const items = await screen.findByRole('table', { name: 'Accounts of the job' });
    expect(within(items).queryByRole('columnheader', { name: 'Usage' })).not.toBeInTheDocument();
    expect(screen.queryByText(/poll failed/)).not.toBeInTheDocument();
  });
});
