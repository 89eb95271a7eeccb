import { describe, expect, it } from 'vitest';
import { asAuditOutcome, asRegions, zJob, zQuotaValue } from './contract';

describe('the generated contract', () => {
  it('keeps only the regions of the contract', () => {
    expect(asRegions(['us-east-1', 'mars-north-1', 'eu-west-1'])).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('reads an audit outcome of the contract, else nothing', () => {
    expect(asAuditOutcome('partial')).toBe('partial');
    expect(asAuditOutcome('')).toBeUndefined();
    expect(asAuditOutcome('done')).toBeUndefined();
  });

  it('has no room for shapes the server never sends', () => {
    const job = {
      job_id: 'j1',
      kind: 'quota_refresh_all',
      state: 'running',
      created_by: 'u_admin',
      team: null,
      region: null,
      created_at: '2026-01-02T00:00:00Z',
      updated_at: '2026-01-02T00:00:00Z',
      finished_at: null,
      total: 1,
      done: 0,
      failed: 0,
      eta_seconds: null,
    };
    expect(zJob.safeParse(job).success).toBe(true);
    expect(zJob.safeParse({ ...job, state: 'completed' }).success).toBe(false);
    const item = { account_id: '123456789012', region: 'us-east-1', values_ok: 0, values_failed: 0, error: null };
    expect(zJob.safeParse({ ...job, accounts: [{ ...item, outcome: 'ok', finished_at: null }] }).success).toBe(true);
    expect(zJob.safeParse({ ...job, accounts: [{ ...item, state: 'ok', finished_at: null }] }).success).toBe(false);
    const value = {
      value: null,
      quota_code: 'L-00000000',
      state: 'never',
      source: null,
      reason: null,
      read_at: null,
      attempted_at: null,
    };
    expect(zQuotaValue.safeParse(value).success).toBe(true);
    expect(zQuotaValue.safeParse({ ...value, state: 'failed' }).success).toBe(false);
  });
});
