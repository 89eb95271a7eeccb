// Quota read and quota configuration.
#include "api/api.h"
#include "api/codec.h"
#include "api/quota_body_cache.h"
#include "api/quota_names_codec.h"

#include <cstdlib>
#include <optional>
#include <vector>

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
  Route refresh{"POST",
                "/api/accounts/{id}/quota/refresh",
                Access::kAccountRefresh,
                nullptr,
                "quota.refresh",
                "Read the account's quotas from AWS now (?region=); 200 with per-value outcomes, 502 when nothing "
                "could be read (the cache is then unchanged)"};
  refresh.async_fn = [&s](const AsyncCall& c, const Reply& reply) {
    if (!s.refresher) return reply(Unavailable("quota refresh is not configured on this server"));
    std::string region = c.request.QueryParam("region");
    std::string request_id = c.ctx.request_id;
    std::string account_id = c.id;
    // A refresh that starts AWS work takes a place on the workers from the caller's share until it finishes;
    // joining a refresh already running costs no worker and is not counted.
    service::QuotaRefresher::StartGate gate;
    auto refused = std::make_shared<bool>(false);
    if (s.aws_admission) {
      gate = [&s, user = AwsWorkUser(c.ctx), refused]() -> Result<std::shared_ptr<void>> {
        auto ticket = s.aws_admission->Admit(user);
        if (!ticket.ok()) {
          *refused = true;
          return ticket.status();
        }
        return std::shared_ptr<void>(std::make_shared<service::AwsWorkAdmission::Ticket>(std::move(ticket).value()));
      };
    }
    s.refresher->RefreshAsync(
        c.ctx, account_id, region,
        [&s, reply, request_id, refused](Result<service::RefreshReport> r) {
          if (!r.ok() && *refused) return reply(AwsWorkRefused(r.status(), request_id, *s.aws_admission));
          if (!r.ok()) return reply(r.status());
          if (r->ok_count == 0 && r->failed_count > 0) {
            return reply(http::ErrorResponse(
                502, "aws_error",
                "no quota could be read from AWS; the last good values are kept, marked stale: " + r->first_error,
                request_id));
          }
          auto in = s.quota.Inputs(r->account_id, r->region);
          if (!in.ok()) return reply(in.status());
          json::object body = QuotaViewToJson(service::QuotaService::Compose(*in));
          body["refresh"] = RefreshReportToJson(*r);
          reply(JsonResponse(200, body));
        },
        gate);
  };
  r.Add(std::move(refresh));
  r.Add({"GET", "/api/accounts/{id}/quota/history", Access::kAccountRead,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::QuotaReadInputs in, s.quota.Inputs(c.id, c.request.QueryParam("region")));
           ASSIGN_OR_RETURN(int64_t limit, IntParam(c.request, "limit", 1000));
           std::string model_id = c.request.QueryParam("model_id");
           ASSIGN_OR_RETURN(store::QuotaHistoryPage page,
                            s.quota.History(in, model_id, c.request.QueryParam("cursor"), limit));
           json::object body{{"account_id", c.id},
                             {"region", in.region},
                             {"model_id", model_id.empty() ? json::value(nullptr) : json::value(model_id)},
                             {"items", HistoryToJson(page.items, *in.config)},
                             {"next", page.next.empty() ? json::value(nullptr) : json::value(page.next)}};
           return JsonResponse(200, body);
         },
         "",
         "History of the account's cached values (?region=&model_id=&limit=&cursor=): first reads, changes, "
         "stale, recovered, failed; the newest `limit` oldest first, `next` pages to older entries"});
  r.Add({"GET",
         "/api/admin/available-models",
         Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           if (!s.discovery) return Unavailable("model discovery is not configured on this server");
           service::DiscoveryQuery q;
           q.account_id = c.request.QueryParam("account_id");
           q.region = c.request.QueryParam("region");
           q.scope = c.request.QueryParam("scope");
           if (q.scope.empty()) q.scope = "global-cross-region";
           std::string min_version = c.request.QueryParam("min_version");
           if (!min_version.empty()) {
             char* end = nullptr;
             q.min_version = std::strtod(min_version.c_str(), &end);
             if (!end || *end != '\0' || q.min_version < 0)
               return InvalidArgument("must be a number such as 4.5 (0: all)", "min_version");
           }
           std::string refresh = c.request.QueryParam("refresh");
           q.refresh = refresh == "true" || refresh == "1";
           ASSIGN_OR_RETURN(service::DiscoveryResult r, s.discovery->Discover(q));
           json::array models;
           for (const service::DiscoveredModel& m : r.models) {
             auto code = [](const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); };
             models.push_back(
                 json::object{{"model_id", m.model_id},
                              {"display_name", m.display_name},
                              {"scope", m.scope},
                              {"version", NumberOrNull(m.version)},
                              {"quota_code_tpm", code(m.quota_code_tpm)},
                              {"quota_code_rpm", code(m.quota_code_rpm)},
                              {"has_1m_context", m.quota_code_tpm_1m.has_value() || m.quota_code_rpm_1m.has_value()},
                              {"quota_code_tpm_1m", code(m.quota_code_tpm_1m)},
                              {"quota_code_rpm_1m", code(m.quota_code_rpm_1m)},
                              {"output_token_burndown", m.output_token_burndown},
                              {"in_config", m.in_config}});
           }
           return JsonResponse(
               200,
               json::object{{"models", std::move(models)},
                            {"source", r.source},
                            {"fallback_reason",
                             r.fallback_reason.empty() ? json::value(nullptr) : json::value(r.fallback_reason)},
                            {"account_id", r.account_id.empty() ? json::value(nullptr) : json::value(r.account_id)},
                            {"region", r.region.empty() ? json::value(nullptr) : json::value(r.region)},
                            {"quotas_seen", r.quotas_seen},
                            {"discovered_at", TimeOrNull(r.discovered_at_ms)}});
         },
         "",
         "Claude models the account's Service Quotas list (Global cross-Region, 4.5+ by default; ?account_id=&region="
         "&scope=&min_version=&refresh=true); the built-in catalogue answers when AWS cannot, flagged as such",
         {},
         true});
  r.Add({"GET", "/api/admin/quota-config", Access::kAdmin,
         [&s](Call&) -> Result<http::Response> {
           ASSIGN_OR_RETURN(auto config, s.quota_config.Get());
           json::object body = QuotaConfigToJson(*config);
           body["quota_names"] = QuotaNamesToJson(*config, s.quota.catalogue().get());
           return JsonResponse(200, body);
         },
         "", "The quota configuration document"});
  r.Add({"PUT", "/api/admin/quota-config", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
           int64_t expected = 0;
           ASSIGN_OR_RETURN(domain::QuotaConfig config, QuotaConfigFromJson(body, &expected));
           domain::QuotaConfigChanges changes;
           ASSIGN_OR_RETURN(domain::QuotaConfig saved,
                            s.quota_config.Put(c.ctx, std::move(config), expected, &changes));
           json::object out = QuotaConfigToJson(saved);
           // The models that start being read: the page offers a fleet refresh limited to them (issue 16 §3).
           json::array newly;
           for (const std::string& id : changes.newly_read_models) newly.emplace_back(id);
           out["newly_read_models"] = std::move(newly);
           out["quota_names"] = QuotaNamesToJson(saved, s.quota.catalogue().get());
           return JsonResponse(200, out);
         },
         "quota_config.update",
         "Replace the quota configuration (send the version you read; stale → 409); the answer names the models "
         "that start being read (newly_read_models)"});
}

}  // namespace ap::api
