// QuotaService: the cached quota read. Answers from the store's quota cache only — never from AWS — composed
// with the current quota config: one entry per enabled model, one value per configured dimension.
// "Missing is never zero": a value never read comes back absent with state "never".
// Snapshots are served from a TTL cache kept current by this instance's writes (PutSnapshot); snapshots that
// other instances write are seen within the cache's ttl (ServiceGraphOptions::cache_ttl), or at once where this
// instance reads them with SnapshotFromStore (a refresh that waited for another instance does).
//
// Thread safety: safe from any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "domain/account.h"
#include "domain/catalogue.h"
#include "domain/quota.h"
#include "domain/quota_config.h"
#include "domain/read_failure.h"
#include "service/account_service.h"
#include "service/quota_config_service.h"
#include "service/ttl_cache.h"
#include "service/usage_service.h"
#include "store/store.h"

namespace ap::service {

// One dimension of one model as shown to clients.
struct DimensionView {
  domain::QuotaDimension dimension;
  std::optional<std::string> quota_code;  // nullopt: not configured for this model
  domain::QuotaValue value;               // state kNever and no value when nothing is cached
  // What the code is at AWS (name, scope), from the catalogue; nullptr when the catalogue does not list the code
  // (or no catalogue was given). Points into QuotaView::catalogue.
  const domain::CatalogueQuota* catalogue = nullptr;
};

struct ModelQuotaView {
  const domain::ModelSpec* model = nullptr;  // points into `config` of the owning QuotaView
  std::vector<DimensionView> dimensions;     // tpm, rpm, then tpm_1m, rpm_1m when has_1m_context
};

struct QuotaView {
  std::string account_id;
  std::string region;
  std::shared_ptr<const domain::QuotaConfig> config;
  std::vector<ModelQuotaView> models;  // enabled models, in config order
  int64_t last_updated_ms = 0;         // newest read_at of the values shown; 0 when none was ever read
  domain::LastRefresh last_refresh;    // what the newest refresh attempt of the snapshot did (at_ms 0: none)
  // The usage snapshot of (account, region) (UsageService::Snapshot); null when usage was never polled there.
  std::shared_ptr<const store::UsageSnapshot> usage;
  std::shared_ptr<const domain::CatalogueIndex> catalogue;  // keeps DimensionView::catalogue valid; may be null
};

// What a quota read is made of. The shared pointers are the cached objects themselves, so their identity
// changes exactly when the account, the config or the snapshot changes (callers may cache derived data by it).
struct QuotaReadInputs {
  std::shared_ptr<const domain::Account> account;
  std::shared_ptr<const domain::QuotaConfig> config;
  std::shared_ptr<const domain::QuotaSnapshot> snapshot;
  std::shared_ptr<const store::UsageSnapshot> usage;        // null: never polled (or no UsageService)
  std::shared_ptr<const domain::CatalogueIndex> catalogue;  // the quota names (constant); null: none given
  std::string region;
};

class QuotaService {
 public:
  // `usage` (may be null: reads then carry no usage) adds the usage snapshot to each read's inputs; `catalogue`
  // (may be null: no names) names each value's code.
  QuotaService(store::Store& store, const Clock& clock, AccountService& accounts, QuotaConfigService& config,
               Duration cache_ttl, UsageService* usage = nullptr,
               std::shared_ptr<const domain::CatalogueIndex> catalogue = nullptr);

  // The quota names every read carries; null when none was given.
  const std::shared_ptr<const domain::CatalogueIndex>& catalogue() const { return catalogue_; }

  // The cached quotas of `account_id` in `region` (empty: the account's first region). NotFound for an unknown
  // account; InvalidArgument("region") for a region the account does not use. The caller has been authorized.
  Result<QuotaView> Read(const std::string& account_id, const std::string& region);
  // Read() in two steps: gather the inputs (same errors as Read), then compose the view (cannot fail).
  Result<QuotaReadInputs> Inputs(const std::string& account_id, const std::string& region);
  static QuotaView Compose(const QuotaReadInputs& inputs);

  // The snapshot of (account, region); an empty snapshot when nothing is cached.
  Result<std::shared_ptr<const domain::QuotaSnapshot>> Snapshot(const std::string& account_id,
                                                                const std::string& region);
  // Snapshot() read from the store itself, never from the cache (which may hold an older copy when another
  // instance wrote since); updates this instance's cache where it holds that snapshot already.
  Result<std::shared_ptr<const domain::QuotaSnapshot>> SnapshotFromStore(const std::string& account_id,
                                                                         const std::string& region);
  // Stores a snapshot and updates this instance's cache where it holds that snapshot already (the refresh engine
  // writes through here; a snapshot not cached is loaded by its first read).
  Status PutSnapshot(domain::QuotaSnapshot snapshot);

  // One page of the history of (account, region): the newest `limit` (1..10000) entries older than `cursor`
  // (empty = the newest), oldest first, and the cursor of the older entries (store/quota_history_store.h);
  // restricted to `model_id`'s codes when given (InvalidArgument("model_id") when the model is not in the
  // config). InvalidArgument("limit"), InvalidArgument("cursor").
  Result<store::QuotaHistoryPage> History(const QuotaReadInputs& inputs, const std::string& model_id,
                                          const std::string& cursor, int64_t limit);

  // OK when the store answers (readiness).
  Status Ping() { return store_.Ping(); }

 private:
  Result<std::shared_ptr<const domain::QuotaSnapshot>> ReadStored(const std::string& account_id,
                                                                  const std::string& region);

  store::Store& store_;
  AccountService& accounts_;
  QuotaConfigService& config_;
  UsageService* const usage_;
  const std::shared_ptr<const domain::CatalogueIndex> catalogue_;
  TtlCache<domain::QuotaSnapshot> cache_;
};

}  // namespace ap::service
