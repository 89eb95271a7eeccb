// Alerts on usage against quota (issue 13 §3): the rules admins write, what each rule observes for one target,
// and the lifecycle of one alert (firing → resolved; acknowledged; muted until a time) with the decision of
// when to notify. docs/usage.md ("Alerts") has the definitions.
//
// One alert exists per (rule, target): its key is AlertKey(rule_id, target). The functions here decide; the
// service stores the result with a write conditioned on the alert's revision, and only the instance whose write
// wins sends the notification, so each transition notifies once fleet-wide whatever the number of instances.
//
// Pure value types and functions; time is passed in (epoch milliseconds). Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/usage.h"

namespace ap::domain {

// What a rule watches.
enum class AlertCondition {
  kHeadroomBelow,   // the least of TPM / RPM headroom of a model in `window` is below `threshold` (a fraction)
  kThrottlesAbove,  // InvocationThrottles of a model summed over `window` is above `threshold` (a count)
  kQuotaLowered,    // AWS lowered a cached quota value (quota history), within the last `duration_ms`
  kRefreshFailing,  // a quota refresh of an (account, region) has been failing for longer than `duration_ms`
  kUsageMissing,    // no successful usage poll of an (account, region) for longer than `duration_ms`
};
std::string_view AlertConditionName(AlertCondition c);  // headroom_below | throttles_above | quota_lowered | …
std::optional<AlertCondition> ParseAlertCondition(std::string_view name);

// Which targets a rule covers.
struct AlertScope {
  enum class Kind { kFleet, kTeam, kAccount, kModel };
  Kind kind = Kind::kFleet;
  std::string team;        // kTeam: the team id
  std::string account_id;  // kAccount and kModel: the account
  std::string model_id;    // kModel: the config model (any region of the account)

  bool operator==(const AlertScope&) const = default;
};
std::string_view AlertScopeKindName(AlertScope::Kind k);  // fleet | team | account | model
std::optional<AlertScope::Kind> ParseAlertScopeKind(std::string_view name);

inline constexpr int64_t kMinRenotifyMs = int64_t{5} * 60 * 1000;               // 5 minutes
inline constexpr int64_t kMaxAlertDurationMs = int64_t{30} * 24 * 3600 * 1000;  // 30 days
inline constexpr size_t kMaxAlertRuleChannels = 10;

struct AlertRule {
  std::string id;    // time-ordered id (domain/ids.h)
  std::string name;  // 1..200 bytes
  bool enabled = true;
  AlertCondition condition = AlertCondition::kHeadroomBelow;
  AlertScope scope;
  // kHeadroomBelow: a fraction in [-1, 1] (0.2 = "less than 20 % left"); kThrottlesAbove: a count >= 0.
  // Unused (0) by the other conditions.
  double threshold = 0;
  UsageWindow window = UsageWindow::k1h;  // kHeadroomBelow, kThrottlesAbove
  int64_t duration_ms = 0;  // kQuotaLowered, kRefreshFailing, kUsageMissing: 1 minute .. kMaxAlertDurationMs
  std::vector<std::string> channel_ids;  // where notifications go; at most kMaxAlertRuleChannels, unique
  // While an alert stays firing and is neither acknowledged nor muted, notify again this long after the last
  // notification; 0 = never again. Otherwise at least kMinRenotifyMs.
  int64_t renotify_ms = 0;
  int64_t version = 0;  // optimistic concurrency, as the quota config
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::string updated_by;

  bool operator==(const AlertRule&) const = default;
};

// OK, or InvalidArgument naming the field ("name", "threshold", "duration_ms", "scope.team", "scope.account_id",
// "scope.model_id", "channel_ids", "renotify_ms") of the first rule that fails: a field a condition needs is
// missing or out of range, a field of another scope kind is set, a channel id is empty or repeated.
Status ValidateAlertRule(const AlertRule& rule);

// What one alert is about: an (account, region), and for model conditions one config model.
struct AlertTarget {
  std::string account_id;
  std::string region;
  std::string model_id;  // "" for kRefreshFailing / kUsageMissing / kQuotaLowered of a whole (account, region)

  bool operator==(const AlertTarget&) const = default;
};
// "<rule_id>|<account_id>|<region>|<model_id>": the alert's identity (ids and regions never contain '|').
std::string AlertKey(std::string_view rule_id, const AlertTarget& target);

// Whether a rule's scope covers a target of an account with `account_teams`.
bool ScopeCovers(const AlertScope& scope, const AlertTarget& target, const std::vector<std::string>& account_teams);

// What a rule sees for one target at one evaluation.
struct AlertObservation {
  // true: the condition holds; false: it does not; nullopt: it cannot be told (no data) — the alert keeps its
  // state (a firing alert is not resolved by missing data, nor is one started by it; kUsageMissing is the rule
  // for missing data).
  std::optional<bool> met;
  std::optional<double> value;  // the observed figure (headroom fraction, throttle count, minutes failing, …)
  std::string summary;          // one line for people, e.g. "TPM headroom 12 % (peak 880,000 of 1,000,000)"
};

// The observation of a model condition (kHeadroomBelow, kThrottlesAbove) from a model's usage summary.
// REQUIRES: rule.condition is one of those two.
AlertObservation ObserveUsage(const AlertRule& rule, const ModelUsage& usage);
// kRefreshFailing: `failing_since_ms` = when the (account, region)'s refreshes started failing (nullopt: the last
// refresh succeeded). kUsageMissing: the time of the last successful usage poll (nullopt: never, and
// `known_since_ms` = when the target was first seen, so that a new account is not missing at once).
AlertObservation ObserveRefreshFailing(const AlertRule& rule, std::optional<int64_t> failing_since_ms, int64_t now_ms);
AlertObservation ObserveUsageMissing(const AlertRule& rule, std::optional<int64_t> last_polled_ms,
                                     int64_t known_since_ms, int64_t now_ms);
// kQuotaLowered: the time of the last decrease of any quota value of the target (nullopt: none known).
AlertObservation ObserveQuotaLowered(const AlertRule& rule, std::optional<int64_t> last_lowered_ms,
                                     std::optional<double> lowered_by, int64_t now_ms);

enum class AlertState { kFiring, kResolved };
std::string_view AlertStateName(AlertState s);  // firing | resolved

enum class AlertNotice {
  kNone,
  kFiring,    // a firing began (or a muted firing's mute ended before it was ever notified)
  kRenotify,  // still firing after renotify_ms
  kResolved,  // a notified firing ended
};
std::string_view AlertNoticeName(AlertNotice n);  // none | firing | renotify | resolved

// The last delivery of a notice to one channel (an alert keeps one per channel of its rule: bounded).
struct AlertDelivery {
  std::string channel_id;
  AlertNotice notice = AlertNotice::kNone;
  int64_t at_ms = 0;  // when its last attempt ended
  int64_t attempts = 0;
  bool delivered = false;
  std::optional<int> http_status;  // the receiver's last answer, when it answered over HTTP
  std::string error;               // why the last attempt failed, safe to show; "" when delivered
  // When the channel may be tried again for this notice (the sender's back-off: DeliveryReport::next_retry_at);
  // nullopt when delivered, failed for good, or given up on. The sweeper skips the channel until then.
  std::optional<int64_t> next_retry_at_ms;

  bool operator==(const AlertDelivery&) const = default;
};

struct Alert {
  std::string key;  // AlertKey(rule_id, target)
  std::string rule_id;
  AlertTarget target;
  AlertState state = AlertState::kFiring;
  int64_t started_at_ms = 0;  // when the current (or last) firing began
  std::optional<int64_t> resolved_at_ms;
  std::optional<double> value;                 // the last observation's figure
  std::string summary;                         // the last observation's summary
  std::optional<int64_t> last_notified_at_ms;  // of the current firing; nullopt: not notified yet
  int64_t notifications = 0;                   // sent for the current firing (firing + re-notifications)
  std::string acknowledged_by;                 // "" = not acknowledged; cleared when a new firing begins
  std::optional<int64_t> acknowledged_at_ms;
  std::optional<int64_t> muted_until_ms;  // no notification while now < this; kept across firings
  // The outbox: the notice the last step decided, until it is delivered to every channel (or given up on);
  // kNone when nothing is waiting. A new notice replaces one still waiting. Stored with the step's state in one
  // conditional write, so a notice is decided once fleet-wide and survives the crash of the instance sending it.
  AlertNotice pending_notice = AlertNotice::kNone;
  int64_t pending_since_ms = 0;
  std::vector<AlertDelivery> deliveries;  // the last delivery per channel, sorted by channel_id
  int64_t revision = 0;                   // set by the store

  bool operator==(const Alert&) const = default;
};

struct AlertStep {
  std::optional<Alert> next;  // the alert to store; nullopt = nothing to store (nothing changed)
  AlertNotice notice = AlertNotice::kNone;
};

// One evaluation of a rule for one target. `current` is the stored alert (nullopt: none yet).
//  - not met / unknown and no alert, or a resolved alert not met: nothing.
//  - met, and no alert or a resolved one: a new firing (started now, acknowledgement and any waiting notice
//    cleared, mute kept);
//    notice kFiring unless muted.
//  - met and firing: value and summary updated (stored only when they changed or a notice is due); notice
//    kFiring when never notified and no longer muted; kRenotify when renotify_ms > 0, it is neither acknowledged
//    nor muted, and now >= last_notified + renotify_ms.
//  - not met and firing: resolved now; notice kResolved when the firing was notified and it is not muted.
//  - unknown (met nullopt) and firing: nothing (the alert waits for data).
// A disabled rule resolves a firing alert without a notice. When a notice is given, the next alert records it
// (last_notified_at_ms = now, notifications + 1; reset to 0 by a new firing) and puts it in the outbox
// (pending_notice = the notice, pending_since_ms = now).
AlertStep StepAlert(const std::optional<Alert>& current, const AlertRule& rule, const AlertTarget& target,
                    const AlertObservation& observation, int64_t now_ms);

// Acknowledges a firing alert (renotification stops until the next firing). FailedPrecondition when resolved.
Result<Alert> AcknowledgeAlert(Alert alert, std::string_view by, int64_t now_ms);
// Mutes an alert until `until_ms` (> now_ms, at most kMaxAlertDurationMs ahead: InvalidArgument("until")), or
// unmutes it with nullopt.
Result<Alert> MuteAlert(Alert alert, std::optional<int64_t> until_ms, int64_t now_ms);

}  // namespace ap::domain
