#include "service/usage_service.h"

#include <algorithm>
#include <map>
#include <utility>

#include "domain/user.h"

namespace ap::service {
namespace {

std::string CacheKey(const std::string& account_id, const std::string& region) { return account_id + "/" + region; }

int64_t FloorHour(int64_t t) {
  int64_t h = t / store::kUsageHourSeconds * store::kUsageHourSeconds;
  return h > t ? h - store::kUsageHourSeconds : h;  // negative times floor down too
}

bool HasAnyFigure(const domain::UsagePoint& p) {
  return p.invocations || p.input_tokens || p.output_tokens || p.throttles || p.cache_read || p.cache_write;
}

}  // namespace

UsageService::UsageService(store::UsageStore& store, const Clock& clock, AccountService& accounts,
                           QuotaConfigService& config, Duration cache_ttl)
    : store_(store), clock_(clock), accounts_(accounts), config_(config), cache_(clock, cache_ttl) {}

std::shared_ptr<const store::UsageSnapshot> UsageService::Unwrap(const std::shared_ptr<const Cached>& cached) {
  if (!cached || !cached->snapshot) return nullptr;
  // Aliasing: the snapshot lives as long as its holder, and its address is the holder's identity.
  return std::shared_ptr<const store::UsageSnapshot>(cached, &*cached->snapshot);
}

Result<std::shared_ptr<const store::UsageSnapshot>> UsageService::Snapshot(const std::string& account_id,
                                                                           const std::string& region) {
  // GetOrLoad: a load that raced a Publish is not cached, so a poll here is never hidden by an older read.
  ASSIGN_OR_RETURN(auto cached, cache_.GetOrLoad(CacheKey(account_id, region), [&]() -> Result<Cached> {
    auto stored = store_.GetUsageSnapshot(account_id, region);
    if (stored.ok()) return Cached{std::move(stored).value()};
    if (stored.status().code() == StatusCode::kNotFound) return Cached{};
    return stored.status();
  }));
  return Unwrap(cached);
}

void UsageService::Publish(const store::UsageSnapshot& snapshot) {
  cache_.Replace(CacheKey(snapshot.account_id, snapshot.region), std::make_shared<const Cached>(Cached{snapshot}));
}

Result<HeadroomListing> UsageService::Headroom(const RequestContext& ctx, const std::string& team,
                                               const std::string& cursor, int64_t limit) {
  const Principal& p = ctx.principal;
  if (!team.empty()) RETURN_IF_ERROR(domain::ValidateTeamId(team, "team"));
  if (!p.is_admin()) {
    if (team.empty()) return InvalidArgument("name one of your teams", "team");
    if (std::find(p.teams.begin(), p.teams.end(), team) == p.teams.end())
      return PermissionDenied("you are not in team " + team);
  }
  if (limit < 1 || limit > kMaxHeadroomPage)
    return InvalidArgument("must be between 1 and " + std::to_string(kMaxHeadroomPage), "limit");
  ASSIGN_OR_RETURN(store::HeadroomPage page, store_.ListHeadroom(team, cursor, limit));
  ASSIGN_OR_RETURN(auto config, config_.Get());
  HeadroomListing out;
  out.team = team;
  out.next = std::move(page.next);
  for (store::HeadroomEntry& e : page.items) {
    // Account reads are cached lookups: O(page). The index follows the snapshots as of their last write, so the
    // account's current teams and regions decide.
    auto account = accounts_.Lookup(e.account_id);
    if (!account.ok()) {
      if (account.status().code() == StatusCode::kNotFound) continue;
      return account.status();
    }
    const domain::Account& a = **account;
    if (a.status != domain::AccountStatus::kActive || !AccountService::Visible(p, a)) continue;
    if (!team.empty() && std::find(a.teams.begin(), a.teams.end(), team) == a.teams.end()) continue;
    if (std::find(a.regions.begin(), a.regions.end(), e.region) == a.regions.end()) continue;
    HeadroomItem item;
    item.account_name = a.account_name;
    const domain::ModelSpec* m = domain::FindModel(*config, e.model_id);
    item.display_name = m ? m->display_name : e.model_id;
    item.entry = std::move(e);
    out.items.push_back(std::move(item));
  }
  return out;
}

std::vector<UsageHistoryPoint> HourlyPeaks(const std::vector<domain::UsagePoint>& points, int64_t from_hour,
                                           int64_t to_hour, int output_token_burndown) {
  std::vector<UsageHistoryPoint> out;
  if (to_hour < from_hour) return out;
  const int64_t hours = (to_hour - from_hour) / store::kUsageHourSeconds + 1;
  out.resize(static_cast<size_t>(hours));
  for (int64_t i = 0; i < hours; ++i) out[static_cast<size_t>(i)].hour = from_hour + i * store::kUsageHourSeconds;
  auto max_into = [](std::optional<int64_t>& acc, std::optional<int64_t> v) {
    if (v && (!acc || *v > *acc)) acc = v;
  };
  for (const domain::UsagePoint& pt : points) {
    const int64_t hour = FloorHour(pt.minute);
    if (hour < from_hour || hour > to_hour || !HasAnyFigure(pt)) continue;
    UsageHistoryPoint& h = out[static_cast<size_t>((hour - from_hour) / store::kUsageHourSeconds)];
    ++h.minutes_with_data;
    max_into(h.requests_peak, domain::RequestsOf(pt));
    max_into(h.weighted_tokens_peak, domain::QuotaWeightedTokens(pt, output_token_burndown));
    if (pt.throttles) h.throttles = h.throttles.value_or(0) + *pt.throttles;
  }
  return out;
}

Result<UsageHistory> UsageService::History(const std::string& account_id, const UsageHistoryQuery& q) {
  ASSIGN_OR_RETURN(auto account, accounts_.Lookup(account_id));
  UsageHistory h;
  h.account_id = account_id;
  ASSIGN_OR_RETURN(h.region, AccountRegion(*account, q.region));
  if (q.model_id.empty()) return InvalidArgument("is required", "model_id");
  ASSIGN_OR_RETURN(auto config, config_.Get());
  const domain::ModelSpec* model = domain::FindModel(*config, q.model_id);
  if (!model) return InvalidArgument("model \"" + q.model_id + "\" is not in the quota config", "model_id");
  h.model_id = q.model_id;
  h.output_token_burndown = model->output_token_burndown;

  const int64_t now_hour = FloorHour(clock_.NowUnixMillis() / 1000);
  h.to_hour = q.to ? FloorHour(*q.to) : now_hour;
  h.from_hour = q.from ? FloorHour(*q.from) : h.to_hour - kDefaultUsageHistoryHours * store::kUsageHourSeconds;
  if (h.from_hour > h.to_hour) return InvalidArgument("must not be after to", "from");
  if ((h.to_hour - h.from_hour) / store::kUsageHourSeconds + 1 > kMaxUsageHistoryHours)
    return InvalidArgument("the range spans more than " + std::to_string(kMaxUsageHistoryHours) + " hours",
                           q.from ? "from" : "to");

  // The model's counted series, named by the snapshot (the raw ModelId values the hour records are keyed by).
  ASSIGN_OR_RETURN(auto snapshot, Snapshot(account_id, h.region));
  std::map<int64_t, domain::UsagePoint> minutes;
  if (snapshot) {
    for (const store::SeriesUsage& s : snapshot->series) {
      if (!s.counts_against_quota || s.model_id != q.model_id) continue;
      ASSIGN_OR_RETURN(std::vector<store::UsageHour> hours,
                       store_.ListUsageHours(account_id, h.region, s.series, h.from_hour, h.to_hour));
      for (const store::UsageHour& hour : hours) {
        for (const domain::UsagePoint& pt : hour.points) {
          auto [it, inserted] = minutes.try_emplace(pt.minute, pt);
          if (!inserted) it->second = domain::SumUsagePoints(it->second, pt);
        }
      }
    }
  }
  std::vector<domain::UsagePoint> points;
  points.reserve(minutes.size());
  for (auto& [minute, pt] : minutes) points.push_back(pt);
  h.items = HourlyPeaks(points, h.from_hour, h.to_hour, h.output_token_burndown);
  return h;
}

}  // namespace ap::service
