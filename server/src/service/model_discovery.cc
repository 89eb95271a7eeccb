#include "service/model_discovery.h"

#include <algorithm>
#include <set>

#include "domain/quota_name.h"

namespace ap::service {

ModelDiscovery::ModelDiscovery(AccountService& accounts, AccountCredentials& credentials,
                               aws::ServiceQuotas& service_quotas, QuotaConfigService& config, const Clock& clock,
                               std::vector<domain::CatalogueQuota> catalogue, Duration cache_ttl)
    : accounts_(accounts),
      credentials_(credentials),
      service_quotas_(service_quotas),
      config_(config),
      clock_(clock),
      catalogue_(std::move(catalogue)),
      cache_ttl_(cache_ttl) {}

DiscoveryResult ModelDiscovery::Group(const std::vector<Named>& quotas, const DiscoveryQuery& query) const {
  std::map<std::string, DiscoveredModel> by_id;
  for (const Named& q : quotas) {
    auto p = domain::ParseQuotaName(q.name);
    if (!p) continue;
    bool tpm = p->metric == "tokens-per-minute", rpm = p->metric == "requests-per-minute";
    if (!tpm && !rpm) continue;
    if (p->scope == "other") continue;
    if (query.scope != "any" && p->scope != query.scope) continue;
    if (query.min_version > 0 && (!p->version || *p->version < query.min_version)) continue;
    std::string id = domain::SuggestedModelId(p->model_family, p->version_suffix);
    // With scope "any" the same model has codes per scope: keep them apart.
    if (query.scope == "any") id += "@" + p->scope;
    DiscoveredModel& m = by_id[id];
    m.model_id = query.scope == "any" ? id.substr(0, id.find('@')) : id;
    m.display_name = p->version_suffix.empty() ? p->model_family : p->model_family + " " + p->version_suffix;
    m.scope = p->scope;
    m.version = p->version;
    auto& slot = p->long_context_1m ? (tpm ? m.quota_code_tpm_1m : m.quota_code_rpm_1m)
                                    : (tpm ? m.quota_code_tpm : m.quota_code_rpm);
    slot = q.code;
  }
  std::map<std::string, int> burndown_by_code;  // the catalogue's output_token_burndown, where it states one
  for (const domain::CatalogueQuota& c : catalogue_)
    if (c.output_token_burndown) burndown_by_code.emplace(c.code, *c.output_token_burndown);
  DiscoveryResult r;
  for (auto& [id, m] : by_id) {
    if (!m.quota_code_tpm && !m.quota_code_rpm) continue;  // only 1M codes: not a model of its own
    for (const auto* c : {&m.quota_code_tpm, &m.quota_code_rpm, &m.quota_code_tpm_1m, &m.quota_code_rpm_1m}) {
      auto it = *c ? burndown_by_code.find(**c) : burndown_by_code.end();
      if (it == burndown_by_code.end()) continue;
      m.output_token_burndown = it->second;
      break;
    }
    r.models.push_back(std::move(m));
  }
  std::sort(r.models.begin(), r.models.end(), [](const DiscoveredModel& a, const DiscoveredModel& b) {
    if (a.version != b.version) return a.version.value_or(0) < b.version.value_or(0);
    if (a.model_id != b.model_id) return a.model_id < b.model_id;
    return a.scope < b.scope;
  });
  return r;
}

void ModelDiscovery::MarkInConfig(DiscoveryResult* result) {
  auto config = config_.Get();
  if (!config.ok()) return;
  std::set<std::string> ids, codes;
  for (const auto& m : (*config)->models) {
    ids.insert(m.model_id);
    for (const auto* c : {&m.quota_code_tpm, &m.quota_code_rpm, &m.quota_code_tpm_1m, &m.quota_code_rpm_1m})
      if (*c) codes.insert(**c);
  }
  for (auto& m : result->models) {
    m.in_config = ids.count(m.model_id) > 0 || (m.quota_code_tpm && codes.count(*m.quota_code_tpm)) ||
                  (m.quota_code_rpm && codes.count(*m.quota_code_rpm));
  }
}

Result<DiscoveryResult> ModelDiscovery::Discover(const DiscoveryQuery& query) {
  if (query.scope != "global-cross-region" && query.scope != "cross-region" && query.scope != "on-demand" &&
      query.scope != "any")
    return InvalidArgument("must be global-cross-region, cross-region, on-demand or any", "scope");
  if (!query.region.empty() && !domain::IsKnownRegion(query.region))
    return InvalidArgument("unknown AWS region \"" + query.region + "\"", "region");
  if (!query.account_id.empty()) RETURN_IF_ERROR(domain::ValidateAccountId(query.account_id));

  // Which account to ask.
  std::shared_ptr<const domain::Account> account;
  std::string fallback;
  if (!query.account_id.empty()) {
    ASSIGN_OR_RETURN(account, accounts_.Lookup(query.account_id));
  } else {
    AccountQuery q;
    q.page_size = 1;
    ASSIGN_OR_RETURN(store::AccountPage page, accounts_.List(RequestContext::System(), q));
    if (page.items.empty()) {
      fallback = "no active account to ask AWS with";
    } else {
      ASSIGN_OR_RETURN(account, accounts_.Lookup(page.items[0].account_id));
    }
  }
  std::string region = !query.region.empty()                  ? query.region
                       : account && !account->regions.empty() ? account->regions[0]
                                                              : std::string(domain::kDefaultRegion);
  std::string key = (account ? account->account_id : std::string("-")) + "/" + region + "/" + query.scope + "/" +
                    std::to_string(query.min_version);
  if (!query.refresh) {
    MutexLock lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && clock_.NowUnixMillis() - it->second.discovered_at_ms <
                                  std::chrono::duration_cast<std::chrono::milliseconds>(cache_ttl_).count()) {
      DiscoveryResult cached = it->second;
      MarkInConfig(&cached);  // the config may have changed since
      return cached;
    }
  }

  DiscoveryResult result;
  if (account) {
    auto creds = credentials_.For(*account, region);
    if (!creds.ok()) {
      fallback = creds.status().message();
    } else {
      auto applied = service_quotas_.ListServiceQuotas(*creds, region, "bedrock");
      auto defaults = applied.ok() ? service_quotas_.ListAWSDefaultServiceQuotas(*creds, region, "bedrock")
                                   : Result<std::vector<aws::ServiceQuota>>(applied.status());
      if (!applied.ok() || !defaults.ok()) {
        fallback = (!applied.ok() ? applied.status() : defaults.status()).message();
      } else {
        // Defaults name every quota; applied ones only those with a value of their own.
        std::map<std::string, std::string> names;
        for (const auto* list : {&*defaults, &*applied})
          for (const auto& q : *list) names[q.quota_code] = q.quota_name;
        std::vector<Named> quotas;
        quotas.reserve(names.size());
        for (auto& [code, name] : names) quotas.push_back({code, name});
        result = Group(quotas, query);
        result.source = "aws";
        result.account_id = account->account_id;
        result.region = region;
        result.quotas_seen = static_cast<int64_t>(quotas.size());
      }
    }
  }
  if (result.source.empty()) {
    std::vector<Named> quotas;
    for (const auto& c : catalogue_)
      if (c.name_confirmed && !c.name.empty()) quotas.push_back({c.code, c.name});
    result = Group(quotas, query);
    result.source = "catalogue";
    result.fallback_reason = fallback;
    result.quotas_seen = static_cast<int64_t>(quotas.size());
  }
  result.discovered_at_ms = clock_.NowUnixMillis();
  if (result.source == "aws") {  // a fallback is not remembered: the next call asks AWS again
    MutexLock lock(mu_);
    cache_[key] = result;
  }
  MarkInConfig(&result);
  return result;
}

}  // namespace ap::service
