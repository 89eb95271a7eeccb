#include "service/usage_scheduler.h"

#include <algorithm>
#include <condition_variable>

#include "common/log.h"

namespace ap::service {

UsageScheduler::UsageScheduler(UsagePoller& poller, store::AccountStore& accounts, store::CoordinationStore& leases,
                               const Clock& clock, Random& random, UsageSchedulerOptions options)
    : poller_(poller),
      accounts_(accounts),
      leases_(leases),
      clock_(clock),
      random_(random),
      options_(std::move(options)),
      ticker_(
          clock, [this] { return next_run(); }, [this] { Tick(); }) {
  MutexLock lock(mu_);
  next_run_ = clock_.Now() + NextInterval();
}

UsageScheduler::~UsageScheduler() { Stop(); }

Duration UsageScheduler::NextInterval() {
  if (options_.interval <= Duration::zero()) return Duration::zero();
  return Jittered(options_.interval, options_.jitter, random_);
}

TimePoint UsageScheduler::next_run() const {
  MutexLock lock(mu_);
  return next_run_;
}

UsageRunReport UsageScheduler::last_run() const {
  MutexLock lock(mu_);
  return last_run_;
}

bool UsageScheduler::Tick() {
  if (options_.interval <= Duration::zero()) return false;
  MutexLock run(run_mu_);
  {
    MutexLock lock(mu_);
    if (clock_.Now() < next_run_) return false;
    next_run_ = clock_.Now() + NextInterval();
  }
  const int64_t ttl_ms = std::clamp<int64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.interval).count(), 1, store::kMaxLeaseTtlMs);
  auto lease = leases_.AcquireLease(kScheduledUsagePollLease, options_.instance_id, clock_.NowUnixMillis(), ttl_ms);
  if (!lease.ok()) {
    // FailedPrecondition: another instance made this interval's run.
    if (lease.status().code() != StatusCode::kFailedPrecondition)
      log::Warn("scheduled_usage_poll_not_started", {{"error", lease.status().ToString()}});
    return false;
  }
  UsageRunReport report = RunOnce();
  log::Info("scheduled_usage_poll", {{"accounts", report.accounts},
                                     {"polls", report.polls},
                                     {"ok", report.ok},
                                     {"stale", report.stale},
                                     {"failed", report.failed}});
  MutexLock lock(mu_);
  last_run_ = report;
  return true;
}

UsageRunReport UsageScheduler::RunOnce() {
  // The polls' answers arrive on pool threads; this thread waits for a free place and, at the end, for all.
  struct Progress {
    Mutex mu;
    std::condition_variable cv;
    int in_flight GUARDED_BY(mu) = 0;
    UsageRunReport report GUARDED_BY(mu);
  };
  auto progress = std::make_shared<Progress>();
  const int max_concurrent = std::max(1, options_.max_concurrent);
  store::AccountFilter filter;
  filter.status = domain::AccountStatus::kActive;
  filter.limit = std::clamp<int64_t>(options_.page_size, 1, 1000);
  int64_t accounts = 0;
  do {
    auto page = accounts_.ListAccounts(filter);
    if (!page.ok()) {
      log::Error("scheduled_usage_poll_walk_failed", {{"error", page.status().ToString()}});
      break;
    }
    for (const domain::Account& account : page->items) {
      ++accounts;
      std::vector<std::string> regions = account.regions;
      if (regions.empty()) regions.emplace_back(domain::kDefaultRegion);
      for (const std::string& region : regions) {
        {
          MutexLock lock(progress->mu);
          lock.Wait(progress->cv, [&]() REQUIRES(progress->mu) { return progress->in_flight < max_concurrent; });
          ++progress->in_flight;
          ++progress->report.polls;
        }
        poller_.PollAsync(account.account_id, region, [progress](Result<UsagePollReport> r) {
          MutexLock lock(progress->mu);
          --progress->in_flight;
          if (!r.ok())
            ++progress->report.failed;
          else if (r->state == store::UsageState::kStale)
            ++progress->report.stale;
          else
            ++progress->report.ok;
          progress->cv.notify_all();
        });
      }
    }
    filter.cursor = page->next;
  } while (!filter.cursor.empty());
  MutexLock lock(progress->mu);
  lock.Wait(progress->cv, [&]() REQUIRES(progress->mu) { return progress->in_flight == 0; });
  UsageRunReport report = progress->report;
  report.accounts = accounts;
  return report;
}

void UsageScheduler::Start() {
  if (options_.interval <= Duration::zero()) return;
  ticker_.Start();
}

void UsageScheduler::Stop() { ticker_.Stop(); }

}  // namespace ap::service
