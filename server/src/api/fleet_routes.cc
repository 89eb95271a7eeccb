// Fleet refresh jobs: start, follow, resume.
#include "api/api.h"
#include "api/codec.h"

namespace ap::api {
namespace {

json::object JobToJson(const domain::Job& j, std::optional<int64_t> eta_seconds, bool with_items) {
  json::object out{{"job_id", j.job_id},
                   {"kind", j.kind},
                   {"state", domain::JobStateName(j.state)},
                   {"created_by", j.created_by},
                   {"team", j.team_filter.empty() ? json::value(nullptr) : json::value(j.team_filter)},
                   {"region", j.region_filter.empty() ? json::value(nullptr) : json::value(j.region_filter)},
                   {"created_at", TimeOrNull(j.created_at_ms)},
                   {"updated_at", TimeOrNull(j.updated_at_ms)},
                   {"finished_at", TimeOrNull(j.finished_at_ms)},
                   {"total", j.total()},
                   {"done", j.done()},
                   {"failed", j.failed()},
                   {"eta_seconds", eta_seconds ? json::value(*eta_seconds) : json::value(nullptr)}};
  if (with_items) {
    json::array items;
    for (const domain::JobItem& i : j.items) {
      items.push_back(json::object{{"account_id", i.account_id},
                                   {"region", i.region},
                                   {"outcome", domain::JobItemOutcomeName(i.outcome)},
                                   {"values_ok", i.values_ok},
                                   {"values_failed", i.values_failed},
                                   {"error", i.error.empty() ? json::value(nullptr) : json::value(i.error)},
                                   {"finished_at", TimeOrNull(i.finished_at_ms)}});
    }
    out["accounts"] = std::move(items);
  }
  return out;
}

Status NeedFleet(Services& s) {
  return s.fleet ? Status::Ok() : Unavailable("fleet refresh is not configured on this server");
}

}  // namespace

void AddFleetRoutes(Router& r, Services& s) {
  using service::Access;
  r.Add({"POST", "/api/admin/quota/refresh-all", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(NeedFleet(s));
           service::FleetRequest req;
           if (!c.request.body.empty()) {
             ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
             ObjectReader in(body);
             ASSIGN_OR_RETURN(auto team, in.OptString("team"));
             ASSIGN_OR_RETURN(auto region, in.OptString("region"));
             req.team = team.value_or("");
             req.region = region.value_or("");
           }
           if (req.team.empty()) req.team = c.request.QueryParam("team");
           if (req.region.empty()) req.region = c.request.QueryParam("region");
           ASSIGN_OR_RETURN(domain::Job job, s.fleet->Start(c.ctx, req));
           http::Response resp = JsonResponse(202, json::object{{"job_id", job.job_id}, {"total", job.total()}});
           resp.AddHeader("Location", "/api/jobs/" + job.job_id);
           return resp;
         },
         "quota.refresh_all",
         "Refresh every active account's quotas in the background (optional team and region filters in the body "
         "or query); 202 {job_id}; 409 while another fleet job runs"});
  r.Add({"GET", "/api/jobs", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(NeedFleet(s));
           ASSIGN_OR_RETURN(int64_t limit, IntParam(c.request, "limit", 20));
           if (limit < 1 || limit > 200) return InvalidArgument("must be between 1 and 200", "limit");
           ASSIGN_OR_RETURN(auto jobs, s.fleet->List(limit));
           json::array items;
           for (const auto& j : jobs) items.push_back(JobToJson(j, std::nullopt, false));
           return JsonResponse(200, json::object{{"items", std::move(items)}});
         },
         "", "Recent fleet jobs, newest first (?limit=, default 20)"});
  r.Add({"GET", "/api/jobs/{id}", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(NeedFleet(s));
           ASSIGN_OR_RETURN(service::JobProgress p, s.fleet->Get(c.id));
           return JsonResponse(200, JobToJson(p.job, p.eta_seconds, true));
         },
         "", "A fleet job: state, done / total / failed, estimated seconds left, per-account outcome"});
  r.Add({"POST", "/api/jobs/{id}/resume", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(NeedFleet(s));
           ASSIGN_OR_RETURN(domain::Job job, s.fleet->Resume(c.ctx, c.id));
           http::Response resp =
               JsonResponse(202, json::object{{"job_id", job.job_id}, {"total", job.total()}, {"done", job.done()}});
           resp.AddHeader("Location", "/api/jobs/" + job.job_id);
           return resp;
         },
         "quota.refresh_all.resume", "Continue an interrupted fleet job's pending accounts; 409 unless interrupted"});
}

}  // namespace ap::api
