#include "domain/alert_channel.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "status_matchers.h"

namespace ap::domain {
namespace {

AlertChannel Webhook(std::string url = "https://hooks.example.com/ap?x=1") {
  AlertChannel c;
  c.id = "ch1";
  c.kind = AlertChannelKind::kWebhook;
  c.name = "ops";
  c.url = std::move(url);
  return c;
}

AlertChannel Sns(std::string arn = "arn:aws:sns:eu-west-1:123456789012:alerts", std::string region = "eu-west-1") {
  AlertChannel c;
  c.kind = AlertChannelKind::kSns;
  c.name = "pager";
  c.topic_arn = std::move(arn);
  c.region = std::move(region);
  return c;
}

std::string FieldOf(const Status& s) { return s.ok() ? "" : s.field(); }

TEST(AlertChannel, KindNamesRoundTrip) {
  for (AlertChannelKind k : {AlertChannelKind::kWebhook, AlertChannelKind::kSlack, AlertChannelKind::kSns}) {
    EXPECT_EQ(ParseAlertChannelKind(AlertChannelKindName(k)), k);
  }
  EXPECT_FALSE(ParseAlertChannelKind("email").has_value());
  EXPECT_FALSE(ParseAlertChannelKind("Webhook").has_value());
}

TEST(AlertChannel, AcceptsHttpsWebhookAndLoopbackHttp) {
  EXPECT_OK(ValidateAlertChannel(Webhook()));
  EXPECT_OK(ValidateAlertChannel(Webhook("http://127.0.0.1:8080/hook")));
  EXPECT_OK(ValidateAlertChannel(Webhook("http://localhost/hook")));
  EXPECT_OK(ValidateAlertChannel(Webhook("http://[::1]:9000/")));
  EXPECT_OK(ValidateAlertChannel(Webhook("HTTPS://Example.com")));
  AlertChannel slack = Webhook("https://hooks.slack.com/services/T000/B000/XXXX");
  slack.kind = AlertChannelKind::kSlack;
  EXPECT_OK(ValidateAlertChannel(slack));
}

TEST(AlertChannel, RefusesBadUrlsNamingTheField) {
  for (const std::string& url :
       {std::string(), std::string("ftp://example.com/"), std::string("example.com/hook"),
        std::string("http://example.com/hook"), std::string("http://127.0.0.1.example.com/"),
        std::string("http://10.0.0.1/"), std::string("https:///path"), std::string("https://user:pw@example.com/"),
        std::string("https://example.com/a#frag"), std::string("https://exa mple.com/"),
        std::string("https://example.com:0/"), std::string("https://example.com:99999/"),
        std::string("https://example.com:/"), std::string("https://[::1/"), std::string("https://example.com/\n"),
        "https://example.com/" + std::string(2048, 'a')}) {
    Status s = ValidateAlertChannel(Webhook(url));
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << url;
    EXPECT_EQ(FieldOf(s), "url") << url;
  }
  // Exactly 2048 bytes is allowed.
  std::string at_limit = "https://example.com/";
  at_limit += std::string(kMaxAlertChannelUrlBytes - at_limit.size(), 'a');
  EXPECT_OK(ValidateAlertChannel(Webhook(at_limit)));
}

TEST(AlertChannel, SecretRules) {
  AlertChannel c = Webhook();
  c.secret = std::string(15, 's');
  EXPECT_EQ(FieldOf(ValidateAlertChannel(c)), "secret");
  c.secret = std::string(16, 's');
  EXPECT_OK(ValidateAlertChannel(c));
  c.kind = AlertChannelKind::kSlack;
  EXPECT_EQ(FieldOf(ValidateAlertChannel(c)), "secret");
}

TEST(AlertChannel, NameRules) {
  AlertChannel c = Webhook();
  c.name = "";
  EXPECT_EQ(FieldOf(ValidateAlertChannel(c)), "name");
  c.name = std::string(101, 'n');
  EXPECT_EQ(FieldOf(ValidateAlertChannel(c)), "name");
  c.name = "a\nb";
  EXPECT_EQ(FieldOf(ValidateAlertChannel(c)), "name");
  c.name = "\xff";
  EXPECT_EQ(FieldOf(ValidateAlertChannel(c)), "name");
  c.name = "Équipe ops";
  EXPECT_OK(ValidateAlertChannel(c));
}

TEST(AlertChannel, SnsTopicArn) {
  EXPECT_OK(ValidateAlertChannel(Sns()));
  EXPECT_OK(ValidateAlertChannel(Sns("arn:aws-cn:sns:cn-north-1:123456789012:a_b-c", "cn-north-1")));
  EXPECT_OK(ValidateAlertChannel(Sns("arn:aws-us-gov:sns:us-gov-west-1:123456789012:t.fifo", "us-gov-west-1")));
  struct Case {
    std::string arn, region, field;
  };
  for (const Case& c : std::vector<Case>{
           {"", "eu-west-1", "topic_arn"},
           {"arn:aws:sqs:eu-west-1:123456789012:alerts", "eu-west-1", "topic_arn"},
           {"arn:aws:sns:eu-west-1:12345678901:alerts", "eu-west-1", "topic_arn"},
           {"arn:aws:sns:eu-west-1:1234567890123:alerts", "eu-west-1", "topic_arn"},
           {"arn:aws:sns:eu-west-1:123456789012:", "eu-west-1", "topic_arn"},
           {"arn:aws:sns:eu-west-1:123456789012:a:b", "eu-west-1", "topic_arn"},
           {"arn:aws:sns:eu-west-1:123456789012:" + std::string(257, 'a'), "eu-west-1", "topic_arn"},
           {"arn:aws-cn:sns:eu-west-1:123456789012:alerts", "eu-west-1", "topic_arn"},
           {"arn:aws:sns:cn-north-1:123456789012:alerts", "cn-north-1", "topic_arn"},
           {"arn:azure:sns:eu-west-1:123456789012:alerts", "eu-west-1", "topic_arn"},
           {"arn:aws:sns:EU-west-1:123456789012:alerts", "eu-west-1", "topic_arn"},
           {"arn:aws:sns:eu-west-1:123456789012:alerts", "", "region"},
           {"arn:aws:sns:eu-west-1:123456789012:alerts", "us-east-1", "region"},
       }) {
    Status s = ValidateAlertChannel(Sns(c.arn, c.region));
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.arn;
    EXPECT_EQ(FieldOf(s), c.field) << c.arn << " " << s.message();
  }
  AlertChannel with_url = Sns();
  with_url.url = "https://example.com";
  EXPECT_EQ(FieldOf(ValidateAlertChannel(with_url)), "url");
  AlertChannel webhook_with_arn = Webhook();
  webhook_with_arn.topic_arn = "arn:aws:sns:eu-west-1:123456789012:alerts";
  EXPECT_EQ(FieldOf(ValidateAlertChannel(webhook_with_arn)), "topic_arn");
}

TEST(AlertChannel, LoopbackHosts) {
  EXPECT_TRUE(IsLoopbackUrlHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackUrlHost("127.255.3.4"));
  EXPECT_TRUE(IsLoopbackUrlHost("LOCALHOST"));
  EXPECT_TRUE(IsLoopbackUrlHost("[::1]"));
  EXPECT_FALSE(IsLoopbackUrlHost("127.0.0.1.nip.io"));
  EXPECT_FALSE(IsLoopbackUrlHost("127.0.0.256"));
  EXPECT_FALSE(IsLoopbackUrlHost("127.0.1"));
  EXPECT_FALSE(IsLoopbackUrlHost("128.0.0.1"));
  EXPECT_FALSE(IsLoopbackUrlHost("localhost.example.com"));
}

AlertNotification Sample() {
  AlertNotification n;
  n.alert_id = "al_1";
  n.rule_id = "ru_1";
  n.rule_name = "TPM > 90% <prod> & co";
  n.state = NotificationState::kFiring;
  n.severity = AlertSeverity::kCritical;
  n.target = {"123456789012", "us-east-1", std::string("global.anthropic.claude-sonnet-4-5-20250929-v1:0")};
  n.summary = "92% of \"tokens\" per minute";
  n.details = {{"used", "92000"}, {"quota", "100000"}};
  n.started_at = TimePoint(std::chrono::seconds(1'700'000'000));
  n.sent_at = TimePoint(std::chrono::seconds(1'700'000'060));
  return n;
}

TEST(AlertChannel, WebhookBodyIsTheDocumentedJson) {
  AlertNotification n = Sample();
  EXPECT_EQ(
      WebhookBody(n),
      R"({"version":1,"alert_id":"al_1","rule_id":"ru_1","rule_name":"TPM > 90% <prod> & co","state":"firing",)"
      R"("severity":"critical","target":{"account_id":"123456789012","region":"us-east-1",)"
      R"("model_id":"global.anthropic.claude-sonnet-4-5-20250929-v1:0"},"summary":"92% of \"tokens\" per minute",)"
      R"("details":[{"key":"used","value":"92000"},{"key":"quota","value":"100000"}],)"
      R"("started_at":"2023-11-14T22:13:20Z","resolved_at":null,"sent_at":"2023-11-14T22:14:20Z","url":null})");
  n.state = NotificationState::kResolved;
  n.resolved_at = n.sent_at;
  n.url_to_app = "https://ap.example.com/alerts/al_1";
  n.target.model_id.reset();
  n.details.clear();
  n.summary = "bad \xff byte\n";
  boost::json::object doc = boost::json::parse(WebhookBody(n)).as_object();
  EXPECT_EQ(doc.at("state").as_string(), "resolved");
  EXPECT_EQ(doc.at("resolved_at").as_string(), "2023-11-14T22:14:20Z");
  EXPECT_TRUE(doc.at("target").as_object().at("model_id").is_null());
  EXPECT_EQ(doc.at("url").as_string(), "https://ap.example.com/alerts/al_1");
  EXPECT_EQ(doc.at("summary").as_string(), "bad \xEF\xBF\xBD byte\n");
  EXPECT_TRUE(doc.at("details").as_array().empty());
}

TEST(AlertChannel, SlackEscapesOnlyTheThreeCharacters) {
  EXPECT_EQ(SlackEscape("a & b <c> \"d\" 'e' *f*"), "a &amp; b &lt;c&gt; \"d\" 'e' *f*");
}

TEST(AlertChannel, SlackBodyHasTextAndBlocks) {
  AlertNotification n = Sample();
  n.url_to_app = "https://ap.example.com/alerts/al_1?a=1&b=2";
  boost::json::object doc = boost::json::parse(SlackBody(n)).as_object();
  EXPECT_EQ(doc.at("text").as_string(), "[FIRING] TPM &gt; 90% &lt;prod&gt; &amp; co: 92% of \"tokens\" per minute");
  const boost::json::array& blocks = doc.at("blocks").as_array();
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(blocks[0].at("type").as_string(), "section");
  EXPECT_EQ(blocks[0].at("text").at("type").as_string(), "mrkdwn");
  EXPECT_NE(std::string(blocks[0].at("text").at("text").as_string()).find("&lt;prod&gt; &amp; co"), std::string::npos);
  EXPECT_EQ(blocks[1].at("fields").as_array().size(), 2u);
  EXPECT_EQ(blocks[2].at("type").as_string(), "context");
  EXPECT_EQ(blocks[3].at("type").as_string(), "actions");
  // The button URL is a JSON string, not Slack text: not entity-escaped.
  EXPECT_EQ(blocks[3].at("elements").as_array()[0].at("url").as_string(), *n.url_to_app);

  // More than 10 details: Slack allows 10 fields per section. Long text is cut under the section limit.
  n.details.clear();
  for (int i = 0; i < 12; ++i) n.details.emplace_back("k" + std::to_string(i), "v");
  n.summary = std::string(5000, 'x');
  n.url_to_app.reset();
  doc = boost::json::parse(SlackBody(n)).as_object();
  const boost::json::array& b2 = doc.at("blocks").as_array();
  ASSERT_EQ(b2.size(), 3u);
  EXPECT_EQ(b2[1].at("fields").as_array().size(), 10u);
  EXPECT_LE(b2[0].at("text").at("text").as_string().size(), 3000u);
}

TEST(AlertChannel, SnsSubjectIsPrintableAsciiUnder100) {
  AlertNotification n = Sample();
  n.rule_name = "Über\tquota";
  n.summary = std::string(300, 's');
  SnsMessageParts p = SnsMessage(n);
  EXPECT_EQ(p.subject.size(), kMaxSnsSubjectChars);
  EXPECT_TRUE(p.subject.starts_with("[FIRING] ?ber quota: sss"));
  for (char c : p.subject) EXPECT_TRUE(c >= 0x20 && c <= 0x7e) << static_cast<int>(c);
  EXPECT_NE(p.message.find("Target: account 123456789012, us-east-1, global.anthropic"), std::string::npos);
  EXPECT_NE(p.message.find("used: 92000\n"), std::string::npos);
  EXPECT_NE(p.message.find("Über\tquota"), std::string::npos);

  n.details = {{"big", std::string(300000, 'b')}};
  p = SnsMessage(n);
  EXPECT_LE(p.message.size(), kMaxSnsMessageBytes);
}

}  // namespace
}  // namespace ap::domain
