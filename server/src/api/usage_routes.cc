// Usage against quota (issue 13 §2): the on-demand poll, the "closest to the limit" list and hourly history.
#include "api/api.h"
#include "api/codec.h"
#include "api/usage_codec.h"

#include <mutex>
#include <optional>
#include <vector>

#include "common/clock.h"

namespace ap::api {
namespace {

// An optional ISO-8601 query parameter as epoch seconds; InvalidArgument naming it when malformed.
Result<std::optional<int64_t>> TimeParam(const http::Request& request, std::string_view name) {
  bool present = false;
  std::string text = request.QueryParam(name, &present);
  if (!present) return std::optional<int64_t>{};
  TimePoint t;
  if (!ParseIso8601(text, &t))
    return InvalidArgument("must be an ISO-8601 time such as 2026-01-31T08:00:00Z", std::string(name));
  return std::optional<int64_t>{std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count()};
}

}  // namespace

void AddUsageRoutes(Router& r, Services& s) {
  using service::Access;
  Route usage_refresh{"POST",
                      "/api/accounts/{id}/usage/refresh",
                      Access::kAccountRefresh,
                      nullptr,
                      "usage.refresh",
                      "Poll the account's CloudWatch usage in every region now; 200 with one report per region "
                      "(state stale when AWS could not be read: the last good figures stay)"};
  usage_refresh.async_fn = [&s](const AsyncCall& c, const Reply& reply) {
    if (!s.usage_poller) return reply(Unavailable("usage polling is not configured on this server"));
    auto account = s.accounts.Lookup(c.id);
    if (!account.ok()) return reply(account.status());
    if ((*account)->regions.empty())
      return reply(JsonResponse(200, json::object{{"account_id", c.id}, {"regions", json::array{}}}));
    // The whole request holds one place on the AWS workers from the caller's share until every region answered.
    std::shared_ptr<void> ticket;
    if (s.aws_admission) {
      auto admitted = s.aws_admission->Admit(AwsWorkUser(c.ctx));
      if (!admitted.ok()) return reply(AwsWorkRefused(admitted.status(), c.ctx.request_id, *s.aws_admission));
      ticket = std::make_shared<service::AwsWorkAdmission::Ticket>(std::move(admitted).value());
    }
    struct Gather {
      std::mutex mu;
      std::vector<std::optional<Result<service::UsagePollReport>>> results;
      size_t pending = 0;
      std::shared_ptr<void> ticket;  // released before the reply, so the place is free once the client has it
    };
    const std::vector<std::string> regions = (*account)->regions;
    auto gather = std::make_shared<Gather>();
    gather->results.resize(regions.size());
    gather->pending = regions.size();
    gather->ticket = std::move(ticket);
    for (size_t i = 0; i < regions.size(); ++i) {
      s.usage_poller->PollAsync(
          c.id, regions[i], [gather, i, reply, account_id = c.id](Result<service::UsagePollReport> r) {
            {
              std::lock_guard lock(gather->mu);
              gather->results[i] = std::move(r);
              if (--gather->pending > 0) return;
              gather->ticket.reset();
            }
            // The last region answered: the first error (in region order) fails the request, else the reports.
            json::array reports;
            for (auto& res : gather->results) {
              if (!res->ok()) return reply(res->status());
              reports.push_back(UsagePollReportToJson(**res, service::UsageErrorMessage((*res)->error_code)));
            }
            reply(JsonResponse(200, json::object{{"account_id", account_id}, {"regions", std::move(reports)}}));
          });
    }
  };
  r.Add(std::move(usage_refresh));
  r.Add({"GET", "/api/usage/headroom", Access::kAuthenticated,
         [&s](Call& c) -> Result<http::Response> {
           if (!s.usage) return Unavailable("usage reads are not configured on this server");
           ASSIGN_OR_RETURN(int64_t limit, IntParam(c.request, "limit", service::kDefaultHeadroomPage));
           ASSIGN_OR_RETURN(service::HeadroomListing page, s.usage->Headroom(c.ctx, c.request.QueryParam("team"),
                                                                             c.request.QueryParam("cursor"), limit));
           return JsonResponse(200, HeadroomListingToJson(page));
         },
         "",
         "Closest to the limit: (account, region, model) entries by least 24-hour headroom first "
         "(?team=&cursor=&limit=; users must name one of their teams)"});
  r.Add({"GET", "/api/accounts/{id}/usage/history", Access::kAccountRead,
         [&s](Call& c) -> Result<http::Response> {
           if (!s.usage) return Unavailable("usage reads are not configured on this server");
           service::UsageHistoryQuery q;
           q.region = c.request.QueryParam("region");
           q.model_id = c.request.QueryParam("model_id");
           ASSIGN_OR_RETURN(q.from, TimeParam(c.request, "from"));
           ASSIGN_OR_RETURN(q.to, TimeParam(c.request, "to"));
           ASSIGN_OR_RETURN(service::UsageHistory h, s.usage->History(c.id, q));
           return JsonResponse(200, UsageHistoryToJson(h));
         },
         "",
         "Hourly usage peaks of one model of the account (?region=&model_id=&from=&to=; at most 169 hours, "
         "default the last 7 days); hours without stored minutes have null figures"});
}

}  // namespace ap::api
