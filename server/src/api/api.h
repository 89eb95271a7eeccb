// Api: the application behind the HTTP server. For each request it finds the route, establishes who is
// calling (bearer token or session cookie, with the CSRF header rule for cookie-authenticated writes), asks the
// Authorizer, runs the handler and maps any Status to the one error body. Handlers are thin: they decode,
// call a service, encode.
//
// Thread safety: Handle() is safe from any thread once constructed.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/json.h"
#include "api/router.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "common/thread_pool.h"
#include "http/address_set.h"
#include "http/message.h"
#include "service/account_service.h"
#include "service/alert_service.h"
#include "service/audit_service.h"
#include "service/auth_service.h"
#include "service/authorizer.h"
#include "service/aws_work_admission.h"
#include "service/contact_reader.h"
#include "service/dashboard_service.h"
#include "service/export_service.h"
#include "service/fleet_refresher.h"
#include "service/gateway_export.h"
#include "service/increase_job_runner.h"
#include "service/model_discovery.h"
#include "service/platform_identity.h"
#include "service/quota_config_service.h"
#include "service/quota_increase_service.h"
#include "service/quota_refresher.h"
#include "service/quota_service.h"
#include "service/service_graph.h"
#include "service/usage_poller.h"
#include "service/usage_service.h"

namespace ap::api {

// What the handlers call, by reference (the services outlive the Api). Construct it by name: ServicesOf(graph),
// or designated initializers (`Services{.auth = ..., .clock = ...}`) where a test picks its own parts.
struct Services {
  service::AuthService& auth;
  service::AccountService& accounts;
  service::QuotaService& quota;
  service::QuotaConfigService& quota_config;
  service::DashboardService& dashboard;
  service::AuditService& audit;
  service::Authorizer& authorizer;
  const Clock& clock;
  service::QuotaRefresher* refresher = nullptr;      // null: the refresh routes answer 503
  service::FleetRefresher* fleet = nullptr;          // null: the fleet routes answer 503
  ThreadPool* blocking_pool = nullptr;               // runs Route::blocking handlers; null: inline (unit tests)
  service::ContactReader* contact_reader = nullptr;  // null: ?source=aws answers 503
  service::ModelDiscovery* discovery = nullptr;      // null: available-models answers 503
  MetricsRegistry* metrics = nullptr;                // null: no request metrics, /metrics answers 503
  // Places on the AWS workers for client requests: every Route::blocking request, and every on-demand refresh
  // that starts AWS work (not one that joins a running refresh), holds a ticket while it waits for or uses the
  // workers; refused → 429/503 with Retry-After. Its max_queued also bounds the worker queue for blocking
  // routes. null: no limits (unit tests).
  service::AwsWorkAdmission* aws_admission = nullptr;
  service::UsagePoller* usage_poller = nullptr;  // null: the usage refresh route answers 503
  service::UsageService* usage = nullptr;        // null: the usage reads answer 503 (quota reads carry no usage)
  service::AlertService* alerts = nullptr;       // null: the alert routes answer 503
  service::OrganizationOnboarding* organizations = nullptr;  // null: the organizations routes answer 503
  service::GatewayExport* gateway_export = nullptr;          // null: the LiteLLM export routes answer 503
  service::ExportService* exports = nullptr;                 // null: the export routes answer 503
  // Quota increase requests (issue 14 §1); null: their routes answer 503.
  service::QuotaIncreaseService* increases = nullptr;
  service::IncreaseJobRunner* increase_jobs = nullptr;
  service::PlatformIdentity* platform_identity = nullptr;  // null: the onboarding route shows no principal
};

// The Services of `graph`: its core services, and the AWS work layer's parts (null where the graph did not build
// them), `blocking_pool` being the graph's AWS worker pool and `metrics` its MetricsRegistry.
inline Services ServicesOf(service::ServiceGraph& graph) {
  return Services{.auth = *graph.auth,
                  .accounts = *graph.accounts,
                  .quota = *graph.quota,
                  .quota_config = *graph.quota_config,
                  .dashboard = *graph.dashboard,
                  .audit = *graph.audit,
                  .authorizer = *graph.authorizer,
                  .clock = graph.clock,
                  .refresher = graph.refresher.get(),
                  .fleet = graph.fleet.get(),
                  .blocking_pool = graph.pool.get(),
                  .contact_reader = graph.contact_reader.get(),
                  .discovery = graph.discovery.get(),
                  .metrics = graph.metrics,
                  .aws_admission = graph.aws_admission.get(),
                  .usage_poller = graph.usage_poller.get(),
                  .usage = graph.usage.get(),
                  .alerts = graph.alerts.get(),
                  .organizations = graph.organizations.get(),
                  .gateway_export = graph.gateway_export.get(),
                  .exports = graph.exports.get(),
                  .increases = graph.increases.get(),
                  .increase_jobs = graph.increase_jobs.get(),
                  .platform_identity = graph.platform_identity.get()};
}

struct ApiOptions {
  // Peers whose X-Forwarded-For is believed (addresses and CIDR blocks, e.g. the ALB's subnets). Default: none —
  // the TCP peer is the client.
  http::AddressSet trusted_proxies;
  // Name of the session cookie set at login.
  std::string cookie_name = "ap_session";
  // Adds "Secure" to the session cookie; turn on when the platform is served over HTTPS.
  bool cookie_secure = false;
  // The OpenAPI document (JSON) served at /api/openapi.json; empty → 404.
  std::string openapi_json;
  // Session lifetime, for the cookie's Max-Age (the session itself expires in the store).
  int64_t session_ttl_seconds = int64_t{12} * 3600;
  // The member-account role's IAM documents with the placeholders in `values` ("PlatformRoleArn", "ExternalId",
  // "Partition") substituted: {"trust_policy", "read_policy", "increase_requests_policy", ...} as
  // `account-platform iam-policy` prints them (app/iam_policy.h). Empty: the onboarding route answers null policies.
  std::function<json::value(const std::map<std::string, std::string>& values)> member_role_policies;
  // The member-account role name the docs and the CDK app use, shown as the suggestion in the add-account form.
  std::string member_role_name = "AccountPlatformQuotaReader";
};

// The header a cookie-authenticated write must carry (any non-empty value). Browsers cannot add it to a
// cross-site request without a CORS preflight, which this server never grants.
inline constexpr std::string_view kCsrfHeader = "X-Requested-With";

class Api {
 public:
  Api(Services services, ApiOptions options);

  // Answers `request` through `respond` (exactly once, from any thread). Blocking routes first take a place
  // from Services::aws_admission (else 429/503 with Retry-After); a blocking route's handler runs on
  // Services::blocking_pool, submitted only while its queue is below the admission's max_queued (else 503 with
  // Retry-After), and is skipped when the client has gone by the time a worker takes it (the response, 499
  // client_closed_request, is then written to nobody).
  void Handle(http::Request request, http::Responder respond);
  http::Response HandleSync(const http::Request& request);
  // Records the request in the metrics (route, method, status, latency). Called for every response. The method
  // label is Router::MethodLabel(method): a method no route answers counts as "other".
  void Observe(std::string_view method, const http::Response& response,
               std::chrono::steady_clock::time_point started) const;

  const Router& router() const { return router_; }

 private:
  // Matches, checks the body's media type, authenticates and authorizes. Returns the early response
  // (404/405/415/401/403/...) or sets *route and *id for the handler to run. A request with a non-empty body
  // whose Content-Type is not application/json (parameters allowed, case-insensitive) is 415
  // "unsupported_media_type", before any credential is looked at.
  std::optional<http::Response> Prepare(const http::Request& request, service::RequestContext& ctx, const Route** route,
                                        std::string* id);
  // The caller's context: request id, User-Agent and client address (X-Forwarded-For from trusted proxies only),
  // the header-derived strings made valid UTF-8 (they are stored in audit rows and served back as JSON).
  service::RequestContext ContextOf(const http::Request& request) const;

  Services s_;
  ApiOptions options_;
  Router router_;
};

// Helpers shared by the handler files.
http::Response JsonResponse(int status, const json::value& body);
// 204 No Content: no body, no Content-Type.
http::Response NoContent();
http::Response ErrorFromStatus(const Status& status, const std::string& request_id);
// Reads a positive integer query parameter; InvalidArgument naming it when malformed. `def` when absent.
Result<int64_t> IntParam(const http::Request& request, std::string_view name, int64_t def);
// Whose share of the AWS workers a request counts against: the user id, or the client address when anonymous.
std::string AwsWorkUser(const service::RequestContext& ctx);
// The answer to a request AwsWorkAdmission refused (`status`: 429 or 503), with Retry-After.
http::Response AwsWorkRefused(const Status& status, const std::string& request_id,
                              const service::AwsWorkAdmission& admission);

// A streamed download (http::BodyStream): `next` produces the body piece by piece (see BodyStream for its contract)
// on Services::blocking_pool (inline on the calling thread when null: unit tests). The first piece is queued only
// while the pool's queue is below the AWS admission's max_queued (else the client gets 503 before any byte); the
// following ones always queue (each open stream holds at most one task, so the open connections bound them).
// Sets Content-Type, `Content-Disposition: attachment; filename="<filename>"` (REQUIRES: `filename` is printable
// ASCII without '"' or '\\') and Cache-Control: no-store.
http::Response StreamedResponse(Services& s, std::string content_type, std::string_view filename,
                                std::function<Status(std::string* chunk, bool* done)> next);

// Route registration, one function per resource file.
void AddAuthRoutes(Router& r, Services& s, const ApiOptions& o);
void AddUserRoutes(Router& r, Services& s);
void AddAccountRoutes(Router& r, Services& s);
void AddQuotaRoutes(Router& r, Services& s);
void AddDashboardRoutes(Router& r, Services& s);
void AddUsageRoutes(Router& r, Services& s);
void AddSystemRoutes(Router& r, Services& s, const ApiOptions& o);
void AddFleetRoutes(Router& r, Services& s);
void AddMetricsRoutes(Router& r, Services& s);
void AddAlertRoutes(Router& r, Services& s);
void AddOrganizationRoutes(Router& r, Services& s);
void AddGatewayExportRoutes(Router& r, Services& s);
void AddExportRoutes(Router& r, Services& s);
void AddIncreaseRoutes(Router& r, Services& s);
void AddOnboardingRoutes(Router& r, Services& s, const ApiOptions& o);

}  // namespace ap::api
