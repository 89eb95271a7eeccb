#include "api/alert_codec.h"

#include <cmath>
#include <string>
#include <utility>

namespace ap::api {
namespace {

constexpr int64_t kMinuteMs = 60'000;
// Minutes accepted before the domain's range checks (which name the field); keeps minutes × 60,000 in range.
constexpr int64_t kMaxWireMinutes = int64_t{1} << 40;

json::value StringOrNull(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }
json::value OptTime(const std::optional<int64_t>& ms) { return ms ? TimeOrNull(*ms) : json::value(nullptr); }

bool IsModelCondition(domain::AlertCondition c) {
  return c == domain::AlertCondition::kHeadroomBelow || c == domain::AlertCondition::kThrottlesAbove;
}

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

Result<std::optional<double>> OptNumber(const json::object& obj, std::string_view key) {
  const json::value* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<double>();
  if (!v->is_number()) return InvalidArgument("must be a number or null", std::string(key));
  const double d = v->to_number<double>();
  if (!std::isfinite(d)) return InvalidArgument("must be a finite number", std::string(key));
  return std::optional<double>(d);
}

Result<std::optional<int64_t>> OptMinutes(const ObjectReader& r, std::string_view key) {
  ASSIGN_OR_RETURN(std::optional<int64_t> minutes, r.OptInt(key));
  if (minutes && (*minutes < 0 || *minutes > kMaxWireMinutes))
    return InvalidArgument("must be a number of minutes of 0 or more", std::string(key));
  return minutes;
}

}  // namespace

json::object AlertRuleToJson(const domain::AlertRule& r) {
  const bool model = IsModelCondition(r.condition);
  const domain::AlertScope& sc = r.scope;
  json::array channels;
  for (const std::string& c : r.channel_ids) channels.emplace_back(c);
  return json::object{
      {"id", r.id},
      {"name", r.name},
      {"enabled", r.enabled},
      {"condition", domain::AlertConditionName(r.condition)},
      {"scope", json::object{{"kind", domain::AlertScopeKindName(sc.kind)},
                             {"team", StringOrNull(sc.team)},
                             {"account_id", StringOrNull(sc.account_id)},
                             {"model_id", StringOrNull(sc.model_id)}}},
      {"threshold", model ? NumberOrNull(r.threshold) : json::value(nullptr)},
      {"window", model ? json::value(domain::UsageWindowKey(r.window)) : json::value(nullptr)},
      {"duration_minutes", model ? json::value(nullptr) : json::value(r.duration_ms / kMinuteMs)},
      {"channel_ids", std::move(channels)},
      {"renotify_minutes", r.renotify_ms / kMinuteMs},
      {"version", r.version},
      {"created_at", TimeOrNull(r.created_at_ms)},
      {"updated_at", TimeOrNull(r.updated_at_ms)},
      {"updated_by", r.updated_by},
  };
}

json::object AlertChannelToJson(const store::StoredAlertChannel& c) {
  const bool sns = c.kind == domain::AlertChannelKind::kSns;
  return json::object{
      {"id", c.id},
      {"kind", domain::AlertChannelKindName(c.kind)},
      {"name", c.name},
      {"enabled", c.enabled},
      {"url", sns ? json::value(nullptr) : json::value(c.url_shown)},
      {"has_secret", !c.sealed_secret.empty()},
      {"topic_arn", StringOrNull(c.topic_arn)},
      {"region", StringOrNull(c.region)},
      {"version", c.version},
      {"created_at", TimeOrNull(c.created_at_ms)},
      {"updated_at", TimeOrNull(c.updated_at_ms)},
      {"updated_by", c.updated_by},
  };
}

json::object AlertToJson(const service::AlertView& v) {
  const domain::Alert& a = v.alert;
  json::array deliveries;
  for (const domain::AlertDelivery& d : a.deliveries) {
    deliveries.emplace_back(json::object{
        {"channel_id", d.channel_id},
        {"notice", domain::AlertNoticeName(d.notice)},
        {"at", TimeOrNull(d.at_ms)},
        {"attempts", d.attempts},
        {"delivered", d.delivered},
        {"http_status", d.http_status ? json::value(*d.http_status) : json::value(nullptr)},
        {"error", StringOrNull(d.error)},
        {"next_retry_at", OptTime(d.next_retry_at_ms)},
    });
  }
  return json::object{
      {"alert_id", service::AlertWireId(a.key)},
      {"rule_id", a.rule_id},
      {"rule_name", v.rule_name ? json::value(*v.rule_name) : json::value(nullptr)},
      {"condition", v.condition ? json::value(domain::AlertConditionName(*v.condition)) : json::value(nullptr)},
      {"target", json::object{{"account_id", a.target.account_id},
                              {"region", a.target.region},
                              {"model_id", StringOrNull(a.target.model_id)}}},
      {"state", domain::AlertStateName(a.state)},
      {"started_at", TimeOrNull(a.started_at_ms)},
      {"resolved_at", OptTime(a.resolved_at_ms)},
      {"value", a.value ? NumberOrNull(a.value) : json::value(nullptr)},
      {"summary", a.summary},
      {"last_notified_at", OptTime(a.last_notified_at_ms)},
      {"notifications", a.notifications},
      {"acknowledged_by", StringOrNull(a.acknowledged_by)},
      {"acknowledged_at", OptTime(a.acknowledged_at_ms)},
      {"muted_until", OptTime(a.muted_until_ms)},
      {"pending_notice", a.pending_notice == domain::AlertNotice::kNone
                             ? json::value(nullptr)
                             : json::value(domain::AlertNoticeName(a.pending_notice))},
      {"deliveries", std::move(deliveries)},
  };
}

json::object DeliveryReportToJson(const service::DeliveryReport& r) {
  return json::object{
      {"delivered", r.delivered},
      {"attempts", r.attempts},
      {"http_status", r.last_http_status ? json::value(*r.last_http_status) : json::value(nullptr)},
      {"error", r.delivered || r.last_error.empty() ? json::value(nullptr) : json::value(r.last_error)},
      {"delivery_id", r.delivery_id},
  };
}

Result<domain::AlertRule> AlertRuleFromJson(const json::object& obj, int64_t* expected_version) {
  ObjectReader r(obj);
  domain::AlertRule rule;
  if (expected_version != nullptr) {
    ASSIGN_OR_RETURN(std::optional<int64_t> version, r.OptInt("version"));
    if (!version) return InvalidArgument("is required: the version you read", "version");
    *expected_version = *version;
  }
  ASSIGN_OR_RETURN(rule.name, r.String("name"));
  ASSIGN_OR_RETURN(std::optional<bool> enabled, r.OptBool("enabled"));
  rule.enabled = enabled.value_or(true);
  ASSIGN_OR_RETURN(std::string condition, r.String("condition"));
  std::optional<domain::AlertCondition> c = domain::ParseAlertCondition(condition);
  if (!c)
    return InvalidArgument("must be headroom_below, throttles_above, quota_lowered, refresh_failing or usage_missing",
                           "condition");
  rule.condition = *c;

  ASSIGN_OR_RETURN(const json::object* scope_obj, r.Object("scope"));
  ObjectReader scope(*scope_obj, "scope.");
  ASSIGN_OR_RETURN(std::string kind, scope.String("kind"));
  std::optional<domain::AlertScope::Kind> k = domain::ParseAlertScopeKind(kind);
  if (!k) return InvalidArgument("must be fleet, team, account or model", "scope.kind");
  rule.scope.kind = *k;
  ASSIGN_OR_RETURN(std::optional<std::string> team, scope.OptString("team"));
  ASSIGN_OR_RETURN(std::optional<std::string> account, scope.OptString("account_id"));
  ASSIGN_OR_RETURN(std::optional<std::string> model, scope.OptString("model_id"));
  rule.scope.team = team.value_or("");
  rule.scope.account_id = account.value_or("");
  rule.scope.model_id = model.value_or("");

  const bool model_condition = IsModelCondition(rule.condition);
  ASSIGN_OR_RETURN(std::optional<double> threshold, OptNumber(obj, "threshold"));
  if (model_condition && !threshold) return InvalidArgument("is required by this condition", "threshold");
  rule.threshold = threshold.value_or(0);
  ASSIGN_OR_RETURN(std::optional<std::string> window, r.OptString("window"));
  if (window && !model_condition)
    return InvalidArgument("only headroom_below and throttles_above take a window", "window");
  if (window) {
    bool known = false;
    for (domain::UsageWindow w : domain::kAllUsageWindows) {
      if (domain::UsageWindowKey(w) == *window) {
        rule.window = w;
        known = true;
      }
    }
    if (!known) return InvalidArgument("must be 1h, 24h or 7d", "window");
  }
  ASSIGN_OR_RETURN(std::optional<int64_t> duration, OptMinutes(r, "duration_minutes"));
  if (!model_condition && !duration) return InvalidArgument("is required by this condition", "duration_minutes");
  rule.duration_ms = duration.value_or(0) * kMinuteMs;
  ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> channels, r.OptStringList("channel_ids"));
  rule.channel_ids = channels.value_or(std::vector<std::string>{});
  ASSIGN_OR_RETURN(std::optional<int64_t> renotify, OptMinutes(r, "renotify_minutes"));
  rule.renotify_ms = renotify.value_or(0) * kMinuteMs;
  return rule;
}

Result<service::AlertChannelInput> AlertChannelFromJson(const json::object& obj, int64_t* expected_version) {
  ObjectReader r(obj);
  service::AlertChannelInput in;
  if (expected_version != nullptr) {
    ASSIGN_OR_RETURN(std::optional<int64_t> version, r.OptInt("version"));
    if (!version) return InvalidArgument("is required: the version you read", "version");
    *expected_version = *version;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> kind, r.OptString("kind"));
  if (kind) {
    in.kind = domain::ParseAlertChannelKind(*kind);
    if (!in.kind) return InvalidArgument("must be webhook, slack or sns", "kind");
  } else if (expected_version == nullptr) {
    return InvalidArgument("is required: webhook, slack or sns", "kind");
  }
  ASSIGN_OR_RETURN(in.name, r.String("name"));
  ASSIGN_OR_RETURN(std::optional<bool> enabled, r.OptBool("enabled"));
  in.enabled = enabled.value_or(true);
  ASSIGN_OR_RETURN(in.url, r.OptString("url"));
  ASSIGN_OR_RETURN(std::optional<std::string> secret, r.OptString("secret"));
  if (secret) {
    in.secret = std::move(secret);
  } else if (expected_version != nullptr && r.Has("secret")) {
    in.secret = std::string();  // null on an update: remove the secret
  }
  ASSIGN_OR_RETURN(std::optional<std::string> topic_arn, r.OptString("topic_arn"));
  ASSIGN_OR_RETURN(std::optional<std::string> region, r.OptString("region"));
  in.topic_arn = topic_arn.value_or("");
  in.region = region.value_or("");
  return in;
}

Status WireRuleError(Status status) {
  if (status.code() != StatusCode::kInvalidArgument) return status;
  std::string field = status.field();
  std::string message = status.message();
  for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"duration_ms", "duration_minutes"},
                          std::pair<std::string_view, std::string_view>{"renotify_ms", "renotify_minutes"}}) {
    if (field == from) field = to;
    message = Replace(std::move(message), from, to);
  }
  return InvalidArgument(std::move(message), std::move(field));
}

}  // namespace ap::api
