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
           q.sort = c.request.QueryParam("sort");
           q.team = c.request.QueryParam("team");
           q.region = c.request.QueryParam("region");
           bool order_sent = false;
           const std::string order = c.request.QueryParam("order", &order_sent);
           if (order_sent) {
             if (order != "asc" && order != "desc") return InvalidArgument("order must be asc or desc", "order");
             q.descending = order == "desc";
           }
           ASSIGN_OR_RETURN(q.page_size, IntParam(c.request, "page_size", 50));
           ASSIGN_OR_RETURN(service::DashboardStats stats, s.dashboard.Stats(c.ctx, q));
           return JsonResponse(200, DashboardStatsToJson(stats, s.clock.NowUnixMillis()));
         },
         "",
         "Fleet totals of the dashboard models over the caller's accounts (fresh values only), and a page of "
         "(account, region) rows with their values and states, sorted by account name or by a model's value "
         "(?sort=&order=&team=&region=&cursor=&page_size=; follow `next`)"});
}

}  // namespace ap::api
