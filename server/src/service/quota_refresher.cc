#include "service/quota_refresher.h"

#include <atomic>
#include <future>

#include "common/log.h"
#include "domain/quota_merge.h"

namespace ap::service {
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
  std::atomic<size_t> remaining{0};
  std::shared_ptr<void> start_token;  // from the StartGate, held until the refresh finishes; guarded by mu_
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
      options_(std::move(options)) {}

bool QuotaRefresher::InFlight(const std::string& account_id) const {
  MutexLock lock(mu_);
  auto it = flights_.lower_bound(account_id + "/");
  return it != flights_.end() && it->first.compare(0, account_id.size() + 1, account_id + "/") == 0;
}

void QuotaRefresher::RefreshAsync(const RequestContext& ctx, const std::string& account_id, const std::string& region,
                                  Done done, const StartGate& gate) {
  auto account = accounts_.Lookup(account_id);
  if (!account.ok()) return done(account.status());
  if ((*account)->status != domain::AccountStatus::kActive)
    return done(FailedPrecondition("account " + account_id + " is inactive; reactivate it before refreshing"));
  const auto& regions = (*account)->regions;
  std::string r = region.empty() ? (regions.empty() ? std::string(domain::kDefaultRegion) : regions[0]) : region;
  if (std::find(regions.begin(), regions.end(), r) == regions.end())
    return done(InvalidArgument("account " + account_id + " does not use region \"" + r + "\"", "region"));
  auto config = config_.Get();
  if (!config.ok()) return done(config.status());

  std::string key = account_id + "/" + r;
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
      flight->account = *account;
      flight->config = *config;
      flight->region = r;
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
  RefreshReport& report = flight->report;
  report.account_id = flight->account->account_id;
  report.region = flight->region;
  report.started_at_ms = clock_.NowUnixMillis();
  for (const domain::ModelSpec& m : flight->config->models) {
    if (!m.enabled) continue;
    for (domain::QuotaDimension d : domain::kAllDimensions) {
      auto code = domain::CodeFor(m, d);
      if (!code) continue;
      ValueOutcome v;
      v.model_id = m.model_id;
      v.dimension = d;
      v.quota_code = *code;
      report.values.push_back(v);
      if (std::find(flight->codes.begin(), flight->codes.end(), *code) == flight->codes.end())
        flight->codes.push_back(*code);
    }
  }
  flight->results.resize(flight->codes.size());
  if (flight->codes.empty()) return Finish(flight);

  auto creds = credentials_.For(*flight->account, flight->region);
  if (!creds.ok()) {
    // Without credentials nothing can be read; every value fails with the same reason.
    for (size_t i = 0; i < flight->codes.size(); ++i)
      flight->results[i] = domain::ReadResult{flight->codes[i], false, std::nullopt, false, creds.status().message()};
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
      } else if (!applied.ok() && applied.status().code() != StatusCode::kNotFound) {
        r.error = applied.status().message();
      } else {
        // No applied value: the account runs on AWS's default.
        auto def =
            service_quotas_.GetAWSDefaultServiceQuota(*shared_creds, flight->region, options_.service_code, code);
        if (def.ok() && def->value) {
          r.ok = true;
          r.value = def->value;
          r.is_default = true;
        } else {
          r.error = def.ok() ? "AWS returned no default value" : def.status().message();
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
  std::string outcome_detail =
      domain::AuditDetail({{"region", flight->region}, {"ok", report.ok_count}, {"failed", report.failed_count}});
  Outcome outcome = report.failed_count == 0 ? Outcome::kSuccess
                    : report.ok_count == 0   ? Outcome::kFailure
                                             : Outcome::kPartial;
  if (report.ok_count > 0) {
    auto old = quota_.Snapshot(report.account_id, flight->region);
    if (!old.ok()) {
      report.first_error = "the quota cache cannot be read";
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
          std::string detail = domain::AuditDetail({{"region", flight->region},
                                                    {"quota_code", change.quota_code},
                                                    {"previous", change.previous_value},
                                                    {"value", change.value}});
          audit_.RecordBestEffort(RequestContext::System(), "quota.changed", "account", report.account_id,
                                  Outcome::kSuccess, detail);
        }
      } else {
        log::Error("quota_cache_write_failed", {{"account_id", report.account_id}, {"error", put.ToString()}});
        report.first_error = "the quota cache could not be written";
        outcome = Outcome::kFailure;
      }
    }
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
  audit_.RecordBestEffort(flight->ctx, "quota.refresh", "account", report.account_id, outcome, outcome_detail);
  log::Info("quota_refresh", {{"account_id", report.account_id},
                              {"region", flight->region},
                              {"ok", report.ok_count},
                              {"failed", report.failed_count},
                              {"duration_ms", report.finished_at_ms - report.started_at_ms}});
  std::vector<Done> waiters;
  {
    MutexLock lock(mu_);
    waiters.swap(flight->waiters);
    flights_.erase(flight->key);
    flight->start_token.reset();  // the work is done: the starter's place is free before anyone is answered
  }
  for (Done& d : waiters) d(report);
}

}  // namespace ap::service
