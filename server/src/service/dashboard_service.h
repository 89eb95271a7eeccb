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
#include "store/value_sort_index.h"

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

// The order of the rows.
//  - By account name (sort "" or "name", the default): as the account list (account name, then id), then by
//    region; `descending` is refused (InvalidArgument("order")).
//  - By a value (sort "<model_id>:<dimension>", dimension tpm | rpm | tpm_1m | rpm_1m of a dashboard model that
//    has a quota code for it): the rows whose value of that code is fresh or stale (a stale value sorts by its kept
//    value), ascending or descending (default), ties by account name, id and region; then the rows with no value
//    (never read, error, no snapshot) in account-name order, in both directions: missing sorts last, never as 0.
//    Value rows come from the store's value-sorted index (store/value_sort_index.h): O(scopes × page).
struct DashboardQuery {
  std::string sort;                // "" / "name", or "<model_id>:<dimension>"
  std::optional<bool> descending;  // nullopt: ascending for name, descending for a value
  // Only accounts of this team ("" = every account the caller may see). A user naming a team they are not in:
  // PermissionDenied("team").
  std::string team;
  std::string region;  // only rows of this region ("" = every region); InvalidArgument("region") if unknown
  // "" = the first page of rows; otherwise DashboardStats::next of the page before, made with the same sort,
  // order, team and region (else InvalidArgument("cursor")). A cursor is the key of the last row served, so
  // paging is stable under concurrent inserts; under concurrent renames, deactivations or value changes a row may
  // be served twice or move.
  std::string cursor;
  int64_t page_size = 50;  // rows per page, 1..200
};

struct DashboardStats {
  int64_t active_accounts = 0;      // visible active accounts
  int64_t account_regions = 0;      // (account, region) pairs of those accounts: the number of rows in all
  std::vector<ModelTotals> models;  // every enabled model marked show_in_dashboard, in config order
  std::vector<DashboardRow> rows;   // the requested page: up to page_size rows
  // The cursor of the next page; "" when this page is the last. With a region filter, or in the missing part of a
  // value sort, a page examines at most kDashboardScanBudget accounts: it may then hold fewer than page_size rows
  // (even none) with a non-empty next — follow it.
  std::string next;
  int64_t page_size = 50;
  // The sort served, normalized ("name" or "<model_id>:<dimension>"), its direction and the filters.
  std::string sort = "name";
  bool descending = false;
  std::string team;
  std::string region;
  bool all_accounts = false;  // true for admins (the fleet); false: the accounts of the user's teams
};

// The most accounts one dashboard page lists while filtering rows (region filter, missing values of a value sort).
inline constexpr int64_t kDashboardScanBudget = 400;

// Several disjoint scopes (the fleet alone, or team-set scopes) summed into one; codes merged by quota code.
store::ScopeAggregate SumScopes(const std::vector<store::ScopeAggregate>& scopes);
// The totals of `m` over `scope`, per dimension (tpm, rpm, + tpm_1m, rpm_1m when has_1m_context): the fresh and
// stale counts and the sum of the dimension's code; missing = the scope's other pairs (all of them when `m` has
// no code for the dimension). Used by the dashboard and the fleet metrics.
ModelTotals ModelTotalsOf(const store::ScopeAggregate& scope, const domain::ModelSpec& m);

class DashboardService {
 public:
  // Does not own its collaborators; they must outlive the service. `usage` (may be null: rows then carry no usage)
  // gives each page's usage state and headroom, read with one GetUsageSnapshots call per page. `sort_index` (may be
  // null: a store without the index) serves value sorts; without it they are refused (InvalidArgument("sort")).
  DashboardService(store::QuotaCacheStore& store, AccountService& accounts, QuotaConfigService& config,
                   store::UsageStore* usage = nullptr, store::ValueSortIndex* sort_index = nullptr);
  // The caller's totals (over every account the caller may see: the filters apply to the rows) and one page of
  // rows. InvalidArgument("page_size": 1..200; "sort": not "name" nor a dashboard model's dimension with a code;
  // "order": descending by name; "region": unknown; "team": malformed; "cursor": a cursor this list did not give
  // out, or one of another sort, order or filter; "sort" also for a value sort without a sort index);
  // PermissionDenied("team") for a team a user is not in.
  // Cost: by name without region, O(page) accounts; with a region filter or in the missing part of a value sort,
  // at most kDashboardScanBudget accounts and their snapshots (one batch read per 200 accounts); value rows
  // O(scopes × page) index entries, where scopes = 1 for an admin, else the team sets of the user's (or the
  // filter's) teams. Never O(fleet).
  Result<DashboardStats> Stats(const RequestContext& ctx, const DashboardQuery& query);

 private:
  // A validated query: what the rows are ordered by, the filters, and where the page starts.
  struct Plan {
    std::string sort = "name";        // normalized
    std::optional<std::string> code;  // the quota code of a value sort
    bool descending = false;
    std::string team, region;
    // Where the page starts: "" (first page), "v" + the store's index cursor, or "n" / "m" (name order; missing
    // values of a value sort) + the account-walk position (list cursor before the account, its id, last region).
    std::string phase;
    std::vector<std::string> pos;
  };
  Result<Plan> MakePlan(const RequestContext& ctx, const DashboardQuery& query,
                        const std::vector<ModelTotals>& models) const;
  // The rows of the page `plan` asks for (their values not filled in yet) into stats->rows and stats->next.
  Status ReadRows(const RequestContext& ctx, const Plan& plan, DashboardStats* stats);
  // Rows in account-name order from `pos` (see dashboard_rows.cc), at most `want`, with a region filter and, when
  // `missing_code` is set, only rows without a fresh or stale value of that code. *next: "" when done.
  Status WalkAccounts(const RequestContext& ctx, const Plan& plan, const std::vector<std::string>& pos, size_t want,
                      DashboardStats* stats, std::vector<std::string>* next);

  store::QuotaCacheStore& store_;
  AccountService& accounts_;
  QuotaConfigService& config_;
  store::UsageStore* const usage_;
  store::ValueSortIndex* const sort_index_;
};

}  // namespace ap::service
