// Fakes for the usage poll tests: a scripted CloudWatch (datapoints per (ModelId, metric), a status per result,
// failures, calls recorded, a CallGate to hold calls) and InMemoryUsageStore, a plain map-backed store::UsageStore
// (the real backends are tested by the store conformance suite).
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include "aws/clients.h"
#include "call_gate.h"
#include "store/usage_store.h"

namespace ap::testing {

class FakeCloudWatch : public aws::CloudWatch {
 public:
  struct Call {
    std::vector<aws::MetricQuery> queries;
    int64_t start = 0;  // epoch seconds
    int64_t end = 0;
  };

  // The ModelIds ListMetrics reports.
  void SetModelIds(std::vector<std::string> ids) {
    std::lock_guard lock(mu_);
    ids_ = std::move(ids);
  }
  // A datapoint of (model id, metric) at `minute` (epoch seconds); replaces one set before.
  void SetPoint(const std::string& id, const std::string& metric, int64_t minute, double value) {
    std::lock_guard lock(mu_);
    points_[{id, metric}][minute] = value;
  }
  void ErasePoint(const std::string& id, const std::string& metric, int64_t minute) {
    std::lock_guard lock(mu_);
    points_[{id, metric}].erase(minute);
  }
  void SetStatus(const std::string& id, const std::string& metric, aws::MetricDataStatus status, std::string text) {
    std::lock_guard lock(mu_);
    statuses_[{id, metric}] = {status, std::move(text)};
  }
  void FailListMetrics(Status s) {
    std::lock_guard lock(mu_);
    list_error_ = std::move(s);
  }
  void FailGetMetricData(Status s) {
    std::lock_guard lock(mu_);
    data_error_ = std::move(s);
  }
  CallGate& gate() { return gate_; }
  std::vector<Call> data_calls() const {
    std::lock_guard lock(mu_);
    return data_calls_;
  }
  int list_calls() const {
    std::lock_guard lock(mu_);
    return list_calls_;
  }
  std::string last_key() const {
    std::lock_guard lock(mu_);
    return last_key_;
  }

  Result<aws::MetricDataResponse> GetMetricData(const aws::Credentials& creds, const std::string&,
                                                const std::vector<aws::MetricQuery>& queries, TimePoint start,
                                                TimePoint end, aws::MetricScanBy) override {
    gate_.Pass();
    std::lock_guard lock(mu_);
    auto secs = [](TimePoint t) {
      return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    };
    data_calls_.push_back({queries, secs(start), secs(end)});
    last_key_ = creds.access_key_id;
    if (!data_error_.ok()) return data_error_;
    aws::MetricDataResponse response;
    for (const aws::MetricQuery& q : queries) {
      aws::MetricDataResult r;
      r.id = q.id;
      r.status_text = "Complete";
      std::pair<std::string, std::string> key{q.dimensions.at(0).value, q.metric_name};
      if (auto s = statuses_.find(key); s != statuses_.end()) std::tie(r.status, r.status_text) = s->second;
      if (auto p = points_.find(key); p != points_.end()) {
        for (const auto& [minute, value] : p->second) {
          if (minute < secs(start) || minute >= secs(end)) continue;
          r.timestamps.push_back(TimePoint(std::chrono::seconds(minute)));
          r.values.push_back(value);
        }
      }
      response.results.push_back(std::move(r));
    }
    return response;
  }

  Result<std::vector<aws::Metric>> ListMetrics(const aws::Credentials& creds, const std::string&,
                                               const aws::ListMetricsRequest& request) override {
    gate_.Pass();
    std::lock_guard lock(mu_);
    ++list_calls_;
    last_key_ = creds.access_key_id;
    if (!list_error_.ok()) return list_error_;
    std::vector<aws::Metric> metrics;
    for (const std::string& id : ids_)
      metrics.push_back({request.metric_namespace, request.metric_name, {{"ModelId", id}}});
    return metrics;
  }

 private:
  mutable std::mutex mu_;
  CallGate gate_;
  std::vector<std::string> ids_;
  std::map<std::pair<std::string, std::string>, std::map<int64_t, double>> points_;
  std::map<std::pair<std::string, std::string>, std::pair<aws::MetricDataStatus, std::string>> statuses_;
  Status list_error_;
  Status data_error_;
  std::vector<Call> data_calls_;
  int list_calls_ = 0;
  std::string last_key_;
};

class InMemoryUsageStore : public store::UsageStore {
 public:
  // Makes the next `n` PutUsageSnapshot calls fail with FailedPrecondition (a concurrent writer).
  void ConflictNextPuts(int n) {
    std::lock_guard lock(mu_);
    conflicts_ = n;
  }
  int snapshot_puts() const {
    std::lock_guard lock(mu_);
    return puts_;
  }

  Status PutUsageHours(const std::vector<store::UsageHour>& hours) override {
    std::lock_guard lock(mu_);
    if (hours.size() > 100) return InvalidArgument("too many hours", "hours");
    for (const store::UsageHour& h : hours) {
      if (h.hour % store::kUsageHourSeconds != 0) return InvalidArgument("hour", "hour");
      if (h.points.size() > 60) return InvalidArgument("points", "points");
      int64_t last = -1;
      for (const domain::UsagePoint& p : h.points) {
        if (p.minute < h.hour || p.minute >= h.hour + 3600 || p.minute % 60 != 0 || p.minute <= last)
          return InvalidArgument("points", "points");
        last = p.minute;
        RETURN_IF_ERROR(domain::ValidateUsagePoint(p));
      }
    }
    for (const store::UsageHour& h : hours) hours_[{h.account_id, h.region, h.series, h.hour}] = h;
    return Status::Ok();
  }
  Result<std::vector<store::UsageHour>> ListUsageHours(const std::string& account_id, const std::string& region,
                                                       const std::string& series, int64_t from_hour,
                                                       int64_t to_hour) override {
    std::lock_guard lock(mu_);
    if (from_hour % store::kUsageHourSeconds != 0) return InvalidArgument("from_hour", "from_hour");
    if (to_hour < from_hour || (to_hour - from_hour) / store::kUsageHourSeconds + 1 > store::kMaxUsageHoursPerRead)
      return InvalidArgument("to_hour", "to_hour");
    std::vector<store::UsageHour> out;
    for (auto it = hours_.lower_bound({account_id, region, series, from_hour});
         it != hours_.end() && std::get<0>(it->first) == account_id && std::get<1>(it->first) == region &&
         std::get<2>(it->first) == series && std::get<3>(it->first) <= to_hour;
         ++it)
      out.push_back(it->second);
    return out;
  }
  Result<int64_t> DeleteExpiredUsageHours(int64_t now, int64_t limit) override {
    std::lock_guard lock(mu_);
    int64_t n = 0;
    for (auto it = hours_.begin(); it != hours_.end() && n < limit;) {
      if (it->second.expires_at <= now) {
        it = hours_.erase(it);
        ++n;
      } else {
        ++it;
      }
    }
    return n;
  }
  Result<store::UsageSnapshot> GetUsageSnapshot(const std::string& account_id, const std::string& region) override {
    std::lock_guard lock(mu_);
    auto it = snapshots_.find({account_id, region});
    if (it == snapshots_.end()) return NotFound("no usage for " + account_id + "/" + region);
    return it->second;
  }
  Result<std::vector<store::UsageSnapshot>> GetUsageSnapshots(
      const std::vector<store::UsageSnapshotKey>& keys) override {
    std::lock_guard lock(mu_);
    std::vector<store::UsageSnapshot> out;
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& k : keys) {
      auto it = snapshots_.find({k.account_id, k.region});
      if (it != snapshots_.end() && seen.insert(it->first).second) out.push_back(it->second);
    }
    return out;
  }
  Result<int64_t> PutUsageSnapshot(const store::UsageSnapshot& snapshot, int64_t expected_revision) override {
    std::lock_guard lock(mu_);
    ++puts_;
    if (conflicts_ > 0) {
      --conflicts_;
      return FailedPrecondition("revision changed");
    }
    if (snapshot.series.size() > store::kMaxUsageSeriesPerSnapshot) return InvalidArgument("series", "series");
    auto sorted_unique = [](const auto& v, auto key) {
      for (size_t i = 1; i < v.size(); ++i)
        if (!(key(v[i - 1]) < key(v[i]))) return false;
      return true;
    };
    if (!sorted_unique(snapshot.series, [](const store::SeriesUsage& s) { return s.series; }))
      return InvalidArgument("series", "series");
    if (!sorted_unique(snapshot.models, [](const store::ModelUsageEntry& m) { return m.model_id; }))
      return InvalidArgument("models", "models");
    if (!sorted_unique(snapshot.teams, [](const std::string& t) { return t; }))
      return InvalidArgument("teams", "teams");
    auto& stored = snapshots_[{snapshot.account_id, snapshot.region}];
    if (stored.revision != expected_revision) {
      if (stored.revision == 0) snapshots_.erase({snapshot.account_id, snapshot.region});
      return FailedPrecondition("revision changed");
    }
    stored = snapshot;
    stored.revision = expected_revision + 1;
    return stored.revision;
  }
  Status DeleteAccountUsage(const std::string& account_id, const std::vector<std::string>& regions) override {
    std::lock_guard lock(mu_);
    for (const std::string& r : regions) snapshots_.erase({account_id, r});
    std::erase_if(hours_, [&](const auto& e) {
      return std::get<0>(e.first) == account_id &&
             std::find(regions.begin(), regions.end(), std::get<1>(e.first)) != regions.end();
    });
    return Status::Ok();
  }
  // One page holding the whole index (tests only).
  Result<store::HeadroomPage> ListHeadroom(const std::string& team, const std::string&, int64_t) override {
    std::lock_guard lock(mu_);
    store::HeadroomPage page;
    for (const auto& [key, s] : snapshots_) {
      if (!team.empty() && std::find(s.teams.begin(), s.teams.end(), team) == s.teams.end()) continue;
      for (auto& e : store::HeadroomEntriesOf(s)) page.items.push_back(std::move(e));
    }
    std::sort(page.items.begin(), page.items.end(), [](const auto& a, const auto& b) {
      return std::tie(a.headroom, a.account_id, a.region, a.model_id) <
             std::tie(b.headroom, b.account_id, b.region, b.model_id);
    });
    return page;
  }

  size_t hour_count() const {
    std::lock_guard lock(mu_);
    return hours_.size();
  }

 private:
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, std::string, int64_t>, store::UsageHour> hours_;
  std::map<std::pair<std::string, std::string>, store::UsageSnapshot> snapshots_;
  int conflicts_ = 0;
  int puts_ = 0;
};

}  // namespace ap::testing
