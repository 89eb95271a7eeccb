#include "service/increase_tracker.h"

#include <algorithm>

#include "common/log.h"

namespace ap::service {

IncreaseTracker::IncreaseTracker(QuotaIncreaseService& increases, store::QuotaIncreaseStore& requests,
                                 store::AccountStore& accounts, store::CoordinationStore& leases, const Clock& clock,
                                 Random& random, IncreaseTrackerOptions options)
    : increases_(increases),
      requests_(requests),
      accounts_(accounts),
      leases_(leases),
      clock_(clock),
      random_(random),
      options_(std::move(options)),
      ticker_(
          clock, [this] { return next_run(); }, [this] { Tick(); }) {
  MutexLock lock(mu_);
  next_run_ =
      clock_.Now() +
      (options_.interval > Duration::zero() ? Jittered(options_.interval, options_.jitter, random_) : Duration::zero());
}

IncreaseTracker::~IncreaseTracker() { Stop(); }

TimePoint IncreaseTracker::next_run() const {
  MutexLock lock(mu_);
  return next_run_;
}

IncreaseRoundReport IncreaseTracker::last_run() const {
  MutexLock lock(mu_);
  return last_run_;
}

bool IncreaseTracker::Tick() {
  if (options_.interval <= Duration::zero()) return false;
  MutexLock run(run_mu_);
  bool sync = false;
  {
    MutexLock lock(mu_);
    if (clock_.Now() < next_run_) return false;
    next_run_ = clock_.Now() + Jittered(options_.interval, options_.jitter, random_);
  }
  const int64_t ttl_ms = std::clamp<int64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.interval).count(), 1, store::kMaxLeaseTtlMs);
  auto lease = leases_.AcquireLease(kIncreaseCheckLease, options_.instance_id, clock_.NowUnixMillis(), ttl_ms);
  if (!lease.ok()) {
    if (lease.status().code() != StatusCode::kFailedPrecondition)
      log::Warn("increase_check_not_started", {{"error", lease.status().ToString()}});
    return false;
  }
  {
    MutexLock lock(mu_);
    ++rounds_;
    sync = options_.sync_every > 0 && rounds_ % options_.sync_every == 0;
  }
  IncreaseRoundReport report = RunOnce(sync);
  log::Info("increase_check_round", {{"checked", report.checked},
                                     {"changed", report.changed},
                                     {"failed", report.failed},
                                     {"skipped", report.skipped},
                                     {"synced_accounts", report.synced_accounts},
                                     {"found", report.found}});
  MutexLock lock(mu_);
  last_run_ = report;
  return true;
}

IncreaseRoundReport IncreaseTracker::RunOnce(bool sync) {
  IncreaseRoundReport report;
  const RequestContext ctx = RequestContext::System();
  const int64_t page_size = std::clamp<int64_t>(options_.page_size, 1, 1000);
  std::string cursor;
  do {
    auto page = requests_.ListOpenIncreaseRequests(cursor, page_size);
    if (!page.ok()) {
      log::Error("increase_check_walk_failed", {{"error", page.status().ToString()}});
      break;
    }
    for (const domain::QuotaIncreaseRequest& listed : page->items) {
      if (report.checked >= options_.max_checks) break;
      // The open index may lag (DynamoDB's GSI): read the request itself before acting.
      auto req = requests_.GetIncreaseRequest(listed.request_id);
      if (!req.ok() || !req->open()) continue;
      auto account = accounts_.GetAccount(req->account_id);
      if (!account.ok() || account->status != domain::AccountStatus::kActive) {
        ++report.skipped;
        continue;
      }
      ++report.checked;
      auto checked = increases_.CheckStored(ctx, *req);
      if (!checked.ok() || !checked->check_error.empty()) {
        ++report.failed;
      } else if (checked->status != req->status) {
        ++report.changed;
      }
    }
    cursor = page->next;
  } while (!cursor.empty() && report.checked < options_.max_checks);

  if (!sync) return report;
  store::AccountFilter filter;
  filter.status = domain::AccountStatus::kActive;
  filter.limit = std::clamp<int64_t>(options_.sync_accounts, 1, 1000);
  {
    MutexLock lock(mu_);
    filter.cursor = sync_cursor_;
  }
  auto accounts = accounts_.ListAccounts(filter);
  if (!accounts.ok()) {
    // A cursor the store no longer accepts (or a store failure): start over next time.
    log::Warn("increase_sync_walk_failed", {{"error", accounts.status().ToString()}});
    MutexLock lock(mu_);
    sync_cursor_.clear();
    return report;
  }
  for (const domain::Account& account : accounts->items) {
    auto synced = increases_.Sync(ctx, account.account_id);
    ++report.synced_accounts;
    if (synced.ok()) report.found += synced->found;
  }
  MutexLock lock(mu_);
  sync_cursor_ = accounts->next;
  return report;
}

void IncreaseTracker::Start() {
  if (options_.interval <= Duration::zero()) return;
  ticker_.Start();
}

void IncreaseTracker::Stop() { ticker_.Stop(); }

}  // namespace ap::service
