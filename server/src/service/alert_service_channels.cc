// AlertService: alert channels and test deliveries (alert_service.cc has rules and alerts).
#include <string>
#include <utility>
#include <vector>

#include "domain/audit.h"
#include "domain/ids.h"
#include "service/alert_service.h"
#include "service/stored_channel_directory.h"

namespace ap::service {
namespace {

// The parts of a channel that changed, by field name (never their values: URLs and secrets are secret).
std::vector<std::string> ChangedFields(const domain::AlertChannel& before, const domain::AlertChannel& after) {
  std::vector<std::string> out;
  if (before.name != after.name) out.emplace_back("name");
  if (before.enabled != after.enabled) out.emplace_back("enabled");
  if (before.url != after.url) out.emplace_back("url");
  if (before.secret != after.secret) out.emplace_back("secret");
  if (before.topic_arn != after.topic_arn) out.emplace_back("topic_arn");
  if (before.region != after.region) out.emplace_back("region");
  return out;
}

}  // namespace

std::string MaskedUrl(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  const size_t host_start = scheme_end + 3;
  const size_t host_end = url.find_first_of("/?#", host_start);
  return std::string(url.substr(0, host_end == std::string_view::npos ? url.size() : host_end)) + "/…";
}

Result<std::vector<store::StoredAlertChannel>> AlertService::ListChannels() { return store_.ListAlertChannels(); }

Result<store::StoredAlertChannel> AlertService::GetChannel(const std::string& id) { return store_.GetAlertChannel(id); }

Result<store::StoredAlertChannel> AlertService::Seal(const domain::AlertChannel& channel) {
  RETURN_IF_ERROR(domain::ValidateAlertChannel(channel));
  store::StoredAlertChannel out;
  out.id = channel.id;
  out.kind = channel.kind;
  out.name = channel.name;
  out.enabled = channel.enabled;
  out.topic_arn = channel.topic_arn;
  out.region = channel.region;
  switch (channel.kind) {
    case domain::AlertChannelKind::kWebhook:
      out.url_shown = channel.url;
      break;
    case domain::AlertChannelKind::kSlack:
      out.url_shown = MaskedUrl(channel.url);
      break;
    case domain::AlertChannelKind::kSns:
      break;
  }
  ASSIGN_OR_RETURN(out.sealed_url, SealChannelSecret(sealer_, channel.url, channel.id));
  ASSIGN_OR_RETURN(out.sealed_secret, SealChannelSecret(sealer_, channel.secret, channel.id));
  return out;
}

Result<store::StoredAlertChannel> AlertService::CreateChannel(const RequestContext& ctx,
                                                              const AlertChannelInput& input) {
  if (!input.kind) return InvalidArgument("must be webhook, slack or sns", "kind");
  const int64_t now = clock_.NowUnixMillis();
  domain::AlertChannel channel;
  channel.id = domain::NewTimeOrderedId("ch_", now, random_);
  channel.kind = *input.kind;
  channel.name = input.name;
  channel.enabled = input.enabled;
  channel.url = input.url.value_or("");
  channel.secret = input.secret.value_or("");
  channel.topic_arn = input.topic_arn;
  channel.region = input.region;
  ASSIGN_OR_RETURN(store::StoredAlertChannel stored, Seal(channel));
  stored.version = 1;
  stored.created_at_ms = now;
  stored.updated_at_ms = now;
  stored.updated_by = ctx.principal.user_id;
  RETURN_IF_ERROR(store_.PutAlertChannel(stored, 0));
  audit_.RecordBestEffort(ctx, "alert_channel.create", "alert_channel", stored.id, Outcome::kSuccess,
                          domain::AuditDetail({{"kind", domain::AlertChannelKindName(stored.kind)},
                                               {"name", stored.name},
                                               {"has_secret", stored.sealed_secret.empty() ? 0 : 1}}));
  return stored;
}

Result<store::StoredAlertChannel> AlertService::UpdateChannel(const RequestContext& ctx, const std::string& id,
                                                              const AlertChannelInput& input,
                                                              int64_t expected_version) {
  ASSIGN_OR_RETURN(store::StoredAlertChannel stored, store_.GetAlertChannel(id));
  if (input.kind && *input.kind != stored.kind)
    return InvalidArgument("a channel's kind cannot change (create another channel)", "kind");
  if (stored.version != expected_version)
    return FailedPrecondition("alert channel " + id + " is at version " + std::to_string(stored.version) + ", not " +
                              std::to_string(expected_version) + ": read it again");
  ASSIGN_OR_RETURN(domain::AlertChannel before, OpenStoredChannel(sealer_, stored));
  domain::AlertChannel after = before;
  after.name = input.name;
  after.enabled = input.enabled;
  // A Slack URL is only ever shown masked: a client sending the masked form back means "keep".
  if (input.url && !(stored.kind == domain::AlertChannelKind::kSlack && *input.url == stored.url_shown))
    after.url = *input.url;
  if (input.secret) after.secret = *input.secret;
  after.topic_arn = input.topic_arn;
  after.region = input.region;
  ASSIGN_OR_RETURN(store::StoredAlertChannel next, Seal(after));
  // Unchanged sealed strings stay byte for byte what they were (no new KMS data key for an unchanged secret).
  if (after.url == before.url) next.sealed_url = stored.sealed_url;
  if (after.secret == before.secret) next.sealed_secret = stored.sealed_secret;
  next.version = expected_version + 1;
  next.created_at_ms = stored.created_at_ms;
  next.updated_at_ms = clock_.NowUnixMillis();
  next.updated_by = ctx.principal.user_id;
  RETURN_IF_ERROR(store_.PutAlertChannel(next, expected_version));
  audit_.RecordBestEffort(ctx, "alert_channel.update", "alert_channel", id, Outcome::kSuccess,
                          domain::AuditDetail({{"version", next.version}, {"changed", ChangedFields(before, after)}}));
  return next;
}

Status AlertService::DeleteChannel(const RequestContext& ctx, const std::string& id, int64_t expected_version) {
  ASSIGN_OR_RETURN(store::StoredAlertChannel stored, store_.GetAlertChannel(id));
  ASSIGN_OR_RETURN(std::vector<domain::AlertRule> rules, store_.ListAlertRules());
  std::string users;
  for (const domain::AlertRule& r : rules) {
    for (const std::string& c : r.channel_ids) {
      if (c != id) continue;
      users += (users.empty() ? "" : ", ") + r.id + " (" + r.name + ")";
    }
  }
  if (!users.empty())
    return FailedPrecondition("alert channel " + id + " is used by the rules " + users + ": remove it from them first");
  RETURN_IF_ERROR(store_.DeleteAlertChannel(id, expected_version));
  audit_.RecordBestEffort(ctx, "alert_channel.delete", "alert_channel", id, Outcome::kSuccess,
                          domain::AuditDetail({{"version", expected_version}, {"name", stored.name}}));
  return Status::Ok();
}

Result<DeliveryReport> AlertService::TestChannel(const RequestContext& ctx, const std::string& id) {
  if (sender_ == nullptr) return Unavailable("alert delivery is not configured on this server");
  ASSIGN_OR_RETURN(store::StoredAlertChannel stored, store_.GetAlertChannel(id));
  ASSIGN_OR_RETURN(domain::AlertChannel channel, OpenStoredChannel(sealer_, stored));
  channel.enabled = true;  // a test goes through a disabled channel too: that is how one is tried before use
  const TimePoint now = clock_.Now();
  domain::AlertNotification n;
  n.alert_id = "test";
  n.rule_id = "test";
  n.rule_name = "Test notification";
  n.state = domain::NotificationState::kTest;
  n.severity = domain::AlertSeverity::kInfo;
  n.target.account_id = "000000000000";
  n.target.region = "us-east-1";
  n.summary = "A test of the alert channel \"" + stored.name + "\" from Account Platform";
  n.details = {{"channel_id", stored.id}, {"requested_by", ctx.principal.email}};
  n.started_at = now;
  n.sent_at = now;
  ASSIGN_OR_RETURN(DeliveryReport report, sender_->Deliver(channel, n));
  audit_.RecordBestEffort(ctx, "alert_channel.test", "alert_channel", id,
                          report.delivered ? Outcome::kSuccess : Outcome::kFailure,
                          domain::AuditDetail({{"attempts", report.attempts},
                                               {"http_status", report.last_http_status.value_or(0)},
                                               {"delivery_id", report.delivery_id}}));
  return report;
}

}  // namespace ap::service
