import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../api/schemas';
import { rebaseModels } from './config-conflict';

const spec = (id: string, over: Partial<ModelSpec> = {}): ModelSpec => ({
  model_id: id,
  display_name: id,
  quota_code_tpm: null,
  quota_code_rpm: null,
  enabled: true,
  show_in_dashboard: false,
  has_1m_context: false,
  quota_code_tpm_1m: null,
  quota_code_rpm_1m: null,
  output_token_burndown: 1,
  ...over,
});

describe('re-applying my edit on the newer version', () => {
  it('keeps their changes and applies mine field by field', () => {
    const base = [spec('a'), spec('b'), spec('c')];
    const mine = [spec('a', { show_in_dashboard: true }), spec('b'), spec('new')]; // toggled a, removed c, added new
    const latest = [spec('a', { output_token_burndown: 5 }), spec('b', { enabled: false }), spec('c'), spec('theirs')];
    const merged = rebaseModels(base, mine, latest);
    expect(merged.map((m) => m.model_id)).toEqual(['a', 'b', 'theirs', 'new']);
    expect(merged[0]).toMatchObject({ show_in_dashboard: true, output_token_burndown: 5 });
    expect(merged[1]).toMatchObject({ enabled: false });
  });
});
