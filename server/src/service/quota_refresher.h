// QuotaRefresher: reads one account's quotas in one region from AWS Service Quotas and merges them into the
// cache without ever losing data.
//
// For every enabled model it reads each configured code (TPM, RPM, 1M TPM, 1M RPM) with GetServiceQuota,
// concurrently on the worker pool (the AWS client's own rate limits keep the calls within AWS's API rates).
// Where AWS has no applied value (NotFound) it reads GetAWSDefaultServiceQuota and records that the value is
// AWS's default. Beside an applied value it also reads AWS's default (GetAWSDefaultServiceQuota), so that the two can
// be compared, but only when the cache has none for the code or the one it has is older than
// RefreshOptions::aws_default_max_age: at most one extra call per code and day. A failed default read fails nothing
// (the cached default, or none, is kept). Results are merged with domain::MergeReadResults: failures keep the last good
// value as stale (or error when none was ever read), never 0, with the reason (domain::ReadFailureReason: the AWS error
// code first) and the attempt time. This holds when not a single value could be read too (no credentials, the role
// cannot be assumed, every call refused, throttled or unreachable): every attempted value is then marked, so a
// refresh that read nothing is never shown as healthy (issue 16 §1); a later successful read clears the mark.
// Every path that refreshes (a single refresh, a fleet job, the schedule) goes through here. Value changes are recorded
// in the quota history; a quota that AWS raised or lowered is also an audit event of the system. Every refresh is
// audited with its outcome, except those of a fleet job (audited once, as the job).
//
// Concurrent refreshes of one (account, region) coalesce, on this instance and across every instance sharing the
// store, so N requests through any number of instances cause one set of AWS calls:
//   - in process, later callers join the running refresh and get its report (single flight), without touching
//     the store;
//   - across instances, a refresh takes the store lease "refresh/<account_id>/<region>" (holder
//     RefreshOptions::instance_id, ttl lease_ttl, renewed every lease_ttl/3 while it runs) before any AWS call,
//     and releases it once the snapshot and its history are written. When another instance holds it, no AWS call
//     is made here: the refresh polls the lease every lease_poll (on the timers, holding no worker) until it is
//     released or expires, then answers from the cache — a report built from the snapshot the holder wrote
//     (cache_written, ok/failed counts from the values' states; every value failed when the holder wrote
//     nothing). If the lease expired without a new snapshot (the holder died), it takes the lease and refreshes
//     itself: a dead holder delays its (account, region) by at most lease_ttl.
// Because only the lease holder calls AWS for an (account, region), the AWS client's per-account rate limits hold
// fleet-wide: three instances refreshing the same fleet make the calls one instance makes. A holder that overran
// its lease (another instance took over) still writes what it read; both wrote AWS's answers, the later wins.
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
  // The holder name of this instance's refresh leases (ServiceGraphOptions::instance_id): distinct for every
  // instance sharing the store. Default "local" (fine for one instance only).
  std::string instance_id = "local";
  // How long a refresh lease lasts unless renewed; its holder renews it every third of it while the refresh runs.
  // Default 60 s.
  Duration lease_ttl = std::chrono::seconds(60);
  // How often a refresh waiting for another instance's lease reads it again. Default 200 ms. Lease waits and
  // renewals run on `timers` (or, when that is null, on a timer thread of the refresher's own).
  Duration lease_poll = std::chrono::milliseconds(200);
  // Tests: called (on a pool thread) each time a refresh finds its lease held by another instance, with the
  // lease's name. Null: none.
  std::function<void(const std::string& lease_name)> on_lease_busy;
  // How long AWS's default read beside an applied value is trusted before the next refresh reads it again. Default
  // 24 h. (Defaults change rarely; a value without an applied one carries AWS's default on every read anyway.)
  Duration aws_default_max_age = std::chrono::hours(24);
  // Called once per refresh that ends with a report (this instance's or another's), on a pool thread after every
  // caller was answered: the alert evaluation hook (AlertRunner::Enqueue). Must not block. Null: none.
  std::function<void(const std::string& account_id, const std::string& region)> on_refreshed;
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
  // Whether the merged snapshot was stored (also when nothing could be read: the values were marked stale / error);
  // false when the store failed (or no value is configured).
  bool cache_written = false;
  std::string first_error;  // the first failure's reason, for summaries
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
  // account, whatever `gate` (when set) refuses a new refresh with, and the store's error when the refresh lease
  // or the cache cannot be read. AWS failures are not errors: they are in the report (ok_count 0 = nothing could
  // be read). When another instance runs this refresh, the report is the one built from its snapshot (see the
  // file comment).
  // `only_codes` non-empty: reads only those of the configured codes (a fleet refresh limited to new models); the
  // other values keep their entries untouched (domain::MergeReadResults) and the report lists only these. Such a
  // refresh coalesces only with refreshes limited to the same codes on this instance; across instances it shares
  // the (account, region) lease like any refresh. A refresh whose ctx names a job (RequestContext::job_id) is not
  // audited per account: the job is, once.
  void RefreshAsync(const RequestContext& ctx, const std::string& account_id, const std::string& region, Done done,
                    const StartGate& gate = nullptr, std::vector<std::string> only_codes = {});
  // Blocking form of RefreshAsync. REQUIRES: not called from a pool thread.
  Result<RefreshReport> Refresh(const RequestContext& ctx, const std::string& account_id, const std::string& region);

  // True while a refresh of any region of the account runs.
  bool InFlight(const std::string& account_id) const;

 private:
  struct Flight;
  // Takes the lease and reads AWS, or waits for the instance that holds it.
  void Run(const std::shared_ptr<Flight>& flight);
  void ReadFromAws(const std::shared_ptr<Flight>& flight);
  void Finish(const std::shared_ptr<Flight>& flight);
  void ScheduleRenewal(const std::shared_ptr<Flight>& flight);
  void Renew(const std::shared_ptr<Flight>& flight);
  void SchedulePoll(const std::shared_ptr<Flight>& flight);
  void Poll(const std::shared_ptr<Flight>& flight);
  // The report of a refresh another instance ran, from the snapshot it left (`written`: it wrote one).
  RefreshReport ReportFromSnapshot(const Flight& flight, const domain::QuotaSnapshot& snapshot, bool written) const;
  // Answers every caller of the flight and forgets it.
  void Complete(const std::shared_ptr<Flight>& flight, const Result<RefreshReport>& result);

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
  std::unique_ptr<TimerQueue> owned_timers_;  // when options_.timers is null
  TimerQueue* const timers_;                  // lease polls and renewals

  mutable Mutex mu_;
  std::map<std::string, std::shared_ptr<Flight>> flights_ GUARDED_BY(mu_);  // by "account/region"
};

}  // namespace ap::service
