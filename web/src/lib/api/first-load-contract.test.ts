import { describe, expect, it } from 'vitest';
import { zError, zLoginResponse, zSessionState } from './contract';
import { ERROR_CODES, vError, vLoginResponse, vSessionState } from './first-load-contract';

const USER = {
  user_id: 'u-1',
  email: 'a@example.com',
  role: 'admin',
  teams: ['ml', 'team_2'],
  disabled: false,
  must_change_password: false,
  created_at: '2026-01-02T03:04:05Z',
  updated_at: '2026-01-02T03:04:05.123Z',
};

/** The hand check and the generated zod schema give the same verdict and, when valid, the same data. */
function agree(hand: typeof vSessionState | typeof vLoginResponse | typeof vError, zod: unknown, body: unknown) {
  const a = hand.safeParse(body);
  const b = (zod as typeof zSessionState).safeParse(body);
  expect({ body, success: a.success }).toEqual({ body, success: b.success });
  if (a.success && b.success) expect(a.data).toEqual(b.data);
  if (!a.success) expect(a.error.issues[0]?.message).toBeTruthy();
}

describe('the first load’s hand-checked contract', () => {
  it('knows exactly the generated error codes', () => {
    expect([...ERROR_CODES].sort()).toEqual([...zError.shape.error.shape.code.options].sort());
  });

  it('checks error bodies as zError does', () => {
    const ok = { error: { code: 'not_found', message: 'gone', request_id: 'r1' } };
    for (const body of [
      ok,
      { error: { ...ok.error, field: 'email' } },
      { error: { ...ok.error, extra: 1 }, more: true },
      { error: { ...ok.error, code: 'nope' } },
      { error: { ...ok.error, field: 3 } },
      { error: { code: 'csrf', message: 'x' } },
      { error: 'x' },
      [],
      null,
      undefined,
      'text',
    ])
      agree(vError, zError, body);
  });

  it('checks session states and login answers as the generated schemas do', () => {
    const users: unknown[] = [
      USER,
      { ...USER, created_at: null, updated_at: null, extra: 'dropped' },
      { ...USER, role: 'root' },
      { ...USER, teams: ['Bad Team'] },
      { ...USER, teams: 'ml' },
      { ...USER, disabled: 'no' },
      { ...USER, created_at: '2026-01-02 03:04:05' },
      { ...USER, created_at: '2026-01-02T03:04:05+01:00' },
      { ...USER, updated_at: undefined },
      { ...USER, email: undefined },
      [],
    ];
    for (const u of users) {
      agree(vSessionState, zSessionState, { user: u });
      agree(vLoginResponse, zLoginResponse, { token: 't', user: u, expires_at: '2026-02-01T00:00:00Z' });
    }
    for (const body of [{ user: null }, {}, { user: undefined }, null, []]) agree(vSessionState, zSessionState, body);
    for (const body of [
      { token: 't', user: USER, expires_at: null },
      { token: 1, user: USER, expires_at: null },
      { token: 't', user: null, expires_at: null },
      { token: 't', user: USER },
    ])
      agree(vLoginResponse, zLoginResponse, body);
  });

  it('names where a body is wrong', () => {
    const r = vSessionState.safeParse({ user: { ...USER, teams: ['ok', 'NO'] } });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]?.path).toEqual(['user', 'teams', 1]);
  });
});
