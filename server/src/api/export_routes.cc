// /api/exports/...: CSV and JSON downloads (issue 14 §2), streamed (api::StreamedResponse) page by page from the
// ExportService. The handler validates the filters and opens the export on the blocking pool (the opening writes
// the audit entry); each piece is then produced there, after the previous one was written to the client.
#include <chrono>

#include "api/api.h"
#include "common/clock.h"

namespace ap::api {
namespace {

Result<service::ExportOptions> OptionsOf(const http::Request& r) {
  service::ExportOptions o;
  ASSIGN_OR_RETURN(o.format, service::ParseExportFormat(r.QueryParam("format")));
  bool present = false;
  std::string bom = r.QueryParam("bom", &present);
  if (present && bom != "true" && bom != "false") return InvalidArgument("must be true or false", "bom");
  o.bom = bom == "true";
  return o;
}

// An ISO 8601 UTC time parameter as Unix milliseconds; 0 when absent.
Result<int64_t> TimeParam(const http::Request& r, const char* name) {
  bool present = false;
  std::string v = r.QueryParam(name, &present);
  if (!present) return int64_t{0};
  TimePoint t;
  if (!ParseIso8601(v, &t)) return InvalidArgument("must be a UTC time like 2026-01-31T00:00:00Z", name);
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

http::Response Stream(Services& s, service::Export e) {
  return StreamedResponse(s, std::move(e.content_type), e.filename, std::move(e.next));
}

}  // namespace

void AddExportRoutes(Router& r, Services& s) {
  using service::Access;
  Route fleet{"GET",
              "/api/exports/fleet",
              Access::kAuthenticated,
              [&s](Call& c) -> Result<http::Response> {
                if (!s.exports) return Unavailable("exports are not configured on this server");
                ASSIGN_OR_RETURN(service::ExportOptions o, OptionsOf(c.request));
                service::FleetExportQuery q;
                q.team = c.request.QueryParam("team");
                q.region = c.request.QueryParam("region");
                q.model_id = c.request.QueryParam("model_id");
                ASSIGN_OR_RETURN(service::Export e, s.exports->OpenFleet(c.ctx, q, o));
                return Stream(s, std::move(e));
              },
              "",
              "The fleet grid as CSV or JSON, one row per account × region × model × dimension of the accounts the "
              "caller may see (?format=csv|json&bom=&team=&region=&model_id=), streamed"};
  fleet.blocking = true;
  r.Add(std::move(fleet));

  Route history{"GET",
                "/api/exports/quota-history",
                Access::kAuthenticated,
                [&s](Call& c) -> Result<http::Response> {
                  if (!s.exports) return Unavailable("exports are not configured on this server");
                  ASSIGN_OR_RETURN(service::ExportOptions o, OptionsOf(c.request));
                  service::HistoryExportQuery q;
                  q.account_id = c.request.QueryParam("account_id");
                  q.region = c.request.QueryParam("region");
                  q.model_id = c.request.QueryParam("model_id");
                  ASSIGN_OR_RETURN(q.from_ms, TimeParam(c.request, "from"));
                  ASSIGN_OR_RETURN(q.to_ms, TimeParam(c.request, "to"));
                  ASSIGN_OR_RETURN(service::Export e, s.exports->OpenQuotaHistory(c.ctx, q, o));
                  return Stream(s, std::move(e));
                },
                "",
                "One account's quota history in one region as CSV or JSON, newest first "
                "(?account_id=&region=&model_id=&from=&to=&format=&bom=), streamed"};
  history.blocking = true;
  r.Add(std::move(history));

  Route increases{"GET",
                  "/api/exports/quota-increases",
                  Access::kAuthenticated,
                  [&s](Call& c) -> Result<http::Response> {
                    if (!s.exports) return Unavailable("exports are not configured on this server");
                    ASSIGN_OR_RETURN(service::ExportOptions o, OptionsOf(c.request));
                    service::IncreaseExportQuery q;
                    q.account_id = c.request.QueryParam("account_id");
                    q.status = c.request.QueryParam("status");
                    ASSIGN_OR_RETURN(q.from_ms, TimeParam(c.request, "from"));
                    ASSIGN_OR_RETURN(q.to_ms, TimeParam(c.request, "to"));
                    ASSIGN_OR_RETURN(service::Export e, s.exports->OpenQuotaIncreases(c.ctx, q, o));
                    return Stream(s, std::move(e));
                  },
                  "",
                  "Quota increase requests as CSV or JSON, newest first, of the accounts the caller may see "
                  "(?account_id=&status=&from=&to=&format=&bom=), streamed"};
  increases.blocking = true;
  r.Add(std::move(increases));

  Route audit{"GET",
              "/api/exports/audit-log",
              Access::kAdmin,
              [&s](Call& c) -> Result<http::Response> {
                if (!s.exports) return Unavailable("exports are not configured on this server");
                ASSIGN_OR_RETURN(service::ExportOptions o, OptionsOf(c.request));
                store::AuditFilter f;
                f.actor_id = c.request.QueryParam("actor_id");
                f.action = c.request.QueryParam("action");
                f.target_type = c.request.QueryParam("target_type");
                f.target_id = c.request.QueryParam("target_id");
                f.outcome = c.request.QueryParam("outcome");
                ASSIGN_OR_RETURN(f.from_ms, TimeParam(c.request, "from"));
                ASSIGN_OR_RETURN(f.to_ms, TimeParam(c.request, "to"));
                ASSIGN_OR_RETURN(service::Export e, s.exports->OpenAuditLog(c.ctx, f, o));
                return Stream(s, std::move(e));
              },
              "export.audit_log",
              "The audit log as CSV or JSON, newest first (admins; "
              "?actor_id=&action=&target_type=&target_id=&outcome=&from=&to=&format=&bom=), streamed"};
  audit.blocking = true;
  r.Add(std::move(audit));
}

}  // namespace ap::api
