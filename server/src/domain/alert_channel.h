// Alert delivery channels (issue 13 §3 "Channels"): where an alert notification goes, how a channel is validated,
// and the payloads each kind of channel receives. Pure: no I/O, no clock (times come in the notification).
//
//  - webhook: an HTTP(S) POST of WebhookBody() (JSON, `version` 1), signed with HMAC-SHA256 when the channel has a
//    secret (the signature itself is computed in service/alert_delivery.h, which owns the crypto).
//  - slack:   a Slack incoming webhook: SlackBody() (`text` + `blocks`).
//  - sns:     Amazon SNS Publish to `topic_arn` in `region`: SnsMessage() (subject + message).
//
// Thread safety: value types and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"

namespace ap::domain {

enum class AlertChannelKind { kWebhook, kSlack, kSns };

// "webhook", "slack", "sns".
std::string_view AlertChannelKindName(AlertChannelKind kind);
// The kind named `name` (exactly as above); nullopt otherwise.
std::optional<AlertChannelKind> ParseAlertChannelKind(std::string_view name);

struct AlertChannel {
  std::string id;  // assigned by whoever stores channels; not checked here
  AlertChannelKind kind = AlertChannelKind::kWebhook;
  std::string name;       // shown to users
  std::string url;        // webhook and slack: where to POST
  std::string secret;     // webhook only, optional: the HMAC key (raw bytes as given)
  std::string topic_arn;  // sns only
  std::string region;     // sns only: the region of topic_arn (where Publish is sent)
  bool enabled = true;
};

// Limits checked by ValidateAlertChannel.
inline constexpr size_t kMaxAlertChannelNameBytes = 100;
inline constexpr size_t kMaxAlertChannelUrlBytes = 2048;
inline constexpr size_t kMinWebhookSecretBytes = 16;
inline constexpr size_t kMaxWebhookSecretBytes = 1024;

// OK when `channel` can be used; otherwise InvalidArgument whose field() names the first bad field:
//  - name: 1..100 bytes of valid UTF-8 without control characters.
//  - url (webhook, slack): at most 2048 bytes, an absolute URL "http(s)://host[:port][/path][?query]" with a
//    non-empty host, no user info ('@' in the authority), no fragment, no whitespace or control characters. The
//    scheme must be https unless the host is loopback (127.0.0.0/8, ::1, localhost), for which plain http is also
//    accepted (local receivers and tests). Must be empty for sns.
//  - secret (webhook): empty (unsigned deliveries) or 16..1024 bytes. Must be empty for slack and sns (Slack
//    authenticates by the secret URL itself).
//  - topic_arn (sns): "arn:<partition>:sns:<region>:<12 digits>:<topic>" where partition is aws, aws-cn or
//    aws-us-gov (and agrees with the region: "cn-…" → aws-cn, "us-gov-…" → aws-us-gov, else aws), topic is 1..256
//    characters of [A-Za-z0-9_-] with an optional ".fifo" suffix. Must be empty for webhook and slack.
//  - region (sns): a region name ([a-z0-9-], starting with a letter, at most 32) equal to the ARN's region. Must be
//    empty for webhook and slack.
// The id and `enabled` are not checked.
Status ValidateAlertChannel(const AlertChannel& channel);

// True for 127.0.0.0/8 literals, "::1" / "[::1]" and "localhost" (case-insensitive).
bool IsLoopbackUrlHost(std::string_view host);

enum class NotificationState { kFiring, kResolved, kTest };
enum class AlertSeverity { kInfo, kWarning, kCritical };

// "firing", "resolved", "test" / "info", "warning", "critical".
std::string_view NotificationStateName(NotificationState state);
std::string_view AlertSeverityName(AlertSeverity severity);

struct NotificationTarget {
  std::string account_id;
  std::string region;
  std::optional<std::string> model_id;  // absent when the alert is about the account and region as a whole
};

// One notification about one alert, as every channel receives it. Text fields may hold any UTF-8 (ill-formed bytes
// are replaced by U+FFFD in the payloads).
struct AlertNotification {
  std::string alert_id;
  std::string rule_id;
  std::string rule_name;
  NotificationState state = NotificationState::kFiring;
  AlertSeverity severity = AlertSeverity::kWarning;
  NotificationTarget target;
  std::string summary;                                       // one line, e.g. "92% of tokens per minute used"
  std::vector<std::pair<std::string, std::string>> details;  // ordered key/value pairs shown with the summary
  TimePoint started_at;
  std::optional<TimePoint> resolved_at;
  TimePoint sent_at;
  std::optional<std::string> url_to_app;  // a link to the alert in the web app
};

// The webhook document, compact JSON, members in this order (times ISO 8601 UTC, whole seconds):
//   {"version":1,"alert_id":…,"rule_id":…,"rule_name":…,"state":"firing|resolved|test",
//    "severity":"info|warning|critical","target":{"account_id":…,"region":…,"model_id":…|null},"summary":…,
//    "details":[{"key":…,"value":…},…],"started_at":…,"resolved_at":…|null,"sent_at":…,"url":…|null}
// Version 1 only ever gains members; a receiver must ignore members it does not know.
std::string WebhookBody(const AlertNotification& n);

// Slack's escaping of message text: '&' → "&amp;", '<' → "&lt;", '>' → "&gt;" (nothing else).
std::string SlackEscape(std::string_view text);

// A Slack incoming-webhook message (JSON): "text" (the notification fallback: "[FIRING] <rule>: <summary>") and
// "blocks": a section with the title and summary (mrkdwn), a section with up to 10 details as fields, a context
// line with the target and times, and, when url_to_app is set, an actions block with a button linking to it. All
// user text is Slack-escaped and cut (at UTF-8 boundaries) to Slack's block limits (3000 characters per section
// text, 2000 per field and context element; a cut may split an escape such as "&amp;").
std::string SlackBody(const AlertNotification& n);

struct SnsMessageParts {
  std::string subject;  // printable ASCII (0x20..0x7E), 1..99 characters, starts with a non-space
  std::string message;  // UTF-8 plain text, at most kMaxSnsMessageBytes
};
// SNS: "Subjects must be ASCII text that begins with a letter, number, or punctuation mark; must not include line
// breaks or control characters; and must be less than 100 characters long." Messages are at most 256 KiB.
inline constexpr size_t kMaxSnsSubjectChars = 99;
inline constexpr size_t kMaxSnsMessageBytes = 262144;

// The SNS subject ("[FIRING] <rule name>: <summary>", characters outside printable ASCII replaced by '?', cut to
// 99) and message (plain text: title, summary, target, details one per line, times, link; cut to 256 KiB at a UTF-8
// boundary).
SnsMessageParts SnsMessage(const AlertNotification& n);

}  // namespace ap::domain
