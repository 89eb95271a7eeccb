// QuotaRefresher: reads one account's quotas in one region from AWS Service Quotas and merges them into the
// cache without ever losing data.
//
// For every enabled model it reads each configured code (TPM, RPM, 1M TPM, 1M RPM) with GetServiceQuota,
// concurrently on the worker pool (the AWS client's own rate limits keep the calls within AWS's API rates).
// Where AWS has no applied value (NotFound) it reads GetAWSDefaultServiceQuota and records that the value is
// AWS's default. Results are merged with domain::MergeReadResults: failures keep the last good value as stale
// (or error when none was ever read), never 0. If not a single value could be read, the cache is left
// unchanged. Value changes are recorded in the quota history; a quota that AWS raised or lowered is also an
// audit event of the system. Every refresh is audited with its outcome.
//
// Concurrent refreshes of one (account, region) coalesce: later callers wait for the running refresh and get
// its report (single flight), so N requests cause one set of AWS calls.
//
// Thread safety: safe from any thread. RefreshAsync never blocks; Refresh blocks (not on a pool thread).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "aws/clients.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "common/mutex.h"
#include "common/thread_pool.h"
#include "common/timer_queue.h"
#include "domain/quota_config.h"
#include "service/account_credentials.h"
#include "service/account_service.h"
#include "service/audit_service.h"
#include "service/quota_config_service.h"
#include "service/quota_service.h"
#include "store/store.h"

namespace ap::service {

struct RefreshOptions {
  std::string service_code = "bedrock";  // the Service Quotas service the codes belong to
  MetricsRegistry* metrics = nullptr;    // refresh durations and outcomes; null = none
  // Pacing of one account's GetServiceQuota calls: the first `pace_burst` at once, then `pace_rate` per second
  // (AWS allows 5/s with a burst of 5; the AWS client's limiter refills at 90% of that). Calls wait on
  // `timers`, not on a worker thread, so that a fleet refresh keeps every worker busy with real calls. The AWS
  // client's rate limiter still enforces the limit; this only keeps its waits short. null timers: no pacing.
  TimerQueue* timers = nullptr;
  double pace_rate = 4.5;
  int pace_burst = 5;
};

// The outcome of one value of one refresh.
struct ValueOutcome {
  std::string model_id;
  domain::QuotaDimension dimension;
  std::string quota_code;
  bool ok = false;
  std::optional<double> value;  // when ok
  bool is_default = false;      // when ok: AWS's default (no applied value)
  std::string error;            // when !ok: "<AwsCode>: <message>"
};

struct RefreshReport {
  std::string account_id;
  std::string region;
  int64_t started_at_ms = 0;
  int64_t finished_at_ms = 0;
  std::vector<ValueOutcome> values;  // one per (model, dimension) with a configured code, in config order
  int64_t ok_count = 0;              // values read
  int64_t failed_count = 0;          // values that could not be read
  bool cache_written = false;        // false when nothing could be read (the cache is unchanged)
  std::string first_error;           // the first failure's reason, for summaries
};

class QuotaRefresher {
 public:
  using Done = std::function<void(Result<RefreshReport>)>;

  QuotaRefresher(AccountService& accounts, QuotaConfigService& config, QuotaService& quota,
                 AccountCredentials& credentials, aws::ServiceQuotas& service_quotas, AuditService& audit,
                 store::Store& store, const Clock& clock, ThreadPool& pool, RefreshOptions options);

  // Decides whether a caller may start a refresh, i.e. queue AWS work on the pool (client requests: see
  // AwsWorkAdmission). Returns a token that the refresh holds until it finishes (released before `done` runs), or
  // the error to answer instead. Never consulted for a call that joins a refresh already running (that costs no
  // worker). Called under the refresher's lock: it must not call back into the refresher.
  using StartGate = std::function<Result<std::shared_ptr<void>>()>;

  // Refreshes (account_id, region) — region empty: the account's first region — and calls `done` once, from a
  // pool thread (or at once, from the caller's thread, for the errors below). Errors: NotFound (account),
  // InvalidArgument("region") for a region the account does not use, FailedPrecondition for an inactive
  // account, and whatever `gate` (when set) refuses a new refresh with. AWS failures are not errors: they are in
  // the report (ok_count 0 = nothing could be read).
  void RefreshAsync(const RequestContext& ctx, const std::string& account_id, const std::string& region, Done done,
                    const StartGate& gate = nullptr);
  // Blocking form of RefreshAsync. REQUIRES: not called from a pool thread.
  Result<RefreshReport> Refresh(const RequestContext& ctx, const std::string& account_id, const std::string& region);

  // True while a refresh of any region of the account runs.
  bool InFlight(const std::string& account_id) const;

 private:
  struct Flight;
  void Run(const std::shared_ptr<Flight>& flight);
  void Finish(const std::shared_ptr<Flight>& flight);

  AccountService& accounts_;
  QuotaConfigService& config_;
  QuotaService& quota_;
  AccountCredentials& credentials_;
  aws::ServiceQuotas& service_quotas_;
  AuditService& audit_;
  store::Store& store_;
  const Clock& clock_;
  ThreadPool& pool_;
  const RefreshOptions options_;

  mutable Mutex mu_;
  std::map<std::string, std::shared_ptr<Flight>> flights_ GUARDED_BY(mu_);  // by "account/region"
};

}  // namespace ap::service
