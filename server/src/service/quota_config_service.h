// QuotaConfigService: the one quota configuration document (which models are tracked, enabled, shown).
//
// The document is created from the built-in catalogue on first start (EnsureDefault). Writes use optimistic
// concurrency: a PUT names the version it was based on; a stale version changes nothing.
// Get() is served from a TTL cache kept current by this instance's writes.
//
// Thread safety: safe from any thread.
#pragma once

#include <memory>
#include <vector>

#include "common/clock.h"
#include "domain/catalogue.h"
#include "domain/quota_config.h"
#include "service/audit_service.h"
#include "service/context.h"
#include "service/ttl_cache.h"
#include "store/store.h"

namespace ap::service {

class QuotaConfigService {
 public:
  QuotaConfigService(store::Store& store, const Clock& clock, AuditService& audit,
                     std::vector<domain::CatalogueQuota> catalogue, Duration cache_ttl);

  // Stores the default config built from the catalogue if none is stored. OK if one already exists.
  Status EnsureDefault();
  // The current document. NotFound before EnsureDefault ran.
  Result<std::shared_ptr<const domain::QuotaConfig>> Get();
  // Validates (InvalidArgument naming the field), then stores `config` as version expected_version + 1 with
  // updated_at/updated_by set. FailedPrecondition if `expected_version` is not the stored version. Audited.
  Result<domain::QuotaConfig> Put(const RequestContext& ctx, domain::QuotaConfig config, int64_t expected_version);

  const std::vector<domain::CatalogueQuota>& catalogue() const { return catalogue_; }

 private:
  store::Store& store_;
  const Clock& clock_;
  AuditService& audit_;
  const std::vector<domain::CatalogueQuota> catalogue_;
  TtlCache<domain::QuotaConfig> cache_;
};

}  // namespace ap::service
