#include "service/quota_config_service.h"

namespace ap::service {
namespace {
const std::string kKey = "config";
}

QuotaConfigService::QuotaConfigService(store::Store& store, const Clock& clock, AuditService& audit,
                                       std::vector<domain::CatalogueQuota> catalogue, Duration cache_ttl,
                                       Duration epoch_poll)
    : store_(store),
      clock_(clock),
      audit_(audit),
      catalogue_(std::move(catalogue)),
      epoch_(store, clock, kQuotaConfigEpoch, epoch_poll),
      cache_(clock, cache_ttl, epoch_) {}

Status QuotaConfigService::EnsureDefault() {
  auto existing = store_.GetQuotaConfig();
  if (existing.ok()) return Status::Ok();
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  domain::QuotaConfig config = domain::BuildDefaultQuotaConfig(catalogue_, clock_.NowUnixMillis());
  config.version = 1;
  RETURN_IF_ERROR(domain::ValidateQuotaConfig(config));
  Status s = store_.PutQuotaConfig(config, 0);
  // Another instance may have stored its default at the same moment; theirs is as good as ours.
  if (s.code() == StatusCode::kFailedPrecondition) return Status::Ok();
  return s;
}

Result<std::shared_ptr<const domain::QuotaConfig>> QuotaConfigService::Get() {
  if (auto hit = cache_.Get(kKey)) return hit;
  const uint64_t stamp = cache_.InvalidationStamp();
  ASSIGN_OR_RETURN(domain::QuotaConfig config, store_.GetQuotaConfig());
  auto shared = std::make_shared<const domain::QuotaConfig>(std::move(config));
  cache_.PutLoaded(kKey, shared, stamp);
  return shared;
}

Result<domain::QuotaConfig> QuotaConfigService::Put(const RequestContext& ctx, domain::QuotaConfig config,
                                                    int64_t expected_version, domain::QuotaConfigChanges* changes) {
  RETURN_IF_ERROR(domain::ValidateQuotaConfig(config));
  config.version = expected_version + 1;
  config.updated_at_ms = clock_.NowUnixMillis();
  config.updated_by = ctx.principal.user_id;
  // The stored document, for what changed (one read; a stale expected_version fails the write below anyway).
  domain::QuotaConfigChanges diff;
  auto before = store_.GetQuotaConfig();
  if (before.ok()) diff = domain::DiffQuotaConfigs(*before, config);
  Status s = store_.PutQuotaConfig(config, expected_version);
  audit_.RecordBestEffort(ctx, "quota_config.update", "quota_config", std::string(domain::kQuotaConfigId),
                          s.ok() ? Outcome::kSuccess : Outcome::kFailure,
                          domain::AuditDetail({{"version", config.version},
                                               {"added", diff.added},
                                               {"removed", diff.removed},
                                               {"enabled", diff.enabled},
                                               {"disabled", diff.disabled},
                                               {"shown", diff.shown},
                                               {"hidden", diff.hidden},
                                               {"edited", diff.edited}}));
  if (s.code() == StatusCode::kFailedPrecondition) {
    cache_.Clear();
    return FailedPrecondition("the quota config was changed by someone else (your version " +
                              std::to_string(expected_version) + " is stale); reload and try again");
  }
  RETURN_IF_ERROR(s);
  cache_.Put(kKey, std::make_shared<const domain::QuotaConfig>(config));
  if (changes) *changes = std::move(diff);
  RETURN_IF_ERROR(epoch_.Bump());
  return config;
}

}  // namespace ap::service
