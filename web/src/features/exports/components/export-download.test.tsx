import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiError } from '@/test/fixtures';
import { renderApp } from '@/test/render';
import { server } from '@/test/server';
import { filenameOf } from '../api/download-export';

describe('export downloads', () => {
  let seen: URL[] = [];
  beforeEach(() => {
    seen = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() }));
    // jsdom cannot navigate: the link's click (the browser's save) is only recorded.
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('downloads the fleet from the dashboard as CSV with a BOM, or as JSON without one', async () => {
    server.use(
      http.get('/api/exports/fleet', ({ request }) => {
        seen.push(new URL(request.url));
        return new HttpResponse('account_id\r\n', {
          headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="fleet-1.csv"' },
        });
      }),
    );
    const user = userEvent.setup();
    renderApp('/');
    const group = await screen.findByRole('group', { name: 'Export' });
    await user.click(within(group).getByRole('checkbox', { name: 'with BOM for Excel' }));
    await user.click(within(group).getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]?.searchParams.get('format')).toBe('csv');
    expect(seen[0]?.searchParams.get('bom')).toBe('true');
    await user.selectOptions(within(group).getByLabelText('Export as'), 'json');
    expect(within(group).getByRole('checkbox', { name: 'with BOM for Excel' })).toBeDisabled();
    await user.click(within(group).getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]?.searchParams.get('format')).toBe('json');
    expect(seen[1]?.searchParams.get('bom')).toBeNull();
  });

  it("shows the server's error", async () => {
    server.use(
      http.get('/api/exports/fleet', () =>
        HttpResponse.json(apiError('validation_failed', 'region: unknown region', 'region'), { status: 422 }),
      ),
    );
    const user = userEvent.setup();
    renderApp('/');
    const group = await screen.findByRole('group', { name: 'Export' });
    await user.click(within(group).getByRole('button', { name: 'Download' }));
    expect(await within(group).findByRole('alert')).toHaveTextContent('region: unknown region');
  });

  it('reads the file name from Content-Disposition', () => {
    expect(filenameOf('attachment; filename="audit-log-20261206T150000Z.csv"', 'x')).toBe(
      'audit-log-20261206T150000Z.csv',
    );
    expect(filenameOf(null, 'fleet.csv')).toBe('fleet.csv');
  });
});
