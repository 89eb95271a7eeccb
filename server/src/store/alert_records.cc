#include "store/alert_records.h"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <utility>

namespace ap::store {
namespace {

using boost::json::object;
using boost::json::value;

constexpr int64_t kMaxSortTime = 9'999'999'999'999'999;

bool HasBar(std::string_view s) { return s.find('|') != std::string_view::npos; }

template <typename Enum, size_t N>
Enum ParseName(std::string_view name, const Enum (&all)[N], std::string_view (*name_of)(Enum), const char* what) {
  for (Enum e : all)
    if (name_of(e) == name) return e;
  throw std::runtime_error(std::string("unknown ") + what + " " + std::string(name));
}

constexpr domain::AlertNotice kNotices[] = {domain::AlertNotice::kNone, domain::AlertNotice::kFiring,
                                            domain::AlertNotice::kRenotify, domain::AlertNotice::kResolved};
constexpr domain::AlertState kStates[] = {domain::AlertState::kFiring, domain::AlertState::kResolved};

// Readers that throw on a wrong type (caught by the FromJson functions: Internal).
std::string Str(const object& o, std::string_view name) {
  const value* v = o.if_contains(name);
  return v == nullptr ? std::string() : std::string(v->as_string());
}
int64_t Int(const object& o, std::string_view name) {
  const value* v = o.if_contains(name);
  return v == nullptr ? 0 : v->to_number<int64_t>();
}
std::optional<int64_t> OptInt(const object& o, std::string_view name) {
  const value* v = o.if_contains(name);
  if (v == nullptr) return std::nullopt;
  return v->to_number<int64_t>();
}
std::optional<double> OptDouble(const object& o, std::string_view name) {
  const value* v = o.if_contains(name);
  if (v == nullptr) return std::nullopt;
  return v->to_number<double>();
}
void PutOpt(object& o, std::string_view name, const std::optional<int64_t>& v) {
  if (v) o[name] = *v;
}
void PutOpt(object& o, std::string_view name, const std::optional<double>& v) {
  if (v) o[name] = *v;
}

object Parse(std::string_view json) {
  value v = boost::json::parse(json);
  return std::move(v.as_object());
}

}  // namespace

Status CheckAlertRuleWrite(const domain::AlertRule& rule, int64_t expected_version) {
  if (rule.id.empty() || HasBar(rule.id)) return InvalidArgument("rule id must be non-empty without '|'", "id");
  if (expected_version < 0 || rule.version != expected_version + 1)
    return InvalidArgument("rule version must be expected_version + 1", "version");
  return domain::ValidateAlertRule(rule);
}

Status CheckAlertWrite(const domain::Alert& a, int64_t expected_revision) {
  if (a.rule_id.empty() || HasBar(a.rule_id) || HasBar(a.target.account_id) || HasBar(a.target.region) ||
      HasBar(a.target.model_id) || a.key != domain::AlertKey(a.rule_id, a.target))
    return InvalidArgument("alert key must be AlertKey(rule_id, target)", "key");
  if (a.started_at_ms < 0 || a.started_at_ms > kMaxSortTime)
    return InvalidArgument("started_at_ms out of range", "started_at_ms");
  if (a.pending_since_ms < 0 || a.pending_since_ms > kMaxSortTime)
    return InvalidArgument("pending_since_ms out of range", "pending_since_ms");
  if (a.deliveries.size() > domain::kMaxAlertRuleChannels)
    return InvalidArgument("at most 10 deliveries", "deliveries");
  for (size_t i = 1; i < a.deliveries.size(); ++i) {
    if (!(a.deliveries[i - 1].channel_id < a.deliveries[i].channel_id))
      return InvalidArgument("deliveries must be sorted and unique by channel_id", "deliveries");
  }
  if (a.value && !std::isfinite(*a.value)) return InvalidArgument("value must be finite", "value");
  if (expected_revision < 0) return InvalidArgument("expected_revision must be >= 0", "revision");
  return Status::Ok();
}

std::string AlertRuleToJson(const domain::AlertRule& r) {
  object o;
  o["id"] = r.id;
  o["name"] = r.name;
  o["enabled"] = r.enabled;
  o["condition"] = domain::AlertConditionName(r.condition);
  object scope;
  scope["kind"] = domain::AlertScopeKindName(r.scope.kind);
  scope["team"] = r.scope.team;
  scope["account_id"] = r.scope.account_id;
  scope["model_id"] = r.scope.model_id;
  o["scope"] = std::move(scope);
  o["threshold"] = r.threshold;
  o["window"] = domain::UsageWindowKey(r.window);
  o["duration_ms"] = r.duration_ms;
  boost::json::array channels;
  for (const std::string& c : r.channel_ids) channels.emplace_back(c);
  o["channel_ids"] = std::move(channels);
  o["renotify_ms"] = r.renotify_ms;
  o["version"] = r.version;
  o["created_at_ms"] = r.created_at_ms;
  o["updated_at_ms"] = r.updated_at_ms;
  o["updated_by"] = r.updated_by;
  return boost::json::serialize(o);
}

Result<domain::AlertRule> AlertRuleFromJson(std::string_view json) {
  try {
    const object o = Parse(json);
    domain::AlertRule r;
    r.id = Str(o, "id");
    r.name = Str(o, "name");
    r.enabled = o.at("enabled").as_bool();
    std::optional<domain::AlertCondition> condition = domain::ParseAlertCondition(Str(o, "condition"));
    if (!condition) return Internal("stored alert rule has an unknown condition");
    r.condition = *condition;
    const object& scope = o.at("scope").as_object();
    std::optional<domain::AlertScope::Kind> kind = domain::ParseAlertScopeKind(Str(scope, "kind"));
    if (!kind) return Internal("stored alert rule has an unknown scope kind");
    r.scope.kind = *kind;
    r.scope.team = Str(scope, "team");
    r.scope.account_id = Str(scope, "account_id");
    r.scope.model_id = Str(scope, "model_id");
    r.threshold = o.at("threshold").to_number<double>();
    r.window = ParseName(Str(o, "window"), domain::kAllUsageWindows, &domain::UsageWindowKey, "window");
    r.duration_ms = Int(o, "duration_ms");
    for (const value& c : o.at("channel_ids").as_array()) r.channel_ids.emplace_back(c.as_string());
    r.renotify_ms = Int(o, "renotify_ms");
    r.version = Int(o, "version");
    r.created_at_ms = Int(o, "created_at_ms");
    r.updated_at_ms = Int(o, "updated_at_ms");
    r.updated_by = Str(o, "updated_by");
    return r;
  } catch (const std::exception& e) {
    return Internal(std::string("stored alert rule is unreadable: ") + e.what());
  }
}

std::string AlertToJson(const domain::Alert& a) {
  object o;
  o["key"] = a.key;
  o["rule_id"] = a.rule_id;
  o["account_id"] = a.target.account_id;
  o["region"] = a.target.region;
  o["model_id"] = a.target.model_id;
  o["state"] = domain::AlertStateName(a.state);
  o["started_at_ms"] = a.started_at_ms;
  PutOpt(o, "resolved_at_ms", a.resolved_at_ms);
  PutOpt(o, "value", a.value);
  o["summary"] = a.summary;
  PutOpt(o, "last_notified_at_ms", a.last_notified_at_ms);
  o["notifications"] = a.notifications;
  o["acknowledged_by"] = a.acknowledged_by;
  PutOpt(o, "acknowledged_at_ms", a.acknowledged_at_ms);
  PutOpt(o, "muted_until_ms", a.muted_until_ms);
  o["pending_notice"] = domain::AlertNoticeName(a.pending_notice);
  o["pending_since_ms"] = a.pending_since_ms;
  boost::json::array deliveries;
  for (const domain::AlertDelivery& d : a.deliveries) {
    object od;
    od["channel_id"] = d.channel_id;
    od["notice"] = domain::AlertNoticeName(d.notice);
    od["at_ms"] = d.at_ms;
    od["attempts"] = d.attempts;
    od["delivered"] = d.delivered;
    if (d.http_status) od["http_status"] = *d.http_status;
    od["error"] = d.error;
    PutOpt(od, "next_retry_at_ms", d.next_retry_at_ms);
    deliveries.emplace_back(std::move(od));
  }
  o["deliveries"] = std::move(deliveries);
  return boost::json::serialize(o);
}

Result<domain::Alert> AlertFromJson(std::string_view json) {
  try {
    const object o = Parse(json);
    domain::Alert a;
    a.key = Str(o, "key");
    a.rule_id = Str(o, "rule_id");
    a.target.account_id = Str(o, "account_id");
    a.target.region = Str(o, "region");
    a.target.model_id = Str(o, "model_id");
    a.state = ParseName(Str(o, "state"), kStates, &domain::AlertStateName, "state");
    a.started_at_ms = Int(o, "started_at_ms");
    a.resolved_at_ms = OptInt(o, "resolved_at_ms");
    a.value = OptDouble(o, "value");
    a.summary = Str(o, "summary");
    a.last_notified_at_ms = OptInt(o, "last_notified_at_ms");
    a.notifications = Int(o, "notifications");
    a.acknowledged_by = Str(o, "acknowledged_by");
    a.acknowledged_at_ms = OptInt(o, "acknowledged_at_ms");
    a.muted_until_ms = OptInt(o, "muted_until_ms");
    a.pending_notice = ParseName(Str(o, "pending_notice"), kNotices, &domain::AlertNoticeName, "notice");
    a.pending_since_ms = Int(o, "pending_since_ms");
    for (const value& v : o.at("deliveries").as_array()) {
      const object& od = v.as_object();
      domain::AlertDelivery d;
      d.channel_id = Str(od, "channel_id");
      d.notice = ParseName(Str(od, "notice"), kNotices, &domain::AlertNoticeName, "notice");
      d.at_ms = Int(od, "at_ms");
      d.attempts = Int(od, "attempts");
      d.delivered = od.at("delivered").as_bool();
      if (std::optional<int64_t> status = OptInt(od, "http_status")) d.http_status = static_cast<int>(*status);
      d.error = Str(od, "error");
      d.next_retry_at_ms = OptInt(od, "next_retry_at_ms");
      a.deliveries.push_back(std::move(d));
    }
    return a;
  } catch (const std::exception& e) {
    return Internal(std::string("stored alert is unreadable: ") + e.what());
  }
}

std::string AlertSortKey(const domain::Alert& alert) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016lld", static_cast<long long>(kMaxSortTime - alert.started_at_ms));
  return std::string(buf) + "#" + alert.key;
}

bool IsAlertSortKey(std::string_view s) {
  if (s.size() < 18 || s[16] != '#') return false;
  for (size_t i = 0; i < 16; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return HasBar(s.substr(17));
}

std::string_view AlertKeyRuleId(std::string_view key) {
  const size_t bar = key.find('|');
  return bar == std::string_view::npos ? std::string_view() : key.substr(0, bar);
}

}  // namespace ap::store
