// DashboardService: fleet totals for the models shown on the dashboard, over the accounts the caller may see, and
// one page of the (account, region) grid.
//
// Totals count fresh values only (state ok); stale values and missing values (never read, or failed on the first
// read) are counted separately — never added as 0. Each (account, region) pair an active account is configured for
// counts once. They come from the aggregates the store maintains (quota_cache_store.h): admins read the fleet
// scope; a user reads the team-set scopes that intersect their teams, which count each visible account once
// however many of the user's teams it has. Cost: O(models + the user's distinct team sets) plus one page of rows,
// whatever the size of the fleet.
//
// Thread safety: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/quota_config.h"
#include "domain/read_failure.h"
#include "service/account_service.h"
#include "service/context.h"
#include "service/quota_config_service.h"
#include "store/quota_cache_store.h"
#include "store/usage_store.h"

namespace ap::service {

struct DimensionTotals {
  domain::QuotaDimension dimension;
  std::optional<double> total;  // sum of fresh values; nullopt when there is none
  int64_t fresh = 0;            // (account, region) pairs with a fresh value
  int64_t stale = 0;            // ... with a stale value (not in total)
  int64_t missing = 0;          // ... with no value (never read / error), or no quota code configured
};

struct ModelTotals {
  domain::ModelSpec model;
  std::vector<DimensionTotals> dimensions;  // tpm, rpm (+ tpm_1m, rpm_1m when has_1m_context)
};

// One value of a dashboard row: a dimension of a model and its cached value (absent values stay absent).
struct RowValue {
  domain::QuotaDimension dimension;
  domain::QuotaValue value;
};
// A dashboard model's values in one row: one per dimension of its ModelTotals, in the same order.
struct RowModelValues {
  std::string model_id;
  std::vector<RowValue> values;
};

// A dashboard model's 24-hour headroom in one row (from the row's last good usage poll).
struct RowHeadroom {
  std::string model_id;
  double headroom = 0;  // the least of the known headroom_tpm / headroom_rpm
  std::optional<double> headroom_tpm;
  std::optional<double> headroom_rpm;
  std::optional<int64_t> throttles;  // InvocationThrottles over the 24 hours; nullopt when not reported
};

// One (account, region) row of the dashboard grid: the dashboard models' values with their states.
struct DashboardRow {
  std::string account_id;
  std::string account_name;
  std::string region;
  std::vector<RowModelValues> models;  // one per dashboard model, in DashboardStats::models order
  // The row's usage poll: nullopt when usage was never polled here (or no usage store).
  std::optional<store::UsageState> usage_state;
  // The dashboard models (in DashboardStats::models order) that have a known 24-hour headroom; the others are
  // left out (no data is not full headroom).
  std::vector<RowHeadroom> headroom;
  // What the newest refresh attempt of the row's snapshot did (at_ms 0: never attempted): a refresh that read
  // nothing shows here as "failed" with its reason, while the values keep their last good figures as stale.
  domain::LastRefresh last_refresh;
};

struct DashboardQuery {
  // "" = the first page of rows; otherwise DashboardStats::next of the page before. Rows are ordered as the
  // account list (account name, then id), then by region. A cursor is the key of the last row served, so paging
  // is stable under concurrent inserts; under concurrent renames or deactivations a row may be served twice,
  // never skipped.
  std::string cursor;
  int64_t page_size = 50;  // rows per page, 1..200
};

struct DashboardStats {
  int64_t active_accounts = 0;      // visible active accounts
  int64_t account_regions = 0;      // (account, region) pairs of those accounts: the number of rows in all
  std::vector<ModelTotals> models;  // every enabled model marked show_in_dashboard, in config order
  std::vector<DashboardRow> rows;   // the requested page: up to page_size rows
  std::string next;                 // the cursor of the next page; "" when this page is the last
  int64_t page_size = 50;
};

// Several disjoint scopes (the fleet alone, or team-set scopes) summed into one; codes merged by quota code.
store::ScopeAggregate SumScopes(const std::vector<store::ScopeAggregate>& scopes);
// The totals of `m` over `scope`, per dimension (tpm, rpm, + tpm_1m, rpm_1m when has_1m_context): the fresh and
// stale counts and the sum of the dimension's code; missing = the scope's other pairs (all of them when `m` has
// no code for the dimension). Used by the dashboard and the fleet metrics.
ModelTotals ModelTotalsOf(const store::ScopeAggregate& scope, const domain::ModelSpec& m);

class DashboardService {
 public:
  // Does not own its collaborators; they must outlive the service. `usage` (may be null: rows then carry no usage)
  // gives each page's usage state and headroom, read with one GetUsageSnapshots call per page.
  DashboardService(store::QuotaCacheStore& store, AccountService& accounts, QuotaConfigService& config,
                   store::UsageStore* usage = nullptr);
  // The caller's totals and one page of rows. InvalidArgument("page_size": 1..200); InvalidArgument("cursor") for
  // a cursor this list did not give out.
  Result<DashboardStats> Stats(const RequestContext& ctx, const DashboardQuery& query);

 private:
  // The rows of the page `query` asks for (their values not filled in yet) into stats->rows and stats->next.
  Status ReadRows(const RequestContext& ctx, const DashboardQuery& query, DashboardStats* stats);

  store::QuotaCacheStore& store_;
  AccountService& accounts_;
  QuotaConfigService& config_;
  store::UsageStore* const usage_;
};

}  // namespace ap::service
