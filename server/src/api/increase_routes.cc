// Quota increase requests (issue 14 §1): preview, send one, bulk job, list / get / check, account sync.
#include "api/api.h"
#include "api/codec.h"
#include "api/increase_codec.h"

namespace ap::api {
namespace {

Status NeedIncreases(Services& s) {
  return s.increases ? Status::Ok() : Unavailable("quota increase requests are not configured on this server");
}

json::value CursorOrNull(const std::string& next) { return next.empty() ? json::value(nullptr) : json::value(next); }

// The list filters of the query string (status, open, cursor, limit).
Result<service::IncreaseListQuery> ListQuery(const http::Request& request) {
  service::IncreaseListQuery q;
  if (std::string status = request.QueryParam("status"); !status.empty()) {
    auto parsed = domain::ParseIncreaseStatus(status);
    if (!parsed.ok())
      return InvalidArgument(
          "must be PENDING, CASE_OPENED, APPROVED, DENIED, CASE_CLOSED, NOT_APPROVED or INVALID_REQUEST", "status");
    q.status = *parsed;
  }
  bool present = false;
  std::string open = request.QueryParam("open", &present);
  if (present) {
    if (open != "true" && open != "false") return InvalidArgument("must be true or false", "open");
    q.open_only = open == "true";
  }
  q.cursor = request.QueryParam("cursor");
  ASSIGN_OR_RETURN(q.limit, IntParam(request, "limit", 50));
  return q;
}

json::object PageToJson(Services& s, const store::IncreaseRequestPage& page) {
  json::array items;
  for (const auto& r : page.items) items.push_back(IncreaseRequestToJson(r, s.increases->QuotaName(r.quota_code)));
  return json::object{{"items", std::move(items)}, {"next", CursorOrNull(page.next)}};
}

// A refused send: AWS's own failures (credentials, throttling, outage) are 502 aws_error, like the quota refresh.
Result<http::Response> SendFailure(const Status& s, const service::IncreaseSendError& err,
                                   const std::string& request_id) {
  if (!err.upstream) return s;
  return http::ErrorResponse(502, "aws_error", "AWS did not take the request: " + s.message(), request_id);
}

}  // namespace

void AddIncreaseRoutes(Router& r, Services& s) {
  using service::Access;
  r.Add({"POST", "/api/quota-increases/preview", Access::kAuthenticated,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(NeedIncreases(s));
           ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
           ASSIGN_OR_RETURN(auto targets, IncreaseTargetsFromJson(body));
           ASSIGN_OR_RETURN(service::IncreaseSpec spec, IncreaseSpecFromJson(body));
           ASSIGN_OR_RETURN(auto plans, s.increases->Preview(c.ctx, spec, targets));
           json::array items;
           for (const auto& p : plans) items.push_back(IncreasePlanToJson(p));
           return JsonResponse(200, json::object{{"items", std::move(items)}});
         },
         "", "What an increase request would send per (account, region), and what would be refused (no AWS call)"});
  r.Add({"POST", "/api/quota-increases/bulk", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(NeedIncreases(s));
           if (!s.increase_jobs) return Unavailable("bulk increase requests are not configured on this server");
           ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
           ASSIGN_OR_RETURN(auto targets, IncreaseTargetsFromJson(body));
           ASSIGN_OR_RETURN(service::IncreaseSpec spec, IncreaseSpecFromJson(body));
           ASSIGN_OR_RETURN(domain::Job job, s.increase_jobs->Start(c.ctx, spec, targets));
           http::Response resp = JsonResponse(202, json::object{{"job_id", job.job_id}, {"total", job.total()}});
           resp.AddHeader("Location", "/api/jobs/" + job.job_id);
           return resp;
         },
         "quota_increase.bulk", "Request one increase for many (account, region) targets as a background job; 202"});
  r.Add({"GET", "/api/quota-increases", Access::kAuthenticated,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(NeedIncreases(s));
           ASSIGN_OR_RETURN(service::IncreaseListQuery q, ListQuery(c.request));
           q.account_id = c.request.QueryParam("account_id");
           ASSIGN_OR_RETURN(store::IncreaseRequestPage page, s.increases->List(c.ctx, q));
           return JsonResponse(200, PageToJson(s, page));
         },
         "", "Increase requests, newest first (?account_id=&status=&open=&cursor=&limit=; users name an account)"});
  r.Add({"GET", "/api/quota-increases/{id}", Access::kAuthenticated,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(NeedIncreases(s));
           ASSIGN_OR_RETURN(domain::QuotaIncreaseRequest req, s.increases->Get(c.ctx, c.id));
           return JsonResponse(200, IncreaseRequestToJson(req, s.increases->QuotaName(req.quota_code)));
         },
         "", "One increase request"});
  Route check{"POST",
              "/api/quota-increases/{id}/check",
              Access::kAuthenticated,
              [&s](Call& c) -> Result<http::Response> {
                RETURN_IF_ERROR(NeedIncreases(s));
                ASSIGN_OR_RETURN(domain::QuotaIncreaseRequest req, s.increases->Check(c.ctx, c.id));
                return JsonResponse(200, IncreaseRequestToJson(req, s.increases->QuotaName(req.quota_code)));
              },
              "quota_increase.check",
              "Read the request's status from AWS now"};
  check.blocking = true;
  r.Add(std::move(check));
  r.Add({"GET", "/api/accounts/{id}/quota-increases", Access::kAccountRead,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(NeedIncreases(s));
           ASSIGN_OR_RETURN(service::IncreaseListQuery q, ListQuery(c.request));
           q.account_id = c.id;
           ASSIGN_OR_RETURN(store::IncreaseRequestPage page, s.increases->List(c.ctx, q));
           json::object out = PageToJson(s, page);
           out["may_request"] = s.increases->MayRequest(c.ctx.principal, c.id);
           return JsonResponse(200, out);
         },
         "", "The account's increase requests, newest first (?status=&open=&cursor=&limit=), and may_request"});
  Route request{"POST",
                "/api/accounts/{id}/quota-increases",
                Access::kAccountRequest,
                [&s](Call& c) -> Result<http::Response> {
                  RETURN_IF_ERROR(NeedIncreases(s));
                  ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
                  ASSIGN_OR_RETURN(service::IncreaseSpec spec, IncreaseSpecFromJson(body));
                  ObjectReader in(body);
                  service::IncreaseTarget target{c.id, ""};
                  ASSIGN_OR_RETURN(target.region, in.String("region"));
                  if (!domain::IsKnownRegion(target.region))
                    return InvalidArgument("unknown region \"" + target.region + "\"", "region");
                  RETURN_IF_ERROR(s.increases->ValidateSpec(spec));
                  service::IncreaseSendError err;
                  auto made = s.increases->Request(c.ctx, target, spec, &err);
                  if (!made.ok()) return SendFailure(made.status(), err, c.ctx.request_id);
                  http::Response resp =
                      JsonResponse(201, IncreaseRequestToJson(*made, s.increases->QuotaName(made->quota_code)));
                  resp.AddHeader("Location", "/api/quota-increases/" + made->request_id);
                  return resp;
                },
                "quota_increase.request",
                "Send one quota increase request to AWS for a model's dimension in one region; 201"};
  request.blocking = true;
  r.Add(std::move(request));
  Route sync{"POST",
             "/api/accounts/{id}/quota-increases/sync",
             Access::kAccountRequest,
             [&s](Call& c) -> Result<http::Response> {
               RETURN_IF_ERROR(NeedIncreases(s));
               ASSIGN_OR_RETURN(service::IncreaseSyncReport report, s.increases->Sync(c.ctx, c.id));
               return JsonResponse(200, IncreaseSyncReportToJson(report));
             },
             "quota_increase.sync",
             "Read AWS's increase request history of every configured code in every region of the account"};
  sync.blocking = true;
  r.Add(std::move(sync));
}

}  // namespace ap::api
