// Sample bodies of the quota increase request routes (issue 14) for the msw fake, checked against the generated zod
// schemas like fixtures.ts.
import {
  zIncreasePreviewItem,
  zQuotaIncreaseRequest,
  type IncreasePreviewItem,
  type IncreaseStatus,
  type QuotaIncreaseRequest,
} from '@/lib/api/contract';
import { checked } from './fixtures';

/** A request sent from the platform for Sonnet's TPM in us-east-1, PENDING and open. */
export function increase(overrides: Partial<QuotaIncreaseRequest> = {}): QuotaIncreaseRequest {
  return checked(zQuotaIncreaseRequest, {
    request_id: 'qr_0001',
    account_id: '123456789012',
    region: 'us-east-1',
    quota_code: 'L-27C57EE8',
    quota_name: 'Cross-region model inference tokens per minute for Claude Sonnet 4.5 V1',
    model_id: 'claude-sonnet-4.5-v1',
    dimension: 'tpm',
    desired_value: 3_000_000,
    value_at_request: 1_500_000,
    reason: 'launch week',
    aws_request_id: 'aws-req-1',
    case_id: null,
    status: 'PENDING',
    open: true,
    source: 'platform',
    requested_by: 'u_admin',
    aws_created_at: '2026-01-02T00:00:00Z',
    aws_updated_at: null,
    created_at: '2026-01-02T00:00:00Z',
    checked_at: null,
    check_error: null,
    ...overrides,
  });
}

/** One request in each of AWS's 7 statuses (the closed ones not open; two made outside the platform). */
export function increasesOfEveryStatus(): QuotaIncreaseRequest[] {
  const statuses: IncreaseStatus[] = [
    'PENDING',
    'CASE_OPENED',
    'APPROVED',
    'DENIED',
    'CASE_CLOSED',
    'NOT_APPROVED',
    'INVALID_REQUEST',
  ];
  return statuses.map((status, i) =>
    increase({
      request_id: `qr_000${i + 1}`,
      status,
      open: status === 'PENDING' || status === 'CASE_OPENED',
      case_id: status === 'PENDING' ? null : `case-${i + 1}`,
      source: i >= 5 ? 'external' : 'platform',
      requested_by: i >= 5 ? null : 'u_admin',
      reason: i >= 5 ? null : 'launch week',
    }),
  );
}

/** A preview item that will send Sonnet's TPM increase to `desired`. */
export function previewItem(overrides: Partial<IncreasePreviewItem> = {}): IncreasePreviewItem {
  return checked(zIncreasePreviewItem, {
    account_id: '123456789012',
    account_name: 'Prod',
    region: 'us-east-1',
    quota_code: 'L-27C57EE8',
    quota_name: 'Cross-region model inference tokens per minute for Claude Sonnet 4.5 V1',
    current_value: 1_500_000,
    desired_value: 3_000_000,
    will_send: true,
    problem: null,
    request: { ServiceCode: 'bedrock', QuotaCode: 'L-27C57EE8', DesiredValue: 3_000_000, Region: 'us-east-1' },
    ...overrides,
  });
}
