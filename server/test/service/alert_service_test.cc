// AlertService on the test graph (in-memory SQLite, fakes): rules with their validation, references, versions and
// audit; alerts listed, acknowledged and muted with their access rules. Channels: alert_service_channels_test.cc.
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
