// The auth feature's contract types come from the generated contract (lib/api/contract.ts).
export type { User } from '@/lib/api/contract';
