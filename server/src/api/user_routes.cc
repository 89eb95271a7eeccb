// /api/admin/users, /api/admin/teams, /api/admin/audit-log: administration of people and the audit trail.
#include "api/api.h"
#include "api/codec.h"

namespace ap::api {
namespace {

// The "next" of a cursor page: the cursor, or null on the last page.
json::value NextJson(const std::string& next) { return next.empty() ? json::value(nullptr) : json::value(next); }

// Cursor lists no longer take a page number (it would cost O(offset)): 422 naming "page" when one is sent.
Status NoPageParam(const http::Request& r) {
  bool sent = false;
  (void)r.QueryParam("page", &sent);
  if (sent) return InvalidArgument("not supported: follow the \"next\" cursor with ?cursor=", "page");
  return Status::Ok();
}

Result<http::Response> ListUsers(Services& s, Call& c) {
  RETURN_IF_ERROR(NoPageParam(c.request));
  ASSIGN_OR_RETURN(int64_t page_size, IntParam(c.request, "page_size", 50));
  ASSIGN_OR_RETURN(auto page, s.auth.ListUsers(c.request.QueryParam("cursor"), page_size));
  json::array items;
  for (const auto& u : page.items) items.push_back(UserToJson(u));
  return JsonResponse(
      200,
      json::object{
          {"items", std::move(items)}, {"next", NextJson(page.next)}, {"total", page.total}, {"page_size", page_size}});
}

Result<http::Response> CreateUser(Services& s, Call& c) {
  ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
  ObjectReader in(body);
  service::NewUser req;
  ASSIGN_OR_RETURN(req.email, in.String("email"));
  ASSIGN_OR_RETURN(req.password, in.OptString("password"));
  ASSIGN_OR_RETURN(auto role, in.OptString("role"));
  if (role) {
    ASSIGN_OR_RETURN(req.role, domain::ParseRole(*role));
  }
  ASSIGN_OR_RETURN(auto teams, in.OptStringList("teams"));
  req.teams = teams.value_or(std::vector<std::string>{});
  ASSIGN_OR_RETURN(service::CreatedUser created, s.auth.CreateUser(c.ctx, std::move(req)));
  json::object out = UserToJson(created.user);
  if (created.generated_password) out["generated_password"] = *created.generated_password;
  http::Response resp = JsonResponse(201, out);
  resp.AddHeader("Cache-Control", "no-store");
  return resp;
}

Result<http::Response> PatchUser(Services& s, Call& c) {
  ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
  ObjectReader in(body);
  service::UserPatch p;
  ASSIGN_OR_RETURN(auto role, in.OptString("role"));
  if (role) {
    ASSIGN_OR_RETURN(auto parsed, domain::ParseRole(*role));
    p.role = parsed;
  }
  ASSIGN_OR_RETURN(p.disabled, in.OptBool("disabled"));
  ASSIGN_OR_RETURN(p.teams, in.OptStringList("teams"));
  ASSIGN_OR_RETURN(p.password, in.OptString("password"));
  ASSIGN_OR_RETURN(p.must_change_password, in.OptBool("must_change_password"));
  ASSIGN_OR_RETURN(domain::User u, s.auth.UpdateUser(c.ctx, c.id, p));
  return JsonResponse(200, UserToJson(u));
}

Result<http::Response> ListAudit(Services& s, Call& c) {
  store::AuditFilter f;
  f.actor_id = c.request.QueryParam("actor_id");
  f.action = c.request.QueryParam("action");
  f.target_type = c.request.QueryParam("target_type");
  f.target_id = c.request.QueryParam("target_id");
  f.outcome = c.request.QueryParam("outcome");
  for (auto [name, dst] : {std::pair{"from", &f.from_ms}, std::pair{"to", &f.to_ms}}) {
    bool present = false;
    std::string v = c.request.QueryParam(name, &present);
    if (!present) continue;
    TimePoint t;
    if (!ParseIso8601(v, &t)) return InvalidArgument("must be a UTC time like 2026-01-31T00:00:00Z", name);
    *dst = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  }
  RETURN_IF_ERROR(NoPageParam(c.request));
  f.cursor = c.request.QueryParam("cursor");
  ASSIGN_OR_RETURN(f.limit, IntParam(c.request, "page_size", 50));
  // By email (issue 16 §5): the user it names, then the actor_id index (one user read; O(page) as any filter). No
  // such user: no entries (an empty page, not an error: the user may have been deleted).
  if (std::string email = c.request.QueryParam("actor_email"); !email.empty()) {
    auto user = s.auth.GetUserByEmail(email);
    if (!user.ok() && user.status().code() != StatusCode::kNotFound) return user.status();
    if (!user.ok() || (!f.actor_id.empty() && f.actor_id != user->user_id))
      return JsonResponse(200, json::object{{"items", json::array{}}, {"next", nullptr}, {"page_size", f.limit}});
    f.actor_id = user->user_id;
  }
  ASSIGN_OR_RETURN(store::AuditPage p, s.audit.List(f));
  json::array items;
  for (const auto& e : p.items) items.push_back(AuditEntryToJson(e));
  return JsonResponse(200,
                      json::object{{"items", std::move(items)}, {"next", NextJson(p.next)}, {"page_size", f.limit}});
}

}  // namespace

void AddUserRoutes(Router& r, Services& s) {
  using service::Access;
  r.Add({"GET", "/api/admin/users", Access::kAdmin, [&s](Call& c) { return ListUsers(s, c); }, "",
         "List users by email, one page per cursor (?cursor=&page_size=), with the total"});
  r.Add({"POST", "/api/admin/users", Access::kAdmin, [&s](Call& c) { return CreateUser(s, c); }, "user.create",
         "Create a user (password generated and returned once when omitted)"});
  r.Add({"PATCH", "/api/admin/users/{id}", Access::kAdmin, [&s](Call& c) { return PatchUser(s, c); }, "user.update",
         "Change a user's role, teams, disabled flag or password, or force a password reset"});
  r.Add({"DELETE", "/api/admin/users/{id}", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(s.auth.DeleteUser(c.ctx, c.id));
           return NoContent();
         },
         "user.delete", "Delete a user and end their sessions"});

  r.Add({"GET", "/api/admin/teams", Access::kAdmin,
         [&s](Call&) -> Result<http::Response> {
           ASSIGN_OR_RETURN(auto teams, s.auth.ListTeams());
           json::array items;
           for (const auto& t : teams) items.push_back(TeamToJson(t));
           return JsonResponse(200, json::object{{"items", std::move(items)}, {"total", teams.size()}});
         },
         "", "List teams"});
  r.Add({"POST", "/api/admin/teams", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
           ObjectReader in(body);
           domain::Team t;
           ASSIGN_OR_RETURN(t.team_id, in.String("team_id"));
           ASSIGN_OR_RETURN(auto name, in.OptString("name"));
           t.name = name.value_or("");
           ASSIGN_OR_RETURN(domain::Team saved, s.auth.PutTeam(c.ctx, t));
           return JsonResponse(201, TeamToJson(saved));
         },
         "team.put", "Create or rename a team"});
  r.Add({"DELETE", "/api/admin/teams/{id}", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(s.auth.DeleteTeam(c.ctx, c.id));
           return NoContent();
         },
         "team.delete", "Delete a team (users and accounts keep the id until changed)"});

  r.Add(
      {"GET", "/api/admin/audit-log", Access::kAdmin, [&s](Call& c) { return ListAudit(s, c); }, "",
       "Audit log, newest first, with filters actor_id, actor_email, action (prefix with a trailing '.'), target_type, "
       "target_id, outcome, from, to; one page per cursor (?cursor=&page_size=)"});
}

}  // namespace ap::api
