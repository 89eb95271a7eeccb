// Alert delivery with real parts, on loopback:
//  - a webhook: ChannelSender → the libcurl poster (app/webhook_poster.h) → webhook_receiver.mjs, a node receiver
//    that answers 500 twice then 200 and verifies each attempt's signature with node's own crypto;
//  - SNS: ChannelSender → SnsClient (signed, over libcurl) → the AWS simulator, read back from its control API.
// The back-off waits go to a FakeSleeper (recorded, not slept); everything else is real.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/webhook_poster.h"
#include "aws/aws_clients.h"
#include "aws/credentials_provider.h"
#include "aws/curl_transport.h"
#include "aws/testing/fake_sleeper.h"
#include "aws_sim_process.h"
#include "child_process.h"
#include "service/alert_delivery.h"
#include "status_matchers.h"

#ifndef AP_REPO_ROOT
#error "AP_REPO_ROOT must be defined (the repository root, for tools/aws-sim)"
#endif
#ifndef AP_WEBHOOK_RECEIVER
#error "AP_WEBHOOK_RECEIVER must be defined (the path of webhook_receiver.mjs)"
#endif

namespace ap {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

// The simulator's fixed platform identity (tools/aws-sim/README.md "The platform identity").
const aws::Credentials kPlatform{"AKIASIMPLATFORM00001", "simPlatformSecretAccessKey00000000000001", "", {}};
constexpr const char* kSecret = "whsec_integration_0123456789";

domain::AlertNotification Note() {
  domain::AlertNotification n;
  n.alert_id = "al_it";
  n.rule_id = "ru_it";
  n.rule_name = "TPM above 90%";
  n.state = domain::NotificationState::kFiring;
  n.severity = domain::AlertSeverity::kCritical;
  n.target = {"123456789012", "us-east-1", std::string("global.anthropic.claude-sonnet-4-5-20250929-v1:0")};
  n.summary = "92% of tokens per minute used";
  n.details = {{"used", "92000"}, {"quota", "100000"}};
  n.started_at = TimePoint(seconds(1'764'979'200));
  n.sent_at = TimePoint(seconds(1'764'979'260));
  n.url_to_app = "https://ap.example.com/alerts/al_it";
  return n;
}

// GET <base>/deliveries from the receiver.
Result<json::array> Deliveries(const std::string& base) {
  ASSIGN_OR_RETURN(std::unique_ptr<aws::CurlTransport> http, aws::CurlTransport::Create());
  ASSIGN_OR_RETURN(aws::ParsedUrl url, aws::ParseUrl(base));
  aws::HttpRequest req;
  req.method = "GET";
  req.scheme = url.scheme;
  req.host = url.host;
  req.port = url.port;
  req.path = "/deliveries";
  ASSIGN_OR_RETURN(aws::HttpResponse resp, http->Send(req));
  if (resp.status != 200) return Internal("receiver answered " + std::to_string(resp.status));
  boost::system::error_code ec;
  json::value doc = json::parse(resp.body, ec);
  if (ec || !doc.is_object() || !doc.as_object().contains("deliveries")) return Internal("unreadable: " + resp.body);
  return doc.as_object().at("deliveries").as_array();
}

class NoSns final : public aws::Sns {
 public:
  Result<std::string> Publish(const aws::Credentials&, const std::string&, const std::string&, const std::string&,
                              const std::string&) override {
    return Internal("not used");
  }
};

TEST(AlertDeliveryIntegration, WebhookArrivesAfterTwoServerErrorsWithValidSignatures) {
  aws::testing::ChildProcess receiver;
  ASSERT_OK_AND_ASSIGN(std::string base,
                       receiver.Start({"node", AP_WEBHOOK_RECEIVER, "--secret", kSecret, "--fail", "2"}, "http://"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<service::WebhookPoster> poster, app::MakeWebhookPoster());
  NoSns sns;
  aws::StaticCredentialsProvider creds(kPlatform);
  SecureRandom random;
  aws::testing::FakeSleeper sleeper;
  service::DeliveryOptions options;
  options.jitter = 0;
  service::ChannelSender sender(*poster, sns, creds, SystemClock::Instance(), random, sleeper, options);

  domain::AlertChannel channel;
  channel.id = "ch_it";
  channel.kind = domain::AlertChannelKind::kWebhook;
  channel.name = "integration";
  channel.url = base + "/hook?team=ops";
  channel.secret = kSecret;
  ASSERT_OK_AND_ASSIGN(service::DeliveryReport report, sender.Deliver(channel, Note()));
  EXPECT_TRUE(report.delivered) << report.last_error;
  EXPECT_EQ(report.attempts, 3);
  EXPECT_EQ(report.last_http_status, 200);
  EXPECT_EQ(sleeper.sleeps(), (std::vector<Duration>{seconds(1), seconds(4)}));

  ASSERT_OK_AND_ASSIGN(json::array got, Deliveries(base));
  ASSERT_EQ(got.size(), 3u);
  const std::vector<int64_t> answered = {500, 500, 200};
  for (size_t i = 0; i < got.size(); ++i) {
    const json::object& d = got[i].as_object();
    EXPECT_EQ(d.at("method").as_string(), "POST");
    EXPECT_EQ(d.at("path").as_string(), "/hook?team=ops");
    EXPECT_EQ(d.at("content_type").as_string(), "application/json");
    EXPECT_EQ(d.at("delivery").as_string(), report.delivery_id) << "one delivery id across the attempts";
    EXPECT_TRUE(d.at("signature_valid").as_bool()) << "attempt " << i;
    EXPECT_EQ(d.at("answered").as_int64(), answered[i]);
    const json::object& body = d.at("body").as_object();
    EXPECT_EQ(body.at("version").as_int64(), 1);
    EXPECT_EQ(body.at("alert_id").as_string(), "al_it");
    EXPECT_EQ(body.at("target").as_object().at("model_id").as_string(),
              "global.anthropic.claude-sonnet-4-5-20250929-v1:0");
  }
}

TEST(AlertDeliveryIntegration, TheReceiversCheckCatchesAWrongSecret) {
  aws::testing::ChildProcess receiver;
  // The receiver knows another secret: it still answers 200 (it only reports validity), so check that the
  // signature it computed independently does not match — the check is real, not a constant true.
  ASSERT_OK_AND_ASSIGN(
      std::string base,
      receiver.Start({"node", AP_WEBHOOK_RECEIVER, "--secret", "another_secret_0123456789"}, "http://"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<service::WebhookPoster> poster, app::MakeWebhookPoster());
  NoSns sns;
  aws::StaticCredentialsProvider creds(kPlatform);
  SecureRandom random;
  aws::testing::FakeSleeper sleeper;
  service::ChannelSender sender(*poster, sns, creds, SystemClock::Instance(), random, sleeper);
  domain::AlertChannel channel;
  channel.kind = domain::AlertChannelKind::kWebhook;
  channel.name = "wrong secret";
  channel.url = base + "/hook";
  channel.secret = kSecret;
  ASSERT_OK_AND_ASSIGN(service::DeliveryReport report, sender.Deliver(channel, Note()));
  EXPECT_TRUE(report.delivered);
  ASSERT_OK_AND_ASSIGN(json::array got, Deliveries(base));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_FALSE(got[0].as_object().at("signature_valid").as_bool());
}

TEST(AlertDeliveryIntegration, SnsPublishArrivesOnTheSimulatedTopic) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<aws::testing::AwsSimProcess> sim,
                       aws::testing::AwsSimProcess::Start(AP_REPO_ROOT, {"--dynamodb", "off"}));
  const std::string arn = "arn:aws:sns:eu-west-1:123456789012:ap-alerts";
  ASSERT_OK(sim->Control("POST", "/_sim/sns/topics", R"({"arn":")" + arn + R"("})"));

  aws::AwsClientOptions options;
  options.env = {{"AWS_ENDPOINT_URL_SNS", sim->url()}};
  SecureRandom random;
  ASSERT_OK_AND_ASSIGN(aws::AwsClients clients, aws::MakeAwsClients(options, SystemClock::Instance(), random));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<service::WebhookPoster> poster, app::MakeWebhookPoster());
  aws::StaticCredentialsProvider creds(kPlatform);
  aws::testing::FakeSleeper sleeper;
  service::ChannelSender sender(*poster, *clients.sns, creds, SystemClock::Instance(), random, sleeper);

  domain::AlertChannel channel;
  channel.kind = domain::AlertChannelKind::kSns;
  channel.name = "pager";
  channel.topic_arn = arn;
  channel.region = "eu-west-1";
  ASSERT_OK_AND_ASSIGN(service::DeliveryReport report, sender.Deliver(channel, Note()));
  EXPECT_TRUE(report.delivered) << report.last_error;
  EXPECT_FALSE(report.sns_message_id.empty());

  ASSERT_OK_AND_ASSIGN(json::value got, sim->Control("GET", "/_sim/sns/topics/" + arn + "/messages"));
  const json::array& messages = got.as_object().at("messages").as_array();
  ASSERT_EQ(messages.size(), 1u);
  const json::object& m = messages[0].as_object();
  const domain::SnsMessageParts parts = domain::SnsMessage(Note());
  EXPECT_EQ(m.at("message_id").as_string(), report.sns_message_id);
  EXPECT_EQ(m.at("subject").as_string(), parts.subject);
  EXPECT_EQ(m.at("message").as_string(), parts.message);
  EXPECT_EQ(m.at("publisher_account_id").as_string(), "000000000000");

  // An unknown topic is a final failure: NotFound from the simulator, no retry time.
  channel.topic_arn = "arn:aws:sns:eu-west-1:123456789012:missing";
  ASSERT_OK_AND_ASSIGN(service::DeliveryReport missing, sender.Deliver(channel, Note()));
  EXPECT_FALSE(missing.delivered);
  EXPECT_TRUE(missing.last_error.starts_with("sns: NotFound: Topic does not exist")) << missing.last_error;
  EXPECT_FALSE(missing.next_retry_at.has_value());
}

}  // namespace
}  // namespace ap
