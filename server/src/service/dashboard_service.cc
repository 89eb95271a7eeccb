#include "service/dashboard_service.h"
#include "service/paging.h"

#include <algorithm>
#include <map>
#include <utility>

#include "store/cursor.h"

namespace ap::service {
namespace {

// The caller's totals: the fleet for admins, else the team-set scopes of the accounts they may see.
Result<store::ScopeAggregate> ReadTotals(store::QuotaCacheStore& store, const Principal& principal) {
  if (principal.is_admin()) return store.GetFleetAggregate();
  if (principal.teams.empty()) return store::ScopeAggregate{};
  ASSIGN_OR_RETURN(std::vector<store::ScopeAggregate> scopes, store.GetTeamAggregates(principal.teams));
  return SumScopes(scopes);
}

// The page's usage snapshots in one batch read (O(page)): each row's state and its dashboard models' headroom.
Status FillUsage(store::UsageStore& usage, DashboardStats* stats) {
  std::vector<store::UsageSnapshotKey> keys;
  keys.reserve(stats->rows.size());
  for (const DashboardRow& row : stats->rows) keys.push_back({row.account_id, row.region});
  if (keys.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(std::vector<store::UsageSnapshot> snapshots, usage.GetUsageSnapshots(keys));
  std::map<std::pair<std::string, std::string>, const store::UsageSnapshot*> by_pair;
  for (const store::UsageSnapshot& s : snapshots) by_pair[{s.account_id, s.region}] = &s;
  for (DashboardRow& row : stats->rows) {
    auto it = by_pair.find({row.account_id, row.region});
    if (it == by_pair.end()) continue;
    const store::UsageSnapshot& snap = *it->second;
    row.usage_state = snap.state;
    for (const ModelTotals& mt : stats->models) {
      auto m = std::find_if(snap.models.begin(), snap.models.end(),
                            [&](const store::ModelUsageEntry& e) { return e.model_id == mt.model.model_id; });
      if (m == snap.models.end()) continue;
      for (const domain::WindowUsage& w : m->usage.windows) {
        if (w.window != domain::UsageWindow::k24h) continue;
        if (!w.headroom_tpm && !w.headroom_rpm) break;
        RowHeadroom h{mt.model.model_id, 0, w.headroom_tpm, w.headroom_rpm, w.throttles};
        h.headroom = std::min(w.headroom_tpm.value_or(w.headroom_rpm.value_or(0)),
                              w.headroom_rpm.value_or(w.headroom_tpm.value_or(0)));
        row.headroom.push_back(std::move(h));
        break;
      }
    }
  }
  return Status::Ok();
}

}  // namespace

store::ScopeAggregate SumScopes(const std::vector<store::ScopeAggregate>& scopes) {
  store::ScopeAggregate out;
  std::map<std::string, store::CodeAggregate> codes;
  for (const store::ScopeAggregate& s : scopes) {
    out.active_accounts += s.active_accounts;
    out.account_regions += s.account_regions;
    for (const store::CodeAggregate& c : s.codes) {
      store::CodeAggregate& sum = codes[c.quota_code];
      sum.quota_code = c.quota_code;
      sum.sum += c.sum;
      sum.fresh += c.fresh;
      sum.stale += c.stale;
    }
  }
  for (auto& [code, c] : codes) out.codes.push_back(std::move(c));
  return out;
}

ModelTotals ModelTotalsOf(const store::ScopeAggregate& scope, const domain::ModelSpec& m) {
  ModelTotals mt;
  mt.model = m;
  for (domain::QuotaDimension d : domain::kAllDimensions) {
    bool one_m = d == domain::QuotaDimension::kTpm1m || d == domain::QuotaDimension::kRpm1m;
    if (one_m && !m.has_1m_context) continue;
    DimensionTotals t;
    t.dimension = d;
    if (auto code = domain::CodeFor(m, d)) {
      // scope.codes is sorted by quota_code.
      auto it = std::lower_bound(scope.codes.begin(), scope.codes.end(), *code,
                                 [](const store::CodeAggregate& c, const std::string& k) { return c.quota_code < k; });
      if (it != scope.codes.end() && it->quota_code == *code) {
        t.fresh = it->fresh;
        t.stale = it->stale;
        if (t.fresh > 0) t.total = it->sum;
      }
    }
    t.missing = scope.account_regions - t.fresh - t.stale;
    mt.dimensions.push_back(t);
  }
  return mt;
}

DashboardService::DashboardService(store::QuotaCacheStore& store, AccountService& accounts, QuotaConfigService& config,
                                   store::UsageStore* usage, store::ValueSortIndex* sort_index)
    : store_(store), accounts_(accounts), config_(config), usage_(usage), sort_index_(sort_index) {}

Result<DashboardStats> DashboardService::Stats(const RequestContext& ctx, const DashboardQuery& query) {
  RETURN_IF_ERROR(CheckPageSize(query.page_size, 200));
  DashboardStats stats;
  stats.page_size = query.page_size;
  stats.all_accounts = ctx.principal.is_admin();
  ASSIGN_OR_RETURN(auto config, config_.Get());
  ASSIGN_OR_RETURN(store::ScopeAggregate totals, ReadTotals(store_, ctx.principal));
  stats.active_accounts = totals.active_accounts;
  stats.account_regions = totals.account_regions;
  for (const domain::ModelSpec& m : config->models) {
    if (m.enabled && m.show_in_dashboard) stats.models.push_back(ModelTotalsOf(totals, m));
  }
  ASSIGN_OR_RETURN(Plan plan, MakePlan(ctx, query, stats.models));
  stats.sort = plan.sort;
  stats.descending = plan.descending;
  stats.team = plan.team;
  stats.region = plan.region;
  RETURN_IF_ERROR(ReadRows(ctx, plan, &stats));

  // The page's snapshots only, with each dashboard model's values (absent values stay absent).
  std::vector<store::SnapshotKey> keys;
  keys.reserve(stats.rows.size());
  for (const DashboardRow& row : stats.rows) keys.push_back({row.account_id, row.region});
  ASSIGN_OR_RETURN(std::vector<domain::QuotaSnapshot> snapshots, store_.GetQuotaSnapshots(keys));
  std::map<std::pair<std::string, std::string>, const domain::QuotaSnapshot*> by_pair;
  for (const domain::QuotaSnapshot& s : snapshots) by_pair[{s.account_id, s.region}] = &s;
  for (DashboardRow& row : stats.rows) {
    auto it = by_pair.find({row.account_id, row.region});
    if (it != by_pair.end()) row.last_refresh = domain::SummarizeLastRefresh(*it->second);
    for (const ModelTotals& mt : stats.models) {
      RowModelValues values{mt.model.model_id, {}};
      for (const DimensionTotals& t : mt.dimensions) {
        domain::QuotaValue v;
        if (auto code = domain::CodeFor(mt.model, t.dimension)) {
          v.quota_code = *code;
          if (it != by_pair.end())
            if (const domain::QuotaValue* found = it->second->Find(*code)) v = *found;
        }
        values.values.push_back(RowValue{t.dimension, std::move(v)});
      }
      row.models.push_back(std::move(values));
    }
  }
  if (usage_) RETURN_IF_ERROR(FillUsage(*usage_, &stats));
  return stats;
}

}  // namespace ap::service
