// The quota feature's contract types come from the generated contract (lib/api/contract.ts).
export { DIMENSIONS } from '@/lib/api/contract';
export type { Dimension, ModelQuota, QuotaRead, QuotaState, QuotaValue } from '@/lib/api/contract';
