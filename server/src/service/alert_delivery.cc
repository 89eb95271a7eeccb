#include "service/alert_delivery.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "common/encoding.h"

namespace ap::service {
namespace {

using domain::AlertChannel;
using domain::AlertChannelKind;
using domain::AlertNotification;

bool Retryable(int status) { return status == 408 || status == 429 || status >= 500; }

// A description of a poster failure that cannot leak the URL (Slack URLs are secrets) or anything the receiver said.
std::string PostErrorText(const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnavailable:
      return "could not connect to the receiver";
    case StatusCode::kDeadlineExceeded:
      return "the receiver did not answer in time";
    case StatusCode::kInvalidArgument:
      return "the channel's URL cannot be used";
    default:
      return "the delivery failed";
  }
}

// Transport failures worth another attempt; a refused URL or an internal failure will not get better.
bool RetryablePostError(const Status& status) {
  return status.code() == StatusCode::kUnavailable || status.code() == StatusCode::kDeadlineExceeded;
}

}  // namespace

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::array<uint8_t, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return HexEncode(std::span<const uint8_t>(mac.data(), mac.size()));
}

std::string WebhookSignature(std::string_view secret, int64_t timestamp, std::string_view body) {
  std::string message = std::to_string(timestamp) + ".";
  message += body;
  return "v1=" + HmacSha256Hex(secret, message);
}

std::optional<Duration> ParseRetryAfterSeconds(std::string_view header) {
  while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) header.remove_prefix(1);
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) header.remove_suffix(1);
  if (header.empty() || header.size() > 9) return std::nullopt;
  int64_t seconds = 0;
  for (char c : header) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return std::chrono::seconds(seconds);
}

ChannelSender::ChannelSender(WebhookPoster& poster, aws::Sns& sns, aws::CredentialsProvider& sns_credentials,
                             const Clock& clock, Random& random, aws::Sleeper& sleeper, DeliveryOptions options)
    : poster_(poster),
      sns_(sns),
      sns_credentials_(sns_credentials),
      clock_(clock),
      random_(random),
      sleeper_(sleeper),
      options_(std::move(options)) {}

Duration ChannelSender::Backoff(int attempt) const {
  Duration wait = options_.first_backoff;
  for (int i = 1; i < attempt; ++i) wait *= std::max(options_.backoff_factor, 1);
  return wait;
}

Duration ChannelSender::Jittered(Duration wait) {
  const double jitter = std::clamp(options_.jitter, 0.0, 1.0);
  const auto span = static_cast<uint64_t>(std::floor(static_cast<double>(wait.count()) * jitter));
  if (span == 0) return wait;
  return wait - Duration(static_cast<Duration::rep>(random_.Uniform(span + 1)));
}

Result<DeliveryReport> ChannelSender::Deliver(const AlertChannel& channel, const AlertNotification& notification,
                                              std::string delivery_id) {
  RETURN_IF_ERROR(domain::ValidateAlertChannel(channel));
  if (!channel.enabled) return FailedPrecondition("alert channel " + channel.id + " is disabled");
  if (delivery_id.empty()) delivery_id = random_.HexString(24);
  if (channel.kind == AlertChannelKind::kSns) return DeliverSns(channel, notification, std::move(delivery_id));
  return DeliverHttp(channel, notification, std::move(delivery_id));
}

DeliveryReport ChannelSender::DeliverHttp(const AlertChannel& channel, const AlertNotification& notification,
                                          std::string delivery_id) {
  DeliveryReport report;
  report.delivery_id = std::move(delivery_id);
  const bool webhook = channel.kind == AlertChannelKind::kWebhook;
  WebhookRequest request;
  request.url = channel.url;
  request.body = webhook ? domain::WebhookBody(notification) : domain::SlackBody(notification);
  const int max_attempts = std::max(options_.max_attempts, 1);
  for (int attempt = 1;; ++attempt) {
    request.headers = {{"Content-Type", "application/json"}, {"User-Agent", options_.user_agent}};
    if (webhook) {
      const int64_t now = clock_.NowUnixSeconds();
      request.headers.emplace_back("X-AP-Delivery", report.delivery_id);
      request.headers.emplace_back("X-AP-Timestamp", std::to_string(now));
      if (!channel.secret.empty()) {
        request.headers.emplace_back("X-AP-Signature", WebhookSignature(channel.secret, now, request.body));
      }
    }
    report.attempts = attempt;
    Result<WebhookResponse> answer = poster_.Post(request);
    bool retryable = false;
    std::optional<Duration> retry_after;
    if (answer.ok()) {
      report.last_http_status = answer->status;
      if (answer->status >= 200 && answer->status < 300) {
        report.delivered = true;
        report.last_error.clear();
        report.next_retry_at.reset();
        return report;
      }
      report.last_error = "the receiver answered HTTP " + std::to_string(answer->status);
      retryable = Retryable(answer->status);
      if (retryable && answer->retry_after.has_value()) retry_after = ParseRetryAfterSeconds(*answer->retry_after);
    } else {
      report.last_error = PostErrorText(answer.status());
      retryable = RetryablePostError(answer.status());
    }
    if (!retryable) {
      report.next_retry_at.reset();
      return report;
    }
    if (retry_after.has_value() && *retry_after > options_.max_retry_after) {
      report.next_retry_at = clock_.Now() + *retry_after;
      return report;
    }
    const Duration backoff = Backoff(attempt);
    if (attempt >= max_attempts) {
      report.next_retry_at = clock_.Now() + std::max(backoff, retry_after.value_or(Duration::zero()));
      return report;
    }
    sleeper_.SleepFor(std::max(Jittered(backoff), retry_after.value_or(Duration::zero())));
  }
}

DeliveryReport ChannelSender::DeliverSns(const AlertChannel& channel, const AlertNotification& notification,
                                         std::string delivery_id) {
  DeliveryReport report;
  report.delivery_id = std::move(delivery_id);
  report.attempts = 1;
  const domain::SnsMessageParts parts = domain::SnsMessage(notification);
  Result<aws::Credentials> creds = sns_credentials_.Get();
  Result<std::string> id = creds.ok()
                               ? sns_.Publish(*creds, channel.region, channel.topic_arn, parts.subject, parts.message)
                               : Result<std::string>(creds.status());
  if (id.ok()) {
    report.delivered = true;
    report.sns_message_id = *id;
    return report;
  }
  // The SNS client's messages start with the AWS code and carry no secret; credential failures are described
  // without detail.
  report.last_error = creds.ok() ? "sns: " + id.status().message() : "no AWS credentials to publish with";
  const StatusCode code = id.status().code();
  if (!creds.ok() || code == StatusCode::kUnavailable || code == StatusCode::kResourceExhausted ||
      code == StatusCode::kDeadlineExceeded) {
    report.next_retry_at = clock_.Now() + options_.first_backoff;
  }
  return report;
}

}  // namespace ap::service
