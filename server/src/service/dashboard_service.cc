#include "service/dashboard_service.h"
#include "service/paging.h"

#include <map>
#include <set>

namespace ap::service {

DashboardService::DashboardService(store::Store& store, AccountService& accounts, QuotaConfigService& config)
    : store_(store), accounts_(accounts), config_(config) {}

Result<DashboardStats> DashboardService::Stats(const RequestContext& ctx, int64_t page, int64_t page_size) {
  ASSIGN_OR_RETURN(PageSpan span, CheckPage(page, page_size, 200));
  ASSIGN_OR_RETURN(auto config, config_.Get());
  std::vector<DashboardRow> all_rows;  // in account-name order (the list order), then region
  // Every visible active account, page by page.
  std::set<std::pair<std::string, std::string>> pairs;  // (account_id, region)
  DashboardStats stats;
  AccountQuery q;
  q.page_size = 200;
  for (;;) {
    ASSIGN_OR_RETURN(store::AccountPage listed, accounts_.List(ctx, q));
    const store::AccountPage& page = listed;
    for (const domain::Account& a : page.items) {
      ++stats.active_accounts;
      for (const std::string& r : a.regions) {
        pairs.emplace(a.account_id, r);
        all_rows.push_back(DashboardRow{a.account_id, a.account_name, r, {}});
      }
    }
    if (page.next.empty()) break;
    q.cursor = page.next;
  }
  stats.account_regions = static_cast<int64_t>(pairs.size());
  ASSIGN_OR_RETURN(auto snapshots, store_.ListQuotaSnapshots());
  std::map<std::pair<std::string, std::string>, const domain::QuotaSnapshot*> by_pair;
  for (const domain::QuotaSnapshot& s : snapshots) {
    auto key = std::make_pair(s.account_id, s.region);
    if (pairs.count(key)) by_pair[key] = &s;
  }
  for (const domain::ModelSpec& m : config->models) {
    if (!m.enabled || !m.show_in_dashboard) continue;
    ModelTotals mt;
    mt.model = m;
    for (domain::QuotaDimension d : domain::kAllDimensions) {
      bool one_m = d == domain::QuotaDimension::kTpm1m || d == domain::QuotaDimension::kRpm1m;
      if (one_m && !m.has_1m_context) continue;
      DimensionTotals t;
      t.dimension = d;
      auto code = domain::CodeFor(m, d);
      for (const auto& pair : pairs) {
        const domain::QuotaValue* v = nullptr;
        if (code) {
          auto it = by_pair.find(pair);
          if (it != by_pair.end()) v = it->second->Find(*code);
        }
        if (v && v->value && v->state == domain::QuotaState::kOk) {
          ++t.fresh;
          t.total = t.total.value_or(0) + *v->value;
        } else if (v && v->value && v->state == domain::QuotaState::kStale) {
          ++t.stale;
        } else {
          ++t.missing;
        }
      }
      mt.dimensions.push_back(t);
    }
    stats.models.push_back(std::move(mt));
  }
  // The requested page of rows, with each dashboard model's values (absent values stay absent).
  stats.page = page;
  stats.page_size = page_size;
  // Compared as offsets from `from`, so that a far page (offset near INT64_MAX) cannot wrap.
  const uint64_t from = static_cast<uint64_t>(span.offset);
  for (uint64_t i = from; i < all_rows.size() && i - from < static_cast<uint64_t>(page_size); ++i) {
    DashboardRow row = all_rows[i];
    auto it = by_pair.find({row.account_id, row.region});
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
    stats.rows.push_back(std::move(row));
  }
  return stats;
}

}  // namespace ap::service
