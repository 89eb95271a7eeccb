// Quota read, quota configuration and dashboard.
#include "api/api.h"
#include "api/codec.h"
#include "api/quota_body_cache.h"

namespace ap::api {

void AddQuotaRoutes(Router& r, Services& s) {
  using service::Access;
  // The hottest route: answered from the serialised-body cache when nothing it depends on has changed.
  auto bodies = std::make_shared<QuotaBodyCache>();
  r.Add({"GET", "/api/accounts/{id}/quota", Access::kAccountRead,
         [&s, bodies](Call& c) -> Result<http::Response> {
           std::string region = c.request.QueryParam("region");
           ASSIGN_OR_RETURN(service::QuotaReadInputs in, s.quota.Inputs(c.id, region));
           auto body = bodies->Get(in);
           if (!body) {
             body = std::make_shared<const std::string>(Serialize(QuotaViewToJson(service::QuotaService::Compose(in))));
             bodies->Put(in, body);
           }
           http::Response resp;
           resp.body = *body;
           return resp;
         },
         "", "Cached quotas of an account (never calls AWS); ?region= defaults to the account's first region"});
  r.Add({"GET", "/api/admin/quota-config", Access::kAdmin,
         [&s](Call&) -> Result<http::Response> {
           ASSIGN_OR_RETURN(auto config, s.quota_config.Get());
           return JsonResponse(200, QuotaConfigToJson(*config));
         },
         "", "The quota configuration document"});
  r.Add({"PUT", "/api/admin/quota-config", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
           int64_t expected = 0;
           ASSIGN_OR_RETURN(domain::QuotaConfig config, QuotaConfigFromJson(body, &expected));
           ASSIGN_OR_RETURN(domain::QuotaConfig saved, s.quota_config.Put(c.ctx, std::move(config), expected));
           return JsonResponse(200, QuotaConfigToJson(saved));
         },
         "quota_config.update", "Replace the quota configuration (send the version you read; stale → 409)"});
  r.Add({"GET", "/api/dashboard/stats", Access::kAuthenticated,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::DashboardStats stats, s.dashboard.Stats(c.ctx));
           return JsonResponse(200, DashboardStatsToJson(stats, s.clock.NowUnixMillis()));
         },
         "", "Fleet totals of the dashboard models over the caller's accounts (fresh values only)"});
}

}  // namespace ap::api
