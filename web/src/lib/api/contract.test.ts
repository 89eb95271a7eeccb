import { describe, expect, it } from 'vitest';
import { job, jobItem, value } from '@/test/fixtures';
import { asAuditOutcome, asRegions, zJob, zJobItem, zQuotaValue } from './contract';

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
    expect(zJob.safeParse({ ...job(), state: 'completed' }).success).toBe(false);
    expect(zJobItem.safeParse(jobItem({ outcome: 'ok', finished_at: null })).success).toBe(true);
    const { outcome: _, ...withoutOutcome } = jobItem();
    expect(zJobItem.safeParse({ ...withoutOutcome, state: 'ok' }).success).toBe(false);
    expect(zJobItem.safeParse({ ...jobItem(), outcome: 'done' }).success).toBe(false);
    expect(zQuotaValue.safeParse({ ...value(), state: 'failed' }).success).toBe(false);
    expect(zQuotaValue.safeParse({ ...value(), outcome: { status: 'error' } }).data).not.toHaveProperty('outcome');
  });
});
