// QuotaConfigService: the one quota configuration document (which models are tracked, enabled, shown).
//
// The document is created from the built-in catalogue on first start (EnsureDefault). Writes use optimistic
// concurrency: a PUT names the version it was based on; a stale version changes nothing.
// Get() is served from a TTL cache kept current by this instance's writes; Put bumps the store's "quota-config"
// epoch (epoch_watch.h), so that every other instance drops its cached document within `epoch_poll` (+ the
// requests already past their Get).
//
// Thread safety: safe from any thread.
#pragma once

#include <memory>
#include <vector>

#include "common/clock.h"
#include "domain/catalogue.h"
#include "domain/quota_config.h"
#include "domain/quota_config_diff.h"
#include "service/audit_service.h"
#include "service/context.h"
#include "service/epoch_watch.h"
#include "service/ttl_cache.h"
#include "store/store.h"

namespace ap::service {

class QuotaConfigService {
 public:
  // The cached document lives `cache_ttl`; the "quota-config" epoch is read at most every `epoch_poll`.
  QuotaConfigService(store::Store& store, const Clock& clock, AuditService& audit,
                     std::vector<domain::CatalogueQuota> catalogue, Duration cache_ttl, Duration epoch_poll);

  // Stores the default config built from the catalogue if none is stored. OK if one already exists.
  Status EnsureDefault();
  // The current document. NotFound before EnsureDefault ran.
  Result<std::shared_ptr<const domain::QuotaConfig>> Get();
  // Validates (InvalidArgument naming the field), then stores `config` as version expected_version + 1 with
  // updated_at/updated_by set. FailedPrecondition if `expected_version` is not the stored version. Audited with
  // what changed (domain::DiffQuotaConfigs against the stored document: models added, removed, enabled, disabled,
  // shown, hidden, edited); `changes`, when given, receives that diff once the document is stored (its
  // newly_read_models are the ones a fleet refresh limited to them would fill).
  // Announced through the "quota-config" epoch; a failed bump is returned as the store's error although the
  // document is stored (other instances then see it within cache_ttl; retry with the new version to announce).
  Result<domain::QuotaConfig> Put(const RequestContext& ctx, domain::QuotaConfig config, int64_t expected_version,
                                  domain::QuotaConfigChanges* changes = nullptr);

  const std::vector<domain::CatalogueQuota>& catalogue() const { return catalogue_; }

 private:
  store::Store& store_;
  const Clock& clock_;
  AuditService& audit_;
  const std::vector<domain::CatalogueQuota> catalogue_;
  EpochWatch epoch_;  // kQuotaConfigEpoch
  TtlCache<domain::QuotaConfig> cache_;
};

}  // namespace ap::service
