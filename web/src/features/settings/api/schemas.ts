// The settings feature's contract types come from the generated contract (lib/api/contract.ts).
export type { ModelSpec, QuotaConfig, Team } from '@/lib/api/contract';
