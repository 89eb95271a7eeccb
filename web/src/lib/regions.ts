// The AWS regions the server accepts (the contract's Region, docs/openapi.yaml), the US ones first in the picker.
import { zRegion, type Region } from '@/lib/api/contract';

const isUs = (r: Region) => r.startsWith('us-');

export const KNOWN_REGIONS: readonly Region[] = [
  ...zRegion.options.filter(isUs),
  ...zRegion.options.filter((r) => !isUs(r)),
];
