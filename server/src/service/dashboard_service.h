// DashboardService: fleet totals for the models shown on the dashboard, over the accounts the caller may see.
// Totals count fresh values only (state ok); stale values and missing values (never read, or failed on the
// first read) are counted separately — never added as 0. Each (account, region) pair the account is configured
// for counts once.
//
// Thread safety: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/quota_config.h"
#include "service/account_service.h"
#include "service/context.h"
#include "service/quota_config_service.h"
#include "store/store.h"

namespace ap::service {

struct DimensionTotals {
  domain::QuotaDimension dimension;
  std::optional<double> total;  // sum of fresh values; nullopt when there is none
  int64_t fresh = 0;            // (account, region) pairs with a fresh value
  int64_t stale = 0;            // ... with a stale value (not in total)
  int64_t missing = 0;          // ... with no value (never read / error)
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

// One (account, region) row of the dashboard grid: the dashboard models' values with their states.
struct DashboardRow {
  std::string account_id;
  std::string account_name;
  std::string region;
  std::vector<RowModelValues> models;  // one per dashboard model, in DashboardStats::models order
};

struct DashboardStats {
  int64_t active_accounts = 0;      // visible active accounts
  int64_t account_regions = 0;      // (account, region) pairs counted
  std::vector<ModelTotals> models;  // every enabled model marked show_in_dashboard, in config order
  std::vector<DashboardRow> rows;   // the requested page of (account, region) rows, by account name then region
  int64_t page = 1, page_size = 50;
};

class DashboardService {
 public:
  DashboardService(store::Store& store, AccountService& accounts, QuotaConfigService& config);
  // InvalidArgument("page" / "page_size": 1..200) for a bad page.
  Result<DashboardStats> Stats(const RequestContext& ctx, int64_t page = 1, int64_t page_size = 50);

 private:
  store::Store& store_;
  AccountService& accounts_;
  QuotaConfigService& config_;
};

}  // namespace ap::service
