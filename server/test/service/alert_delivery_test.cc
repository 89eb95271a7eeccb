// ChannelSender with a scripted poster, a fake SNS, a fake clock and a sleeper that advances it: the retry policy
// (which answers are retried, the back-off schedule, jitter bounds, Retry-After), the headers of each attempt (one
// delivery id, a fresh timestamp and signature per attempt) and SNS delivery. HMAC against RFC 4231 and a vector
// computed with node's crypto module.
#include "service/alert_delivery.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "aws/testing/fake_sleeper.h"
#include "status_matchers.h"

namespace ap::service {
namespace {

using domain::AlertChannel;
using domain::AlertChannelKind;
using domain::AlertNotification;
using std::chrono::seconds;

class ScriptedPoster final : public WebhookPoster {
 public:
  struct Sent {
    WebhookRequest request;
    TimePoint at;
    std::map<std::string, std::string> headers;
  };
  explicit ScriptedPoster(const Clock& clock) : clock_(clock) {}
  void Answer(int status, std::optional<std::string> retry_after = std::nullopt) {
    script_.push_back(WebhookResponse{status, std::move(retry_after)});
  }
  void Fail(Status status) { script_.push_back(std::move(status)); }

  Result<WebhookResponse> Post(const WebhookRequest& request) override {
    Sent s{request, clock_.Now(), {}};
    for (const auto& [k, v] : request.headers) s.headers[k] = v;
    sent.push_back(std::move(s));
    if (script_.empty()) return Internal("no scripted answer");
    Result<WebhookResponse> next = std::move(script_.front());
    script_.pop_front();
    return next;
  }

  std::vector<Sent> sent;

 private:
  const Clock& clock_;
  std::deque<Result<WebhookResponse>> script_;
};

class FakeSns final : public aws::Sns {
 public:
  Result<std::string> Publish(const aws::Credentials& creds, const std::string& region, const std::string& topic_arn,
                              const std::string& subject, const std::string& message) override {
    calls.push_back({creds.access_key_id, region, topic_arn, subject, message});
    if (!next.ok()) return next.status();
    return *next;
  }
  struct Call {
    std::string key, region, arn, subject, message;
  };
  std::vector<Call> calls;
  Result<std::string> next = std::string("msg-1");
};

class FixedCredentials final : public aws::CredentialsProvider {
 public:
  Result<aws::Credentials> Get() override {
    if (!ok) return Unavailable("no credentials");
    aws::Credentials c;
    c.access_key_id = "AKIDPLATFORM";
    c.secret_access_key = "secret";
    return c;
  }
  bool ok = true;
};

AlertChannel Webhook(std::string secret = "whsec_0123456789abcdef") {
  AlertChannel c;
  c.id = "ch1";
  c.kind = AlertChannelKind::kWebhook;
  c.name = "ops";
  c.url = "https://hooks.example.com/ap";
  c.secret = std::move(secret);
  return c;
}

AlertNotification Note() {
  AlertNotification n;
  n.alert_id = "al_1";
  n.rule_id = "ru_1";
  n.rule_name = "TPM high";
  n.target = {"123456789012", "us-east-1", std::nullopt};
  n.summary = "92% used";
  n.started_at = TimePoint(seconds(1'700'000'000));
  n.sent_at = TimePoint(seconds(1'700'000'060));
  return n;
}

class ChannelSenderTest : public ::testing::Test {
 protected:
  ChannelSender Sender(DeliveryOptions options = {}) {
    return ChannelSender(poster_, sns_, creds_, clock_, random_, sleeper_, std::move(options));
  }
  static DeliveryOptions NoJitter() {
    DeliveryOptions o;
    o.jitter = 0;
    return o;
  }

  FakeClock clock_{TimePoint(seconds(1'700'000'000))};
  aws::testing::FakeSleeper sleeper_{&clock_};
  FakeRandom random_{3};
  ScriptedPoster poster_{clock_};
  FakeSns sns_;
  FixedCredentials creds_;
};

TEST(WebhookSignature, HmacMatchesRfc4231) {
  // RFC 4231 test case 2 and test case 6 (a 131-byte key, longer than the block size).
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HmacSha256Hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(WebhookSignature, MatchesAnIndependentlyComputedVector) {
  // node -e 'require("crypto").createHmac("sha256", secret).update(ts + "." + body).digest("hex")'
  EXPECT_EQ(WebhookSignature("whsec_0123456789abcdef", 1700000060, R"({"version":1,"alert_id":"al_1"})"),
            "v1=0a2c9e0cf163e0fc3f932bb2dba2f55dcb402869048ddc4b18be944c723ec1d6");
}

TEST(RetryAfter, OnlyDecimalSeconds) {
  EXPECT_EQ(ParseRetryAfterSeconds("120"), std::optional<Duration>(seconds(120)));
  EXPECT_EQ(ParseRetryAfterSeconds(" 0 "), std::optional<Duration>(seconds(0)));
  EXPECT_FALSE(ParseRetryAfterSeconds("").has_value());
  EXPECT_FALSE(ParseRetryAfterSeconds("-1").has_value());
  EXPECT_FALSE(ParseRetryAfterSeconds("1.5").has_value());
  EXPECT_FALSE(ParseRetryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT").has_value());
  EXPECT_FALSE(ParseRetryAfterSeconds("1234567890").has_value());
}

TEST_F(ChannelSenderTest, DeliveredOnFirst2xxWithSignedHeaders) {
  poster_.Answer(204);
  ChannelSender sender = Sender();
  ASSERT_OK_AND_ASSIGN(DeliveryReport r, sender.Deliver(Webhook(), Note()));
  EXPECT_TRUE(r.delivered);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.last_http_status, 204);
  EXPECT_TRUE(r.last_error.empty());
  EXPECT_FALSE(r.next_retry_at.has_value());
  EXPECT_EQ(r.delivery_id.size(), 48u);
  ASSERT_EQ(poster_.sent.size(), 1u);
  const auto& s = poster_.sent[0];
  EXPECT_EQ(s.request.url, "https://hooks.example.com/ap");
  EXPECT_EQ(s.request.body, domain::WebhookBody(Note()));
  EXPECT_EQ(s.headers.at("Content-Type"), "application/json");
  EXPECT_EQ(s.headers.at("X-AP-Delivery"), r.delivery_id);
  EXPECT_EQ(s.headers.at("X-AP-Timestamp"), "1700000000");
  EXPECT_EQ(s.headers.at("X-AP-Signature"),
            WebhookSignature("whsec_0123456789abcdef", 1700000000, domain::WebhookBody(Note())));
  EXPECT_TRUE(sleeper_.sleeps().empty());
}

TEST_F(ChannelSenderTest, NoSecretNoSignature) {
  poster_.Answer(200);
  ChannelSender sender = Sender();
  ASSERT_OK(sender.Deliver(Webhook(""), Note()));
  EXPECT_EQ(poster_.sent[0].headers.count("X-AP-Signature"), 0u);
  EXPECT_EQ(poster_.sent[0].headers.count("X-AP-Delivery"), 1u);
}

TEST_F(ChannelSenderTest, RetriesServerErrorsOnTheBackoffScheduleKeepingTheDeliveryId) {
  poster_.Answer(500);
  poster_.Answer(503);
  poster_.Answer(200);
  ChannelSender sender = Sender(NoJitter());
  ASSERT_OK_AND_ASSIGN(DeliveryReport r, sender.Deliver(Webhook(), Note()));
  EXPECT_TRUE(r.delivered);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(sleeper_.sleeps(), (std::vector<Duration>{seconds(1), seconds(4)}));
  ASSERT_EQ(poster_.sent.size(), 3u);
  for (const auto& s : poster_.sent) EXPECT_EQ(s.headers.at("X-AP-Delivery"), r.delivery_id);
  // Each attempt carries its own time and a signature over it.
  const std::vector<std::string> stamps = {"1700000000", "1700000001", "1700000005"};
  for (size_t i = 0; i < 3; ++i) {
    const auto& h = poster_.sent[i].headers;
    EXPECT_EQ(h.at("X-AP-Timestamp"), stamps[i]);
    EXPECT_EQ(h.at("X-AP-Signature"),
              WebhookSignature("whsec_0123456789abcdef", std::stoll(stamps[i]), poster_.sent[i].request.body));
  }
  EXPECT_NE(poster_.sent[0].headers.at("X-AP-Signature"), poster_.sent[1].headers.at("X-AP-Signature"));
}

TEST_F(ChannelSenderTest, RetryableStatusesAndNetworkErrors) {
  poster_.Answer(408);
  poster_.Answer(429);
  poster_.Fail(Unavailable("connection refused to https://hooks.example.com/ap"));
  poster_.Answer(200);
  DeliveryOptions o = NoJitter();
  o.max_attempts = 4;
  ChannelSender sender = Sender(o);
  ASSERT_OK_AND_ASSIGN(DeliveryReport r, sender.Deliver(Webhook(), Note()));
  EXPECT_TRUE(r.delivered);
  EXPECT_EQ(r.attempts, 4);
  EXPECT_EQ(sleeper_.sleeps(), (std::vector<Duration>{seconds(1), seconds(4), seconds(16)}));
}

TEST_F(ChannelSenderTest, ExhaustedAttemptsReportWhenToTryAgain) {
  poster_.Answer(502);
  poster_.Answer(502);
  poster_.Fail(DeadlineExceeded("timed out after 10 s: https://hooks.slack.com/services/T/B/SECRET"));
  ChannelSender sender = Sender(NoJitter());
  ASSERT_OK_AND_ASSIGN(DeliveryReport r, sender.Deliver(Webhook(), Note()));
  EXPECT_FALSE(r.delivered);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(r.last_http_status, 502) << "the last HTTP answer that arrived";
  EXPECT_EQ(r.last_error, "the receiver did not answer in time");
  EXPECT_EQ(r.last_error.find("SECRET"), std::string::npos);
  ASSERT_TRUE(r.next_retry_at.has_value());
  EXPECT_EQ(*r.next_retry_at, clock_.Now() + seconds(16));

  // A later retry with the same id sends the same X-AP-Delivery.
  poster_.Answer(200);
  ASSERT_OK_AND_ASSIGN(DeliveryReport again, sender.Deliver(Webhook(), Note(), r.delivery_id));
  EXPECT_TRUE(again.delivered);
  EXPECT_EQ(poster_.sent.back().headers.at("X-AP-Delivery"), r.delivery_id);
}

TEST_F(ChannelSenderTest, ClientErrorsAreNotRetried) {
  for (int status : {400, 401, 403, 404, 410, 413, 301, 302}) {
    poster_.sent.clear();
    poster_.Answer(status);
    ChannelSender sender = Sender();
    ASSERT_OK_AND_ASSIGN(DeliveryReport r, sender.Deliver(Webhook(), Note()));
    EXPECT_FALSE(r.delivered);
    EXPECT_EQ(r.attempts, 1) << status;
    EXPECT_EQ(r.last_http_status, status);
    EXPECT_EQ(r.last_error, "the receiver answered HTTP " + std::to_string(status));
    EXPECT_FALSE(r.next_retry_at.has_value());
  }
  EXPECT_TRUE(sleeper_.sleeps().empty());
  poster_.Fail(InvalidArgument("plain http refused"));
  ChannelSender sender = Sender();
  ASSERT_OK_AND_ASSIGN(DeliveryReport r, sender.Deliver(Webhook(), Note()));
  EXPECT_EQ(r.attempts, 1);
  EXPECT_FALSE(r.next_retry_at.has_value());
}

TEST_F(ChannelSenderTest, RetryAfterIsHonouredUpToTheCap) {
  poster_.Answer(429, "10");  // longer than the 1 s back-off: wait 10 s
  poster_.Answer(503, "2");   // shorter than the 4 s back-off: wait 4 s
  poster_.Answer(200);
  ChannelSender sender = Sender(NoJitter());
  ASSERT_OK_AND_ASSIGN(DeliveryReport r, sender.Deliver(Webhook(), Note()));
  EXPECT_TRUE(r.delivered);
  EXPECT_EQ(sleeper_.sleeps(), (std::vector<Duration>{seconds(10), seconds(4)}));

  // Above the cap: stop now, try again when the receiver asked.
  poster_.Answer(503, "3600");
  ASSERT_OK_AND_ASSIGN(DeliveryReport late, sender.Deliver(Webhook(), Note()));
  EXPECT_FALSE(late.delivered);
  EXPECT_EQ(late.attempts, 1);
  EXPECT_EQ(late.next_retry_at, clock_.Now() + seconds(3600));
  EXPECT_EQ(sleeper_.sleeps().size(), 2u);

  // An HTTP-date Retry-After is ignored (the back-off applies).
  poster_.Answer(503, "Wed, 21 Oct 2015 07:28:00 GMT");
  poster_.Answer(200);
  ASSERT_OK(sender.Deliver(Webhook(), Note()));
  EXPECT_EQ(sleeper_.sleeps().back(), seconds(1));
}

TEST_F(ChannelSenderTest, JitterShortensWaitsWithinBounds) {
  DeliveryOptions o;
  o.jitter = 0.5;
  o.max_attempts = 3;
  ChannelSender sender = Sender(o);
  bool any_shortened = false;
  for (int i = 0; i < 20; ++i) {
    poster_.Answer(500);
    poster_.Answer(500);
    poster_.Answer(500);
    ASSERT_OK(sender.Deliver(Webhook(), Note()));
  }
  const std::vector<Duration> sleeps = sleeper_.sleeps();
  ASSERT_EQ(sleeps.size(), 40u);
  for (size_t i = 0; i < sleeps.size(); ++i) {
    const Duration full = i % 2 == 0 ? seconds(1) : seconds(4);
    EXPECT_LE(sleeps[i], full);
    EXPECT_GE(sleeps[i], full / 2);
    any_shortened = any_shortened || sleeps[i] < full;
  }
  EXPECT_TRUE(any_shortened);
}

TEST_F(ChannelSenderTest, SlackGetsSlackBodyWithoutApHeaders) {
  poster_.Answer(200);
  AlertChannel slack = Webhook("");
  slack.kind = AlertChannelKind::kSlack;
  slack.url = "https://hooks.slack.com/services/T000/B000/XXXX";
  ChannelSender sender = Sender();
  ASSERT_OK_AND_ASSIGN(DeliveryReport r, sender.Deliver(slack, Note()));
  EXPECT_TRUE(r.delivered);
  EXPECT_EQ(poster_.sent[0].request.body, domain::SlackBody(Note()));
  EXPECT_EQ(poster_.sent[0].headers.count("X-AP-Delivery"), 0u);
  EXPECT_EQ(poster_.sent[0].headers.count("X-AP-Signature"), 0u);
}

TEST_F(ChannelSenderTest, InvalidOrDisabledChannelSendsNothing) {
  ChannelSender sender = Sender();
  AlertChannel bad = Webhook();
  bad.url = "http://example.com/";
  Result<DeliveryReport> r = sender.Deliver(bad, Note());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "url");
  AlertChannel off = Webhook();
  off.enabled = false;
  EXPECT_EQ(sender.Deliver(off, Note()).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(poster_.sent.empty());
  EXPECT_TRUE(sns_.calls.empty());
}

AlertChannel SnsChannel() {
  AlertChannel c;
  c.id = "ch2";
  c.kind = AlertChannelKind::kSns;
  c.name = "pager";
  c.topic_arn = "arn:aws:sns:eu-west-1:123456789012:alerts";
  c.region = "eu-west-1";
  return c;
}

TEST_F(ChannelSenderTest, SnsPublishesSubjectAndMessageWithPlatformCredentials) {
  ChannelSender sender = Sender();
  ASSERT_OK_AND_ASSIGN(DeliveryReport r, sender.Deliver(SnsChannel(), Note()));
  EXPECT_TRUE(r.delivered);
  EXPECT_EQ(r.sns_message_id, "msg-1");
  EXPECT_EQ(r.attempts, 1);
  ASSERT_EQ(sns_.calls.size(), 1u);
  const domain::SnsMessageParts parts = domain::SnsMessage(Note());
  EXPECT_EQ(sns_.calls[0].key, "AKIDPLATFORM");
  EXPECT_EQ(sns_.calls[0].region, "eu-west-1");
  EXPECT_EQ(sns_.calls[0].arn, "arn:aws:sns:eu-west-1:123456789012:alerts");
  EXPECT_EQ(sns_.calls[0].subject, parts.subject);
  EXPECT_EQ(sns_.calls[0].message, parts.message);
  EXPECT_TRUE(poster_.sent.empty());
}

TEST_F(ChannelSenderTest, SnsFailuresRetryOnlyWhenTransient) {
  ChannelSender sender = Sender();
  sns_.next = NotFound("NotFound: Topic does not exist");
  ASSERT_OK_AND_ASSIGN(DeliveryReport missing, sender.Deliver(SnsChannel(), Note()));
  EXPECT_FALSE(missing.delivered);
  EXPECT_EQ(missing.last_error, "sns: NotFound: Topic does not exist");
  EXPECT_FALSE(missing.next_retry_at.has_value());

  sns_.next = Unavailable("InternalError: try later");
  ASSERT_OK_AND_ASSIGN(DeliveryReport down, sender.Deliver(SnsChannel(), Note()));
  EXPECT_EQ(down.next_retry_at, clock_.Now() + seconds(1));

  creds_.ok = false;
  ASSERT_OK_AND_ASSIGN(DeliveryReport nocreds, sender.Deliver(SnsChannel(), Note()));
  EXPECT_FALSE(nocreds.delivered);
  EXPECT_EQ(nocreds.last_error, "no AWS credentials to publish with");
  EXPECT_TRUE(nocreds.next_retry_at.has_value());
  EXPECT_EQ(sns_.calls.size(), 2u);
}

}  // namespace
}  // namespace ap::service
