#include "service/alert_evaluator.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace ap::service {
namespace {

using domain::Alert;
using domain::AlertCondition;
using domain::AlertDelivery;
using domain::AlertNotice;
using domain::AlertRule;
using domain::AlertTarget;

TimePoint FromMillis(int64_t ms) {
  return TimePoint(std::chrono::duration_cast<Duration>(std::chrono::milliseconds(ms)));
}

// The widest outbox page the sweeper reads (ListPendingAlerts' own maximum).
constexpr int64_t kMaxSweepPage = 1000;

bool IsModelCondition(AlertCondition c) {
  return c == AlertCondition::kHeadroomBelow || c == AlertCondition::kThrottlesAbove;
}

domain::AlertNotification NotificationOf(const Alert& alert, const AlertRule& rule, int64_t now_ms) {
  domain::AlertNotification n;
  n.alert_id = alert.key;
  n.rule_id = rule.id;
  n.rule_name = rule.name;
  n.state = alert.pending_notice == AlertNotice::kResolved ? domain::NotificationState::kResolved
                                                           : domain::NotificationState::kFiring;
  n.severity = domain::AlertSeverity::kWarning;
  n.target.account_id = alert.target.account_id;
  n.target.region = alert.target.region;
  if (!alert.target.model_id.empty()) n.target.model_id = alert.target.model_id;
  n.summary = alert.summary;
  n.details.emplace_back("condition", std::string(domain::AlertConditionName(rule.condition)));
  n.details.emplace_back("notice", std::string(domain::AlertNoticeName(alert.pending_notice)));
  if (alert.notifications > 1) n.details.emplace_back("notifications", std::to_string(alert.notifications));
  n.started_at = FromMillis(alert.started_at_ms);
  if (alert.resolved_at_ms) n.resolved_at = FromMillis(*alert.resolved_at_ms);
  n.sent_at = FromMillis(now_ms);
  return n;
}

// `into`'s deliveries with `fresh` replacing the entry of the same channel; only channels of `rule` are kept
// (bounded by kMaxAlertRuleChannels), sorted by channel id.
std::vector<AlertDelivery> MergeDeliveries(const std::vector<AlertDelivery>& stored,
                                           const std::vector<AlertDelivery>& fresh, const AlertRule& rule) {
  std::map<std::string, AlertDelivery> by_channel;
  for (const auto& d : stored) by_channel[d.channel_id] = d;
  for (const auto& d : fresh) by_channel[d.channel_id] = d;
  std::vector<AlertDelivery> out;
  for (auto& [id, d] : by_channel) {
    if (std::find(rule.channel_ids.begin(), rule.channel_ids.end(), id) != rule.channel_ids.end()) {
      out.push_back(std::move(d));
    }
  }
  return out;
}

// The channel's delivery of the alert's current pending notice, or nullptr when it has none yet.
const AlertDelivery* CurrentDelivery(const Alert& alert, const std::string& channel_id) {
  for (const auto& d : alert.deliveries) {
    if (d.channel_id == channel_id && d.notice == alert.pending_notice && d.at_ms >= alert.pending_since_ms) return &d;
  }
  return nullptr;
}

enum class ChannelState { kDue, kBackingOff, kSettled };

// What to do with one channel of a pending notice, from its delivery of that notice (`d`, or nullptr: none yet).
// Delivered, or failed for good / given up on (no next_retry_at_ms): settled. A retry not yet due: backing off.
ChannelState ChannelStateOf(const AlertDelivery* d, int64_t now_ms) {
  if (d == nullptr) return ChannelState::kDue;
  if (d->delivered || !d->next_retry_at_ms) return ChannelState::kSettled;
  return *d->next_retry_at_ms > now_ms ? ChannelState::kBackingOff : ChannelState::kDue;
}

}  // namespace

AlertEvaluator::AlertEvaluator(store::Store& store, AlertChannelDirectory& channels, ChannelSender& sender,
                               const Clock& clock, AlertEvaluatorOptions options)
    : store_(store), channels_(channels), sender_(sender), clock_(clock), options_(std::move(options)) {}

Result<AlertEvaluation> AlertEvaluator::EvaluateAccountRegion(const std::string& account_id,
                                                              const std::string& region) {
  auto account = store_.GetAccount(account_id);
  if (!account.ok()) return account.status();
  auto rules = store_.ListAlertRules();
  if (!rules.ok()) return rules.status();
  std::optional<store::UsageSnapshot> usage;
  if (auto got = store_.GetUsageSnapshot(account_id, region); got.ok()) {
    usage = std::move(got).value();
  } else if (got.status().code() != StatusCode::kNotFound) {
    return got.status();
  }
  const int64_t now_ms = clock_.NowUnixMillis();
  AlertEvaluation out;
  Status first_conflict = Status::Ok();
  auto step = [&](const AlertRule& rule, const AlertTarget& target, const domain::AlertObservation& o) -> Status {
    if (!domain::ScopeCovers(rule.scope, target, account->teams)) return Status::Ok();
    bool gave_up = false;
    Status s = Step(rule, target, o, now_ms, out, gave_up);
    if (gave_up && first_conflict.ok()) first_conflict = s;
    return gave_up ? Status::Ok() : s;
  };
  std::optional<QuotaFacts> quota;  // read once, when a refresh_failing or quota_lowered rule needs it
  for (const AlertRule& rule : *rules) {
    if (IsModelCondition(rule.condition)) {
      if (!usage || usage->state != store::UsageState::kOk) continue;  // unknown: no change
      for (const auto& m : usage->models) {
        AlertTarget target{account_id, region, m.model_id};
        if (Status s = step(rule, target, domain::ObserveUsage(rule, m.usage)); !s.ok()) return s;
      }
    } else if (rule.condition == AlertCondition::kUsageMissing) {
      std::optional<int64_t> polled;
      if (usage && usage->polled_at_ms > 0) polled = usage->polled_at_ms;
      AlertTarget target{account_id, region, ""};
      auto o = domain::ObserveUsageMissing(rule, polled, account->created_at_ms, now_ms);
      if (Status s = step(rule, target, o); !s.ok()) return s;
    } else if (rule.condition == AlertCondition::kRefreshFailing || rule.condition == AlertCondition::kQuotaLowered) {
      if (!quota) {
        auto got = ReadQuotaFacts(account_id, region);
        if (!got.ok()) return got.status();
        quota = std::move(got).value();
      }
      AlertTarget target{account_id, region, ""};
      domain::AlertObservation o;
      if (rule.condition == AlertCondition::kRefreshFailing) {
        if (!quota->known) continue;  // never refreshed: unknown
        o = domain::ObserveRefreshFailing(rule, quota->failing_since_ms, now_ms);
      } else {
        std::optional<int64_t> at;
        std::optional<double> by;
        if (quota->last_lowered) {
          at = quota->last_lowered->at_ms;
          by = quota->last_lowered->previous_value - quota->last_lowered->value;
        }
        o = domain::ObserveQuotaLowered(rule, at, by, now_ms);
        if (quota->last_lowered && o.met == true) {
          o.summary += " (" + quota->last_lowered->quota_code + ")";
        }
      }
      if (Status s = step(rule, target, o); !s.ok()) return s;
    }
  }
  if (!first_conflict.ok()) return first_conflict;
  return out;
}

Result<AlertEvaluator::QuotaFacts> AlertEvaluator::ReadQuotaFacts(const std::string& account_id,
                                                                  const std::string& region) {
  auto snapshot = store_.GetQuotaSnapshot(account_id, region);
  if (!snapshot.ok()) {
    if (snapshot.status().code() == StatusCode::kNotFound) return QuotaFacts{};
    return snapshot.status();
  }
  QuotaFacts h;
  h.last_lowered = snapshot->last_lowered;
  for (const auto& v : snapshot->values) {
    if (v.state == domain::QuotaState::kStale || v.state == domain::QuotaState::kError) {
      h.known = true;
      h.failing_since_ms = snapshot->updated_at_ms;
      return h;
    }
    if (v.state == domain::QuotaState::kOk) h.known = true;
  }
  return h;
}

Status AlertEvaluator::Step(const AlertRule& rule, const AlertTarget& target, const domain::AlertObservation& o,
                            int64_t now_ms, AlertEvaluation& out, bool& gave_up) {
  const std::string key = domain::AlertKey(rule.id, target);
  ++out.observed;
  for (int attempt = 0; attempt < std::max(1, options_.max_write_attempts); ++attempt) {
    std::optional<Alert> current;
    if (auto got = store_.GetAlert(key); got.ok()) {
      current = std::move(got).value();
    } else if (got.status().code() != StatusCode::kNotFound) {
      return got.status();
    }
    domain::AlertStep step = domain::StepAlert(current, rule, target, o, now_ms);
    if (!step.next) return Status::Ok();
    auto written = store_.PutAlert(*step.next, current ? current->revision : 0);
    if (written.ok()) {
      ++out.written;
      if (step.notice != AlertNotice::kNone) {
        ++out.notices;
        auto delivered = DeliverAlert(key);
        if (delivered.ok()) out.delivered += *delivered;  // a failure leaves the notice to the sweeper
      }
      return Status::Ok();
    }
    // AlreadyExists: another writer created the alert first (a create is a write at revision 0).
    if (written.status().code() != StatusCode::kFailedPrecondition &&
        written.status().code() != StatusCode::kAlreadyExists) {
      return written.status();
    }
    ++out.conflicts;
  }
  gave_up = true;
  return Unavailable("alert " + key + " kept changing under evaluation");
}

Result<int64_t> AlertEvaluator::DeliverPending() {
  const int64_t now_ms = clock_.NowUnixMillis();
  std::optional<std::vector<AlertRule>> rules;  // read once, with the first page that is not empty
  std::map<std::string, const AlertRule*> by_id;
  int64_t delivered = 0;
  // The outbox is read oldest first with no cursor: when a whole page is backing off, a wider page is read (up to
  // kMaxSweepPage) so that newer notices are not held behind channels that are waiting.
  for (int64_t limit = options_.sweep_limit;; limit = std::min(limit * 4, kMaxSweepPage)) {
    auto pending = store_.ListPendingAlerts(now_ms - options_.delivery_grace_ms, limit);
    if (!pending.ok()) return pending.status();
    if (pending->empty()) return delivered;
    if (!rules) {
      auto read = store_.ListAlertRules();
      if (!read.ok()) return read.status();
      rules = std::move(read).value();
      for (const AlertRule& r : *rules) by_id[r.id] = &r;
    }
    size_t waiting = 0;
    for (const Alert& alert : *pending) {
      // Without its lease: an alert with a channel backing off and none due has nothing to do yet. (Every channel
      // settled: DeliverAlert clears the outbox; a rule that is gone: DeliverAlert finds that out.)
      if (auto rule = by_id.find(alert.rule_id); rule != by_id.end()) {
        bool due = false;
        bool backing_off = false;
        for (const std::string& channel_id : rule->second->channel_ids) {
          const ChannelState state = ChannelStateOf(CurrentDelivery(alert, channel_id), now_ms);
          due = due || state == ChannelState::kDue;
          backing_off = backing_off || state == ChannelState::kBackingOff;
        }
        if (backing_off && !due) {
          ++waiting;
          continue;
        }
      }
      auto n = DeliverAlert(alert.key);
      if (n.ok()) {
        delivered += *n;
      } else if (n.status().code() != StatusCode::kNotFound) {
        return n.status();
      }
    }
    // Done unless every alert of a full page was waiting (a wider read sees past them).
    if (waiting < pending->size() || static_cast<int64_t>(pending->size()) < limit || limit >= kMaxSweepPage) {
      return delivered;
    }
  }
}

Result<int64_t> AlertEvaluator::DeliverAlert(const std::string& key) {
  const std::string lease_name = "alert-delivery/" + key;
  auto lease =
      store_.AcquireLease(lease_name, options_.instance_id, clock_.NowUnixMillis(), options_.delivery_lease_ms);
  if (!lease.ok()) {
    if (lease.status().code() == StatusCode::kFailedPrecondition) return int64_t{0};  // another instance delivers
    return lease.status();
  }
  auto result = DeliverLocked(key);
  (void)store_.ReleaseLease(lease_name, options_.instance_id, lease->token);  // expiry frees it otherwise
  return result;
}

Result<int64_t> AlertEvaluator::DeliverLocked(const std::string& key) {
  auto read = store_.GetAlert(key);
  if (!read.ok()) return read.status();
  Alert alert = std::move(read).value();
  if (alert.pending_notice == AlertNotice::kNone) return int64_t{0};
  auto rule = store_.GetAlertRule(alert.rule_id);
  if (!rule.ok()) return rule.status();  // NotFound: the rule is being deleted with its alerts

  const int64_t now_ms = clock_.NowUnixMillis();
  const domain::AlertNotification notification = NotificationOf(alert, *rule, now_ms);
  std::vector<AlertDelivery> fresh;
  bool settled = true;
  int64_t delivered = 0;
  for (const std::string& channel_id : rule->channel_ids) {
    const AlertDelivery* prev = CurrentDelivery(alert, channel_id);
    switch (ChannelStateOf(prev, now_ms)) {
      case ChannelState::kSettled:
        continue;
      case ChannelState::kBackingOff:
        settled = false;
        continue;
      case ChannelState::kDue:
        break;
    }
    AlertDelivery d;
    d.channel_id = channel_id;
    d.notice = alert.pending_notice;
    if (prev != nullptr) d.attempts = prev->attempts;  // attempts at this notice so far
    auto channel = channels_.Get(channel_id);
    std::optional<int64_t> retry_at;  // when this channel may be tried again; nullopt: final
    if (!channel.ok()) {
      d.error = channel.status().code() == StatusCode::kNotFound ? "channel not found" : "channel unavailable";
      if (channel.status().code() != StatusCode::kNotFound) retry_at = now_ms + options_.directory_retry_ms;
    } else {
      std::string seed = key;
      seed += '|';
      seed += domain::AlertNoticeName(alert.pending_notice);
      seed += '|';
      seed += std::to_string(alert.pending_since_ms);
      seed += '|';
      seed += channel_id;
      const std::string delivery_id = HmacSha256Hex("alert-delivery", seed).substr(0, 48);
      auto report = sender_.Deliver(*channel, notification, delivery_id);
      if (!report.ok()) {  // invalid or disabled channel: final
        d.error = report.status().message();
      } else {
        d.attempts += report->attempts;
        d.delivered = report->delivered;
        d.http_status = report->last_http_status;
        d.error = report->last_error;
        if (report->delivered) {
          ++delivered;
        } else if (report->next_retry_at) {
          // The sender's own wait, or the back-off grown with every attempt at this notice, whichever is later.
          const int64_t grown =
              std::min<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    sender_.Backoff(static_cast<int>(std::min<int64_t>(d.attempts, 30))))
                                    .count(),
                                options_.max_retry_backoff_ms);
          const int64_t asked =
              std::chrono::duration_cast<std::chrono::milliseconds>(report->next_retry_at->time_since_epoch()).count();
          retry_at = std::min(std::max(asked, now_ms + grown), now_ms + options_.max_retry_backoff_ms);
        }
      }
    }
    d.at_ms = clock_.NowUnixMillis();
    if (retry_at) {
      if (d.attempts >= options_.max_delivery_attempts ||
          d.at_ms - alert.pending_since_ms >= options_.max_delivery_age_ms) {
        d.error += " (gave up after " + std::to_string(d.attempts) + " attempts)";
      } else {
        d.next_retry_at_ms = retry_at;
        settled = false;
      }
    }
    fresh.push_back(std::move(d));
  }

  const AlertNotice notice = alert.pending_notice;
  const int64_t since = alert.pending_since_ms;
  for (int attempt = 0; attempt < std::max(1, options_.max_write_attempts); ++attempt) {
    alert.deliveries = MergeDeliveries(alert.deliveries, fresh, *rule);
    if (settled && alert.pending_notice == notice && alert.pending_since_ms == since) {
      alert.pending_notice = AlertNotice::kNone;
      alert.pending_since_ms = 0;
    }
    auto written = store_.PutAlert(alert, alert.revision);
    if (written.ok()) return delivered;
    if (written.status().code() != StatusCode::kFailedPrecondition) return written.status();
    auto again = store_.GetAlert(key);
    if (!again.ok()) return again.status();
    alert = std::move(again).value();
  }
  return Unavailable("alert " + key + " kept changing while its deliveries were recorded");
}

}  // namespace ap::service
