// AlertService: the use cases of the alerts API (issue 13 §3) — alert rules and channels managed by admins, alerts
// listed, acknowledged and muted by whoever may see or refresh their account, and test deliveries to a channel.
// docs/api.md ("Alerts") and docs/usage.md ("Alerts", "Alert channels") describe the behaviour.
//
//  - Rules: validated by domain::ValidateAlertRule, then against what exists: every channel id names a channel
//    (InvalidArgument "channel_ids"), a team scope an existing team ("scope.team"), an account or model scope an
//    existing account ("scope.account_id"), a model scope a model of the quota config ("scope.model_id"). Writes
//    are conditioned on the version the caller read (FailedPrecondition when stale). Audited alert_rule.*.
//  - Channels: validated by domain::ValidateAlertChannel. The URL and the webhook secret are sealed
//    (stored_channel_directory.h) before they reach the store; what answers show is StoredAlertChannel::url_shown
//    (a webhook's URL; a Slack URL masked to scheme and host + "/…", since the URL is its secret). A channel that
//    a rule lists cannot be deleted (FailedPrecondition naming the rules). Audited alert_channel.* — never with the
//    URL or the secret.
//  - Alerts: admins see every alert; users only the alerts of an account they may read, and must filter by it
//    (InvalidArgument "account_id" otherwise). Acknowledge and mute need the right to refresh the alert's account
//    (admins; users of its teams unless users may not refresh). Each is a read-modify-write conditioned on the
//    alert's revision, retried on a conflict with the evaluator. Audited alert.ack / alert.mute.
//  - Test delivery: a notification with state `test` through ChannelSender (blocking, with its retries), also for
//    a disabled channel. A failed delivery is a report, not an error. Audited alert_channel.test.
//
// Consistency: the checks that a channel exists (rule writes) and that no rule uses a channel (channel deletes)
// read the other records first and are not atomic with the write; a rule and a channel deletion racing each other
// can leave a rule naming a missing channel, which delivery then records as a failed channel (NotFound) — the same
// outcome as an admin's later edit, and visible in the alert's deliveries.
//
// Thread safety: safe from many threads if the sender's Random is (see alert_delivery.h; the graph's is
// SecureRandom). Calls block on the store; channel writes and tests may block on KMS (sealing) and on delivery:
// run them on a worker thread, never an HTTP I/O thread.
// Ownership: references only; everything referenced must outlive the service.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "domain/alert_channel.h"
#include "domain/alerts.h"
#include "service/account_service.h"
#include "service/alert_delivery.h"
#include "service/audit_service.h"
#include "service/auth_service.h"
#include "service/authorizer.h"
#include "service/context.h"
#include "service/quota_config_service.h"
#include "service/secret_sealer.h"
#include "store/store.h"

namespace ap::service {

// What an admin writes for a channel. For an update, absent parts keep what is stored where noted.
struct AlertChannelInput {
  std::optional<domain::AlertChannelKind> kind;  // create: required ("kind"); update: must equal the stored one
  std::string name;
  bool enabled = true;
  std::optional<std::string> url;  // webhook, slack. Update: nullopt keeps the stored URL
  // webhook only. Update: nullopt keeps the stored secret; an empty string removes it. Create: nullopt or empty =
  // no secret.
  std::optional<std::string> secret;
  std::string topic_arn;  // sns
  std::string region;     // sns
};

// An alert with what its rule says about it (the rule may be gone: then both are nullopt).
struct AlertView {
  domain::Alert alert;
  std::optional<std::string> rule_name;
  std::optional<domain::AlertCondition> condition;
};

struct AlertViewPage {
  std::vector<AlertView> items;
  std::string next;  // "" on the last page
};

// An alert's id on the wire: base64url without padding of its key (the key holds '|'), and back (nullopt for a
// string that is not exactly such an encoding).
std::string AlertWireId(std::string_view key);
std::optional<std::string> AlertKeyOfWireId(std::string_view id);

// The channel's masked URL: "<scheme>://<host[:port]>/…", or "" when `url` has no "://".
std::string MaskedUrl(std::string_view url);

class AlertService {
 public:
  // `sender` may be null: then TestChannel is Unavailable ("alert delivery is not configured").
  AlertService(store::Store& store, const Clock& clock, Random& random, SecretSealer& sealer, AuditService& audit,
               AuthService& auth, AccountService& accounts, QuotaConfigService& quota_config, Authorizer& authorizer,
               ChannelSender* sender);

  // ---- Rules (admins; the api checks the role) ----------------------------------------------------------
  Result<std::vector<domain::AlertRule>> ListRules();
  // NotFound when no rule has this id.
  Result<domain::AlertRule> GetRule(const std::string& id);
  // Stores `draft` as a new rule: a new time-ordered id ("ar_"), version 1, created/updated now by the caller (the
  // draft's id, version and times are ignored). InvalidArgument naming the field (see the file comment);
  // FailedPrecondition at store::kMaxAlertRules rules.
  Result<domain::AlertRule> CreateRule(const RequestContext& ctx, domain::AlertRule draft);
  // Replaces rule `id` with `draft` if its stored version is `expected_version`: version + 1, updated now by the
  // caller, created_at kept. NotFound when no rule has this id; FailedPrecondition when the version is stale;
  // InvalidArgument as CreateRule.
  Result<domain::AlertRule> UpdateRule(const RequestContext& ctx, const std::string& id, domain::AlertRule draft,
                                       int64_t expected_version);
  // Deletes rule `id` and its alerts if its version is `expected_version`. NotFound / FailedPrecondition.
  Status DeleteRule(const RequestContext& ctx, const std::string& id, int64_t expected_version);

  // ---- Channels (admins) -----------------------------------------------------------------------------------
  Result<std::vector<store::StoredAlertChannel>> ListChannels();
  Result<store::StoredAlertChannel> GetChannel(const std::string& id);
  // A new channel ("ch_" id, version 1). InvalidArgument naming the field ("kind", then ValidateAlertChannel's);
  // FailedPrecondition at store::kMaxAlertChannels; Unavailable when sealing fails (KMS).
  Result<store::StoredAlertChannel> CreateChannel(const RequestContext& ctx, const AlertChannelInput& input);
  // Replaces channel `id` (see AlertChannelInput for what is kept). InvalidArgument("kind") when the kind would
  // change; otherwise as CreateChannel, plus NotFound / FailedPrecondition (stale version). Unavailable / Internal
  // when a kept URL or secret cannot be opened for validation.
  Result<store::StoredAlertChannel> UpdateChannel(const RequestContext& ctx, const std::string& id,
                                                  const AlertChannelInput& input, int64_t expected_version);
  // Deletes channel `id` if its version is `expected_version` and no rule lists it (FailedPrecondition naming the
  // rules otherwise). NotFound when absent.
  Status DeleteChannel(const RequestContext& ctx, const std::string& id, int64_t expected_version);
  // Sends a test notification to channel `id` (see the file comment). NotFound; Unavailable when there is no
  // sender or the sealed strings cannot be opened now.
  Result<DeliveryReport> TestChannel(const RequestContext& ctx, const std::string& id);

  // ---- Alerts -----------------------------------------------------------------------------------------------
  // One page (store::AlertFilter). Users: filter.account_id required (InvalidArgument "account_id") and readable
  // by them (PermissionDenied / NotFound as account-read). InvalidArgument ("rule_id") for both account and rule,
  // ("limit") outside 1..1000, ("cursor").
  Result<AlertViewPage> ListAlerts(const RequestContext& ctx, const store::AlertFilter& filter);
  // The alert with this key. NotFound when none; PermissionDenied when a user may not read its account.
  Result<AlertView> GetAlert(const RequestContext& ctx, const std::string& key);
  // Acknowledges the firing alert `key` (already acknowledged: unchanged). FailedPrecondition when resolved;
  // NotFound; PermissionDenied when the caller may not refresh its account; Unavailable when the write kept
  // conflicting with evaluators.
  Result<AlertView> Acknowledge(const RequestContext& ctx, const std::string& key);
  // Mutes alert `key` until `until_ms` (InvalidArgument "until": not in the future, or over 30 days ahead), or
  // unmutes it (nullopt). Errors as Acknowledge (no FailedPrecondition for a resolved alert: a mute outlives it).
  Result<AlertView> Mute(const RequestContext& ctx, const std::string& key, std::optional<int64_t> until_ms);

 private:
  // The checks of a rule against the stored channels, teams, accounts and quota config.
  Status CheckRuleReferences(const domain::AlertRule& rule);
  // The stored form of `channel` (its URL and secret sealed), or the validation error.
  Result<store::StoredAlertChannel> Seal(const domain::AlertChannel& channel);
  Result<AlertView> ViewOf(domain::Alert alert);
  // GetAlert + the access check `access` (kAccountRead or kAccountRefresh) for a user.
  Result<domain::Alert> ReadAlert(const RequestContext& ctx, const std::string& key, Access access);
  // Read-modify-write of alert `key` with `change`, conditioned on the revision read; retried on conflicts.
  template <typename Change>
  Result<domain::Alert> ChangeAlert(const RequestContext& ctx, const std::string& key, Change change);

  store::Store& store_;
  const Clock& clock_;
  Random& random_;
  SecretSealer& sealer_;
  AuditService& audit_;
  AuthService& auth_;
  AccountService& accounts_;
  QuotaConfigService& quota_config_;
  Authorizer& authorizer_;
  ChannelSender* sender_;
};

}  // namespace ap::service
