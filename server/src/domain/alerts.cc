#include "domain/alerts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <utility>

namespace ap::domain {
namespace {

constexpr int64_t kMinuteMs = int64_t{60} * 1000;
constexpr size_t kMaxRuleNameBytes = 200;

bool IsModelCondition(AlertCondition c) {
  return c == AlertCondition::kHeadroomBelow || c == AlertCondition::kThrottlesAbove;
}

Status ValidateScope(const AlertRule& rule) {
  const AlertScope& s = rule.scope;
  const bool wants_team = s.kind == AlertScope::Kind::kTeam;
  const bool wants_account = s.kind == AlertScope::Kind::kAccount || s.kind == AlertScope::Kind::kModel;
  const bool wants_model = s.kind == AlertScope::Kind::kModel;
  if (s.team.empty() == wants_team) {
    return InvalidArgument(wants_team ? "a team scope names its team" : "only a team scope names a team", "scope.team");
  }
  if (s.account_id.empty() == wants_account) {
    return InvalidArgument(wants_account ? "an account or model scope names its account"
                                         : "only an account or model scope names an account",
                           "scope.account_id");
  }
  if (s.model_id.empty() == wants_model) {
    return InvalidArgument(wants_model ? "a model scope names its model" : "only a model scope names a model",
                           "scope.model_id");
  }
  if (wants_model && !IsModelCondition(rule.condition)) {
    return InvalidArgument("a model scope applies to headroom_below and throttles_above rules only", "scope.model_id");
  }
  return Status::Ok();
}

Status ValidateThresholdAndDuration(const AlertRule& rule) {
  switch (rule.condition) {
    case AlertCondition::kHeadroomBelow:
      if (!std::isfinite(rule.threshold) || rule.threshold < -1 || rule.threshold > 1) {
        return InvalidArgument("threshold must be a headroom fraction between -1 and 1", "threshold");
      }
      break;
    case AlertCondition::kThrottlesAbove:
      if (!std::isfinite(rule.threshold) || rule.threshold < 0) {
        return InvalidArgument("threshold must be a throttle count of 0 or more", "threshold");
      }
      break;
    case AlertCondition::kQuotaLowered:
    case AlertCondition::kRefreshFailing:
    case AlertCondition::kUsageMissing:
      if (rule.threshold != 0) return InvalidArgument("this condition takes no threshold", "threshold");
      if (rule.duration_ms < kMinuteMs || rule.duration_ms > kMaxAlertDurationMs) {
        return InvalidArgument("duration_ms must be between 1 minute and 30 days", "duration_ms");
      }
      return Status::Ok();
  }
  if (rule.duration_ms != 0) return InvalidArgument("this condition takes no duration", "duration_ms");
  return Status::Ok();
}

std::string Percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f %%", fraction * 100);
  return buf;
}

const WindowUsage* FindWindow(const ModelUsage& usage, UsageWindow w) {
  for (const WindowUsage& window : usage.windows) {
    if (window.window == w) return &window;
  }
  return nullptr;
}

AlertObservation Elapsed(int64_t elapsed_ms, int64_t duration_ms, std::string_view what) {
  AlertObservation o;
  o.met = elapsed_ms > duration_ms;
  const int64_t whole_minutes = elapsed_ms / kMinuteMs;  // the figure shown: whole minutes
  o.value = static_cast<double>(whole_minutes);
  o.summary = std::string(what) + " for " + std::to_string(whole_minutes) + " min";
  return o;
}

bool Muted(const Alert& a, int64_t now_ms) { return a.muted_until_ms && now_ms < *a.muted_until_ms; }

void RecordNotice(Alert& a, AlertNotice notice, int64_t now_ms) {
  if (notice == AlertNotice::kNone) return;
  a.last_notified_at_ms = now_ms;
  ++a.notifications;
  a.pending_notice = notice;
  a.pending_since_ms = now_ms;
}

}  // namespace

std::string_view AlertConditionName(AlertCondition c) {
  switch (c) {
    case AlertCondition::kHeadroomBelow:
      return "headroom_below";
    case AlertCondition::kThrottlesAbove:
      return "throttles_above";
    case AlertCondition::kQuotaLowered:
      return "quota_lowered";
    case AlertCondition::kRefreshFailing:
      return "refresh_failing";
    case AlertCondition::kUsageMissing:
      return "usage_missing";
  }
  return "";
}

std::optional<AlertCondition> ParseAlertCondition(std::string_view name) {
  for (AlertCondition c :
       {AlertCondition::kHeadroomBelow, AlertCondition::kThrottlesAbove, AlertCondition::kQuotaLowered,
        AlertCondition::kRefreshFailing, AlertCondition::kUsageMissing}) {
    if (AlertConditionName(c) == name) return c;
  }
  return std::nullopt;
}

std::string_view AlertScopeKindName(AlertScope::Kind k) {
  switch (k) {
    case AlertScope::Kind::kFleet:
      return "fleet";
    case AlertScope::Kind::kTeam:
      return "team";
    case AlertScope::Kind::kAccount:
      return "account";
    case AlertScope::Kind::kModel:
      return "model";
  }
  return "";
}

std::optional<AlertScope::Kind> ParseAlertScopeKind(std::string_view name) {
  for (AlertScope::Kind k :
       {AlertScope::Kind::kFleet, AlertScope::Kind::kTeam, AlertScope::Kind::kAccount, AlertScope::Kind::kModel}) {
    if (AlertScopeKindName(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view AlertStateName(AlertState s) { return s == AlertState::kFiring ? "firing" : "resolved"; }

std::string_view AlertNoticeName(AlertNotice n) {
  switch (n) {
    case AlertNotice::kNone:
      return "none";
    case AlertNotice::kFiring:
      return "firing";
    case AlertNotice::kRenotify:
      return "renotify";
    case AlertNotice::kResolved:
      return "resolved";
  }
  return "";
}

Status ValidateAlertRule(const AlertRule& rule) {
  if (rule.name.empty() || rule.name.size() > kMaxRuleNameBytes) {
    return InvalidArgument("name must be 1 to 200 bytes", "name");
  }
  if (Status s = ValidateThresholdAndDuration(rule); !s.ok()) return s;
  if (Status s = ValidateScope(rule); !s.ok()) return s;
  if (rule.channel_ids.size() > kMaxAlertRuleChannels) {
    return InvalidArgument("at most 10 channels per rule", "channel_ids");
  }
  std::set<std::string_view> seen;
  for (const std::string& id : rule.channel_ids) {
    if (id.empty() || !seen.insert(id).second) {
      return InvalidArgument("channel ids must be non-empty and unique", "channel_ids");
    }
  }
  if (rule.renotify_ms != 0 && (rule.renotify_ms < kMinRenotifyMs || rule.renotify_ms > kMaxAlertDurationMs)) {
    return InvalidArgument("renotify_ms must be 0 (never) or between 5 minutes and 30 days", "renotify_ms");
  }
  return Status::Ok();
}

std::string AlertKey(std::string_view rule_id, const AlertTarget& target) {
  std::string key(rule_id);
  key.append("|").append(target.account_id).append("|").append(target.region).append("|").append(target.model_id);
  return key;
}

bool ScopeCovers(const AlertScope& scope, const AlertTarget& target, const std::vector<std::string>& account_teams) {
  switch (scope.kind) {
    case AlertScope::Kind::kFleet:
      return true;
    case AlertScope::Kind::kTeam:
      return std::find(account_teams.begin(), account_teams.end(), scope.team) != account_teams.end();
    case AlertScope::Kind::kAccount:
      return target.account_id == scope.account_id;
    case AlertScope::Kind::kModel:
      return target.account_id == scope.account_id && target.model_id == scope.model_id;
  }
  return false;
}

AlertObservation ObserveUsage(const AlertRule& rule, const ModelUsage& usage) {
  AlertObservation o;
  const WindowUsage* w = FindWindow(usage, rule.window);
  if (w == nullptr) return o;
  const std::string window(UsageWindowKey(rule.window));
  if (rule.condition == AlertCondition::kThrottlesAbove) {
    if (!w->throttles) return o;
    o.value = static_cast<double>(*w->throttles);
    o.met = static_cast<double>(*w->throttles) > rule.threshold;
    o.summary = std::to_string(*w->throttles) + " throttled requests in " + window + " (" +
                std::to_string(w->throttled_minutes) + " min with throttles)";
    return o;
  }
  // Headroom: the least of the known TPM and RPM headroom; unknown when neither is known.
  std::optional<double> least;
  std::string which;
  if (w->headroom_tpm) {
    least = w->headroom_tpm;
    which = "TPM";
  }
  if (w->headroom_rpm && (!least || *w->headroom_rpm < *least)) {
    least = w->headroom_rpm;
    which = "RPM";
  }
  if (!least) return o;
  o.value = least;
  o.met = *least < rule.threshold;
  o.summary = which + " headroom " + Percent(*least) + " at the peak minute of " + window;
  return o;
}

AlertObservation ObserveRefreshFailing(const AlertRule& rule, std::optional<int64_t> failing_since_ms, int64_t now_ms) {
  if (!failing_since_ms) return AlertObservation{.met = false, .value = 0, .summary = "quota refresh succeeds"};
  return Elapsed(now_ms - *failing_since_ms, rule.duration_ms, "quota refresh failing");
}

AlertObservation ObserveUsageMissing(const AlertRule& rule, std::optional<int64_t> last_polled_ms,
                                     int64_t known_since_ms, int64_t now_ms) {
  return Elapsed(now_ms - last_polled_ms.value_or(known_since_ms), rule.duration_ms,
                 last_polled_ms ? "no usage data" : "no usage data ever read");
}

AlertObservation ObserveQuotaLowered(const AlertRule& rule, std::optional<int64_t> last_lowered_ms,
                                     std::optional<double> lowered_by, int64_t now_ms) {
  if (!last_lowered_ms) return AlertObservation{.met = false, .summary = "no quota lowered"};
  AlertObservation o;
  o.met = now_ms - *last_lowered_ms <= rule.duration_ms;
  o.value = lowered_by;
  o.summary = "a quota was lowered by AWS";
  if (lowered_by) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " by %.0f", *lowered_by);
    o.summary += buf;
  }
  return o;
}

AlertStep StepAlert(const std::optional<Alert>& current, const AlertRule& rule, const AlertTarget& target,
                    const AlertObservation& observation, int64_t now_ms) {
  AlertStep step;
  if (!current || current->state == AlertState::kResolved) {
    if (!rule.enabled || observation.met != true) return step;
    Alert a = current.value_or(Alert{});
    a.key = AlertKey(rule.id, target);
    a.rule_id = rule.id;
    a.target = target;
    a.state = AlertState::kFiring;
    a.started_at_ms = now_ms;
    a.resolved_at_ms.reset();
    a.value = observation.value;
    a.summary = observation.summary;
    a.last_notified_at_ms.reset();
    a.notifications = 0;
    a.acknowledged_by.clear();
    a.acknowledged_at_ms.reset();
    // A notice of the previous firing still waiting would now mislead ("resolved" while firing): dropped.
    a.pending_notice = AlertNotice::kNone;
    a.pending_since_ms = 0;
    if (!Muted(a, now_ms)) step.notice = AlertNotice::kFiring;
    RecordNotice(a, step.notice, now_ms);
    step.next = std::move(a);
    return step;
  }
  Alert a = *current;
  if (!rule.enabled || observation.met == false) {
    a.state = AlertState::kResolved;
    a.resolved_at_ms = now_ms;
    if (rule.enabled) {
      a.value = observation.value;
      a.summary = observation.summary;
      if (a.last_notified_at_ms && !Muted(a, now_ms)) step.notice = AlertNotice::kResolved;
    }
    RecordNotice(a, step.notice, now_ms);
    step.next = std::move(a);
    return step;
  }
  if (!observation.met) return step;  // unknown: keep firing, wait for data
  const bool changed = a.value != observation.value || a.summary != observation.summary;
  a.value = observation.value;
  a.summary = observation.summary;
  if (!Muted(a, now_ms)) {
    if (!a.last_notified_at_ms) {
      step.notice = AlertNotice::kFiring;
    } else if (rule.renotify_ms > 0 && a.acknowledged_by.empty() &&
               now_ms >= *a.last_notified_at_ms + rule.renotify_ms) {
      step.notice = AlertNotice::kRenotify;
    }
  }
  RecordNotice(a, step.notice, now_ms);
  if (changed || step.notice != AlertNotice::kNone) step.next = std::move(a);
  return step;
}

Result<Alert> AcknowledgeAlert(Alert alert, std::string_view by, int64_t now_ms) {
  if (alert.state != AlertState::kFiring) return FailedPrecondition("only a firing alert can be acknowledged");
  alert.acknowledged_by = std::string(by);
  alert.acknowledged_at_ms = now_ms;
  return alert;
}

Result<Alert> MuteAlert(Alert alert, std::optional<int64_t> until_ms, int64_t now_ms) {
  if (until_ms && (*until_ms <= now_ms || *until_ms - now_ms > kMaxAlertDurationMs)) {
    return InvalidArgument("until must be in the future and at most 30 days ahead", "until");
  }
  alert.muted_until_ms = until_ms;
  return alert;
}

}  // namespace ap::domain
