// Fleet refresh jobs: start, follow, resume.
#include <algorithm>
#include <map>

#include "api/api.h"
#include "api/codec.h"
#include "domain/quota_config_diff.h"

namespace ap::api {
namespace {

json::value CursorOrNull(const std::string& next) { return next.empty() ? json::value(nullptr) : json::value(next); }

json::value ListOrNull(const std::vector<std::string>& items) {
  if (items.empty()) return nullptr;
  json::array out;
  for (const std::string& i : items) out.emplace_back(i);
  return out;
}

// Who started each job of a page, by email: one user read per distinct starter of the page (O(page)). "system" and
// users since deleted are left out (null on the wire).
std::map<std::string, std::string> StarterEmails(Services& s, const std::vector<domain::Job>& jobs) {
  std::map<std::string, std::string> emails;
  for (const domain::Job& j : jobs) {
    if (j.created_by.empty() || j.created_by == "system" || emails.count(j.created_by)) continue;
    auto user = s.auth.GetUser(j.created_by);
    emails[j.created_by] = user.ok() ? user->email : "";
  }
  return emails;
}

// A job's header: no items (GET /api/jobs/{id}/items pages through those).
json::object JobToJson(const domain::Job& j, std::optional<int64_t> eta_seconds,
                       const std::map<std::string, std::string>& emails) {
  auto email = emails.find(j.created_by);
  domain::RefreshJobScope scope;
  if (j.kind != service::kIncreaseJobKind) {
    if (auto decoded = domain::DecodeRefreshJobScope(j.params); decoded.ok()) scope = *std::move(decoded);
  }
  return json::object{{"job_id", j.job_id},
                      {"kind", j.kind},
                      {"state", domain::JobStateName(j.state)},
                      {"created_by", j.created_by},
                      {"created_by_email", email == emails.end() || email->second.empty() ? json::value(nullptr)
                                                                                          : json::value(email->second)},
                      {"model_ids", ListOrNull(scope.model_ids)},
                      {"quota_codes", ListOrNull(scope.quota_codes)},
                      {"team", j.team_filter.empty() ? json::value(nullptr) : json::value(j.team_filter)},
                      {"region", j.region_filter.empty() ? json::value(nullptr) : json::value(j.region_filter)},
                      {"created_at", TimeOrNull(j.created_at_ms)},
                      {"updated_at", TimeOrNull(j.updated_at_ms)},
                      {"finished_at", TimeOrNull(j.finished_at_ms)},
                      {"total", j.total()},
                      {"done", j.done()},
                      {"ok", j.counters.ok},
                      {"partial", j.counters.partial},
                      {"failed", j.failed()},
                      {"include_usage", j.include_usage},
                      {"usage_failed", j.counters.usage_failed},
                      {"eta_seconds", eta_seconds ? json::value(*eta_seconds) : json::value(nullptr)}};
}

json::object JobItemToJson(const domain::JobItem& i, const std::map<std::string, std::string>& names) {
  auto name = names.find(i.account_id);
  return json::object{{"seq", i.seq},
                      {"account_id", i.account_id},
                      {"account_name", name == names.end() ? json::value(nullptr) : json::value(name->second)},
                      {"region", i.region},
                      {"outcome", domain::JobItemOutcomeName(i.outcome)},
                      {"values_ok", i.values_ok},
                      {"values_failed", i.values_failed},
                      {"error", i.error.empty() ? json::value(nullptr) : json::value(i.error)},
                      {"finished_at", TimeOrNull(i.finished_at_ms)},
                      {"usage_state", i.usage_state == domain::JobUsageState::kNotAsked
                                          ? json::value(nullptr)
                                          : json::value(domain::JobUsageStateName(i.usage_state))},
                      {"usage_error", i.usage_error.empty() ? json::value(nullptr) : json::value(i.usage_error)},
                      {"ref", i.ref.empty() ? json::value(nullptr) : json::value(i.ref)}};
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
           req.include_usage = s.fleet->polls_usage();  // the default: poll usage when the server does
           if (!c.request.body.empty()) {
             ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
             ObjectReader in(body);
             ASSIGN_OR_RETURN(auto team, in.OptString("team"));
             ASSIGN_OR_RETURN(auto region, in.OptString("region"));
             ASSIGN_OR_RETURN(auto include_usage, in.OptBool("include_usage"));
             if (include_usage) req.include_usage = *include_usage;
             // Issue 16 §3: a refresh limited to some models (their codes now, kept in the job) or codes.
             ASSIGN_OR_RETURN(auto model_ids, in.OptStringList("model_ids"));
             ASSIGN_OR_RETURN(auto quota_codes, in.OptStringList("quota_codes"));
             if (quota_codes) req.quota_codes = *quota_codes;
             if (model_ids && !model_ids->empty()) {
               ASSIGN_OR_RETURN(auto config, s.quota_config.Get());
               for (const std::string& id : *model_ids) {
                 const domain::ModelSpec* m = domain::FindModel(*config, id);
                 if (!m || !m->enabled)
                   return InvalidArgument("\"" + id + "\" is not an enabled model of the quota config", "model_ids");
               }
               for (const std::string& code : domain::CodesOfModels(*config, *model_ids)) {
                 if (std::find(req.quota_codes.begin(), req.quota_codes.end(), code) == req.quota_codes.end())
                   req.quota_codes.push_back(code);
               }
               req.model_ids = *model_ids;
             }
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
         "or query; include_usage: also poll usage, default when the server polls it); 202 {job_id}; 409 while "
         "another fleet job runs"});
  r.Add({"GET", "/api/jobs", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(NeedFleet(s));
           service::JobQuery q;
           q.cursor = c.request.QueryParam("cursor");
           ASSIGN_OR_RETURN(q.page_size, IntParam(c.request, "page_size", 20));
           ASSIGN_OR_RETURN(store::JobPage page, s.fleet->List(q));
           json::array items;
           auto emails = StarterEmails(s, page.items);
           for (const auto& j : page.items) items.push_back(JobToJson(j, std::nullopt, emails));
           return JsonResponse(200, json::object{{"items", std::move(items)}, {"next", CursorOrNull(page.next)}});
         },
         "", "Fleet jobs, newest first, by cursor (?cursor=, ?page_size= 1-200, default 20)"});
  r.Add({"GET", "/api/jobs/{id}", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(NeedFleet(s));
           ASSIGN_OR_RETURN(service::JobProgress p, s.fleet->Get(c.id));
           return JsonResponse(200, JobToJson(p.job, p.eta_seconds, StarterEmails(s, {p.job})));
         },
         "", "A fleet job: state, total / done / ok / partial / failed, estimated seconds left"});
  r.Add({"GET", "/api/jobs/{id}/items", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(NeedFleet(s));
           service::JobItemQuery q;
           if (std::string outcome = c.request.QueryParam("outcome"); !outcome.empty()) {
             auto parsed = domain::ParseJobItemOutcome(outcome);
             if (!parsed.ok()) return InvalidArgument("must be pending, ok, partial or failed", "outcome");
             q.outcome = *parsed;
           }
           q.cursor = c.request.QueryParam("cursor");
           ASSIGN_OR_RETURN(q.page_size, IntParam(c.request, "page_size", 100));
           ASSIGN_OR_RETURN(store::JobItemPage page, s.fleet->Items(c.id, q));
           // The page's account names: one batch read of the page's accounts (O(page), never a scan).
           std::vector<std::string> ids;
           ids.reserve(page.items.size());
           for (const auto& i : page.items) ids.push_back(i.account_id);
           std::map<std::string, std::string> names;
           if (auto accounts = s.accounts.GetMany(ids); accounts.ok()) {
             for (const domain::Account& a : *accounts) names[a.account_id] = a.account_name;
           }
           json::array items;
           for (const auto& i : page.items) items.push_back(JobItemToJson(i, names));
           return JsonResponse(200, json::object{{"items", std::move(items)}, {"next", CursorOrNull(page.next)}});
         },
         "",
         "A fleet job's (account, region) items in processing order, by cursor (?outcome=, ?cursor=, ?page_size=)"});
  r.Add({"POST", "/api/jobs/{id}/resume", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(NeedFleet(s));
           // Bulk increase jobs (issue 14) are resumed by their own runner.
           ASSIGN_OR_RETURN(service::JobProgress stored, s.fleet->Get(c.id));
           if (stored.job.kind == service::kIncreaseJobKind) {
             if (!s.increase_jobs) return Unavailable("quota increase requests are not configured on this server");
             ASSIGN_OR_RETURN(domain::Job job, s.increase_jobs->Resume(c.ctx, c.id));
             http::Response resp =
                 JsonResponse(202, json::object{{"job_id", job.job_id}, {"total", job.total()}, {"done", job.done()}});
             resp.AddHeader("Location", "/api/jobs/" + job.job_id);
             return resp;
           }
           ASSIGN_OR_RETURN(domain::Job job, s.fleet->Resume(c.ctx, c.id));
           http::Response resp =
               JsonResponse(202, json::object{{"job_id", job.job_id}, {"total", job.total()}, {"done", job.done()}});
           resp.AddHeader("Location", "/api/jobs/" + job.job_id);
           return resp;
         },
         "quota.refresh_all.resume", "Continue an interrupted fleet job's pending accounts; 409 unless interrupted"});
}

}  // namespace ap::api
