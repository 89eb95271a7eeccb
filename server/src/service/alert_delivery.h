// Alert delivery (issue 13 §3 "Channels"): one notification to one channel, with retries.
//
//  - webhook: POST WebhookBody() (domain/alert_channel.h) as application/json with
//      X-AP-Delivery:  the delivery id (the same on every attempt of one delivery, and when the caller retries it
//                      later with the id from the report; receivers de-duplicate on it)
//      X-AP-Timestamp: the attempt's time, epoch seconds
//      X-AP-Signature: WebhookSignature(secret, timestamp, body) — only when the channel has a secret; recomputed
//                      per attempt (the timestamp changes)
//  - slack:   POST SlackBody() as application/json (no X-AP-* headers: the secret URL is Slack's authentication).
//  - sns:     Sns::Publish(SnsMessage()) to the channel's topic and region, with the platform's own credentials.
//
// Retry policy (webhook and slack): 2xx = delivered. 408, 429, 5xx and failures to connect or time-outs are
// retried; any other status (other 4xx, 1xx, 3xx: redirects are not followed) means the receiver rejected the
// delivery: not retried. Up to `max_attempts` attempts; before attempt k+1 the sender waits
// first_backoff × factor^(k-1) (1 s, 4 s, 16 s… by default), shortened by up to `jitter` of itself (random), or
// the receiver's numeric Retry-After when that is longer. A Retry-After above `max_retry_after` ends the attempts
// at once with next_retry_at = now + Retry-After. When the attempts run out on a retryable failure, next_retry_at is
// when the next attempt would have been (now + the next back-off, no jitter): the caller (AlertEvaluator, which stores
// it as AlertDelivery::next_retry_at_ms) may persist it and call Deliver again then with the same delivery id.
// SNS: one Publish (the SNS client retries throttling, 5xx and network failures itself); Unavailable,
// ResourceExhausted, DeadlineExceeded or no credentials → next_retry_at = now + first_backoff; other errors are
// final.
//
// Time-outs are the poster's (see app/webhook_poster.h: 10 s to connect and 10 s in all by default).
//
// Thread safety: ChannelSender is safe from many threads if its poster, Sns client, credentials provider, clock,
// random and sleeper are (Random usually is not: give each thread its own sender or a thread-safe Random). Deliver()
// blocks for the back-off waits (up to ~5 s by default): run it on a worker pool, never on an HTTP I/O thread.
// Ownership: references only; everything referenced must outlive the sender.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/clients.h"
#include "aws/sleeper.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "domain/alert_channel.h"

namespace ap::service {

// Lower-case hex of HMAC-SHA256(key, data) (RFC 2104 / RFC 4231; any key length).
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// "v1=" + lower-case hex of HMAC-SHA256(key = secret, message = decimal timestamp + "." + body). Receivers
// recompute it over the raw body they received and the X-AP-Timestamp header, compare in constant time, and refuse
// timestamps too far from their clock (docs/usage.md "Alert channels").
std::string WebhookSignature(std::string_view secret, int64_t timestamp, std::string_view body);

struct WebhookRequest {
  std::string url;  // absolute http(s) URL (validated by ValidateAlertChannel)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct WebhookResponse {
  int status = 0;
  std::optional<std::string> retry_after;  // the Retry-After header, when present
};

// One outbound HTTP POST (webhook and Slack deliveries). Implemented over libcurl in app/webhook_poster.h; fakes in
// tests.
//
// Thread safety: implementations are safe from many threads. Post() blocks.
class WebhookPoster {
 public:
  virtual ~WebhookPoster() = default;
  // POSTs `request` once (no retries, no redirects followed) and returns the receiver's answer whatever its status
  // (the body is not returned). Errors, whose messages never contain the URL (Slack URLs are secrets):
  //  Unavailable      no connection (refused, reset, DNS, TLS);
  //  DeadlineExceeded the connect or total time-out expired;
  //  InvalidArgument  the URL is not usable (not http(s), plain http to a host other than loopback);
  //  Internal         anything else (e.g. an answer larger than the poster's cap).
  virtual Result<WebhookResponse> Post(const WebhookRequest& request) = 0;
};

struct DeliveryOptions {
  // Attempts per Deliver() for webhook and slack, the first included. Default 3. Values < 1 count as 1.
  int max_attempts = 3;
  // Wait before the second attempt. Default 1 s.
  Duration first_backoff = std::chrono::seconds(1);
  // Each further wait is this many times the previous one. Default 4 (1 s, 4 s, 16 s).
  int backoff_factor = 4;
  // Each wait is shortened by a uniformly random part of up to this fraction of itself, so that many senders
  // retrying one receiver spread out. 0 = exact waits. Default 0.2.
  double jitter = 0.2;
  // The longest Retry-After honoured in-line; a longer one ends the attempts (see above). Default 60 s.
  Duration max_retry_after = std::chrono::seconds(60);
  // The User-Agent of webhook and Slack POSTs. Default "account-platform-alerts/1".
  std::string user_agent = "account-platform-alerts/1";
};

struct DeliveryReport {
  std::string delivery_id;              // X-AP-Delivery (also set for slack and sns: the caller's handle)
  int attempts = 0;                     // HTTP attempts made (1 for sns)
  bool delivered = false;               // a 2xx answer (webhook, slack) or a MessageId (sns)
  std::optional<int> last_http_status;  // the last HTTP answer's status, if any arrived
  // Why the last attempt failed, safe to show and store: no URL, no secret, no response body. Empty when delivered.
  std::string last_error;
  // When another Deliver() may be tried (see the retry policy); nullopt when delivered or when retrying cannot
  // help (the receiver rejected the notification).
  std::optional<TimePoint> next_retry_at;
  std::string sns_message_id;  // sns only, when delivered
};

// The number as a duration when `header` is a non-negative decimal number of seconds (at most 9 digits); nullopt
// otherwise (an HTTP date is not honoured).
std::optional<Duration> ParseRetryAfterSeconds(std::string_view header);

class ChannelSender {
 public:
  // `sns_credentials` signs SNS Publish calls (the platform's own identity).
  ChannelSender(WebhookPoster& poster, aws::Sns& sns, aws::CredentialsProvider& sns_credentials, const Clock& clock,
                Random& random, aws::Sleeper& sleeper, DeliveryOptions options = {});

  // Delivers `notification` to `channel` (see the file comment). `delivery_id` empty = a new id (24 random bytes,
  // hex); pass the report's id to retry a delivery later. Returns the report (a failed delivery is a report, not an
  // error). InvalidArgument (nothing sent) when ValidateAlertChannel(channel) fails; FailedPrecondition when the
  // channel is disabled.
  Result<DeliveryReport> Deliver(const domain::AlertChannel& channel, const domain::AlertNotification& notification,
                                 std::string delivery_id = "");

  // The wait before attempt `attempt` + 1 (attempt >= 1), before jitter: first_backoff × factor^(attempt-1).
  Duration Backoff(int attempt) const;

 private:
  DeliveryReport DeliverHttp(const domain::AlertChannel& channel, const domain::AlertNotification& notification,
                             std::string delivery_id);
  DeliveryReport DeliverSns(const domain::AlertChannel& channel, const domain::AlertNotification& notification,
                            std::string delivery_id);
  Duration Jittered(Duration wait);

  WebhookPoster& poster_;
  aws::Sns& sns_;
  aws::CredentialsProvider& sns_credentials_;
  const Clock& clock_;
  Random& random_;
  aws::Sleeper& sleeper_;
  const DeliveryOptions options_;
};

}  // namespace ap::service
