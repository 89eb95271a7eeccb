// AlertService on the test graph: channels sealed at rest and never echoed or audited, their validation, versions
// and in-use protection, and test deliveries through a scripted poster.
#include <gtest/gtest.h>

#include <string>

#include "alert_service_fixture.h"

namespace ap::service {
namespace {

using namespace alert_service_test;  // NOLINT(google-build-using-namespace): the shared fixture
using domain::AlertChannelKind;
using domain::AlertCondition;
using domain::AlertRule;
using domain::AlertScope;

// ---- Channels ----------------------------------------------------------------------------------------------

TEST_F(AlertServiceTest, ChannelsAreSealedAtRestAndNeverAudited) {
  ASSERT_OK_AND_ASSIGN(store::StoredAlertChannel hook, alerts->CreateChannel(env.Admin(), WebhookInput()));
  EXPECT_EQ(hook.id.rfind("ch_", 0), 0u);
  EXPECT_EQ(hook.version, 1);
  EXPECT_EQ(hook.url_shown, "http://127.0.0.1:9/hook?token=t0ps3cret");  // a webhook's URL is shown
  EXPECT_EQ(hook.sealed_secret.find(kSecret), std::string::npos);
  EXPECT_EQ(hook.sealed_url.find("t0ps3cret"), std::string::npos);

  AlertChannelInput slack;
  slack.kind = AlertChannelKind::kSlack;
  slack.name = "slack";
  slack.url = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
  ASSERT_OK_AND_ASSIGN(store::StoredAlertChannel s, alerts->CreateChannel(env.Admin(), slack));
  EXPECT_EQ(s.url_shown, "https://hooks.slack.com/…");
  EXPECT_EQ(s.sealed_url.find("XXXXSECRET"), std::string::npos);

  ASSERT_OK_AND_ASSIGN(domain::AlertChannel opened, env.graph->alert_channels->Get(s.id));
  EXPECT_EQ(opened.url, *slack.url);
  ASSERT_OK_AND_ASSIGN(opened, env.graph->alert_channels->Get(hook.id));
  EXPECT_EQ(opened.secret, kSecret);

  for (const domain::AuditEntry& e : Audit("alert_channel.")) {
    EXPECT_EQ(e.detail.find("XXXXSECRET"), std::string::npos) << e.detail;
    EXPECT_EQ(e.detail.find(kSecret), std::string::npos) << e.detail;
    EXPECT_EQ(e.detail.find("t0ps3cret"), std::string::npos) << e.detail;
  }
  EXPECT_EQ(Audit("alert_channel.create").size(), 2u);
}

TEST_F(AlertServiceTest, ChannelValidationNamesTheField) {
  AlertChannelInput in = WebhookInput("http://example.com/hook");  // plain http to a non-loopback host
  EXPECT_EQ(alerts->CreateChannel(env.Admin(), in).status().field(), "url");
  in = WebhookInput();
  in.secret = "short";
  EXPECT_EQ(alerts->CreateChannel(env.Admin(), in).status().field(), "secret");
  in = WebhookInput();
  in.kind.reset();
  EXPECT_EQ(alerts->CreateChannel(env.Admin(), in).status().field(), "kind");
  AlertChannelInput sns;
  sns.kind = AlertChannelKind::kSns;
  sns.name = "topic";
  sns.topic_arn = "arn:aws:sns:us-east-1:123456789012:alerts";
  sns.region = "eu-west-1";
  EXPECT_EQ(alerts->CreateChannel(env.Admin(), sns).status().field(), "region");
  sns.region = "us-east-1";
  ASSERT_OK_AND_ASSIGN(store::StoredAlertChannel stored, alerts->CreateChannel(env.Admin(), sns));
  EXPECT_EQ(stored.url_shown, "");
  EXPECT_EQ(stored.sealed_url, "");
}

TEST_F(AlertServiceTest, UpdateChannelKeepsAbsentUrlAndSecretAndRemovesAnEmptySecret) {
  ASSERT_OK_AND_ASSIGN(store::StoredAlertChannel hook, alerts->CreateChannel(env.Admin(), WebhookInput()));
  AlertChannelInput in;
  in.name = "renamed";
  in.enabled = false;
  EXPECT_EQ(alerts->UpdateChannel(env.Admin(), hook.id, in, 2).status().code(), StatusCode::kFailedPrecondition);
  ASSERT_OK_AND_ASSIGN(store::StoredAlertChannel v2, alerts->UpdateChannel(env.Admin(), hook.id, in, 1));
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v2.sealed_url, hook.sealed_url);  // unchanged strings are not sealed again
  EXPECT_EQ(v2.sealed_secret, hook.sealed_secret);
  EXPECT_FALSE(v2.enabled);
  in.secret = "";
  ASSERT_OK_AND_ASSIGN(store::StoredAlertChannel v3, alerts->UpdateChannel(env.Admin(), hook.id, in, 2));
  EXPECT_EQ(v3.sealed_secret, "");
  in.kind = AlertChannelKind::kSlack;
  EXPECT_EQ(alerts->UpdateChannel(env.Admin(), hook.id, in, 3).status().field(), "kind");
  std::vector<domain::AuditEntry> audit = Audit("alert_channel.update");
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_NE(audit[0].detail.find("secret"), std::string::npos);  // the field's name, not its value
  EXPECT_EQ(audit[0].detail.find(kSecret), std::string::npos);
}

TEST_F(AlertServiceTest, SlackMaskedUrlSentBackKeepsTheUrl) {
  AlertChannelInput slack;
  slack.kind = AlertChannelKind::kSlack;
  slack.name = "slack";
  slack.url = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
  ASSERT_OK_AND_ASSIGN(store::StoredAlertChannel s, alerts->CreateChannel(env.Admin(), slack));
  AlertChannelInput back;
  back.name = "slack 2";
  back.url = s.url_shown;
  ASSERT_OK(alerts->UpdateChannel(env.Admin(), s.id, back, 1).status());
  ASSERT_OK_AND_ASSIGN(domain::AlertChannel opened, env.graph->alert_channels->Get(s.id));
  EXPECT_EQ(opened.url, *slack.url);
}

TEST_F(AlertServiceTest, ChannelInUseCannotBeDeleted) {
  ASSERT_OK_AND_ASSIGN(store::StoredAlertChannel hook, alerts->CreateChannel(env.Admin(), WebhookInput()));
  ASSERT_OK_AND_ASSIGN(AlertRule rule, alerts->CreateRule(env.Admin(), HeadroomRule({hook.id})));
  Status refused = alerts->DeleteChannel(env.Admin(), hook.id, 1);
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find(rule.id), std::string::npos) << refused.message();
  ASSERT_OK(alerts->DeleteRule(env.Admin(), rule.id, 1));
  EXPECT_EQ(alerts->DeleteChannel(env.Admin(), hook.id, 5).code(), StatusCode::kFailedPrecondition);
  ASSERT_OK(alerts->DeleteChannel(env.Admin(), hook.id, 1));
  EXPECT_EQ(alerts->GetChannel(hook.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(alerts->DeleteChannel(env.Admin(), hook.id, 1).code(), StatusCode::kNotFound);
}

TEST_F(AlertServiceTest, TestChannelDeliversSignedEvenWhenDisabled) {
  AlertChannelInput in = WebhookInput();
  in.enabled = false;
  ASSERT_OK_AND_ASSIGN(store::StoredAlertChannel hook, alerts->CreateChannel(env.Admin(), in));
  poster.statuses = {204};
  ASSERT_OK_AND_ASSIGN(DeliveryReport report, alerts->TestChannel(env.Admin(), hook.id));
  EXPECT_TRUE(report.delivered);
  EXPECT_EQ(report.attempts, 1);
  ASSERT_EQ(poster.sent.size(), 1u);
  EXPECT_EQ(poster.sent[0].url, *in.url);
  EXPECT_NE(poster.sent[0].body.find("\"state\":\"test\""), std::string::npos);
  bool signed_ = false;
  for (const auto& [k, v] : poster.sent[0].headers) signed_ |= k == "X-AP-Signature";
  EXPECT_TRUE(signed_);
  std::vector<domain::AuditEntry> audit = Audit("alert_channel.test");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].outcome, "success");
}

TEST_F(AlertServiceTest, TestChannelFailureIsAReportAndAuditedAsFailure) {
  ASSERT_OK_AND_ASSIGN(store::StoredAlertChannel hook, alerts->CreateChannel(env.Admin(), WebhookInput()));
  poster.statuses = {500, 500, 500};
  ASSERT_OK_AND_ASSIGN(DeliveryReport report, alerts->TestChannel(env.Admin(), hook.id));
  EXPECT_FALSE(report.delivered);
  EXPECT_EQ(report.attempts, 3);
  EXPECT_EQ(report.last_http_status, 500);
  EXPECT_EQ(Audit("alert_channel.test").at(0).outcome, "failure");
  EXPECT_EQ(alerts->TestChannel(env.Admin(), "ch_none").status().code(), StatusCode::kNotFound);

  AlertService no_sender(*env.store, env.clock, env.random, *env.sealer, *env.audit, *env.auth, *env.accounts,
                         *env.quota_config, *env.authorizer, nullptr);
  EXPECT_EQ(no_sender.TestChannel(env.Admin(), hook.id).status().code(), StatusCode::kUnavailable);
}

TEST(MaskedUrl, KeepsSchemeAndHostOnly) {
  EXPECT_EQ(MaskedUrl("https://hooks.slack.com/services/T/B/X"), "https://hooks.slack.com/…");
  EXPECT_EQ(MaskedUrl("http://127.0.0.1:8080?x=1"), "http://127.0.0.1:8080/…");
  EXPECT_EQ(MaskedUrl("https://h"), "https://h/…");
  EXPECT_EQ(MaskedUrl("no scheme"), "");
}

}  // namespace
}  // namespace ap::service
