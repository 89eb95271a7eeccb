// Token-bucket rate limiting per (account, region, operation), as AWS applies API request rates.
//
// Defaults: Service Quotas as published in "Service quotas for Service Quotas" (API request rates);
// the Account Management API from "Quotas for AWS Account Management"; STS 600 requests/s per account;
// CloudWatch from "CloudWatch service quotas" (GetMetricData 50 TPS; ListMetrics 25 TPS, to be re-checked there),
// per account and region.
// burst = bucket size (requests that may arrive at once), rate = refill per second.

export const DEFAULT_LIMITS = {
  // Service Quotas
  GetServiceQuota: { rate: 5, burst: 5 },
  GetAWSDefaultServiceQuota: { rate: 5, burst: 5 },
  ListServiceQuotas: { rate: 10, burst: 10 },
  ListAWSDefaultServiceQuotas: { rate: 10, burst: 10 },
  RequestServiceQuotaIncrease: { rate: 3, burst: 3 },
  ListRequestedServiceQuotaChangeHistoryByQuota: { rate: 5, burst: 5 },
  ListRequestedServiceQuotaChangeHistory: { rate: 5, burst: 5 },
  GetRequestedServiceQuotaChange: { rate: 5, burst: 5 },
  ListServices: { rate: 10, burst: 10 },
  // STS
  GetCallerIdentity: { rate: 600, burst: 600 },
  AssumeRole: { rate: 600, burst: 600 },
  // Account Management
  GetContactInformation: { rate: 10, burst: 15 },
  PutContactInformation: { rate: 5, burst: 8 },
  // CloudWatch
  GetMetricData: { rate: 50, burst: 50 },
  ListMetrics: { rate: 25, burst: 25 },
  // AWS Organizations: AWS publishes no per-operation rates (it throttles with TooManyRequestsException); these are
  // the simulator's choice, and the same figures the platform's client-side limiter uses.
  DescribeOrganization: { rate: 5, burst: 10 },
  ListAccounts: { rate: 5, burst: 10 },
  ListRoots: { rate: 5, burst: 10 },
  ListOrganizationalUnitsForParent: { rate: 5, burst: 10 },
  ListAccountsForParent: { rate: 5, burst: 10 },
  DescribeOrganizationalUnit: { rate: 5, burst: 10 },
  ListParents: { rate: 5, burst: 10 },
};

export class RateLimiter {
  constructor({ enabled = true, limits = {}, clock = () => performance.now() } = {}) {
    this.enabled = enabled;
    this.clock = clock;
    this.limits = structuredClone(DEFAULT_LIMITS);
    this.buckets = new Map();
    this.setLimits(limits);
  }

  /** limits: {Operation: {rate, burst?} | number (rate; burst = rate)}. */
  setLimits(limits) {
    for (const [op, v] of Object.entries(limits ?? {})) {
      const spec = typeof v === 'number' ? { rate: v, burst: v } : v;
      const rate = Number(spec.rate);
      const burst = Number(spec.burst ?? spec.rate);
      if (!(rate > 0) || !(burst >= 1)) throw new Error(`invalid rate limit for ${op}: need rate > 0, burst >= 1`);
      this.limits[op] = { rate, burst };
    }
    this.buckets.clear();
  }

  reset() {
    this.limits = structuredClone(DEFAULT_LIMITS);
    this.buckets.clear();
  }

  view() {
    return { enabled: this.enabled, limits: this.limits };
  }

  /** Takes one token; false when the request must be throttled. */
  take(accountId, region, operation) {
    if (!this.enabled) return true;
    const limit = this.limits[operation];
    if (!limit) return true;
    const key = `${accountId}|${region}|${operation}`;
    const now = this.clock();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: limit.burst, last: now };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(limit.burst, b.tokens + ((now - b.last) / 1000) * limit.rate);
      b.last = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }
}
