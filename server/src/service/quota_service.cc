#include "service/quota_service.h"

#include <algorithm>

namespace ap::service {
namespace {

std::string CacheKey(const std::string& account_id, const std::string& region) { return account_id + "/" + region; }

}  // namespace

QuotaService::QuotaService(store::Store& store, const Clock& clock, AccountService& accounts,
                           QuotaConfigService& config, Duration cache_ttl, UsageService* usage,
                           std::shared_ptr<const domain::CatalogueIndex> catalogue)
    : store_(store),
      accounts_(accounts),
      config_(config),
      usage_(usage),
      catalogue_(std::move(catalogue)),
      cache_(clock, cache_ttl) {}

// The stored snapshot, or an empty one when nothing is stored.
Result<std::shared_ptr<const domain::QuotaSnapshot>> QuotaService::ReadStored(const std::string& account_id,
                                                                              const std::string& region) {
  auto stored = store_.GetQuotaSnapshot(account_id, region);
  if (stored.ok()) return std::make_shared<const domain::QuotaSnapshot>(std::move(stored).value());
  if (stored.status().code() != StatusCode::kNotFound) return stored.status();
  auto empty = std::make_shared<domain::QuotaSnapshot>();
  empty->account_id = account_id;
  empty->region = region;
  return std::shared_ptr<const domain::QuotaSnapshot>(std::move(empty));
}

Result<std::shared_ptr<const domain::QuotaSnapshot>> QuotaService::Snapshot(const std::string& account_id,
                                                                            const std::string& region) {
  std::string key = CacheKey(account_id, region);
  if (auto hit = cache_.Get(key)) return hit;
  ASSIGN_OR_RETURN(auto snapshot, ReadStored(account_id, region));
  cache_.Put(key, snapshot);
  return snapshot;
}

Result<std::shared_ptr<const domain::QuotaSnapshot>> QuotaService::SnapshotFromStore(const std::string& account_id,
                                                                                     const std::string& region) {
  ASSIGN_OR_RETURN(auto snapshot, ReadStored(account_id, region));
  cache_.Replace(CacheKey(account_id, region), snapshot);
  return snapshot;
}

Result<store::QuotaHistoryPage> QuotaService::History(const QuotaReadInputs& in, const std::string& model_id,
                                                      const std::string& cursor, int64_t limit) {
  store::QuotaHistoryFilter f;
  f.account_id = in.account->account_id;
  f.region = in.region;
  f.cursor = cursor;
  f.limit = limit;
  if (limit < 1 || limit > 10000) return InvalidArgument("must be between 1 and 10000", "limit");
  if (!model_id.empty()) {
    const domain::ModelSpec* m = domain::FindModel(*in.config, model_id);
    if (!m) return InvalidArgument("model \"" + model_id + "\" is not in the quota config", "model_id");
    for (domain::QuotaDimension d : domain::kAllDimensions)
      if (auto code = domain::CodeFor(*m, d)) f.quota_codes.push_back(*code);
    if (f.quota_codes.empty()) return store::QuotaHistoryPage{};  // a model without codes
  }
  return store_.ListQuotaHistory(f);
}

Status QuotaService::PutSnapshot(domain::QuotaSnapshot snapshot) {
  std::sort(snapshot.values.begin(), snapshot.values.end(),
            [](const domain::QuotaValue& a, const domain::QuotaValue& b) { return a.quota_code < b.quota_code; });
  RETURN_IF_ERROR(store_.PutQuotaSnapshot(snapshot));
  std::string key = CacheKey(snapshot.account_id, snapshot.region);
  // Replace, not Put: a fleet refresh writes every snapshot of the fleet, and caching them all would make this
  // instance's memory grow with the fleet; snapshots nobody reads stay out of the cache.
  cache_.Replace(key, std::make_shared<const domain::QuotaSnapshot>(std::move(snapshot)));
  return Status::Ok();
}

Result<QuotaReadInputs> QuotaService::Inputs(const std::string& account_id, const std::string& region) {
  QuotaReadInputs in;
  in.catalogue = catalogue_;
  ASSIGN_OR_RETURN(in.account, accounts_.Lookup(account_id));
  ASSIGN_OR_RETURN(in.region, AccountRegion(*in.account, region));
  ASSIGN_OR_RETURN(in.config, config_.Get());
  ASSIGN_OR_RETURN(in.snapshot, Snapshot(account_id, in.region));
  if (usage_) {
    ASSIGN_OR_RETURN(in.usage, usage_->Snapshot(account_id, in.region));
  }
  return in;
}

Result<QuotaView> QuotaService::Read(const std::string& account_id, const std::string& region) {
  ASSIGN_OR_RETURN(QuotaReadInputs in, Inputs(account_id, region));
  return Compose(in);
}

QuotaView QuotaService::Compose(const QuotaReadInputs& in) {
  QuotaView view;
  view.account_id = in.account->account_id;
  view.region = in.region;
  view.config = in.config;
  view.usage = in.usage;
  view.catalogue = in.catalogue;
  view.last_refresh = domain::SummarizeLastRefresh(*in.snapshot);
  for (const domain::ModelSpec& m : in.config->models) {
    if (!m.enabled) continue;
    ModelQuotaView mv;
    mv.model = &m;
    for (domain::QuotaDimension d : domain::kAllDimensions) {
      bool one_m = d == domain::QuotaDimension::kTpm1m || d == domain::QuotaDimension::kRpm1m;
      if (one_m && !m.has_1m_context) continue;
      DimensionView dv;
      dv.dimension = d;
      dv.quota_code = domain::CodeFor(m, d);
      if (dv.quota_code) {
        dv.value.quota_code = *dv.quota_code;
        if (const domain::QuotaValue* v = in.snapshot->Find(*dv.quota_code)) dv.value = *v;
        if (in.catalogue) dv.catalogue = in.catalogue->Find(*dv.quota_code);
      }
      if (dv.value.value && dv.value.read_at_ms > view.last_updated_ms) view.last_updated_ms = dv.value.read_at_ms;
      mv.dimensions.push_back(std::move(dv));
    }
    view.models.push_back(std::move(mv));
  }
  return view;
}

}  // namespace ap::service
