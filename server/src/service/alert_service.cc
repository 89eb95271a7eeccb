// AlertService: rules and alerts (alert_service_channels.cc has the channels).
#include "service/alert_service.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <span>
#include <utility>

#include "common/encoding.h"
#include "domain/audit.h"
#include "domain/ids.h"

namespace ap::service {
namespace {

// Conditional writes of one ack or mute before giving up: each retry follows an evaluator's write, which are rare
// per alert (one per evaluation that changes it).
constexpr int kMaxAlertWriteAttempts = 5;

}  // namespace

std::string AlertWireId(std::string_view key) {
  return Base64UrlEncode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(key.data()), key.size()));
}

std::optional<std::string> AlertKeyOfWireId(std::string_view id) {
  if (id.empty() || id.size() > 1400) return std::nullopt;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return std::nullopt;
  std::optional<std::vector<uint8_t>> bytes = Base64Decode(id);
  if (!bytes || bytes->empty()) return std::nullopt;
  std::string key(bytes->begin(), bytes->end());
  if (AlertWireId(key) != id) return std::nullopt;  // one spelling per key
  return key;
}

AlertService::AlertService(store::Store& store, const Clock& clock, Random& random, SecretSealer& sealer,
                           AuditService& audit, AuthService& auth, AccountService& accounts,
                           QuotaConfigService& quota_config, Authorizer& authorizer, ChannelSender* sender)
    : store_(store),
      clock_(clock),
      random_(random),
      sealer_(sealer),
      audit_(audit),
      auth_(auth),
      accounts_(accounts),
      quota_config_(quota_config),
      authorizer_(authorizer),
      sender_(sender) {}

// ---- Rules -------------------------------------------------------------------------------------------------

Result<std::vector<domain::AlertRule>> AlertService::ListRules() { return store_.ListAlertRules(); }

Result<domain::AlertRule> AlertService::GetRule(const std::string& id) { return store_.GetAlertRule(id); }

Status AlertService::CheckRuleReferences(const domain::AlertRule& rule) {
  if (!rule.channel_ids.empty()) {
    ASSIGN_OR_RETURN(std::vector<store::StoredAlertChannel> channels, store_.ListAlertChannels());
    for (const std::string& id : rule.channel_ids) {
      auto found = std::find_if(channels.begin(), channels.end(), [&](const auto& c) { return c.id == id; });
      if (found == channels.end()) return InvalidArgument("no channel has the id \"" + id + "\"", "channel_ids");
    }
  }
  const domain::AlertScope& scope = rule.scope;
  if (scope.kind == domain::AlertScope::Kind::kTeam) {
    ASSIGN_OR_RETURN(std::vector<domain::Team> teams, auth_.ListTeams());
    auto found = std::find_if(teams.begin(), teams.end(), [&](const auto& t) { return t.team_id == scope.team; });
    if (found == teams.end()) return InvalidArgument("no team has the id \"" + scope.team + "\"", "scope.team");
  }
  if (!scope.account_id.empty()) {
    Result<std::shared_ptr<const domain::Account>> account = accounts_.Lookup(scope.account_id);
    if (account.status().code() == StatusCode::kNotFound)
      return InvalidArgument("no account has the id \"" + scope.account_id + "\"", "scope.account_id");
    RETURN_IF_ERROR(account.status());
  }
  if (!scope.model_id.empty()) {
    ASSIGN_OR_RETURN(std::shared_ptr<const domain::QuotaConfig> config, quota_config_.Get());
    auto found = std::find_if(config->models.begin(), config->models.end(),
                              [&](const domain::ModelSpec& m) { return m.model_id == scope.model_id; });
    if (found == config->models.end())
      return InvalidArgument("the quota config has no model \"" + scope.model_id + "\"", "scope.model_id");
  }
  return Status::Ok();
}

Result<domain::AlertRule> AlertService::CreateRule(const RequestContext& ctx, domain::AlertRule draft) {
  const int64_t now = clock_.NowUnixMillis();
  draft.id = domain::NewTimeOrderedId("ar_", now, random_);
  draft.version = 1;
  draft.created_at_ms = now;
  draft.updated_at_ms = now;
  draft.updated_by = ctx.principal.user_id;
  RETURN_IF_ERROR(domain::ValidateAlertRule(draft));
  RETURN_IF_ERROR(CheckRuleReferences(draft));
  RETURN_IF_ERROR(store_.PutAlertRule(draft, 0));
  audit_.RecordBestEffort(ctx, "alert_rule.create", "alert_rule", draft.id, Outcome::kSuccess,
                          domain::AuditDetail({{"name", draft.name},
                                               {"condition", domain::AlertConditionName(draft.condition)},
                                               {"channel_ids", draft.channel_ids}}));
  return draft;
}

Result<domain::AlertRule> AlertService::UpdateRule(const RequestContext& ctx, const std::string& id,
                                                   domain::AlertRule draft, int64_t expected_version) {
  ASSIGN_OR_RETURN(domain::AlertRule stored, store_.GetAlertRule(id));
  if (stored.version != expected_version)
    return FailedPrecondition("alert rule " + id + " is at version " + std::to_string(stored.version) + ", not " +
                              std::to_string(expected_version) + ": read it again");
  draft.id = id;
  draft.version = expected_version + 1;
  draft.created_at_ms = stored.created_at_ms;
  draft.updated_at_ms = clock_.NowUnixMillis();
  draft.updated_by = ctx.principal.user_id;
  RETURN_IF_ERROR(domain::ValidateAlertRule(draft));
  RETURN_IF_ERROR(CheckRuleReferences(draft));
  RETURN_IF_ERROR(store_.PutAlertRule(draft, expected_version));
  audit_.RecordBestEffort(ctx, "alert_rule.update", "alert_rule", id, Outcome::kSuccess,
                          domain::AuditDetail({{"version", draft.version}, {"enabled", draft.enabled ? 1 : 0}}));
  return draft;
}

Status AlertService::DeleteRule(const RequestContext& ctx, const std::string& id, int64_t expected_version) {
  RETURN_IF_ERROR(store_.DeleteAlertRule(id, expected_version));
  audit_.RecordBestEffort(ctx, "alert_rule.delete", "alert_rule", id, Outcome::kSuccess,
                          domain::AuditDetail({{"version", expected_version}}));
  return Status::Ok();
}

// ---- Alerts ------------------------------------------------------------------------------------------------

Result<AlertViewPage> AlertService::ListAlerts(const RequestContext& ctx, const store::AlertFilter& filter) {
  if (!ctx.principal.is_admin()) {
    if (filter.account_id.empty()) return InvalidArgument("name the account whose alerts to list", "account_id");
    RETURN_IF_ERROR(authorizer_.Check(ctx.principal, Access::kAccountRead, filter.account_id));
  }
  ASSIGN_OR_RETURN(store::AlertPage page, store_.ListAlerts(filter));
  // Rules are few (at most kMaxAlertRules) and read whole: one read names every alert of the page.
  ASSIGN_OR_RETURN(std::vector<domain::AlertRule> rules, store_.ListAlertRules());
  std::map<std::string, const domain::AlertRule*> by_id;
  for (const domain::AlertRule& r : rules) by_id[r.id] = &r;
  AlertViewPage out;
  out.next = std::move(page.next);
  out.items.reserve(page.items.size());
  for (domain::Alert& a : page.items) {
    AlertView v;
    if (auto it = by_id.find(a.rule_id); it != by_id.end()) {
      v.rule_name = it->second->name;
      v.condition = it->second->condition;
    }
    v.alert = std::move(a);
    out.items.push_back(std::move(v));
  }
  return out;
}

Result<AlertView> AlertService::ViewOf(domain::Alert alert) {
  AlertView v;
  Result<domain::AlertRule> rule = store_.GetAlertRule(alert.rule_id);
  if (rule.ok()) {
    v.rule_name = rule->name;
    v.condition = rule->condition;
  } else if (rule.status().code() != StatusCode::kNotFound) {
    return rule.status();
  }
  v.alert = std::move(alert);
  return v;
}

Result<domain::Alert> AlertService::ReadAlert(const RequestContext& ctx, const std::string& key, Access access) {
  if (!ctx.principal.authenticated) return Unauthenticated("log in first");
  ASSIGN_OR_RETURN(domain::Alert alert, store_.GetAlert(key));
  if (!ctx.principal.is_admin()) RETURN_IF_ERROR(authorizer_.Check(ctx.principal, access, alert.target.account_id));
  return alert;
}

Result<AlertView> AlertService::GetAlert(const RequestContext& ctx, const std::string& key) {
  ASSIGN_OR_RETURN(domain::Alert alert, ReadAlert(ctx, key, Access::kAccountRead));
  return ViewOf(std::move(alert));
}

template <typename Change>
Result<domain::Alert> AlertService::ChangeAlert(const RequestContext& ctx, const std::string& key, Change change) {
  ASSIGN_OR_RETURN(domain::Alert alert, ReadAlert(ctx, key, Access::kAccountRefresh));
  for (int attempt = 1;; ++attempt) {
    // change: Result<std::optional<Alert>> — nullopt when there is nothing to write.
    ASSIGN_OR_RETURN(std::optional<domain::Alert> next, change(alert, clock_.NowUnixMillis()));
    if (!next) return alert;
    Result<int64_t> revision = store_.PutAlert(*next, alert.revision);
    if (revision.ok()) {
      next->revision = *revision;
      return *std::move(next);
    }
    if (revision.status().code() != StatusCode::kFailedPrecondition) return revision.status();
    if (attempt >= kMaxAlertWriteAttempts)
      return Unavailable("alert " + key + " kept changing while it was written: try again");
    ASSIGN_OR_RETURN(alert, store_.GetAlert(key));
  }
}

Result<AlertView> AlertService::Acknowledge(const RequestContext& ctx, const std::string& key) {
  bool wrote = false;
  ASSIGN_OR_RETURN(
      domain::Alert alert,
      ChangeAlert(ctx, key, [&](const domain::Alert& a, int64_t now) -> Result<std::optional<domain::Alert>> {
        if (a.state == domain::AlertState::kFiring && !a.acknowledged_by.empty()) return std::optional<domain::Alert>();
        ASSIGN_OR_RETURN(domain::Alert next, domain::AcknowledgeAlert(a, ctx.principal.user_id, now));
        wrote = true;
        return std::optional<domain::Alert>(std::move(next));
      }));
  if (wrote) {
    audit_.RecordBestEffort(
        ctx, "alert.ack", "alert", AlertWireId(key), Outcome::kSuccess,
        domain::AuditDetail(
            {{"rule_id", alert.rule_id}, {"account_id", alert.target.account_id}, {"region", alert.target.region}}));
  }
  return ViewOf(std::move(alert));
}

Result<AlertView> AlertService::Mute(const RequestContext& ctx, const std::string& key,
                                     std::optional<int64_t> until_ms) {
  ASSIGN_OR_RETURN(
      domain::Alert alert,
      ChangeAlert(ctx, key, [&](const domain::Alert& a, int64_t now) -> Result<std::optional<domain::Alert>> {
        ASSIGN_OR_RETURN(domain::Alert next, domain::MuteAlert(a, until_ms, now));
        return std::optional<domain::Alert>(std::move(next));
      }));
  audit_.RecordBestEffort(ctx, "alert.mute", "alert", AlertWireId(key), Outcome::kSuccess,
                          domain::AuditDetail({{"rule_id", alert.rule_id},
                                               {"account_id", alert.target.account_id},
                                               {"until_ms", until_ms.value_or(int64_t{0})}}));  // 0: unmuted
  return ViewOf(std::move(alert));
}

}  // namespace ap::service
