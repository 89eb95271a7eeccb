#include "service/quota_refresher.h"

#include <algorithm>
#include <atomic>
#include <future>

#include "common/log.h"
#include "domain/quota_merge.h"
#include "domain/read_failure.h"

namespace ap::service {
namespace {

int64_t Millis(Duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

std::chrono::steady_clock::time_point SteadyAfter(Duration d) {
  return std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(d);
}

// When the snapshot's newest read was attempted: every refresh that writes the cache moves it (0: never).
int64_t LastAttempt(const domain::QuotaSnapshot& snapshot) {
  int64_t last = 0;
  for (const domain::QuotaValue& v : snapshot.values) last = std::max(last, v.attempted_at_ms);
  return last;
}

// One outcome per (enabled model, dimension) with a configured code, in config order; not yet read. With
// `only_codes` non-empty, only those codes.
std::vector<ValueOutcome> PlannedValues(const domain::QuotaConfig& config, const std::vector<std::string>& only_codes) {
  std::vector<ValueOutcome> values;
  for (const domain::ModelSpec& m : config.models) {
    if (!m.enabled) continue;
    for (domain::QuotaDimension d : domain::kAllDimensions) {
      auto code = domain::CodeFor(m, d);
      if (!code) continue;
      if (!only_codes.empty() && std::find(only_codes.begin(), only_codes.end(), *code) == only_codes.end()) continue;
      ValueOutcome v;
      v.model_id = m.model_id;
      v.dimension = d;
      v.quota_code = *code;
      values.push_back(std::move(v));
    }
  }
  return values;
}

}  // namespace

// One refresh in progress and everyone waiting for it.
struct QuotaRefresher::Flight {
  std::string key;
  RequestContext ctx;  // the first caller's: the audit entry names who started the AWS calls
  std::shared_ptr<const domain::Account> account;
  std::shared_ptr<const domain::QuotaConfig> config;
  std::string region;
  std::vector<Done> waiters;  // guarded by QuotaRefresher::mu_
  RefreshReport report;
  std::vector<domain::ReadResult> results;  // one per distinct code, filled by the per-code tasks
  std::vector<std::string> codes;
  std::vector<std::string> only_codes;  // the caller's limit (sorted); empty = every configured code
  std::vector<bool> read_default;       // per code: also read AWS's default beside an applied value
  std::atomic<size_t> remaining{0};
  std::shared_ptr<void> start_token;  // from the StartGate, held until the refresh finishes; guarded by mu_
  std::string lease_name;             // "refresh/<account_id>/<region>"
  store::Lease lease;                 // while this instance holds it (set before the AWS calls start)
  std::atomic<bool> finished{false};  // the AWS calls are over: renewals stop
  int64_t cache_mark = 0;  // while waiting for another instance: LastAttempt of the snapshot when the wait began
};

QuotaRefresher::QuotaRefresher(AccountService& accounts, QuotaConfigService& config, QuotaService& quota,
                               AccountCredentials& credentials, aws::ServiceQuotas& service_quotas, AuditService& audit,
                               store::Store& store, const Clock& clock, ThreadPool& pool, RefreshOptions options)
    : accounts_(accounts),
      config_(config),
      quota_(quota),
      credentials_(credentials),
      service_quotas_(service_quotas),
      audit_(audit),
      store_(store),
      clock_(clock),
      pool_(pool),
      options_(std::move(options)),
      owned_timers_(options_.timers ? nullptr : std::make_unique<TimerQueue>()),
      timers_(options_.timers ? options_.timers : owned_timers_.get()) {}

bool QuotaRefresher::InFlight(const std::string& account_id) const {
  MutexLock lock(mu_);
  auto it = flights_.lower_bound(account_id + "/");
  return it != flights_.end() && it->first.compare(0, account_id.size() + 1, account_id + "/") == 0;
}

void QuotaRefresher::RefreshAsync(const RequestContext& ctx, const std::string& account_id, const std::string& region,
                                  Done done, const StartGate& gate, std::vector<std::string> only_codes) {
  auto found = LookupActiveInRegion(accounts_, account_id, region, "refreshing");
  if (!found.ok()) return done(found.status());
  const std::string r = found->region;
  auto config = config_.Get();
  if (!config.ok()) return done(config.status());

  std::sort(only_codes.begin(), only_codes.end());
  only_codes.erase(std::unique(only_codes.begin(), only_codes.end()), only_codes.end());
  // A limited refresh is its own flight: a full one must not join it (nor it a full one, which reads more than
  // asked but is as good: kept simple, they just do not coalesce). Both take the same lease.
  const std::string lease_key = account_id + "/" + r;
  std::string key = lease_key;
  for (size_t i = 0; i < only_codes.size(); ++i) key += (i == 0 ? "?" : ",") + only_codes[i];
  std::shared_ptr<Flight> flight;
  Status refused;
  Done refused_done;  // `done`, when the gate refused
  {
    MutexLock lock(mu_);
    auto it = flights_.find(key);
    if (it != flights_.end()) {
      it->second->waiters.push_back(std::move(done));  // coalesce into the running refresh
      return;
    }
    // Asked under the lock, so that two callers cannot both be counted for one refresh.
    std::shared_ptr<void> token;
    if (gate) {
      auto admitted = gate();
      if (admitted.ok())
        token = std::move(admitted).value();
      else
        refused = admitted.status();
    }
    if (!refused.ok()) {
      refused_done = std::move(done);
    } else {
      flight = std::make_shared<Flight>();
      flight->key = key;
      flight->ctx = ctx;
      flight->account = found->account;
      flight->config = *config;
      flight->region = r;
      flight->lease_name = "refresh/" + lease_key;
      flight->only_codes = std::move(only_codes);
      flight->waiters.push_back(std::move(done));
      flight->start_token = std::move(token);
      flights_[key] = flight;
    }
  }
  if (refused_done) return refused_done(refused);
  pool_.Submit([this, flight] { Run(flight); });
}

Result<RefreshReport> QuotaRefresher::Refresh(const RequestContext& ctx, const std::string& account_id,
                                              const std::string& region) {
  auto promise = std::make_shared<std::promise<Result<RefreshReport>>>();
  auto future = promise->get_future();
  RefreshAsync(ctx, account_id, region, [promise](Result<RefreshReport> r) { promise->set_value(std::move(r)); });
  return future.get();
}

void QuotaRefresher::Run(const std::shared_ptr<Flight>& flight) {
  if (flight->report.started_at_ms == 0) flight->report.started_at_ms = clock_.NowUnixMillis();
  auto lease =
      store_.AcquireLease(flight->lease_name, options_.instance_id, clock_.NowUnixMillis(), Millis(options_.lease_ttl));
  if (lease.ok()) {
    flight->lease = std::move(lease).value();
    ScheduleRenewal(flight);
    return ReadFromAws(flight);
  }
  if (lease.status().code() != StatusCode::kFailedPrecondition) {
    log::Error("quota_refresh_lease_failed", {{"lease", flight->lease_name}, {"error", lease.status().ToString()}});
    return Complete(flight, lease.status());
  }
  // Another instance refreshes this (account, region): wait for the snapshot it writes. The mark is read after
  // the lease was found held, so a snapshot written later moves it (one the holder wrote between our two reads
  // looks like no snapshot: the report then says nothing was read, a wrong 502 in a window of milliseconds).
  auto snapshot = quota_.SnapshotFromStore(flight->account->account_id, flight->region);
  if (!snapshot.ok()) return Complete(flight, snapshot.status());
  flight->cache_mark = LastAttempt(**snapshot);
  if (options_.on_lease_busy) options_.on_lease_busy(flight->lease_name);
  SchedulePoll(flight);
}

void QuotaRefresher::SchedulePoll(const std::shared_ptr<Flight>& flight) {
  timers_->At(SteadyAfter(options_.lease_poll), [this, flight] { pool_.Submit([this, flight] { Poll(flight); }); });
}

void QuotaRefresher::Poll(const std::shared_ptr<Flight>& flight) {
  auto lease = store_.GetLease(flight->lease_name);
  if (!lease.ok() && lease.status().code() != StatusCode::kNotFound) return Complete(flight, lease.status());
  if (lease.ok() && lease->expires_at_ms > clock_.NowUnixMillis() && lease->holder != options_.instance_id) {
    if (options_.on_lease_busy) options_.on_lease_busy(flight->lease_name);
    return SchedulePoll(flight);  // still running there (or a third instance took over: its snapshot counts too)
  }
  auto snapshot = quota_.SnapshotFromStore(flight->account->account_id, flight->region);
  if (!snapshot.ok()) return Complete(flight, snapshot.status());
  const bool written = LastAttempt(**snapshot) > flight->cache_mark;
  const bool released = lease.ok() && lease->expires_at_ms == 0;
  if (written || released) {
    RefreshReport report = ReportFromSnapshot(*flight, **snapshot, written);
    log::Info("quota_refresh_by_other_instance", {{"account_id", report.account_id},
                                                  {"region", flight->region},
                                                  {"holder", lease.ok() ? lease->holder : std::string()},
                                                  {"cache_written", written},
                                                  {"ok", report.ok_count},
                                                  {"failed", report.failed_count}});
    return Complete(flight, report);
  }
  // Expired without a snapshot: its holder died. Take the lease and refresh here (or wait for whoever was faster).
  log::Warn("quota_refresh_lease_expired",
            {{"lease", flight->lease_name}, {"holder", lease.ok() ? lease->holder : std::string()}});
  Run(flight);
}

RefreshReport QuotaRefresher::ReportFromSnapshot(const Flight& flight, const domain::QuotaSnapshot& snapshot,
                                                 bool written) const {
  RefreshReport report;
  report.account_id = flight.account->account_id;
  report.region = flight.region;
  report.started_at_ms = flight.report.started_at_ms;
  report.finished_at_ms = clock_.NowUnixMillis();
  report.values = PlannedValues(*flight.config, flight.only_codes);
  report.cache_written = written;
  for (ValueOutcome& v : report.values) {
    const domain::QuotaValue* q = snapshot.Find(v.quota_code);
    v.ok = written && q && q->state == domain::QuotaState::kOk;
    if (v.ok) {
      v.value = q->value;
      v.is_default = q->is_default;
      ++report.ok_count;
      continue;
    }
    if (!written)
      v.error = "the refresh run by another instance read nothing; the cached values are unchanged";
    else
      v.error = q && !q->reason.empty() ? q->reason : "not read";
    if (report.first_error.empty()) report.first_error = v.error;
    ++report.failed_count;
  }
  return report;
}

void QuotaRefresher::ScheduleRenewal(const std::shared_ptr<Flight>& flight) {
  timers_->At(SteadyAfter(options_.lease_ttl / 3), [this, flight] {
    if (!flight->finished) pool_.Submit([this, flight] { Renew(flight); });
  });
}

void QuotaRefresher::Renew(const std::shared_ptr<Flight>& flight) {
  if (flight->finished) return;
  auto renewed = store_.RenewLease(flight->lease_name, options_.instance_id, flight->lease.token,
                                   clock_.NowUnixMillis(), Millis(options_.lease_ttl));
  if (renewed.ok() || renewed.status().code() != StatusCode::kFailedPrecondition) {
    if (!renewed.ok())  // the store failed this time; the lease may still be ours at the next attempt
      log::Warn("quota_refresh_lease_renewal_failed",
                {{"lease", flight->lease_name}, {"error", renewed.status().ToString()}});
    return ScheduleRenewal(flight);
  }
  // Taken over: the refresh overran its lease. Its reads still go to the cache (see the header).
  log::Warn("quota_refresh_lease_lost", {{"lease", flight->lease_name}, {"error", renewed.status().ToString()}});
}

void QuotaRefresher::ReadFromAws(const std::shared_ptr<Flight>& flight) {
  RefreshReport& report = flight->report;
  report.account_id = flight->account->account_id;
  report.region = flight->region;
  report.values = PlannedValues(*flight->config, flight->only_codes);
  for (const ValueOutcome& v : report.values) {
    if (std::find(flight->codes.begin(), flight->codes.end(), v.quota_code) == flight->codes.end())
      flight->codes.push_back(v.quota_code);
  }
  flight->results.resize(flight->codes.size());
  if (flight->codes.empty()) return Finish(flight);
  // Which codes need AWS's default read beside their applied value: from this instance's cached snapshot (a hint;
  // reading one default twice costs a call, never a wrong value).
  flight->read_default.assign(flight->codes.size(), true);
  if (auto cached = quota_.Snapshot(report.account_id, flight->region); cached.ok()) {
    const int64_t fresh_after = clock_.NowUnixMillis() - Millis(options_.aws_default_max_age);
    for (size_t i = 0; i < flight->codes.size(); ++i) {
      const domain::QuotaValue* v = (*cached)->Find(flight->codes[i]);
      flight->read_default[i] = !v || !v->aws_default || v->aws_default_read_at_ms <= fresh_after;
    }
  }

  auto creds = credentials_.For(*flight->account, flight->region);
  if (!creds.ok()) {
    // Without credentials nothing can be read; every value fails with the same reason (and is marked stale).
    std::string reason = domain::ReadFailureReason(creds.status(), /*credentials=*/true);
    for (size_t i = 0; i < flight->codes.size(); ++i)
      flight->results[i] = domain::ReadResult{flight->codes[i], false, std::nullopt, false, reason};
    return Finish(flight);
  }
  flight->remaining = flight->codes.size();
  auto shared_creds = std::make_shared<aws::Credentials>(std::move(creds).value());
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < flight->codes.size(); ++i) {
    auto read = [this, flight, shared_creds, i] {
      const std::string& code = flight->codes[i];
      domain::ReadResult r;
      r.quota_code = code;
      auto applied = service_quotas_.GetServiceQuota(*shared_creds, flight->region, options_.service_code, code);
      if (applied.ok() && applied->value) {
        r.ok = true;
        r.value = applied->value;
        if (flight->read_default[i]) {
          // Beside the applied value, for comparison; its failure only leaves the cached default (or none).
          auto def =
              service_quotas_.GetAWSDefaultServiceQuota(*shared_creds, flight->region, options_.service_code, code);
          if (def.ok() && def->value) r.aws_default = def->value;
        }
      } else if (!applied.ok() && applied.status().code() != StatusCode::kNotFound) {
        r.error = domain::ReadFailureReason(applied.status(), /*credentials=*/false);
      } else {
        // No applied value: the account runs on AWS's default.
        auto def =
            service_quotas_.GetAWSDefaultServiceQuota(*shared_creds, flight->region, options_.service_code, code);
        if (def.ok() && def->value) {
          r.ok = true;
          r.value = def->value;
          r.is_default = true;
        } else {
          r.error = def.ok() ? "AWS returned no default value"
                             : domain::ReadFailureReason(def.status(), /*credentials=*/false);
        }
      }
      flight->results[i] = std::move(r);
      if (flight->remaining.fetch_sub(1) == 1) Finish(flight);
    };
    int beyond_burst = static_cast<int>(i) - options_.pace_burst + 1;
    if (options_.timers && beyond_burst > 0) {
      auto due = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::duration<double>(beyond_burst / options_.pace_rate));
      options_.timers->At(due, [this, read = std::move(read)]() mutable { pool_.Submit(std::move(read)); });
    } else {
      pool_.Submit(std::move(read));
    }
  }
}

void QuotaRefresher::Finish(const std::shared_ptr<Flight>& flight) {
  RefreshReport& report = flight->report;
  int64_t now = clock_.NowUnixMillis();
  std::map<std::string, const domain::ReadResult*> by_code;
  for (const auto& r : flight->results) by_code[r.quota_code] = &r;
  for (ValueOutcome& v : report.values) {
    const domain::ReadResult* r = by_code[v.quota_code];
    v.ok = r && r->ok;
    if (v.ok) {
      v.value = r->value;
      v.is_default = r->is_default;
      ++report.ok_count;
    } else {
      v.error = r ? r->error : "not read";
      if (report.first_error.empty()) report.first_error = v.error;
      ++report.failed_count;
    }
  }
  std::string outcome_detail = domain::AuditDetail({{"target_name", flight->account->account_name},
                                                    {"region", flight->region},
                                                    {"ok", report.ok_count},
                                                    {"failed", report.failed_count}});
  Outcome outcome = report.failed_count == 0 ? Outcome::kSuccess
                    : report.ok_count == 0   ? Outcome::kFailure
                                             : Outcome::kPartial;
  // Written whether or not anything was read: a failed read marks its value stale (keeping the last good value)
  // with the reason and the attempt time, so that a refresh that read nothing is never shown as healthy.
  if (!flight->results.empty()) {
    // The stored snapshot, not this instance's cached copy: another instance may have refreshed it since.
    auto old = quota_.SnapshotFromStore(report.account_id, flight->region);
    if (!old.ok()) {
      if (report.ok_count > 0) report.first_error = "the quota cache cannot be read";
      log::Error("quota_refresh_cache_read_failed",
                 {{"account_id", report.account_id}, {"error", old.status().ToString()}});
    } else {
      domain::MergeOutput merged = domain::MergeReadResults(**old, flight->results, now);
      Status put = quota_.PutSnapshot(merged.snapshot);
      if (put.ok()) {
        report.cache_written = true;
        if (Status h = store_.AppendQuotaHistory(merged.history); !h.ok())
          log::Error("quota_history_write_failed", {{"account_id", report.account_id}, {"error", h.ToString()}});
        for (const auto& change : merged.changes) {
          // Values as JSON numbers, null when absent: the audit detail says what the API says.
          std::string detail = domain::AuditDetail({{"target_name", flight->account->account_name},
                                                    {"region", flight->region},
                                                    {"quota_code", change.quota_code},
                                                    {"previous", change.previous_value},
                                                    {"value", change.value}});
          audit_.RecordBestEffort(RequestContext::System(), "quota.changed", "account", report.account_id,
                                  Outcome::kSuccess, detail);
        }
      } else {
        log::Error("quota_cache_write_failed", {{"account_id", report.account_id}, {"error", put.ToString()}});
        if (report.ok_count > 0) report.first_error = "the quota cache could not be written";
        outcome = Outcome::kFailure;
      }
    }
  }
  // The snapshot and its history are written: instances waiting for this refresh may answer from the cache.
  flight->finished = true;
  if (Status released = store_.ReleaseLease(flight->lease_name, options_.instance_id, flight->lease.token);
      !released.ok()) {
    // The others wait until it expires, then find the snapshot written.
    log::Error("quota_refresh_lease_release_failed", {{"lease", flight->lease_name}, {"error", released.ToString()}});
  }
  report.finished_at_ms = clock_.NowUnixMillis();
  if (options_.metrics) {
    options_.metrics
        ->GetCounter("ap_quota_refresh_total", "Quota refreshes of one account and region, by outcome",
                     {{"outcome", std::string(OutcomeName(outcome))}})
        .Add();
    options_.metrics->GetHistogram("ap_quota_refresh_duration_seconds", "Wall time of one account's quota refresh")
        .Observe(static_cast<double>(report.finished_at_ms - report.started_at_ms) / 1000.0);
    options_.metrics
        ->GetCounter("ap_quota_values_read_total", "Quota values read from AWS, by outcome", {{"outcome", "ok"}})
        .Add(static_cast<double>(report.ok_count));
    options_.metrics
        ->GetCounter("ap_quota_values_read_total", "Quota values read from AWS, by outcome", {{"outcome", "failed"}})
        .Add(static_cast<double>(report.failed_count));
  }
  // Work done for a fleet job is audited once, by the job (its items say how each account ended).
  if (flight->ctx.job_id.empty())
    audit_.RecordBestEffort(flight->ctx, "quota.refresh", "account", report.account_id, outcome, outcome_detail);
  log::Info("quota_refresh", {{"account_id", report.account_id},
                              {"region", flight->region},
                              {"ok", report.ok_count},
                              {"failed", report.failed_count},
                              {"duration_ms", report.finished_at_ms - report.started_at_ms}});
  Complete(flight, report);
}

void QuotaRefresher::Complete(const std::shared_ptr<Flight>& flight, const Result<RefreshReport>& result) {
  std::vector<Done> waiters;
  {
    MutexLock lock(mu_);
    waiters.swap(flight->waiters);
    flights_.erase(flight->key);
    flight->start_token.reset();  // the work is done: the starter's place is free before anyone is answered
  }
  if (result.ok() && options_.on_refreshed) options_.on_refreshed(result->account_id, flight->region);
  // The waiters last: once one is called, its caller may destroy this object (nothing below touches `this`).
  for (Done& d : waiters) d(result);
}

}  // namespace ap::service
