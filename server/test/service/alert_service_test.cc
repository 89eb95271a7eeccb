// AlertService on the test graph (in-memory SQLite, fakes): rules and channels with their validation, references,
// versions and audit; channels sealed at rest and never echoed; test deliveries through a scripted poster; alerts
// listed, acknowledged and muted with their access rules.
#include "service/alert_service.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>

#include "aws/testing/fake_sleeper.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

using domain::AlertChannelKind;
using domain::AlertCondition;
using domain::AlertRule;
using domain::AlertScope;

constexpr char kAccountA[] = "111111111111";  // team-a
constexpr char kAccountB[] = "222222222222";  // team-b
constexpr char kSecret[] = "whsec_0123456789abcdef";

class ScriptedPoster final : public WebhookPoster {
 public:
  Result<WebhookResponse> Post(const WebhookRequest& request) override {
    sent.push_back(request);
    if (statuses.empty()) return Unavailable("connection refused");
    WebhookResponse r{statuses.front(), std::nullopt};
    statuses.pop_front();
    return r;
  }
  std::vector<WebhookRequest> sent;
  std::deque<int> statuses;
};

class UnusedSns final : public aws::Sns {
 public:
  Result<std::string> Publish(const aws::Credentials&, const std::string&, const std::string&, const std::string&,
                              const std::string&) override {
    return Unavailable("not in this test");
  }
};

class AlertServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(kAccountA, {"team-a"})).status());
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(kAccountB, {"team-b"})).status());
    sender = std::make_unique<ChannelSender>(poster, sns, env.identity, env.clock, env.random, sleeper);
    alerts = std::make_unique<AlertService>(*env.store, env.clock, env.random, *env.sealer, *env.audit, *env.auth,
                                            *env.accounts, *env.quota_config, *env.authorizer, sender.get());
  }

  AlertRule HeadroomRule(std::vector<std::string> channels = {}) {
    AlertRule r;
    r.name = "TPM headroom below 20 %";
    r.condition = AlertCondition::kHeadroomBelow;
    r.threshold = 0.2;
    r.window = domain::UsageWindow::k24h;
    r.channel_ids = std::move(channels);
    return r;
  }
  AlertChannelInput WebhookInput(std::string url = "http://127.0.0.1:9/hook?token=t0ps3cret") {
    AlertChannelInput in;
    in.kind = AlertChannelKind::kWebhook;
    in.name = "ops hook";
    in.url = std::move(url);
    in.secret = kSecret;
    return in;
  }
  // Stores an alert of rule `rule_id` on `account` directly (the evaluator's job).
  domain::Alert PutAlert(const std::string& rule_id, const std::string& account,
                         domain::AlertState state = domain::AlertState::kFiring) {
    domain::Alert a;
    a.rule_id = rule_id;
    a.target = {account, "us-east-1", "claude"};
    a.key = domain::AlertKey(rule_id, a.target);
    a.state = state;
    a.started_at_ms = env.clock.NowUnixMillis();
    if (state == domain::AlertState::kResolved) a.resolved_at_ms = a.started_at_ms;
    a.summary = "TPM headroom 12 %";
    Result<int64_t> rev = env.store->PutAlert(a, 0);
    EXPECT_OK(rev.status());
    a.revision = rev.ok() ? *rev : 0;
    return a;
  }
  std::vector<domain::AuditEntry> Audit(const std::string& action) {
    store::AuditFilter f;
    f.action = action;
    auto page = env.store->ListAudit(f);
    EXPECT_OK(page.status());
    return page.ok() ? page->items : std::vector<domain::AuditEntry>{};
  }

  testing::TestEnv env;
  ScriptedPoster poster;
  UnusedSns sns;
  aws::testing::FakeSleeper sleeper{&env.clock};
  std::unique_ptr<ChannelSender> sender;
  std::unique_ptr<AlertService> alerts;
};

// ---- Rules -------------------------------------------------------------------------------------------------

TEST_F(AlertServiceTest, CreateRuleAssignsIdVersionAndAuthorAndAudits) {
  ASSERT_OK_AND_ASSIGN(AlertRule rule, alerts->CreateRule(env.Admin(), HeadroomRule()));
  EXPECT_EQ(rule.id.rfind("ar_", 0), 0u);
  EXPECT_EQ(rule.version, 1);
  EXPECT_EQ(rule.updated_by, "u_admin");
  EXPECT_EQ(rule.created_at_ms, env.clock.NowUnixMillis());
  ASSERT_OK_AND_ASSIGN(AlertRule stored, alerts->GetRule(rule.id));
  EXPECT_EQ(stored, rule);
  ASSERT_OK_AND_ASSIGN(std::vector<AlertRule> all, alerts->ListRules());
  EXPECT_EQ(all.size(), 1u);
  std::vector<domain::AuditEntry> audit = Audit("alert_rule.create");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].target_id, rule.id);
}

TEST_F(AlertServiceTest, RuleReferencesMustExist) {
  EXPECT_EQ(alerts->CreateRule(env.Admin(), HeadroomRule({"ch_missing"})).status().field(), "channel_ids");

  AlertRule team = HeadroomRule();
  team.scope = AlertScope{AlertScope::Kind::kTeam, "no-such-team", "", ""};
  EXPECT_EQ(alerts->CreateRule(env.Admin(), team).status().field(), "scope.team");
  team.scope.team = "team-a";  // registered by the account
  EXPECT_OK(alerts->CreateRule(env.Admin(), team).status());

  AlertRule account = HeadroomRule();
  account.scope = AlertScope{AlertScope::Kind::kAccount, "", "999999999999", ""};
  EXPECT_EQ(alerts->CreateRule(env.Admin(), account).status().field(), "scope.account_id");

  ASSERT_OK_AND_ASSIGN(auto config, env.quota_config->Get());
  ASSERT_FALSE(config->models.empty());
  AlertRule model = HeadroomRule();
  model.scope = AlertScope{AlertScope::Kind::kModel, "", kAccountA, "no-such-model"};
  EXPECT_EQ(alerts->CreateRule(env.Admin(), model).status().field(), "scope.model_id");
  model.scope.model_id = config->models[0].model_id;
  EXPECT_OK(alerts->CreateRule(env.Admin(), model).status());

  // The domain's own checks come first, with its field names.
  AlertRule bad = HeadroomRule();
  bad.threshold = 3;
  EXPECT_EQ(alerts->CreateRule(env.Admin(), bad).status().field(), "threshold");
  bad = HeadroomRule();
  bad.renotify_ms = 1000;
  EXPECT_EQ(alerts->CreateRule(env.Admin(), bad).status().field(), "renotify_ms");
}

TEST_F(AlertServiceTest, UpdateAndDeleteRuleCheckTheVersion) {
  ASSERT_OK_AND_ASSIGN(AlertRule rule, alerts->CreateRule(env.Admin(), HeadroomRule()));
  env.clock.Advance(std::chrono::seconds(5));
  AlertRule draft = HeadroomRule();
  draft.name = "renamed";
  EXPECT_EQ(alerts->UpdateRule(env.Admin(), rule.id, draft, 7).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(alerts->UpdateRule(env.Admin(), "ar_none", draft, 1).status().code(), StatusCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(AlertRule updated, alerts->UpdateRule(env.Admin(), rule.id, draft, 1));
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.name, "renamed");
  EXPECT_EQ(updated.created_at_ms, rule.created_at_ms);
  EXPECT_GT(updated.updated_at_ms, rule.updated_at_ms);

  domain::Alert alert = PutAlert(rule.id, kAccountA);
  EXPECT_EQ(alerts->DeleteRule(env.Admin(), rule.id, 1).code(), StatusCode::kFailedPrecondition);
  ASSERT_OK(alerts->DeleteRule(env.Admin(), rule.id, 2));
  EXPECT_EQ(alerts->GetRule(rule.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(env.store->GetAlert(alert.key).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Audit("alert_rule.update").size(), 1u);
  EXPECT_EQ(Audit("alert_rule.delete").size(), 1u);
}

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

// ---- Alerts ------------------------------------------------------------------------------------------------

TEST(AlertWireId, RoundTripsAndRefusesOtherSpellings) {
  const std::string key = "ar_1|111111111111|us-east-1|claude";
  const std::string id = AlertWireId(key);
  EXPECT_EQ(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(AlertKeyOfWireId(id), key);
  EXPECT_EQ(AlertKeyOfWireId(id + "="), std::nullopt);
  EXPECT_EQ(AlertKeyOfWireId(""), std::nullopt);
  EXPECT_EQ(AlertKeyOfWireId("a+b/"), std::nullopt);
}

TEST_F(AlertServiceTest, UsersListOnlyTheAlertsOfAnAccountTheyMayRead) {
  ASSERT_OK_AND_ASSIGN(AlertRule rule, alerts->CreateRule(env.Admin(), HeadroomRule()));
  PutAlert(rule.id, kAccountA);
  PutAlert(rule.id, kAccountB);
  store::AlertFilter all;
  ASSERT_OK_AND_ASSIGN(AlertViewPage page, alerts->ListAlerts(env.Admin(), all));
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].rule_name, rule.name);
  EXPECT_EQ(page.items[0].condition, AlertCondition::kHeadroomBelow);

  RequestContext user = env.UserOf({"team-a"});
  EXPECT_EQ(alerts->ListAlerts(user, all).status().field(), "account_id");
  store::AlertFilter of_b;
  of_b.account_id = kAccountB;
  EXPECT_EQ(alerts->ListAlerts(user, of_b).status().code(), StatusCode::kPermissionDenied);
  store::AlertFilter of_missing;
  of_missing.account_id = "999999999999";
  EXPECT_EQ(alerts->ListAlerts(user, of_missing).status().code(), StatusCode::kNotFound);
  store::AlertFilter of_a;
  of_a.account_id = kAccountA;
  ASSERT_OK_AND_ASSIGN(page, alerts->ListAlerts(user, of_a));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].alert.target.account_id, kAccountA);
}

TEST_F(AlertServiceTest, GetAckAndMuteFollowTheAccountsAccess) {
  ASSERT_OK_AND_ASSIGN(AlertRule rule, alerts->CreateRule(env.Admin(), HeadroomRule()));
  domain::Alert a = PutAlert(rule.id, kAccountA);
  domain::Alert b = PutAlert(rule.id, kAccountB);
  RequestContext user = env.UserOf({"team-a"});
  EXPECT_EQ(alerts->GetAlert(user, b.key).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(alerts->Acknowledge(user, b.key).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(alerts->GetAlert(user, "ar_x|1|2|3").status().code(), StatusCode::kNotFound);

  ASSERT_OK_AND_ASSIGN(AlertView got, alerts->GetAlert(user, a.key));
  EXPECT_EQ(got.rule_name, rule.name);
  ASSERT_OK_AND_ASSIGN(AlertView acked, alerts->Acknowledge(user, a.key));
  EXPECT_EQ(acked.alert.acknowledged_by, "u_user");
  EXPECT_EQ(acked.alert.acknowledged_at_ms, env.clock.NowUnixMillis());
  // A second acknowledgement keeps the first (and is not audited again).
  env.clock.Advance(std::chrono::minutes(1));
  ASSERT_OK_AND_ASSIGN(AlertView again, alerts->Acknowledge(env.Admin(), a.key));
  EXPECT_EQ(again.alert.acknowledged_by, "u_user");
  EXPECT_EQ(Audit("alert.ack").size(), 1u);
  EXPECT_EQ(Audit("alert.ack").at(0).target_id, AlertWireId(a.key));

  const int64_t now = env.clock.NowUnixMillis();
  EXPECT_EQ(alerts->Mute(user, a.key, now - 1).status().field(), "until");
  EXPECT_EQ(alerts->Mute(user, a.key, now + domain::kMaxAlertDurationMs + 1).status().field(), "until");
  ASSERT_OK_AND_ASSIGN(AlertView muted, alerts->Mute(user, a.key, now + 3'600'000));
  EXPECT_EQ(muted.alert.muted_until_ms, now + 3'600'000);
  ASSERT_OK_AND_ASSIGN(AlertView unmuted, alerts->Mute(user, a.key, std::nullopt));
  EXPECT_EQ(unmuted.alert.muted_until_ms, std::nullopt);
  EXPECT_EQ(Audit("alert.mute").size(), 2u);

  domain::Alert resolved = PutAlert(rule.id, "333333333333", domain::AlertState::kResolved);
  EXPECT_EQ(alerts->Acknowledge(env.Admin(), resolved.key).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(AlertServiceTest, UsersMayNotAckWhenUsersMayNotRefresh) {
  ServiceGraphOptions o = testing::TestGraphOptions();
  o.authorizer.users_may_refresh = false;
  testing::TestEnv strict(o);
  ASSERT_OK(strict.accounts->Create(strict.Admin(), strict.AccessKeyAccount(kAccountA, {"team-a"})).status());
  ASSERT_OK_AND_ASSIGN(AlertRule rule, strict.graph->alerts->CreateRule(strict.Admin(), HeadroomRule()));
  domain::Alert a;
  a.rule_id = rule.id;
  a.target = {kAccountA, "us-east-1", ""};
  a.key = domain::AlertKey(rule.id, a.target);
  ASSERT_OK(strict.store->PutAlert(a, 0).status());
  RequestContext user = strict.UserOf({"team-a"});
  EXPECT_OK(strict.graph->alerts->GetAlert(user, a.key).status());
  EXPECT_EQ(strict.graph->alerts->Acknowledge(user, a.key).status().code(), StatusCode::kPermissionDenied);
  EXPECT_OK(strict.graph->alerts->Acknowledge(strict.Admin(), a.key).status());
}

TEST_F(AlertServiceTest, AckAppliesOnTopOfTheLatestRevision) {
  ASSERT_OK_AND_ASSIGN(AlertRule rule, alerts->CreateRule(env.Admin(), HeadroomRule()));
  domain::Alert a = PutAlert(rule.id, kAccountA);
  // An evaluator wrote since the alert was made: the ack writes on top of that revision, keeping its changes.
  domain::Alert moved = a;
  moved.summary = "TPM headroom 5 %";
  ASSERT_OK(env.store->PutAlert(moved, a.revision).status());
  ASSERT_OK_AND_ASSIGN(AlertView acked, alerts->Acknowledge(env.Admin(), a.key));
  EXPECT_EQ(acked.alert.summary, "TPM headroom 5 %");
  EXPECT_EQ(acked.alert.acknowledged_by, "u_admin");
  EXPECT_EQ(acked.alert.revision, 3);
}

}  // namespace
}  // namespace ap::service
