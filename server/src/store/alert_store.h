// AlertStore: alert rules and alerts (issue 13 §3; domain/alerts.h has the rules of the lifecycle).
//
// Once fleet-wide. Every instance evaluates rules after its own refreshes and usage polls; an alert changes only
// by PutAlert conditioned on the revision the evaluator read, so of two instances deciding the same transition
// one write wins and the other gets FailedPrecondition (it re-reads and finds nothing left to do). The decided
// notice is stored in the alert itself (Alert::pending_notice, the outbox), so the winner delivers it and a
// sweeper (ListPendingAlerts) delivers what an instance that crashed left.
//
// Records:
//  - Rule: one record each, at most kMaxAlertRules (rules are read whole by evaluators: bounded, not O(fleet)).
//  - Alert: one record per (rule, target), keyed by Alert::key. Bounded in size (≤ 10 deliveries).
// Indexes (maintained by PutAlert with the record, same atomicity rules as store.h): firing alerts by start time,
// alerts of an account, alerts of a rule, alerts with a pending notice by pending_since_ms.
//
// Thread safety: safe to call concurrently from many threads.
// The contracts common to every store interface are in store/store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/alerts.h"

namespace ap::store {

inline constexpr size_t kMaxAlertRules = 500;

struct AlertFilter {
  std::optional<domain::AlertState> state;  // nullopt: any
  std::string account_id;                   // "": any account
  std::string rule_id;                      // "": any rule (when set with account_id: InvalidArgument("rule_id"))
  std::string cursor;                       // "" = first page; otherwise AlertPage::next
  int64_t limit = 50;                       // 1..1000
};

struct AlertPage {
  // Newest first: started_at_ms descending, then key ascending.
  std::vector<domain::Alert> items;
  std::string next;  // "" when this page is the last
};

class AlertStore {
 public:
  virtual ~AlertStore() = default;

  // ---- Rules ---------------------------------------------------------------------------------------------
  // Every rule, sorted by id (at most kMaxAlertRules).
  virtual Result<std::vector<domain::AlertRule>> ListAlertRules() = 0;
  // NotFound when no rule has this id.
  virtual Result<domain::AlertRule> GetAlertRule(const std::string& id) = 0;
  // Creates (expected_version 0: the id must be new, AlreadyExists otherwise) or replaces the rule only if its
  // stored version equals expected_version; rule.version must be expected_version + 1 (InvalidArgument
  // otherwise). FailedPrecondition on a version mismatch, or when creating a rule beyond kMaxAlertRules.
  // InvalidArgument for a rule domain::ValidateAlertRule refuses, or ("id") an empty id or one containing '|'.
  // Nothing changes on any error. The cap is checked by a bounded count (≤ kMaxAlertRules records) before the
  // create: on a backend without multi-record transactions (DynamoDB) creates racing each other may pass it
  // together, so the count can exceed the cap by the number of concurrent creators.
  virtual Status PutAlertRule(const domain::AlertRule& rule, int64_t expected_version) = 0;
  // Deletes the rule only if its version equals expected_version (FailedPrecondition otherwise, nothing deleted),
  // then its alerts (not atomic with the rule: an alert of a deleted rule is never evaluated again and is
  // deleted by the same call, or by a retry of it). NotFound when no rule has this id: alerts left under that
  // rule id (a retry after a failure between the rule and its alerts) are deleted all the same.
  virtual Status DeleteAlertRule(const std::string& id, int64_t expected_version) = 0;

  // ---- Alerts --------------------------------------------------------------------------------------------
  // NotFound when no alert has this key.
  virtual Result<domain::Alert> GetAlert(const std::string& key) = 0;
  // Creates (expected_revision 0: the key must be new) or replaces the alert only if its stored revision equals
  // expected_revision; returns the new revision (expected_revision + 1). FailedPrecondition on a mismatch
  // (nothing changes). InvalidArgument when alert.key is not AlertKey(rule_id, target), or deliveries are more
  // than domain::kMaxAlertRuleChannels or not sorted and unique by channel_id; InvalidArgument("started_at_ms") /
  // ("pending_since_ms") outside 0..9,999,999,999,999,999, ("value") for a value that is not finite (checks:
  // store/alert_records.h). Optional fields that are absent read back absent.
  virtual Result<int64_t> PutAlert(const domain::Alert& alert, int64_t expected_revision) = 0;
  // One page of alerts matching `filter`. Cost: O(page).
  virtual Result<AlertPage> ListAlerts(const AlertFilter& filter) = 0;
  // Alerts whose pending_notice is not kNone and pending_since_ms <= before_ms, oldest first (then by key), at most
  // `limit` (1..1000). For the delivery sweeper. Cost: O(page). On DynamoDB the outbox is a derived record: an
  // entry whose alert moved on (its intent not yet applied) is skipped, so a call may return fewer than `limit`
  // while more are pending; the next call (after the intent sweep) returns them.
  virtual Result<std::vector<domain::Alert>> ListPendingAlerts(int64_t before_ms, int64_t limit) = 0;
};

}  // namespace ap::store
