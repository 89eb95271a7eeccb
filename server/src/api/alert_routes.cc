// /api/admin/alert-rules, /api/admin/alert-channels and /api/alerts (issue 13 §3; docs/openapi.yaml tag alerts).
// Access to an alert depends on its account, known only once the alert is read: those routes are declared
// authenticated and service::AlertService checks account-read / account-refresh itself.
#include "api/alert_codec.h"
#include "api/api.h"

namespace ap::api {
namespace {

Result<service::AlertService*> AlertsOf(Services& s) {
  if (s.alerts == nullptr) return Unavailable("alerts are not configured on this server");
  return s.alerts;
}

// The required ?version= of a DELETE.
Result<int64_t> VersionParam(const Call& c) {
  bool present = false;
  (void)c.request.QueryParam("version", &present);
  if (!present) return InvalidArgument("is required: the version you read", "version");
  return IntParam(c.request, "version", 0);
}

// The alert key of the {alert_id} segment; NotFound when it is no alert id.
Result<std::string> AlertKeyOf(const Call& c) {
  std::optional<std::string> key = service::AlertKeyOfWireId(c.id);
  if (!key) return NotFound("alert " + c.id + " not found");
  return *std::move(key);
}

Result<http::Response> ListAlerts(Services& s, Call& c) {
  ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
  store::AlertFilter f;
  std::string state = c.request.QueryParam("state");
  if (state == "firing") {
    f.state = domain::AlertState::kFiring;
  } else if (state == "resolved") {
    f.state = domain::AlertState::kResolved;
  } else if (!state.empty()) {
    return InvalidArgument("must be firing or resolved", "state");
  }
  f.account_id = c.request.QueryParam("account_id");
  f.rule_id = c.request.QueryParam("rule_id");
  f.cursor = c.request.QueryParam("cursor");
  ASSIGN_OR_RETURN(f.limit, IntParam(c.request, "limit", 50));
  if (f.limit < 1 || f.limit > 200) return InvalidArgument("must be 1 to 200", "limit");
  ASSIGN_OR_RETURN(service::AlertViewPage page, alerts->ListAlerts(c.ctx, f));
  json::array items;
  for (const service::AlertView& v : page.items) items.push_back(AlertToJson(v));
  return JsonResponse(200, json::object{{"items", std::move(items)},
                                        {"next", page.next.empty() ? json::value(nullptr) : json::value(page.next)}});
}

// An RFC 3339 UTC time ("…Z"), with or without a fraction of a second (kept to the millisecond), as epoch ms.
std::optional<int64_t> ParseTimeMs(std::string_view text) {
  int64_t fraction_ms = 0;
  std::string whole(text);
  if (size_t dot = text.find('.'); dot != std::string_view::npos) {
    if (text.back() != 'Z') return std::nullopt;
    const std::string_view digits = text.substr(dot + 1, text.size() - dot - 2);
    if (digits.empty() || digits.size() > 9) return std::nullopt;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (digits[i] < '0' || digits[i] > '9') return std::nullopt;
      if (i < 3) fraction_ms += int64_t{digits[i] - '0'} * (i == 0 ? 100 : i == 1 ? 10 : 1);
    }
    whole = std::string(text.substr(0, dot)) + "Z";
  }
  TimePoint t;
  if (!ParseIso8601(whole, &t)) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() + fraction_ms;
}

Result<http::Response> Mute(Services& s, Call& c) {
  ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
  ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
  const json::value* until = body.if_contains("until");
  if (until == nullptr) return InvalidArgument("is required: a time, or null to unmute", "until");
  std::optional<int64_t> until_ms;
  if (!until->is_null()) {
    if (until->is_string()) until_ms = ParseTimeMs(until->as_string());
    if (!until_ms) return InvalidArgument("must be an ISO-8601 UTC time (…Z) or null", "until");
  }
  ASSIGN_OR_RETURN(std::string key, AlertKeyOf(c));
  ASSIGN_OR_RETURN(service::AlertView v, alerts->Mute(c.ctx, key, until_ms));
  return JsonResponse(200, AlertToJson(v));
}

void AddRuleRoutes(Router& r, Services& s) {
  using service::Access;
  r.Add({"GET", "/api/admin/alert-rules", Access::kAdmin,
         [&s](Call&) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
           ASSIGN_OR_RETURN(std::vector<domain::AlertRule> rules, alerts->ListRules());
           json::array items;
           for (const domain::AlertRule& rule : rules) items.push_back(AlertRuleToJson(rule));
           return JsonResponse(200, json::object{{"items", std::move(items)}});
         },
         "", "Every alert rule, sorted by id (at most 500, unpaged)"});
  r.Add({"POST", "/api/admin/alert-rules", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
           ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
           ASSIGN_OR_RETURN(domain::AlertRule draft, AlertRuleFromJson(body, nullptr));
           Result<domain::AlertRule> rule = alerts->CreateRule(c.ctx, std::move(draft));
           if (!rule.ok()) return WireRuleError(rule.status());
           http::Response resp = JsonResponse(201, AlertRuleToJson(*rule));
           resp.AddHeader("Location", "/api/admin/alert-rules/" + rule->id);
           return resp;
         },
         "alert_rule.create", "Create an alert rule (version 1)"});
  r.Add({"GET", "/api/admin/alert-rules/{id}", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
           ASSIGN_OR_RETURN(domain::AlertRule rule, alerts->GetRule(c.id));
           return JsonResponse(200, AlertRuleToJson(rule));
         },
         "", "One alert rule"});
  r.Add({"PUT", "/api/admin/alert-rules/{id}", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
           ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
           int64_t version = 0;
           ASSIGN_OR_RETURN(domain::AlertRule draft, AlertRuleFromJson(body, &version));
           Result<domain::AlertRule> rule = alerts->UpdateRule(c.ctx, c.id, std::move(draft), version);
           if (!rule.ok()) return WireRuleError(rule.status());
           return JsonResponse(200, AlertRuleToJson(*rule));
         },
         "alert_rule.update", "Replace an alert rule (send the version you read; stale → 409)"});
  r.Add({"DELETE", "/api/admin/alert-rules/{id}", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
           ASSIGN_OR_RETURN(int64_t version, VersionParam(c));
           RETURN_IF_ERROR(alerts->DeleteRule(c.ctx, c.id, version));
           return NoContent();
         },
         "alert_rule.delete", "Delete an alert rule and its alerts (?version= the version you read)"});
}

void AddChannelRoutes(Router& r, Services& s) {
  using service::Access;
  r.Add({"GET", "/api/admin/alert-channels", Access::kAdmin,
         [&s](Call&) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
           ASSIGN_OR_RETURN(std::vector<store::StoredAlertChannel> channels, alerts->ListChannels());
           json::array items;
           for (const store::StoredAlertChannel& ch : channels) items.push_back(AlertChannelToJson(ch));
           return JsonResponse(200, json::object{{"items", std::move(items)}});
         },
         "", "Every alert channel, sorted by id (at most 100, unpaged); secrets are never returned"});
  // Channel writes seal the URL and secret (KMS with --secrets kms) and tests deliver: both block, on the workers.
  r.Add({"POST",
         "/api/admin/alert-channels",
         Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
           ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
           ASSIGN_OR_RETURN(service::AlertChannelInput in, AlertChannelFromJson(body, nullptr));
           ASSIGN_OR_RETURN(store::StoredAlertChannel ch, alerts->CreateChannel(c.ctx, in));
           http::Response resp = JsonResponse(201, AlertChannelToJson(ch));
           resp.AddHeader("Location", "/api/admin/alert-channels/" + ch.id);
           return resp;
         },
         "alert_channel.create",
         "Create an alert channel (webhook, slack or sns)",
         {},
         true});
  r.Add({"GET", "/api/admin/alert-channels/{id}", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
           ASSIGN_OR_RETURN(store::StoredAlertChannel ch, alerts->GetChannel(c.id));
           return JsonResponse(200, AlertChannelToJson(ch));
         },
         "", "One alert channel (secrets never returned)"});
  r.Add({"PUT",
         "/api/admin/alert-channels/{id}",
         Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
           ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
           int64_t version = 0;
           ASSIGN_OR_RETURN(service::AlertChannelInput in, AlertChannelFromJson(body, &version));
           ASSIGN_OR_RETURN(store::StoredAlertChannel ch, alerts->UpdateChannel(c.ctx, c.id, in, version));
           return JsonResponse(200, AlertChannelToJson(ch));
         },
         "alert_channel.update",
         "Change an alert channel (send the version you read; stale → 409); absent url / secret are kept",
         {},
         true});
  r.Add({"DELETE", "/api/admin/alert-channels/{id}", Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
           ASSIGN_OR_RETURN(int64_t version, VersionParam(c));
           RETURN_IF_ERROR(alerts->DeleteChannel(c.ctx, c.id, version));
           return NoContent();
         },
         "alert_channel.delete", "Delete an alert channel (?version=); 409 while a rule uses it"});
  r.Add({"POST",
         "/api/admin/alert-channels/{id}/test",
         Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
           ASSIGN_OR_RETURN(service::DeliveryReport report, alerts->TestChannel(c.ctx, c.id));
           return JsonResponse(200, DeliveryReportToJson(report));
         },
         "alert_channel.test",
         "Send a test notification to the channel now; 200 with the delivery report (delivered or not)",
         {},
         true});
}

}  // namespace

void AddAlertRoutes(Router& r, Services& s) {
  using service::Access;
  AddRuleRoutes(r, s);
  AddChannelRoutes(r, s);
  r.Add({"GET", "/api/alerts", Access::kAuthenticated, [&s](Call& c) { return ListAlerts(s, c); }, "",
         "Alerts, newest first (?state=firing|resolved&account_id=&rule_id=&cursor=&limit=)"});
  r.Add({"GET", "/api/alerts/{id}", Access::kAuthenticated,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
           ASSIGN_OR_RETURN(std::string key, AlertKeyOf(c));
           ASSIGN_OR_RETURN(service::AlertView v, alerts->GetAlert(c.ctx, key));
           return JsonResponse(200, AlertToJson(v));
         },
         "", "One alert, with its last delivery per channel"});
  r.Add({"POST", "/api/alerts/{id}/ack", Access::kAuthenticated,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AlertService * alerts, AlertsOf(s));
           ASSIGN_OR_RETURN(std::string key, AlertKeyOf(c));
           ASSIGN_OR_RETURN(service::AlertView v, alerts->Acknowledge(c.ctx, key));
           return JsonResponse(200, AlertToJson(v));
         },
         "", "Acknowledge a firing alert (no re-notification until its next firing)"});
  r.Add({"POST", "/api/alerts/{id}/mute", Access::kAuthenticated, [&s](Call& c) { return Mute(s, c); }, "",
         "Mute an alert until a time ({\"until\": date-time}), or unmute it ({\"until\": null})"});
}

}  // namespace ap::api
