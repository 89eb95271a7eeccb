#include "api/usage_codec.h"

#include <algorithm>

#include "common/clock.h"

namespace ap::api {
namespace {

json::value IntOrNull(const std::optional<int64_t>& v) {
  if (!v) return nullptr;
  return *v;
}

json::value NonEmptyOrNull(const std::string& s) {
  if (s.empty()) return nullptr;
  return json::string(s);
}

// Window bounds are whole epoch seconds, never "never".
json::string Iso(int64_t epoch_seconds) { return json::string(FormatIso8601Millis(epoch_seconds * 1000)); }

json::object UsageStatToJson(const domain::UsageStat& s) {
  return {{"peak", IntOrNull(s.peak)},
          {"p95", IntOrNull(s.p95)},
          {"minutes_with_data", s.minutes_with_data},
          {"minutes_without_data", s.minutes_without_data}};
}

json::object WindowUsageToJson(const domain::WindowUsage& w) {
  return {{"window", domain::UsageWindowKey(w.window)},
          {"start", Iso(w.start)},
          {"end", Iso(w.end)},
          {"requests", UsageStatToJson(w.requests)},
          {"weighted_tokens", UsageStatToJson(w.weighted_tokens)},
          {"throttles", IntOrNull(w.throttles)},
          {"throttled_minutes", w.throttled_minutes},
          {"throttle_minutes_without_data", w.throttle_minutes_without_data},
          {"headroom_tpm", NumberOrNull(w.headroom_tpm)},
          {"headroom_rpm", NumberOrNull(w.headroom_rpm)}};
}

}  // namespace

json::object UsageStatusToJson(const store::UsageSnapshot* s) {
  if (!s) {
    return {{"state", "never"},
            {"polled_at", nullptr},
            {"attempted_at", nullptr},
            {"error_code", nullptr},
            {"error_message", nullptr}};
  }
  const bool stale = s->state == store::UsageState::kStale;
  return {{"state", stale ? "stale" : "ok"},
          {"polled_at", TimeOrNull(s->polled_at_ms)},
          {"attempted_at", TimeOrNull(s->attempted_at_ms)},
          {"error_code", stale ? NonEmptyOrNull(s->error_code) : json::value(nullptr)},
          {"error_message", stale ? NonEmptyOrNull(s->error_message) : json::value(nullptr)}};
}

json::object ModelUsageToJson(const domain::ModelUsage& u) {
  json::array windows;
  for (const domain::WindowUsage& w : u.windows) windows.push_back(WindowUsageToJson(w));
  return {{"output_token_burndown", u.output_token_burndown},
          {"quota_tpm", NumberOrNull(u.quotas.tpm)},
          {"quota_rpm", NumberOrNull(u.quotas.rpm)},
          {"windows", std::move(windows)}};
}

json::value ModelUsageOf(const store::UsageSnapshot* s, const std::string& model_id) {
  if (!s) return nullptr;
  // The poll summarises every enabled model, with or without traffic; the contract shows usage only for a model
  // the poll saw a series of (counted or not), so that "no series" reads as null rather than an empty summary.
  if (std::none_of(s->series.begin(), s->series.end(),
                   [&](const store::SeriesUsage& x) { return x.model_id == model_id; }))
    return nullptr;
  // models is sorted by model_id.
  auto it = std::lower_bound(s->models.begin(), s->models.end(), model_id,
                             [](const store::ModelUsageEntry& e, const std::string& k) { return e.model_id < k; });
  if (it == s->models.end() || it->model_id != model_id) return nullptr;
  return ModelUsageToJson(it->usage);
}

json::array SeriesUsageToJson(const store::UsageSnapshot* s) {
  json::array out;
  if (!s) return out;
  for (const store::SeriesUsage& series : s->series) {
    out.push_back(json::object{{"series", series.series},
                               {"scope", series.scope},
                               {"model_id", series.model_id ? json::value(*series.model_id) : json::value(nullptr)},
                               {"counts_against_quota", series.counts_against_quota},
                               {"usage", ModelUsageToJson(series.usage)}});
  }
  return out;
}

json::object HeadroomListingToJson(const service::HeadroomListing& l) {
  json::array items;
  for (const service::HeadroomItem& i : l.items) {
    const store::HeadroomEntry& e = i.entry;
    items.push_back(json::object{{"account_id", e.account_id},
                                 {"account_name", i.account_name},
                                 {"region", e.region},
                                 {"model_id", e.model_id},
                                 {"display_name", i.display_name},
                                 {"headroom", NumberOrNull(e.headroom)},
                                 {"headroom_tpm", NumberOrNull(e.headroom_tpm)},
                                 {"headroom_rpm", NumberOrNull(e.headroom_rpm)},
                                 {"polled_at", TimeOrNull(e.polled_at_ms)}});
  }
  return {{"team", NonEmptyOrNull(l.team)}, {"items", std::move(items)}, {"next", NonEmptyOrNull(l.next)}};
}

json::object UsageHistoryToJson(const service::UsageHistory& h) {
  json::array items;
  for (const service::UsageHistoryPoint& p : h.items) {
    items.push_back(json::object{{"hour", Iso(p.hour)},
                                 {"minutes_with_data", p.minutes_with_data},
                                 {"requests_peak", IntOrNull(p.requests_peak)},
                                 {"weighted_tokens_peak", IntOrNull(p.weighted_tokens_peak)},
                                 {"throttles", IntOrNull(p.throttles)}});
  }
  return {{"account_id", h.account_id}, {"region", h.region},
          {"model_id", h.model_id},     {"output_token_burndown", h.output_token_burndown},
          {"from", Iso(h.from_hour)},   {"to", Iso(h.to_hour)},
          {"items", std::move(items)}};
}

json::value RowUsageStateToJson(const std::optional<store::UsageState>& state) {
  if (!state) return "never";
  return *state == store::UsageState::kStale ? "stale" : "ok";
}

json::object RowHeadroomToJson(const std::vector<service::RowHeadroom>& headroom) {
  json::object out;
  for (const service::RowHeadroom& h : headroom) {
    out[h.model_id] = json::object{{"headroom", NumberOrNull(h.headroom)},
                                   {"headroom_tpm", NumberOrNull(h.headroom_tpm)},
                                   {"headroom_rpm", NumberOrNull(h.headroom_rpm)},
                                   {"throttles", IntOrNull(h.throttles)}};
  }
  return out;
}

}  // namespace ap::api
