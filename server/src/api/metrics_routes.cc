// GET /metrics: Prometheus text format (admins; a separate --metrics-listen address serves it without login).
#include "api/api.h"

namespace ap::api {

void AddMetricsRoutes(Router& r, Services& s) {
  r.Add({"GET", "/metrics", service::Access::kAdmin,
         [&s](Call&) -> Result<http::Response> {
           if (!s.metrics) return Unavailable("metrics are not configured on this server");
           http::Response resp;
           resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
           resp.body = s.metrics->Render();
           resp.AddHeader("Cache-Control", "no-store");
           return resp;
         },
         "", "Prometheus metrics: HTTP requests, AWS calls, refresh durations and the cached quota values"});
}

}  // namespace ap::api
