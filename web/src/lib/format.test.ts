import { describe, expect, it } from 'vitest';
import { formatCompact, formatDateTime, formatDuration, formatFull, formatRelative, MISSING } from './format';

describe('formatCompact', () => {
  it('shortens large numbers for reading in English', () => {
    expect(formatCompact(1_500_000, 'en')).toBe('1.5M');
    expect(formatCompact(200_000, 'en')).toBe('200K');
    expect(formatCompact(2_000_000_000, 'en')).toBe('2B');
    expect(formatCompact(950, 'en')).toBe('950');
    expect(formatCompact(1_234, 'en')).toBe('1.2K');
  });

  it('uses Chinese units in Chinese', () => {
    expect(formatCompact(1_500_000, 'zh')).toBe('150万');
    expect(formatCompact(200_000, 'zh')).toBe('20万');
    expect(formatCompact(300_000_000, 'zh')).toBe('3亿');
  });

  it('shows a dash for a missing value, never 0', () => {
    expect(formatCompact(null, 'en')).toBe(MISSING);
    expect(formatCompact(undefined, 'zh')).toBe(MISSING);
    expect(formatCompact(Number.NaN, 'en')).toBe(MISSING);
    expect(MISSING).toBe('—');
  });

  it('keeps a real zero as 0', () => {
    expect(formatCompact(0, 'en')).toBe('0');
  });
});

describe('formatFull', () => {
  it('groups digits per locale', () => {
    expect(formatFull(1_500_000, 'en')).toBe('1,500,000');
    expect(formatFull(1_500_000, 'zh')).toBe('1,500,000');
    expect(formatFull(null, 'en')).toBe('—');
  });
});

describe('formatRelative', () => {
  const now = Date.parse('2026-01-02T12:00:00Z');
  it('says how long ago in the language', () => {
    expect(formatRelative('2026-01-02T09:00:00Z', 'en', now)).toBe('3 hours ago');
    expect(formatRelative('2026-01-02T09:00:00Z', 'zh', now)).toBe('3小时前');
    expect(formatRelative('2026-01-02T11:58:00Z', 'en', now)).toBe('2 minutes ago');
    expect(formatRelative('2025-12-30T12:00:00Z', 'en', now)).toBe('3 days ago');
  });
  it('shows a dash for no time or a bad one', () => {
    expect(formatRelative(null, 'en', now)).toBe('—');
    expect(formatRelative('not a time', 'en', now)).toBe('—');
  });
});

describe('formatDateTime and formatDuration', () => {
  it('formats a time or a dash', () => {
    expect(formatDateTime(null, 'en')).toBe('—');
    expect(formatDateTime('2026-01-02T12:00:00Z', 'en')).toMatch(/2026/);
  });
  it('formats seconds', () => {
    expect(formatDuration(65, 'en')).toBe('1 min 5 s');
    expect(formatDuration(65, 'zh')).toBe('1分5秒');
    expect(formatDuration(9, 'en')).toBe('9 s');
    expect(formatDuration(null, 'en')).toBe('—');
  });
});
