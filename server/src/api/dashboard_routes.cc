// The dashboard: fleet totals and the (account, region) grid.
#include "api/api.h"
#include "api/codec.h"

namespace ap::api {

void AddDashboardRoutes(Router& r, Services& s) {
  using service::Access;
  r.Add({"GET", "/api/dashboard/stats", Access::kAuthenticated,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(int64_t page, IntParam(c.request, "page", 1));
           ASSIGN_OR_RETURN(int64_t page_size, IntParam(c.request, "page_size", 50));
           ASSIGN_OR_RETURN(service::DashboardStats stats, s.dashboard.Stats(c.ctx, page, page_size));
           return JsonResponse(200, DashboardStatsToJson(stats, s.clock.NowUnixMillis()));
         },
         "",
         "Fleet totals of the dashboard models over the caller's accounts (fresh values only), and a page of "
         "(account, region) rows with their values and states (?page=&page_size=)"});
}

}  // namespace ap::api
