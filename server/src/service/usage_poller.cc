#include "service/usage_poller.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <future>
#include <set>

#include "common/log.h"
#include "domain/model_ids.h"

namespace ap::service {
namespace {

constexpr char kNamespace[] = "AWS/Bedrock";
constexpr char kModelIdDimension[] = "ModelId";
constexpr int64_t kDay = int64_t{24} * 3600;
constexpr size_t kMaxHoursPerPut = 100;

// The six metrics of a series and the UsagePoint field each one fills.
struct MetricField {
  const char* name;
  std::optional<int64_t> domain::UsagePoint::*field;
};
constexpr MetricField kMetrics[] = {
    {"Invocations", &domain::UsagePoint::invocations},
    {"InputTokenCount", &domain::UsagePoint::input_tokens},
    {"OutputTokenCount", &domain::UsagePoint::output_tokens},
    {"InvocationThrottles", &domain::UsagePoint::throttles},
    {"CacheReadInputTokenCount", &domain::UsagePoint::cache_read},
    {"CacheWriteInputTokenCount", &domain::UsagePoint::cache_write},
};
constexpr size_t kMetricCount = std::size(kMetrics);

int64_t Millis(Duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }
int64_t FloorTo(int64_t t, int64_t unit) { return t >= 0 ? t / unit * unit : -((-t + unit - 1) / unit) * unit; }

std::chrono::steady_clock::time_point SteadyAfter(Duration d) {
  return std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(d);
}

TimePoint AtSeconds(int64_t s) { return TimePoint(std::chrono::seconds(s)); }

// Present fields of `update` replace those of `into`; absent ones keep (the UsageSeries rule).
void Overlay(domain::UsagePoint& into, const domain::UsagePoint& update) {
  for (const MetricField& m : kMetrics)
    if (update.*m.field) into.*m.field = update.*m.field;
}

// A message safe to show to the account's users, per error code.
std::string SafeMessage(const std::string& code) {
  if (code == "throttled") return "CloudWatch throttled the usage read; the figures are from the last good poll.";
  if (code == "access_denied")
    return "The platform may not read this account's CloudWatch metrics (or assume its role); the figures are "
           "from the last good poll.";
  if (code == "unavailable") return "CloudWatch could not be reached; the figures are from the last good poll.";
  return "The usage could not be read; the figures are from the last good poll.";
}

std::vector<std::string> SortedTeams(const domain::Account& account) {
  std::set<std::string> teams(account.teams.begin(), account.teams.end());
  return {teams.begin(), teams.end()};
}

domain::UsageQuotas QuotasOf(const domain::ModelSpec& spec, const domain::QuotaSnapshot* cached) {
  domain::UsageQuotas q;
  if (!cached) return q;
  auto value = [&](domain::QuotaDimension d) -> std::optional<double> {
    auto code = domain::CodeFor(spec, d);
    if (!code) return std::nullopt;
    const domain::QuotaValue* v = cached->Find(*code);
    if (!v || v->state == domain::QuotaState::kError) return std::nullopt;
    return v->value;  // the last good value (also when stale); nullopt when never read
  };
  q.tpm = value(domain::QuotaDimension::kTpm);
  q.rpm = value(domain::QuotaDimension::kRpm);
  return q;
}

const domain::ModelSpec* FindSpec(const domain::QuotaConfig& config, const std::string& model_id) {
  for (const domain::ModelSpec& m : config.models)
    if (m.model_id == model_id) return &m;
  return nullptr;
}

std::vector<domain::UsagePoint> Values(const std::map<int64_t, domain::UsagePoint>& by_minute) {
  std::vector<domain::UsagePoint> points;
  points.reserve(by_minute.size());
  for (const auto& [minute, p] : by_minute) points.push_back(p);
  return points;
}

}  // namespace

std::string UsageErrorMessage(const std::string& code) { return SafeMessage(code); }

std::string UsageErrorCode(const Status& status) {
  switch (status.code()) {
    case StatusCode::kResourceExhausted:
      return "throttled";
    case StatusCode::kPermissionDenied:
    case StatusCode::kUnauthenticated:
    case StatusCode::kFailedPrecondition:
      return "access_denied";
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
      return "unavailable";
    default:
      return "error";
  }
}

struct UsagePoller::Flight {
  std::string key;
  std::shared_ptr<const domain::Account> account;
  std::shared_ptr<const domain::QuotaConfig> config;
  std::string region;
  std::vector<Done> waiters;  // guarded by UsagePoller::mu_
  UsagePollReport report;
  std::string lease_name;  // "usage/<account_id>/<region>"
  store::Lease lease;
  bool holds_lease = false;
  std::atomic<bool> finished{false};
  int64_t snapshot_mark = 0;  // while waiting for another instance: the snapshot's revision when the wait began
};

// What a successful read gives: the snapshot's summaries.
struct UsagePoller::Collected {
  std::optional<Status> aws_error;  // set when the AWS part failed (nothing was merged)
  std::vector<store::SeriesUsage> series;
  std::vector<store::ModelUsageEntry> models;
};

UsagePoller::UsagePoller(AccountService& accounts, QuotaConfigService& config, QuotaService& quota,
                         AccountCredentials& credentials, aws::CloudWatch& cloudwatch, store::CoordinationStore& leases,
                         store::UsageStore& usage, const Clock& clock, ThreadPool& pool, UsagePollOptions options)
    : accounts_(accounts),
      config_(config),
      quota_(quota),
      credentials_(credentials),
      cloudwatch_(cloudwatch),
      leases_(leases),
      usage_(usage),
      clock_(clock),
      pool_(pool),
      options_(std::move(options)),
      owned_timers_(options_.timers ? nullptr : std::make_unique<TimerQueue>()),
      timers_(options_.timers ? options_.timers : owned_timers_.get()) {}

UsagePoller::~UsagePoller() = default;

void UsagePoller::PollAsync(const std::string& account_id, const std::string& region, Done done) {
  auto found = LookupActiveInRegion(accounts_, account_id, region, "polling its usage");
  if (!found.ok()) return done(found.status());
  const std::string r = found->region;
  auto config = config_.Get();
  if (!config.ok()) return done(config.status());

  std::string key = account_id + "/" + r;
  std::shared_ptr<Flight> flight;
  {
    MutexLock lock(mu_);
    auto it = flights_.find(key);
    if (it != flights_.end()) {
      it->second->waiters.push_back(std::move(done));  // join the running poll
      return;
    }
    flight = std::make_shared<Flight>();
    flight->key = key;
    flight->account = found->account;
    flight->config = *config;
    flight->region = r;
    flight->lease_name = "usage/" + key;
    flight->waiters.push_back(std::move(done));
    flight->report.account_id = account_id;
    flight->report.region = r;
    flights_[key] = flight;
  }
  pool_.Submit([this, flight] { Run(flight); });
}

Result<UsagePollReport> UsagePoller::Poll(const std::string& account_id, const std::string& region) {
  auto promise = std::make_shared<std::promise<Result<UsagePollReport>>>();
  auto future = promise->get_future();
  PollAsync(account_id, region, [promise](Result<UsagePollReport> r) { promise->set_value(std::move(r)); });
  return future.get();
}

void UsagePoller::Run(const std::shared_ptr<Flight>& flight) {
  if (flight->report.started_at_ms == 0) flight->report.started_at_ms = clock_.NowUnixMillis();
  auto lease = leases_.AcquireLease(flight->lease_name, options_.instance_id, clock_.NowUnixMillis(),
                                    Millis(options_.lease_ttl));
  if (lease.ok()) {
    flight->lease = std::move(lease).value();
    flight->holds_lease = true;
    ScheduleRenewal(flight);
    return PollAws(flight);
  }
  if (lease.status().code() != StatusCode::kFailedPrecondition) return Finish(flight, lease.status());
  // Another instance polls: wait for the snapshot it writes (the mark is read after the lease was found held).
  auto snapshot = usage_.GetUsageSnapshot(flight->account->account_id, flight->region);
  if (!snapshot.ok() && snapshot.status().code() != StatusCode::kNotFound) return Finish(flight, snapshot.status());
  flight->snapshot_mark = snapshot.ok() ? snapshot->revision : 0;
  if (options_.on_lease_busy) options_.on_lease_busy(flight->lease_name);
  SchedulePoll(flight);
}

void UsagePoller::SchedulePoll(const std::shared_ptr<Flight>& flight) {
  timers_->At(SteadyAfter(options_.lease_poll),
              [this, flight] { pool_.Submit([this, flight] { PollLease(flight); }); });
}

void UsagePoller::PollLease(const std::shared_ptr<Flight>& flight) {
  auto lease = leases_.GetLease(flight->lease_name);
  if (!lease.ok() && lease.status().code() != StatusCode::kNotFound) return Finish(flight, lease.status());
  if (lease.ok() && lease->expires_at_ms > clock_.NowUnixMillis() && lease->holder != options_.instance_id) {
    if (options_.on_lease_busy) options_.on_lease_busy(flight->lease_name);
    return SchedulePoll(flight);
  }
  auto snapshot = usage_.GetUsageSnapshot(flight->account->account_id, flight->region);
  if (!snapshot.ok() && snapshot.status().code() != StatusCode::kNotFound) return Finish(flight, snapshot.status());
  const bool written = snapshot.ok() && snapshot->revision > flight->snapshot_mark;
  const bool released = lease.ok() && lease->expires_at_ms == 0;
  if (!written && !released) {
    // Expired with no snapshot written: its holder died. Poll here (or wait for whoever was faster).
    log::Warn("usage_poll_lease_expired", {{"lease", flight->lease_name}});
    return Run(flight);
  }
  UsagePollReport& report = flight->report;
  report.by_other_instance = true;
  report.snapshot_written = written;
  if (snapshot.ok()) {
    if (written && options_.on_snapshot) options_.on_snapshot(*snapshot);
    report.state = snapshot->state;
    report.error_code = snapshot->error_code;
    report.error = snapshot->error_message;
    report.series = static_cast<int64_t>(snapshot->series.size());
    report.models = static_cast<int64_t>(snapshot->models.size());
    for (const store::SeriesUsage& s : snapshot->series) {
      if (s.counts_against_quota) ++report.counted_series;
      if (!s.model_id) ++report.unmatched_series;
    }
  }
  Finish(flight, report);
}

void UsagePoller::ScheduleRenewal(const std::shared_ptr<Flight>& flight) {
  timers_->At(SteadyAfter(options_.lease_ttl / 3), [this, flight] {
    if (flight->finished) return;
    pool_.Submit([this, flight] {
      if (flight->finished) return;
      auto renewed = leases_.RenewLease(flight->lease_name, options_.instance_id, flight->lease.token,
                                        clock_.NowUnixMillis(), Millis(options_.lease_ttl));
      if (renewed.ok() || renewed.status().code() != StatusCode::kFailedPrecondition) return ScheduleRenewal(flight);
      // Taken over: this poll overran its lease; what it read is still written (both wrote CloudWatch's answers).
      log::Warn("usage_poll_lease_lost", {{"lease", flight->lease_name}});
    });
  });
}

void UsagePoller::PollAws(const std::shared_ptr<Flight>& flight) {
  UsagePollReport& report = flight->report;
  const domain::Account& account = *flight->account;
  auto read = usage_.GetUsageSnapshot(account.account_id, flight->region);
  if (!read.ok() && read.status().code() != StatusCode::kNotFound) return Finish(flight, read.status());
  store::UsageSnapshot base;
  if (read.ok()) {
    base = std::move(read).value();
  } else {
    base.account_id = account.account_id;
    base.region = flight->region;
  }

  Collected collected;
  auto creds = credentials_.For(account, flight->region);
  if (!creds.ok()) {
    collected.aws_error = creds.status();
  } else if (Status merged = ReadAndMerge(*flight, *creds, base, collected); !merged.ok()) {
    return Finish(flight, merged);  // the usage store failed: nothing more can be done now
  }

  const int64_t now_ms = clock_.NowUnixMillis();
  for (int attempt = 1;; ++attempt) {
    store::UsageSnapshot next = base;
    next.teams = SortedTeams(account);
    next.attempted_at_ms = now_ms;
    if (collected.aws_error) {
      // Keep the last good summaries: missing is never zero.
      next.state = store::UsageState::kStale;
      next.error_code = UsageErrorCode(*collected.aws_error);
      next.error_message = SafeMessage(next.error_code);
    } else {
      next.state = store::UsageState::kOk;
      next.polled_at_ms = now_ms;
      next.error_code.clear();
      next.error_message.clear();
      next.models = collected.models;
      next.series = collected.series;
    }
    auto put = usage_.PutUsageSnapshot(next, base.revision);
    if (put.ok()) {
      next.revision = *put;
      if (options_.on_snapshot) options_.on_snapshot(next);
      report.snapshot_written = true;
      report.state = next.state;
      report.error_code = next.error_code;
      if (collected.aws_error) report.error = collected.aws_error->ToString();
      report.series = static_cast<int64_t>(next.series.size());
      report.models = static_cast<int64_t>(next.models.size());
      report.counted_series = report.unmatched_series = 0;
      for (const store::SeriesUsage& s : next.series) {
        if (s.counts_against_quota) ++report.counted_series;
        if (!s.model_id) ++report.unmatched_series;
      }
      return Finish(flight, report);
    }
    if (put.status().code() != StatusCode::kFailedPrecondition || attempt >= kUsageSnapshotWriteAttempts)
      return Finish(flight, put.status());
    // Written meanwhile (an instance that overran its lease): re-read and write over it.
    auto again = usage_.GetUsageSnapshot(account.account_id, flight->region);
    if (!again.ok() && again.status().code() != StatusCode::kNotFound) return Finish(flight, again.status());
    if (again.ok()) {
      base = std::move(again).value();
    } else {
      base = store::UsageSnapshot{};
      base.account_id = account.account_id;
      base.region = flight->region;
    }
  }
}

Status UsagePoller::ReadAndMerge(Flight& flight, const aws::Credentials& creds, const store::UsageSnapshot& base,
                                 Collected& out) {
  UsagePollReport& report = flight.report;
  const std::string& account_id = flight.account->account_id;
  const int64_t now = clock_.NowUnixMillis() / 1000;
  const int64_t now_minute = FloorTo(now, 60);
  const int64_t keep_from = now_minute - kUsageFirstPollSeconds;

  // 1. The series: the ModelIds with traffic and those of the last snapshot.
  aws::ListMetricsRequest list;
  list.metric_namespace = kNamespace;
  list.metric_name = "Invocations";
  list.dimensions = {aws::MetricDimensionFilter{kModelIdDimension, std::nullopt}};
  auto metrics = cloudwatch_.ListMetrics(creds, flight.region, list);
  if (!metrics.ok()) {
    out.aws_error = metrics.status();
    return Status::Ok();
  }
  std::set<std::string> names;
  for (const aws::Metric& m : *metrics)
    for (const aws::MetricDimension& d : m.dimensions)
      if (d.name == kModelIdDimension && !d.value.empty()) names.insert(d.value);
  std::set<std::string> known;
  if (base.polled_at_ms > 0)
    for (const store::SeriesUsage& s : base.series) known.insert(s.series);
  const std::set<std::string> listed = names;
  for (const store::SeriesUsage& s : base.series) names.insert(s.series);
  std::vector<std::string> series(names.begin(), names.end());
  if (series.size() > store::kMaxUsageSeriesPerSnapshot) {
    report.series_dropped = static_cast<int64_t>(series.size() - store::kMaxUsageSeriesPerSnapshot);
    series.resize(store::kMaxUsageSeriesPerSnapshot);
    log::Warn("usage_poll_series_dropped", {{"account_id", account_id}, {"dropped", report.series_dropped}});
  }

  // 2. One GetMetricData call per window: new series over 7 days, known ones from the last poll − the overlap.
  int64_t incremental_from = keep_from;
  if (base.polled_at_ms > 0)
    incremental_from = std::max(keep_from, FloorTo(base.polled_at_ms / 1000 - kUsageRevisionOverlapSeconds, 60));
  std::vector<std::map<int64_t, domain::UsagePoint>> fetched(series.size());
  for (bool incremental : {false, true}) {
    std::vector<aws::MetricQuery> queries;
    std::vector<std::pair<size_t, size_t>> origin;  // (series index, metric index) per query
    for (size_t i = 0; i < series.size(); ++i) {
      if (known.contains(series[i]) != incremental) continue;
      for (size_t k = 0; k < kMetricCount; ++k) {
        aws::MetricQuery q;
        q.id = "s" + std::to_string(i) + "_m" + std::to_string(k);
        q.metric_namespace = kNamespace;
        q.metric_name = kMetrics[k].name;
        q.dimensions = {aws::MetricDimension{kModelIdDimension, series[i]}};
        q.period_seconds = 60;
        q.stat = "Sum";
        queries.push_back(std::move(q));
        origin.emplace_back(i, k);
      }
    }
    if (queries.empty()) continue;
    const int64_t from = incremental ? incremental_from : keep_from;
    ++report.metric_calls;
    auto data = cloudwatch_.GetMetricData(creds, flight.region, queries, AtSeconds(from), clock_.Now());
    if (!data.ok()) {
      out.aws_error = data.status();
      return Status::Ok();
    }
    for (size_t r = 0; r < data->results.size() && r < origin.size(); ++r) {
      const aws::MetricDataResult& result = data->results[r];
      const auto [i, k] = origin[r];
      if (result.status != aws::MetricDataStatus::kComplete)
        report.partial.push_back(PartialMetric{series[i], kMetrics[k].name, result.status_text});
      for (size_t p = 0; p < result.timestamps.size() && p < result.values.size(); ++p) {
        const double v = result.values[p];
        if (!std::isfinite(v) || v < 0) continue;  // CloudWatch never sends these for counts; never store them
        const int64_t minute = FloorTo(
            std::chrono::duration_cast<std::chrono::seconds>(result.timestamps[p].time_since_epoch()).count(), 60);
        if (minute < keep_from) continue;
        domain::UsagePoint& point = fetched[i][minute];
        point.minute = minute;
        point.*kMetrics[k].field = std::llround(v);
        ++report.points_read;
      }
    }
  }

  // 3. Merge into the hour records and summarise each series over its 7 days.
  auto cached = quota_.Snapshot(account_id, flight.region);
  if (!cached.ok())
    log::Warn("usage_poll_quota_cache_unreadable", {{"account_id", account_id}, {"error", cached.status().ToString()}});
  const domain::QuotaSnapshot* quotas = cached.ok() ? cached->get() : nullptr;
  const int64_t from_hour = FloorTo(keep_from, store::kUsageHourSeconds);
  const int64_t to_hour = FloorTo(now, store::kUsageHourSeconds);
  std::map<std::string, std::map<int64_t, domain::UsagePoint>> counted;  // by config model, by minute
  for (size_t i = 0; i < series.size(); ++i) {
    ASSIGN_OR_RETURN(std::vector<store::UsageHour> stored,
                     usage_.ListUsageHours(account_id, flight.region, series[i], from_hour, to_hour));
    std::map<int64_t, std::map<int64_t, domain::UsagePoint>> hours;  // by hour, by minute
    for (const store::UsageHour& h : stored)
      for (const domain::UsagePoint& p : h.points) hours[h.hour][p.minute] = p;
    std::set<int64_t> touched;
    for (const auto& [minute, point] : fetched[i]) {
      const int64_t hour = FloorTo(minute, store::kUsageHourSeconds);
      auto [it, inserted] = hours[hour].try_emplace(minute, point);
      if (!inserted) Overlay(it->second, point);
      touched.insert(hour);
    }
    std::vector<store::UsageHour> writes;
    for (int64_t hour : touched) {
      store::UsageHour h;
      h.account_id = account_id;
      h.region = flight.region;
      h.series = series[i];
      h.hour = hour;
      h.points = Values(hours[hour]);
      h.expires_at = hour + store::kUsageHourRetentionSeconds;
      writes.push_back(std::move(h));
      if (writes.size() == kMaxHoursPerPut || hour == *touched.rbegin()) {
        RETURN_IF_ERROR(usage_.PutUsageHours(writes));
        report.hours_written += static_cast<int64_t>(writes.size());
        writes.clear();
      }
    }

    std::vector<domain::UsagePoint> points;
    for (const auto& [hour, minutes] : hours)
      for (const auto& [minute, p] : minutes)
        if (minute >= keep_from) points.push_back(p);
    // A series of the last snapshot that CloudWatch no longer lists and that has no minute left in the 7 days
    // leaves the snapshot (its hour records expire).
    if (points.empty() && !listed.contains(series[i])) continue;
    domain::ModelIdMatch match = domain::MatchModelId(*flight.config, series[i]);
    const domain::ModelSpec* spec = match.model_id ? FindSpec(*flight.config, *match.model_id) : nullptr;
    const bool counts = match.counts_against_config_quota && spec != nullptr;
    const int burndown = spec ? spec->output_token_burndown : domain::kDefaultOutputTokenBurndown;
    ASSIGN_OR_RETURN(
        domain::ModelUsage usage,
        domain::SummarizeUsage(points, now, burndown, counts ? QuotasOf(*spec, quotas) : domain::UsageQuotas{}));
    store::SeriesUsage s;
    s.series = series[i];
    s.scope = std::string(domain::ModelIdScopeName(match.id.scope));
    s.model_id = match.model_id;
    s.counts_against_quota = counts;
    s.usage = std::move(usage);
    out.series.push_back(std::move(s));
    if (counts) {
      auto& sum = counted[*match.model_id];
      for (const domain::UsagePoint& p : points) {
        auto [it, inserted] = sum.try_emplace(p.minute, p);
        if (!inserted) it->second = domain::SumUsagePoints(it->second, p);
      }
    }
  }

  // 4. Per config model: its counted series against its cached quotas.
  for (const domain::ModelSpec& spec : flight.config->models) {
    auto it = counted.find(spec.model_id);
    if (!spec.enabled && it == counted.end()) continue;
    std::vector<domain::UsagePoint> points =
        it == counted.end() ? std::vector<domain::UsagePoint>{} : Values(it->second);
    ASSIGN_OR_RETURN(domain::ModelUsage usage,
                     domain::SummarizeUsage(points, now, spec.output_token_burndown, QuotasOf(spec, quotas)));
    out.models.push_back(store::ModelUsageEntry{spec.model_id, std::move(usage)});
  }
  std::sort(out.models.begin(), out.models.end(),
            [](const store::ModelUsageEntry& a, const store::ModelUsageEntry& b) { return a.model_id < b.model_id; });
  out.models.erase(std::unique(out.models.begin(), out.models.end(),
                               [](const auto& a, const auto& b) { return a.model_id == b.model_id; }),
                   out.models.end());
  return Status::Ok();
}

void UsagePoller::Finish(const std::shared_ptr<Flight>& flight, Result<UsagePollReport> result) {
  flight->finished = true;
  if (flight->holds_lease) {
    if (Status released = leases_.ReleaseLease(flight->lease_name, options_.instance_id, flight->lease.token);
        !released.ok())
      log::Error("usage_poll_lease_release_failed", {{"lease", flight->lease_name}, {"error", released.ToString()}});
  }
  UsagePollReport& report = flight->report;
  report.finished_at_ms = clock_.NowUnixMillis();
  if (result.ok()) result->finished_at_ms = report.finished_at_ms;
  const std::string outcome = !result.ok()                                 ? "failed"
                              : result->by_other_instance                  ? "other_instance"
                              : result->state == store::UsageState::kStale ? "stale"
                                                                           : "ok";
  if (options_.metrics) {
    options_.metrics
        ->GetCounter("ap_usage_poll_total", "Usage polls of one account and region, by outcome", {{"outcome", outcome}})
        .Add();
    options_.metrics->GetHistogram("ap_usage_poll_duration_seconds", "Wall time of one account's usage poll")
        .Observe(static_cast<double>(report.finished_at_ms - report.started_at_ms) / 1000.0);
    if (result.ok()) {
      options_.metrics->GetCounter("ap_usage_points_read_total", "CloudWatch datapoints read by usage polls")
          .Add(static_cast<double>(result->points_read));
      options_.metrics
          ->GetCounter("ap_usage_partial_metrics_total", "Metrics CloudWatch served incompletely to usage polls")
          .Add(static_cast<double>(result->partial.size()));
    }
  }
  log::Info("usage_poll", {{"account_id", report.account_id},
                           {"region", report.region},
                           {"outcome", outcome},
                           {"error", result.ok() ? result->error : result.status().ToString()},
                           {"series", result.ok() ? result->series : 0},
                           {"points", result.ok() ? result->points_read : 0},
                           {"duration_ms", report.finished_at_ms - report.started_at_ms}});
  Complete(flight, result);
}

void UsagePoller::Complete(const std::shared_ptr<Flight>& flight, const Result<UsagePollReport>& result) {
  std::vector<Done> waiters;
  {
    MutexLock lock(mu_);
    waiters.swap(flight->waiters);
    flights_.erase(flight->key);
  }
  if (result.ok() && options_.on_polled) options_.on_polled(result->account_id, result->region);
  // The waiters last: once one is called, its caller may destroy this object (nothing below touches `this`).
  for (Done& d : waiters) d(result);
}

}  // namespace ap::service
