// Health, readiness and the API description.
#include "api/api.h"

namespace ap::api {

void AddSystemRoutes(Router& r, Services& s, const ApiOptions& o) {
  using service::Access;
  r.Add({"GET", "/health", Access::kPublic,
         [](Call&) -> Result<http::Response> {
           http::Response resp;
           resp.body = R"({"status":"ok"})";
           return resp;
         },
         "", "Liveness: the process answers"});
  r.Add({"GET", "/ready", Access::kPublic,
         [&s](Call& c) -> Result<http::Response> {
           Status ping = s.quota.Ping();
           if (!ping.ok()) {
             return http::ErrorResponse(503, "unavailable", "the store is not reachable", c.ctx.request_id);
           }
           http::Response resp;
           resp.body = R"({"status":"ready"})";
           return resp;
         },
         "", "Readiness: the store answers"});
  r.Add({"GET", "/api/openapi.json", Access::kPublic,
         [&o](Call&) -> Result<http::Response> {
           if (o.openapi_json.empty()) return NotFound("no API description was built into this binary");
           http::Response resp;
           resp.body = o.openapi_json;
           return resp;
         },
         "", "This API's OpenAPI 3 description"});
}

}  // namespace ap::api
