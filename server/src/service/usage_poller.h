// UsagePoller: reads one account's Bedrock usage in one region from CloudWatch, keeps it as hour records and
// writes the usage snapshot readers are served from (issue 13, docs/usage.md).
//
// One poll of (account, region):
//  1. Lists the ModelId values with traffic (ListMetrics AWS/Bedrock Invocations by ModelId), adds the series of
//     the last snapshot (a model that went quiet keeps its history until its last minute is 7 days old: then it
//     leaves the snapshot) and matches each with domain::MatchModelId.
//     At most store::kMaxUsageSeriesPerSnapshot series (the first by name; the rest are noted in the report).
//  2. Reads the six metrics of every series (Invocations, InputTokenCount, OutputTokenCount, InvocationThrottles,
//     CacheReadInputTokenCount, CacheWriteInputTokenCount; Sum, period 60) with one batched GetMetricData call per
//     window (the client splits batches): a series new to the snapshot (or every series on the first poll) is read
//     over the last 7 days; the others from the snapshot's polled_at − 15 minutes (floored to the minute) — so
//     CloudWatch's revisions of recent minutes are read again — to now. So at most two calls, one when no series
//     is new. A metric only sets the minutes it reported; a result whose status is not Complete is noted in the
//     report (its unreported minutes stay as they were: nullopt, never 0).
//  3. Merges the points into the series' hour records (present fields replace, absent keep: the UsageSeries
//     rule) and writes back the hours it changed (expires_at = hour + store::kUsageHourRetentionSeconds).
//  4. Summarises each series over its 7 days (quotas only for the series that count against the config), and each
//     config model (the enabled ones and any with counted traffic) over its counted series summed minute by minute,
//     against the quotas cached for the account and region (QuotaValue::value of the model's TPM / RPM codes;
//     nullopt when not cached or never read — headroom is then nullopt, never computed against 0) with the model's
//     output_token_burndown.
//  5. Writes the snapshot (state ok) conditioned on the revision it read, re-reading and retrying on a conflict up
//     to kUsageSnapshotWriteAttempts times.
// When the AWS part fails (credentials, ListMetrics, GetMetricData), the snapshot keeps its last good summaries
// and is marked stale with a stable error_code and a message safe to show (attempted_at moves, polled_at does
// not). A poll is not audited (it runs for the whole fleet every few minutes); it is logged and measured.
//
// Coalescing, as QuotaRefresher does it: in process, callers of a running poll join it (single flight); across
// instances, the poll takes the store lease "usage/<account_id>/<region>" (holder UsagePollOptions::instance_id,
// renewed every lease_ttl/3) before any AWS call and releases it once the snapshot is written. When another
// instance holds it, no AWS call is made here: the poll reads the lease every lease_poll until it is released or
// expires and answers from the stored snapshot (by_other_instance); a lease that expired with no new snapshot (its
// holder died) is taken and the poll runs here.
//
// Thread safety: safe from any thread. PollAsync never blocks; Poll blocks (not on a pool thread).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aws/clients.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "common/mutex.h"
#include "common/thread_pool.h"
#include "common/timer_queue.h"
#include "service/account_credentials.h"
#include "service/account_service.h"
#include "service/quota_config_service.h"
#include "service/quota_service.h"
#include "store/coordination_store.h"
#include "store/usage_store.h"

namespace ap::service {

// How far back a series new to the snapshot is read, and how much of the last poll's span is read again.
inline constexpr int64_t kUsageFirstPollSeconds = int64_t{7} * 24 * 3600;
inline constexpr int64_t kUsageRevisionOverlapSeconds = int64_t{15} * 60;
inline constexpr int kUsageSnapshotWriteAttempts = 3;

struct UsagePollOptions {
  MetricsRegistry* metrics = nullptr;  // poll durations and outcomes; null = none
  // Holder name of this instance's usage leases: distinct for every instance sharing the store.
  std::string instance_id = "local";
  Duration lease_ttl = std::chrono::seconds(60);
  Duration lease_poll = std::chrono::milliseconds(200);
  TimerQueue* timers = nullptr;  // lease polls and renewals; null = a timer thread of the poller's own
  // Called with each snapshot this poller wrote (from the thread that wrote it; its revision set), and with the
  // stored one when another instance polled: readers' caches write it through (UsageService::Publish). Null: none.
  std::function<void(const store::UsageSnapshot&)> on_snapshot;
  // Tests: called each time a poll finds its lease held by another instance. Null: none.
  std::function<void(const std::string& lease_name)> on_lease_busy;
  // Called once per poll that ends with a report (this instance's or another's: the snapshot may have changed),
  // on a pool thread after every caller was answered: the alert evaluation hook (AlertRunner::Enqueue). Must not
  // block. Null: none.
  std::function<void(const std::string& account_id, const std::string& region)> on_polled;
};

// A metric of a series that CloudWatch did not serve completely.
struct PartialMetric {
  std::string series;
  std::string metric;  // "InputTokenCount", …
  std::string status;  // CloudWatch's StatusCode as sent ("PartialData", "Forbidden", …)
};

struct UsagePollReport {
  std::string account_id;
  std::string region;
  int64_t started_at_ms = 0;
  int64_t finished_at_ms = 0;
  bool by_other_instance = false;  // another instance polled; this report is built from its snapshot
  bool snapshot_written = false;   // a snapshot (ok or stale) was written by this poll (or, by_other_instance, by it)
  store::UsageState state = store::UsageState::kOk;
  std::string error_code;              // when stale: the snapshot's error_code
  std::string error;                   // when stale: the full reason (for logs; may name AWS details)
  int64_t series = 0;                  // series in the snapshot
  int64_t counted_series = 0;          // of which count against a config model's quotas
  int64_t unmatched_series = 0;        // of which match no config model
  int64_t series_dropped = 0;          // ModelIds left out beyond kMaxUsageSeriesPerSnapshot
  int64_t models = 0;                  // config models summarised
  int64_t points_read = 0;             // datapoints CloudWatch returned
  int64_t hours_written = 0;           // hour records written
  int64_t metric_calls = 0;            // GetMetricData calls made
  std::vector<PartialMetric> partial;  // metrics with partial data
};

class UsagePoller {
 public:
  using Done = std::function<void(Result<UsagePollReport>)>;

  UsagePoller(AccountService& accounts, QuotaConfigService& config, QuotaService& quota,
              AccountCredentials& credentials, aws::CloudWatch& cloudwatch, store::CoordinationStore& leases,
              store::UsageStore& usage, const Clock& clock, ThreadPool& pool, UsagePollOptions options);
  ~UsagePoller();

  // Polls (account_id, region) — region empty: the account's first region — and calls `done` once, from a pool
  // thread (or at once, from the caller's thread, for the errors below). Errors: NotFound (account),
  // InvalidArgument("region") for a region the account does not use, FailedPrecondition for an inactive account,
  // and the store's error when the lease or the snapshot cannot be read or the snapshot cannot be written (after
  // the retries). AWS failures are not errors: the snapshot is marked stale and the report says so.
  void PollAsync(const std::string& account_id, const std::string& region, Done done);
  // Blocking form of PollAsync. REQUIRES: not called from a pool thread.
  Result<UsagePollReport> Poll(const std::string& account_id, const std::string& region);

 private:
  struct Flight;
  struct Collected;
  void Run(const std::shared_ptr<Flight>& flight);
  void PollAws(const std::shared_ptr<Flight>& flight);
  // Reads CloudWatch, merges into the hour records and fills the summaries in `out` (`base`: the snapshot read).
  // An AWS failure is out.aws_error (nothing merged); an error returned is the usage store's.
  Status ReadAndMerge(Flight& flight, const aws::Credentials& creds, const store::UsageSnapshot& base, Collected& out);
  void ScheduleRenewal(const std::shared_ptr<Flight>& flight);
  void SchedulePoll(const std::shared_ptr<Flight>& flight);
  void PollLease(const std::shared_ptr<Flight>& flight);
  // Releases the lease (when held), measures, logs and answers.
  void Finish(const std::shared_ptr<Flight>& flight, Result<UsagePollReport> result);
  void Complete(const std::shared_ptr<Flight>& flight, const Result<UsagePollReport>& result);

  AccountService& accounts_;
  QuotaConfigService& config_;
  QuotaService& quota_;
  AccountCredentials& credentials_;
  aws::CloudWatch& cloudwatch_;
  store::CoordinationStore& leases_;
  store::UsageStore& usage_;
  const Clock& clock_;
  ThreadPool& pool_;
  const UsagePollOptions options_;
  std::unique_ptr<TimerQueue> owned_timers_;
  TimerQueue* const timers_;

  mutable Mutex mu_;
  std::map<std::string, std::shared_ptr<Flight>> flights_ GUARDED_BY(mu_);  // by "account/region"
};

// The snapshot's error_code for a failed AWS read: "throttled", "access_denied", "credentials",
// "unavailable" or "error".
std::string UsageErrorCode(const Status& status);
// The snapshot's error_message for an error_code: a fixed sentence safe to show to the account's users.
std::string UsageErrorMessage(const std::string& code);

}  // namespace ap::service
