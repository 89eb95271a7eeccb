// Alert evaluation and delivery (issue 13 §3): runs the alert rules against one (account, region) and delivers the
// notices the winning writes decided. ServiceGraph runs it through service/alert_runner.h after each usage poll and
// quota refresh, and sweeps the outbox on a timer.
//
// Fires once fleet-wide. EvaluateAccountRegion steps each alert with domain::StepAlert and stores the result with
// AlertStore::PutAlert conditioned on the revision it read. On FailedPrecondition (another instance wrote first) it
// re-reads and steps again, up to `max_write_attempts`: the loser then finds the transition already made and
// nothing to do. Only the instance whose write put a notice in the outbox (Alert::pending_notice) delivers it
// right away; DeliverPending (the sweeper) delivers notices left waiting longer than `delivery_grace_ms` (a crashed
// instance, a failing channel). Every delivery runs under the lease "alert-delivery/<alert key>", so two instances
// never send the same pending notice at the same time.
//
// What is evaluated (per rule covering the target, ScopeCovers with the account's teams):
//  - headroom_below, throttles_above: one target per config model of the (account, region)'s usage snapshot
//    (domain::ObserveUsage on its ModelUsage). A stale snapshot (last poll failed) or none: unknown — no change.
//  - usage_missing: the (account, region) as a whole, from the usage snapshot's polled_at_ms (0 or no snapshot:
//    never polled, known since the account's created_at_ms).
//  - refresh_failing: the (account, region) as a whole, from its quota snapshot (one read): failing when any value
//    is stale or error, since the snapshot's updated_at_ms (the last change of any value's state or value — an
//    approximation that may start later than the first failure, so the alert may fire late, never early). No
//    snapshot, or every value never attempted: unknown — no change.
//  - quota_lowered: the (account, region) as a whole, from the same quota snapshot read: its last_lowered (set by
//    the refresh that read a lower value, domain::MergeReadResults) — when, and by how much. No snapshot, or no
//    decrease ever seen: not met.
// Rules are read whole on each call (ListAlertRules: at most store::kMaxAlertRules), so the cost of one call is
// O(rules × config models of the target), independent of the fleet's size.
//
// Delivery of an alert's outbox: the notification (AlertNotification: alert_id = the alert key) goes to each
// channel of the rule resolved through AlertChannelDirectory, skipping channels that already received this notice
// (an AlertDelivery for it, delivered, at or after pending_since_ms). Each channel's AlertDelivery is recorded;
// the pending notice is cleared when every channel is settled: delivered, or failed for good (rejected, disabled,
// invalid, unknown channel). A retryable failure keeps the notice pending for the sweeper, with the channel's
// back-off persisted in its AlertDelivery (next_retry_at_ms: the later of the sender's next_retry_at and
// ChannelSender::Backoff(attempts so far), at most max_retry_backoff_ms ahead); until then the channel is skipped
// (by DeliverAlert and the sweeper alike). A channel that failed for good for this notice is not tried again. After
// max_delivery_attempts attempts at one notice, or once the notice has waited max_delivery_age_ms, a channel is
// given up on: its delivery keeps the last error with " (gave up after N attempts)" appended and no
// next_retry_at_ms, and it counts as settled. The write is
// revision-conditioned; on a conflict the alert is re-read and the deliveries merged into it (the pending notice is
// cleared only when the re-read alert still waits for the same notice). The delivery id given to ChannelSender is
// derived from (alert key, notice, pending_since_ms, channel id), so a retry by the sweeper carries the same
// X-AP-Delivery and receivers can de-duplicate.
//
// Thread safety: one AlertEvaluator may be used from many threads if its ChannelSender is (see alert_delivery.h:
// its Random usually is not — give each thread its own evaluator). Calls block on the store and on delivery.
// Ownership: references only; everything referenced must outlive the evaluator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "domain/alert_channel.h"
#include "domain/alerts.h"
#include "service/alert_delivery.h"
#include "store/store.h"

namespace ap::service {

// Where a rule's channel ids are resolved (service/stored_channel_directory.h over the alert channel store).
// Thread safety: implementations are safe from many threads.
class AlertChannelDirectory {
 public:
  virtual ~AlertChannelDirectory() = default;
  // The channel with this id; NotFound when there is none; other errors when it cannot be read now (the
  // delivery to it is then retried by the sweeper).
  virtual Result<domain::AlertChannel> Get(const std::string& channel_id) = 0;
};

struct AlertEvaluatorOptions {
  std::string instance_id = "instance";  // the lease holder name of this instance
  int max_write_attempts = 5;            // conditional writes per alert per call, the first included
  int64_t delivery_grace_ms = 60'000;    // the sweeper leaves a notice this long to the instance that decided it
  int64_t delivery_lease_ms = 120'000;   // ttl of "alert-delivery/<key>"; must exceed one delivery's duration
  int64_t sweep_limit = 50;              // pending alerts per DeliverPending call (1..1000)
  // Back-off and giving up per channel (file comment). Defaults: 20 attempts, 24 hours, 1 hour; a channel whose
  // directory read fails is tried again after directory_retry_ms (default 30 s).
  int64_t max_delivery_attempts = 20;
  int64_t max_delivery_age_ms = int64_t{24} * 3600 * 1000;
  int64_t max_retry_backoff_ms = int64_t{3600} * 1000;
  int64_t directory_retry_ms = 30'000;
};

struct AlertEvaluation {
  int64_t observed = 0;   // (rule, target) pairs stepped
  int64_t written = 0;    // alerts stored
  int64_t notices = 0;    // notices decided by this instance's winning writes
  int64_t conflicts = 0;  // writes lost to another writer (then re-read and stepped again)
  int64_t delivered = 0;  // channel deliveries that succeeded
};

class AlertEvaluator {
 public:
  AlertEvaluator(store::Store& store, AlertChannelDirectory& channels, ChannelSender& sender, const Clock& clock,
                 AlertEvaluatorOptions options = {});

  // Evaluates every rule for the (account, region) at the clock's now (see the file comment) and delivers the
  // notices this instance's writes decided. NotFound when the account does not exist (nothing written). A store
  // error ends the call with that error (alerts already written stay written; their notices stay in the outbox
  // for the sweeper). Unavailable when an alert's writes kept conflicting max_write_attempts times (the others
  // evaluated are written). Delivery failures are not errors: they are recorded in the alerts.
  Result<AlertEvaluation> EvaluateAccountRegion(const std::string& account_id, const std::string& region);

  // The sweeper: delivers the outbox of up to sweep_limit alerts whose notice has waited at least
  // delivery_grace_ms (ListPendingAlerts), each under its lease (an alert whose lease another instance holds is
  // skipped, and so is one whose every unsettled channel is backing off — without taking its lease). When every
  // alert of a full page is backing off, the page is read again 4 times wider (up to 1000 alerts) so that newer
  // notices are not held behind them. Returns the number of channel deliveries that succeeded. Store errors end
  // the call.
  Result<int64_t> DeliverPending();

  // Delivers the outbox of alert `key` under its lease (see the file comment): the number of channel deliveries
  // that succeeded; 0 when nothing is pending, or when another instance holds the lease. NotFound when the alert
  // does not exist.
  Result<int64_t> DeliverAlert(const std::string& key);

 private:
  Status Step(const domain::AlertRule& rule, const domain::AlertTarget& target, const domain::AlertObservation& o,
              int64_t now_ms, AlertEvaluation& out, bool& gave_up);
  Result<int64_t> DeliverLocked(const std::string& key);
  struct QuotaFacts {
    bool known = false;                       // the quota snapshot has a value that was ever attempted
    std::optional<int64_t> failing_since_ms;  // nullopt: refreshes succeed
    std::optional<domain::QuotaLowered> last_lowered;
  };
  Result<QuotaFacts> ReadQuotaFacts(const std::string& account_id, const std::string& region);

  store::Store& store_;
  AlertChannelDirectory& channels_;
  ChannelSender& sender_;
  const Clock& clock_;
  const AlertEvaluatorOptions options_;
};

}  // namespace ap::service
