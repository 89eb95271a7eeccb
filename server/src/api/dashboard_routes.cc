// The dashboard: fleet totals and the (account, region) grid.
#include "api/api.h"
#include "api/codec.h"

namespace ap::api {

void AddDashboardRoutes(Router& r, Services& s) {
  using service::Access;
  r.Add({"GET", "/api/dashboard/stats", Access::kAuthenticated,
         [&s](Call& c) -> Result<http::Response> {
           // As the account list: offset pages are gone, and an old client is told so rather than served page 1.
           bool page_sent = false;
           (void)c.request.QueryParam("page", &page_sent);
           if (page_sent) return InvalidArgument("not supported: follow the \"next\" cursor with ?cursor=", "page");
           service::DashboardQuery q;
           q.cursor = c.request.QueryParam("cursor");
           ASSIGN_OR_RETURN(q.page_size, IntParam(c.request, "page_size", 50));
           ASSIGN_OR_RETURN(service::DashboardStats stats, s.dashboard.Stats(c.ctx, q));
           return JsonResponse(200, DashboardStatsToJson(stats, s.clock.NowUnixMillis()));
         },
         "",
         "Fleet totals of the dashboard models over the caller's accounts (fresh values only), and a page of "
         "(account, region) rows with their values and states (?cursor=&page_size=; follow `next`)"});
}

}  // namespace ap::api
