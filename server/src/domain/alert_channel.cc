#include "domain/alert_channel.h"

#include <algorithm>
#include <cctype>

#include "common/log.h"
#include "common/utf8.h"

namespace ap::domain {
namespace {

Status Bad(std::string_view field, const std::string& message) {
  return InvalidArgument(std::string(field) + ": " + message, std::string(field));
}

bool HasControlOrSpace(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

bool IsRegionName(std::string_view region) {
  if (region.empty() || region.size() > 32 || !std::islower(static_cast<unsigned char>(region[0]))) return false;
  return std::all_of(region.begin(), region.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return std::islower(u) || std::isdigit(u) || c == '-';
  });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status ValidateUrl(std::string_view url) {
  if (url.empty()) return Bad("url", "is required");
  if (url.size() > kMaxAlertChannelUrlBytes) return Bad("url", "is longer than 2048 bytes");
  if (HasControlOrSpace(url)) return Bad("url", "may not contain spaces or control characters");
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return Bad("url", "must be an absolute http or https URL");
  const std::string scheme = Lower(url.substr(0, sep));
  if (scheme != "http" && scheme != "https") return Bad("url", "must use https (or http to a loopback host)");
  std::string_view rest = url.substr(sep + 3);
  if (rest.find('#') != std::string_view::npos) return Bad("url", "may not have a fragment");
  std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  if (authority.find('@') != std::string_view::npos) return Bad("url", "may not carry user info");
  std::string_view host = authority;
  std::optional<std::string_view> port;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Bad("url", "has an unterminated IPv6 host");
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return Bad("url", "has a malformed host");
      port = after.substr(1);
    }
    if (host.size() <= 2) return Bad("url", "has no host");
  } else if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return Bad("url", "has no host");
  if (port.has_value()) {
    const bool digits = !port->empty() && port->size() <= 5 && std::all_of(port->begin(), port->end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
    if (!digits || std::stoi(std::string(*port)) == 0 || std::stoi(std::string(*port)) > 65535) {
      return Bad("url", "has an invalid port");
    }
  }
  if (scheme == "http" && !IsLoopbackUrlHost(host)) {
    return Bad("url", "must use https (plain http is allowed to loopback hosts only)");
  }
  return Status::Ok();
}

Status ValidateTopicArn(std::string_view arn, std::string_view region) {
  // arn:<partition>:sns:<region>:<account>:<topic>
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) break;
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  if (parts.size() != 5) return Bad("topic_arn", "must look like arn:aws:sns:<region>:<account id>:<topic name>");
  std::string_view topic = arn.substr(start);
  if (parts[0] != "arn" || parts[2] != "sns") {
    return Bad("topic_arn", "must look like arn:aws:sns:<region>:<account id>:<topic name>");
  }
  const std::string_view partition = parts[1];
  if (partition != "aws" && partition != "aws-cn" && partition != "aws-us-gov") {
    return Bad("topic_arn", "has an unknown partition '" + std::string(partition) + "'");
  }
  const std::string_view arn_region = parts[3];
  if (!IsRegionName(arn_region)) return Bad("topic_arn", "has an invalid region");
  const std::string_view expected = arn_region.starts_with("cn-")       ? "aws-cn"
                                    : arn_region.starts_with("us-gov-") ? "aws-us-gov"
                                                                        : "aws";
  if (partition != expected) return Bad("topic_arn", "partition and region do not agree");
  const std::string_view account = parts[4];
  if (account.size() != 12 || !std::all_of(account.begin(), account.end(),
                                           [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return Bad("topic_arn", "account id must be 12 digits");
  }
  std::string_view base = topic;
  if (base.ends_with(".fifo")) base.remove_suffix(5);
  if (base.empty() || base.size() > 256 || !std::all_of(base.begin(), base.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
      })) {
    return Bad("topic_arn", "topic name must be 1-256 characters of letters, digits, '-' and '_'");
  }
  if (region.empty()) return Bad("region", "is required for sns channels");
  if (!IsRegionName(region)) return Bad("region", "is not a region name");
  if (region != arn_region) return Bad("region", "must be the topic's region (" + std::string(arn_region) + ")");
  return Status::Ok();
}

void Str(std::string* out, std::string_view s) {
  out->push_back('"');
  log::AppendJsonEscaped(out, s);
  out->push_back('"');
}

void OptStr(std::string* out, const std::optional<std::string>& s) {
  if (s.has_value()) {
    Str(out, *s);
  } else {
    *out += "null";
  }
}

// `text` cut to at most `max_bytes` at a UTF-8 boundary (after replacing ill-formed bytes), "…" marking a cut.
std::string Cut(std::string_view text, size_t max_bytes) {
  std::string valid = ToValidUtf8(text);
  if (valid.size() <= max_bytes) return valid;
  static constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026, 3 bytes
  std::string out(Utf8Prefix(valid, max_bytes - kEllipsis.size()));
  out += kEllipsis;
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Title(const AlertNotification& n) {
  return "[" + Upper(NotificationStateName(n.state)) + "] " + n.rule_name + ": " + n.summary;
}

std::string TargetText(const NotificationTarget& t) {
  std::string out = "account " + t.account_id + ", " + t.region;
  if (t.model_id.has_value()) out += ", " + *t.model_id;
  return out;
}

std::string TimesText(const AlertNotification& n) {
  std::string out = "started " + FormatIso8601(n.started_at);
  if (n.resolved_at.has_value()) out += ", resolved " + FormatIso8601(*n.resolved_at);
  return out;
}

// A Slack text object {"type":<type>,"text":<text cut to max_bytes after escaping>}.
void SlackText(std::string* out, std::string_view type, std::string_view text, size_t max_bytes) {
  *out += R"({"type":)";
  Str(out, type);
  *out += R"(,"text":)";
  Str(out, Cut(text, max_bytes));
  *out += '}';
}

}  // namespace

std::string_view AlertChannelKindName(AlertChannelKind kind) {
  switch (kind) {
    case AlertChannelKind::kWebhook:
      return "webhook";
    case AlertChannelKind::kSlack:
      return "slack";
    case AlertChannelKind::kSns:
      return "sns";
  }
  return "";
}

std::optional<AlertChannelKind> ParseAlertChannelKind(std::string_view name) {
  for (AlertChannelKind k : {AlertChannelKind::kWebhook, AlertChannelKind::kSlack, AlertChannelKind::kSns}) {
    if (AlertChannelKindName(k) == name) return k;
  }
  return std::nullopt;
}

bool IsLoopbackUrlHost(std::string_view host) {
  const std::string h = Lower(host);
  if (h == "localhost" || h == "::1" || h == "[::1]") return true;
  if (!h.starts_with("127.")) return false;
  // A dotted-quad literal: four decimal parts of at most 3 digits, each <= 255.
  int parts = 0;
  size_t start = 0;
  while (start <= h.size()) {
    size_t dot = h.find('.', start);
    std::string_view part =
        std::string_view(h).substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty() || part.size() > 3 ||
        !std::all_of(part.begin(), part.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
        std::stoi(std::string(part)) > 255) {
      return false;
    }
    ++parts;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

Status ValidateAlertChannel(const AlertChannel& channel) {
  if (channel.name.empty()) return Bad("name", "is required");
  if (channel.name.size() > kMaxAlertChannelNameBytes) return Bad("name", "is longer than 100 bytes");
  if (!IsValidUtf8(channel.name)) return Bad("name", "is not valid UTF-8");
  if (std::any_of(channel.name.begin(), channel.name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return Bad("name", "may not contain control characters");
  }
  switch (channel.kind) {
    case AlertChannelKind::kWebhook:
    case AlertChannelKind::kSlack:
      RETURN_IF_ERROR(ValidateUrl(channel.url));
      if (!channel.secret.empty()) {
        if (channel.kind == AlertChannelKind::kSlack) return Bad("secret", "is not used by slack channels");
        if (channel.secret.size() < kMinWebhookSecretBytes) return Bad("secret", "must be at least 16 bytes");
        if (channel.secret.size() > kMaxWebhookSecretBytes) return Bad("secret", "is longer than 1024 bytes");
      }
      if (!channel.topic_arn.empty()) return Bad("topic_arn", "is only used by sns channels");
      if (!channel.region.empty()) return Bad("region", "is only used by sns channels");
      return Status::Ok();
    case AlertChannelKind::kSns:
      if (!channel.url.empty()) return Bad("url", "is not used by sns channels");
      if (!channel.secret.empty()) return Bad("secret", "is not used by sns channels");
      if (channel.topic_arn.empty()) return Bad("topic_arn", "is required for sns channels");
      return ValidateTopicArn(channel.topic_arn, channel.region);
  }
  return Bad("kind", "is unknown");
}

std::string_view NotificationStateName(NotificationState state) {
  switch (state) {
    case NotificationState::kFiring:
      return "firing";
    case NotificationState::kResolved:
      return "resolved";
    case NotificationState::kTest:
      return "test";
  }
  return "";
}

std::string_view AlertSeverityName(AlertSeverity severity) {
  switch (severity) {
    case AlertSeverity::kInfo:
      return "info";
    case AlertSeverity::kWarning:
      return "warning";
    case AlertSeverity::kCritical:
      return "critical";
  }
  return "";
}

std::string WebhookBody(const AlertNotification& n) {
  std::string out = R"({"version":1,"alert_id":)";
  Str(&out, n.alert_id);
  out += R"(,"rule_id":)";
  Str(&out, n.rule_id);
  out += R"(,"rule_name":)";
  Str(&out, n.rule_name);
  out += R"(,"state":)";
  Str(&out, NotificationStateName(n.state));
  out += R"(,"severity":)";
  Str(&out, AlertSeverityName(n.severity));
  out += R"(,"target":{"account_id":)";
  Str(&out, n.target.account_id);
  out += R"(,"region":)";
  Str(&out, n.target.region);
  out += R"(,"model_id":)";
  OptStr(&out, n.target.model_id);
  out += R"(},"summary":)";
  Str(&out, n.summary);
  out += R"(,"details":[)";
  for (size_t i = 0; i < n.details.size(); ++i) {
    if (i > 0) out += ',';
    out += R"({"key":)";
    Str(&out, n.details[i].first);
    out += R"(,"value":)";
    Str(&out, n.details[i].second);
    out += '}';
  }
  out += R"(],"started_at":)";
  Str(&out, FormatIso8601(n.started_at));
  out += R"(,"resolved_at":)";
  OptStr(&out, n.resolved_at.has_value() ? std::optional<std::string>(FormatIso8601(*n.resolved_at)) : std::nullopt);
  out += R"(,"sent_at":)";
  Str(&out, FormatIso8601(n.sent_at));
  out += R"(,"url":)";
  OptStr(&out, n.url_to_app);
  out += '}';
  return out;
}

std::string SlackEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string SlackBody(const AlertNotification& n) {
  // Slack's limits: section text 3000 characters, a field 2000, at most 10 fields, a button label 75 (plain_text),
  // context elements 2000. Bytes are counted here (never more than characters), so the limits hold.
  std::string out = R"({"text":)";
  Str(&out, Cut(SlackEscape(Title(n)), 3000));
  out += R"(,"blocks":[{"type":"section","text":)";
  const std::string headline = "*" + SlackEscape("[" + Upper(NotificationStateName(n.state)) + "] " + n.rule_name) +
                               "* (" + std::string(AlertSeverityName(n.severity)) + ")\n" + SlackEscape(n.summary);
  SlackText(&out, "mrkdwn", headline, 3000);
  out += '}';
  if (!n.details.empty()) {
    out += R"(,{"type":"section","fields":[)";
    const size_t count = std::min<size_t>(n.details.size(), 10);
    for (size_t i = 0; i < count; ++i) {
      if (i > 0) out += ',';
      SlackText(&out, "mrkdwn", "*" + SlackEscape(n.details[i].first) + "*\n" + SlackEscape(n.details[i].second), 2000);
    }
    out += "]}";
  }
  out += R"(,{"type":"context","elements":[)";
  SlackText(&out, "mrkdwn", SlackEscape(TargetText(n.target) + " | " + TimesText(n)), 2000);
  out += "]}";
  if (n.url_to_app.has_value()) {
    out +=
        R"(,{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"Open in Account Platform"},"url":)";
    Str(&out, Cut(*n.url_to_app, 3000));
    out += "}]}";
  }
  out += "]}";
  return out;
}

SnsMessageParts SnsMessage(const AlertNotification& n) {
  SnsMessageParts parts;
  for (char c : Title(n)) {
    if (parts.subject.size() == kMaxSnsSubjectChars) break;
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      // One '?' per code point: skip continuation bytes.
      if ((u & 0xC0) == 0x80) continue;
      parts.subject += '?';
    } else if (u < 0x20 || u == 0x7f) {
      parts.subject += ' ';
    } else {
      parts.subject += c;
    }
  }
  size_t first = parts.subject.find_first_not_of(' ');
  parts.subject = first == std::string::npos ? "Alert" : parts.subject.substr(first);

  std::string text = Title(n) + "\n\n";
  text += "Severity: " + std::string(AlertSeverityName(n.severity)) + "\n";
  text += "Target: " + TargetText(n.target) + "\n";
  for (const auto& [key, value] : n.details) {
    text += key;
    text += ": ";
    text += value;
    text += '\n';
  }
  text += "Started: " + FormatIso8601(n.started_at) + "\n";
  if (n.resolved_at.has_value()) text += "Resolved: " + FormatIso8601(*n.resolved_at) + "\n";
  if (n.url_to_app.has_value()) text += "\n" + *n.url_to_app + "\n";
  text += "\nAlert " + n.alert_id + ", rule " + n.rule_id + ", sent " + FormatIso8601(n.sent_at) + "\n";
  parts.message = Cut(text, kMaxSnsMessageBytes);
  return parts;
}

}  // namespace ap::domain
