#include "domain/alerts.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

#include <limits>

namespace ap::domain {
namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kNow = 1'700'000'000'000;

AlertRule HeadroomRule(double threshold) {
  AlertRule r;
  r.id = "r1";
  r.name = "tight";
  r.condition = AlertCondition::kHeadroomBelow;
  r.threshold = threshold;
  r.window = UsageWindow::k1h;
  r.channel_ids = {"c1"};
  return r;
}

AlertRule DurationRule(AlertCondition c, int64_t duration_ms) {
  AlertRule r;
  r.id = "r2";
  r.name = "slow";
  r.condition = c;
  r.duration_ms = duration_ms;
  return r;
}

const AlertTarget kTarget{"111111111111", "us-east-1", "claude-sonnet-4.5-v1"};

AlertObservation Met(double value) { return AlertObservation{.met = true, .value = value, .summary = "low"}; }
AlertObservation NotMet(double value) { return AlertObservation{.met = false, .value = value, .summary = "fine"}; }
AlertObservation Unknown() { return AlertObservation{}; }

ModelUsage UsageWith(std::optional<double> headroom_tpm, std::optional<double> headroom_rpm,
                     std::optional<int64_t> throttles) {
  ModelUsage u;
  for (UsageWindow w : kAllUsageWindows) {
    WindowUsage wu;
    wu.window = w;
    if (w == UsageWindow::k1h) {
      wu.headroom_tpm = headroom_tpm;
      wu.headroom_rpm = headroom_rpm;
      wu.throttles = throttles;
      wu.throttled_minutes = throttles.value_or(0) > 0 ? 2 : 0;
    }
    u.windows.push_back(wu);
  }
  return u;
}

TEST(AlertRuleValidation, AcceptsEachConditionWithItsFields) {
  EXPECT_OK(ValidateAlertRule(HeadroomRule(0.2)));
  AlertRule throttles = HeadroomRule(10);
  throttles.condition = AlertCondition::kThrottlesAbove;
  EXPECT_OK(ValidateAlertRule(throttles));
  for (AlertCondition c :
       {AlertCondition::kQuotaLowered, AlertCondition::kRefreshFailing, AlertCondition::kUsageMissing}) {
    EXPECT_OK(ValidateAlertRule(DurationRule(c, 30 * kMinuteMs))) << AlertConditionName(c);
  }
}

TEST(AlertRuleValidation, NamesTheFieldThatFails) {
  struct Case {
    const char* what;
    AlertRule rule;
    const char* field;
  };
  std::vector<Case> cases;
  auto with = [](AlertRule r, auto change) {
    change(r);
    return r;
  };
  cases.push_back({"empty name", with(HeadroomRule(0.2), [](AlertRule& r) { r.name.clear(); }), "name"});
  cases.push_back({"long name", with(HeadroomRule(0.2), [](AlertRule& r) { r.name.assign(201, 'x'); }), "name"});
  cases.push_back({"headroom above 1", HeadroomRule(1.5), "threshold"});
  cases.push_back({"headroom NaN", HeadroomRule(std::numeric_limits<double>::quiet_NaN()), "threshold"});
  cases.push_back({"negative throttles",
                   with(HeadroomRule(-1), [](AlertRule& r) { r.condition = AlertCondition::kThrottlesAbove; }),
                   "threshold"});
  cases.push_back({"duration on a usage rule", with(HeadroomRule(0.2), [](AlertRule& r) { r.duration_ms = 60'000; }),
                   "duration_ms"});
  cases.push_back({"no duration", DurationRule(AlertCondition::kRefreshFailing, 0), "duration_ms"});
  cases.push_back(
      {"duration over 30 days", DurationRule(AlertCondition::kUsageMissing, kMaxAlertDurationMs + 1), "duration_ms"});
  cases.push_back({"threshold on a duration rule",
                   with(DurationRule(AlertCondition::kQuotaLowered, kMinuteMs), [](AlertRule& r) { r.threshold = 1; }),
                   "threshold"});
  cases.push_back({"team scope without team",
                   with(HeadroomRule(0.2), [](AlertRule& r) { r.scope.kind = AlertScope::Kind::kTeam; }),
                   "scope.team"});
  cases.push_back(
      {"fleet scope with a team", with(HeadroomRule(0.2), [](AlertRule& r) { r.scope.team = "t"; }), "scope.team"});
  cases.push_back({"model scope without account",
                   with(HeadroomRule(0.2),
                        [](AlertRule& r) {
                          r.scope.kind = AlertScope::Kind::kModel;
                          r.scope.model_id = "m";
                        }),
                   "scope.account_id"});
  cases.push_back({"model scope on a refresh rule",
                   with(DurationRule(AlertCondition::kRefreshFailing, kMinuteMs),
                        [](AlertRule& r) {
                          r.scope.kind = AlertScope::Kind::kModel;
                          r.scope.account_id = "1";
                          r.scope.model_id = "m";
                        }),
                   "scope.model_id"});
  cases.push_back({"repeated channel",
                   with(HeadroomRule(0.2),
                        [](AlertRule& r) {
                          r.channel_ids = {"a", "a"};
                        }),
                   "channel_ids"});
  cases.push_back({"eleven channels",
                   with(HeadroomRule(0.2),
                        [](AlertRule& r) {
                          r.channel_ids.clear();
                          for (int i = 0; i < 11; ++i) r.channel_ids.push_back(std::to_string(i));
                        }),
                   "channel_ids"});
  cases.push_back(
      {"renotify too often", with(HeadroomRule(0.2), [](AlertRule& r) { r.renotify_ms = kMinuteMs; }), "renotify_ms"});
  for (const Case& c : cases) {
    Status s = ValidateAlertRule(c.rule);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_EQ(s.field(), c.field) << c.what;
  }
}

TEST(AlertNames, RoundTrip) {
  for (AlertCondition c :
       {AlertCondition::kHeadroomBelow, AlertCondition::kThrottlesAbove, AlertCondition::kQuotaLowered,
        AlertCondition::kRefreshFailing, AlertCondition::kUsageMissing}) {
    EXPECT_EQ(ParseAlertCondition(AlertConditionName(c)), c);
  }
  EXPECT_EQ(ParseAlertCondition("headroom"), std::nullopt);
  EXPECT_EQ(ParseAlertScopeKind("team"), AlertScope::Kind::kTeam);
  EXPECT_EQ(ParseAlertScopeKind("region"), std::nullopt);
}

TEST(AlertScopes, CoverTheirTargets) {
  const std::vector<std::string> teams = {"ml", "search"};
  EXPECT_TRUE(ScopeCovers(AlertScope{}, kTarget, {}));
  EXPECT_TRUE(ScopeCovers(AlertScope{.kind = AlertScope::Kind::kTeam, .team = "search"}, kTarget, teams));
  EXPECT_FALSE(ScopeCovers(AlertScope{.kind = AlertScope::Kind::kTeam, .team = "ads"}, kTarget, teams));
  EXPECT_TRUE(ScopeCovers(AlertScope{.kind = AlertScope::Kind::kAccount, .account_id = "111111111111"}, kTarget, {}));
  EXPECT_FALSE(ScopeCovers(AlertScope{.kind = AlertScope::Kind::kAccount, .account_id = "2"}, kTarget, {}));
  AlertScope model{.kind = AlertScope::Kind::kModel, .account_id = "111111111111", .model_id = "claude-sonnet-4.5-v1"};
  EXPECT_TRUE(ScopeCovers(model, kTarget, {}));
  model.model_id = "claude-opus-4.5-v1";
  EXPECT_FALSE(ScopeCovers(model, kTarget, {}));
}

TEST(AlertKeys, NameRuleAndTarget) {
  EXPECT_EQ(AlertKey("r1", kTarget), "r1|111111111111|us-east-1|claude-sonnet-4.5-v1");
  EXPECT_EQ(AlertKey("r1", AlertTarget{"1", "eu-west-1", ""}), "r1|1|eu-west-1|");
}

TEST(AlertObservations, HeadroomIsTheLeastKnownOfTpmAndRpm) {
  const AlertRule rule = HeadroomRule(0.2);
  AlertObservation o = ObserveUsage(rule, UsageWith(0.5, 0.1, std::nullopt));
  EXPECT_EQ(o.met, true);
  EXPECT_DOUBLE_EQ(*o.value, 0.1);
  EXPECT_NE(o.summary.find("RPM headroom 10 %"), std::string::npos) << o.summary;
  o = ObserveUsage(rule, UsageWith(0.3, std::nullopt, std::nullopt));
  EXPECT_EQ(o.met, false);
  EXPECT_DOUBLE_EQ(*o.value, 0.3);
  // Negative headroom (over the cached quota) is below any threshold.
  EXPECT_EQ(ObserveUsage(HeadroomRule(-0.5), UsageWith(-0.6, std::nullopt, std::nullopt)).met, true);
}

TEST(AlertObservations, NoDataIsUnknownNotZero) {
  EXPECT_EQ(ObserveUsage(HeadroomRule(0.2), UsageWith(std::nullopt, std::nullopt, std::nullopt)).met, std::nullopt);
  AlertRule throttles = HeadroomRule(0);
  throttles.condition = AlertCondition::kThrottlesAbove;
  EXPECT_EQ(ObserveUsage(throttles, UsageWith(std::nullopt, std::nullopt, std::nullopt)).met, std::nullopt);
  EXPECT_EQ(ObserveUsage(throttles, UsageWith(std::nullopt, std::nullopt, 0)).met, false);
  AlertObservation o = ObserveUsage(throttles, UsageWith(std::nullopt, std::nullopt, 7));
  EXPECT_EQ(o.met, true);
  EXPECT_DOUBLE_EQ(*o.value, 7);
  // The rule's window is the one read: a 24 h rule sees the 24 h window, which has no data here.
  throttles.window = UsageWindow::k24h;
  EXPECT_EQ(ObserveUsage(throttles, UsageWith(std::nullopt, std::nullopt, 7)).met, std::nullopt);
}

TEST(AlertObservations, DurationsCountFromTheStartOfTheTrouble) {
  const AlertRule refresh = DurationRule(AlertCondition::kRefreshFailing, 30 * kMinuteMs);
  EXPECT_EQ(ObserveRefreshFailing(refresh, std::nullopt, kNow).met, false);
  EXPECT_EQ(ObserveRefreshFailing(refresh, kNow - 30 * kMinuteMs, kNow).met, false);
  EXPECT_EQ(ObserveRefreshFailing(refresh, kNow - 31 * kMinuteMs, kNow).met, true);

  const AlertRule missing = DurationRule(AlertCondition::kUsageMissing, 20 * kMinuteMs);
  EXPECT_EQ(ObserveUsageMissing(missing, kNow - 5 * kMinuteMs, kNow - 999 * kMinuteMs, kNow).met, false);
  EXPECT_EQ(ObserveUsageMissing(missing, kNow - 25 * kMinuteMs, kNow - 999 * kMinuteMs, kNow).met, true);
  // Never polled: counted from when the target became known, so a new account is not missing at once.
  EXPECT_EQ(ObserveUsageMissing(missing, std::nullopt, kNow - kMinuteMs, kNow).met, false);
  EXPECT_EQ(ObserveUsageMissing(missing, std::nullopt, kNow - 21 * kMinuteMs, kNow).met, true);

  const AlertRule lowered = DurationRule(AlertCondition::kQuotaLowered, 60 * kMinuteMs);
  EXPECT_EQ(ObserveQuotaLowered(lowered, std::nullopt, std::nullopt, kNow).met, false);
  AlertObservation o = ObserveQuotaLowered(lowered, kNow - 10 * kMinuteMs, 50'000, kNow);
  EXPECT_EQ(o.met, true);
  EXPECT_NE(o.summary.find("by 50000"), std::string::npos) << o.summary;
  EXPECT_EQ(ObserveQuotaLowered(lowered, kNow - 61 * kMinuteMs, 50'000, kNow).met, false);
}

TEST(AlertLifecycle, FiresOnceThenResolvesWithOneNoticeEach) {
  const AlertRule rule = HeadroomRule(0.2);
  AlertStep s = StepAlert(std::nullopt, rule, kTarget, NotMet(0.5), kNow);
  EXPECT_FALSE(s.next);
  EXPECT_EQ(s.notice, AlertNotice::kNone);

  s = StepAlert(std::nullopt, rule, kTarget, Met(0.1), kNow);
  ASSERT_TRUE(s.next);
  EXPECT_EQ(s.notice, AlertNotice::kFiring);
  Alert a = *s.next;
  EXPECT_EQ(a.key, AlertKey("r1", kTarget));
  EXPECT_EQ(a.state, AlertState::kFiring);
  EXPECT_EQ(a.started_at_ms, kNow);
  EXPECT_EQ(a.last_notified_at_ms, kNow);
  EXPECT_EQ(a.notifications, 1);
  EXPECT_EQ(a.pending_notice, AlertNotice::kFiring);
  EXPECT_EQ(a.pending_since_ms, kNow);

  // Still met, same figure: nothing to store, nothing to send (renotify is off).
  s = StepAlert(a, rule, kTarget, Met(0.1), kNow + 10 * kMinuteMs);
  EXPECT_FALSE(s.next);
  EXPECT_EQ(s.notice, AlertNotice::kNone);
  // Still met, new figure: stored, not sent.
  s = StepAlert(a, rule, kTarget, Met(0.05), kNow + 11 * kMinuteMs);
  ASSERT_TRUE(s.next);
  EXPECT_EQ(s.notice, AlertNotice::kNone);
  EXPECT_EQ(s.next->value, 0.05);
  a = *s.next;

  s = StepAlert(a, rule, kTarget, NotMet(0.4), kNow + 20 * kMinuteMs);
  ASSERT_TRUE(s.next);
  EXPECT_EQ(s.notice, AlertNotice::kResolved);
  EXPECT_EQ(s.next->state, AlertState::kResolved);
  EXPECT_EQ(s.next->resolved_at_ms, kNow + 20 * kMinuteMs);
  EXPECT_EQ(s.next->pending_notice, AlertNotice::kResolved);  // replaces the firing notice if still waiting
  a = *s.next;

  s = StepAlert(a, rule, kTarget, NotMet(0.4), kNow + 30 * kMinuteMs);
  EXPECT_FALSE(s.next);

  // A new firing of the same key starts over.
  s = StepAlert(a, rule, kTarget, Met(0.1), kNow + 40 * kMinuteMs);
  ASSERT_TRUE(s.next);
  EXPECT_EQ(s.notice, AlertNotice::kFiring);
  EXPECT_EQ(s.next->started_at_ms, kNow + 40 * kMinuteMs);
  EXPECT_EQ(s.next->resolved_at_ms, std::nullopt);
  EXPECT_EQ(s.next->notifications, 1);
}

TEST(AlertLifecycle, MissingDataNeitherStartsNorResolves) {
  const AlertRule rule = HeadroomRule(0.2);
  EXPECT_FALSE(StepAlert(std::nullopt, rule, kTarget, Unknown(), kNow).next);
  Alert firing = *StepAlert(std::nullopt, rule, kTarget, Met(0.1), kNow).next;
  AlertStep s = StepAlert(firing, rule, kTarget, Unknown(), kNow + kMinuteMs);
  EXPECT_FALSE(s.next);
  EXPECT_EQ(s.notice, AlertNotice::kNone);
}

TEST(AlertLifecycle, RenotifiesAfterTheIntervalUnlessAcknowledged) {
  AlertRule rule = HeadroomRule(0.2);
  rule.renotify_ms = 60 * kMinuteMs;
  Alert a = *StepAlert(std::nullopt, rule, kTarget, Met(0.1), kNow).next;
  EXPECT_EQ(StepAlert(a, rule, kTarget, Met(0.1), kNow + 59 * kMinuteMs).notice, AlertNotice::kNone);
  AlertStep s = StepAlert(a, rule, kTarget, Met(0.1), kNow + 60 * kMinuteMs);
  EXPECT_EQ(s.notice, AlertNotice::kRenotify);
  ASSERT_TRUE(s.next);
  EXPECT_EQ(s.next->notifications, 2);
  EXPECT_EQ(s.next->last_notified_at_ms, kNow + 60 * kMinuteMs);

  ASSERT_OK_AND_ASSIGN(Alert acked, AcknowledgeAlert(a, "admin", kNow + kMinuteMs));
  EXPECT_EQ(acked.acknowledged_by, "admin");
  EXPECT_EQ(StepAlert(acked, rule, kTarget, Met(0.1), kNow + 120 * kMinuteMs).notice, AlertNotice::kNone);
  // Resolution of an acknowledged, notified alert is still announced; the next firing clears the acknowledgement.
  s = StepAlert(acked, rule, kTarget, NotMet(0.5), kNow + 121 * kMinuteMs);
  EXPECT_EQ(s.notice, AlertNotice::kResolved);
  s = StepAlert(*s.next, rule, kTarget, Met(0.1), kNow + 122 * kMinuteMs);
  EXPECT_EQ(s.notice, AlertNotice::kFiring);
  EXPECT_EQ(s.next->acknowledged_by, "");
  EXPECT_EQ(s.next->acknowledged_at_ms, std::nullopt);
}

TEST(AlertLifecycle, MuteSuppressesUntilItEnds) {
  const AlertRule rule = HeadroomRule(0.2);
  Alert a = *StepAlert(std::nullopt, rule, kTarget, Met(0.1), kNow).next;
  a = *StepAlert(a, rule, kTarget, NotMet(0.5), kNow + kMinuteMs).next;
  ASSERT_OK_AND_ASSIGN(Alert muted, MuteAlert(a, kNow + 60 * kMinuteMs, kNow + 2 * kMinuteMs));
  // A firing while muted is stored but not announced, and neither is its resolution.
  AlertStep s = StepAlert(muted, rule, kTarget, Met(0.1), kNow + 3 * kMinuteMs);
  ASSERT_TRUE(s.next);
  EXPECT_EQ(s.notice, AlertNotice::kNone);
  EXPECT_EQ(s.next->last_notified_at_ms, std::nullopt);
  EXPECT_EQ(s.next->pending_notice, AlertNotice::kNone);
  Alert silent = *s.next;
  // Still firing when the mute ends: announced then, once.
  s = StepAlert(silent, rule, kTarget, Met(0.1), kNow + 61 * kMinuteMs);
  EXPECT_EQ(s.notice, AlertNotice::kFiring);
  // A muted firing that resolves before the mute ends was never announced: no resolution notice.
  s = StepAlert(silent, rule, kTarget, NotMet(0.5), kNow + 30 * kMinuteMs);
  EXPECT_EQ(s.notice, AlertNotice::kNone);
  EXPECT_EQ(s.next->state, AlertState::kResolved);
}

TEST(AlertLifecycle, DisabledRuleResolvesSilentlyAndNeverFires) {
  AlertRule rule = HeadroomRule(0.2);
  Alert a = *StepAlert(std::nullopt, rule, kTarget, Met(0.1), kNow).next;
  rule.enabled = false;
  AlertStep s = StepAlert(a, rule, kTarget, Met(0.1), kNow + kMinuteMs);
  ASSERT_TRUE(s.next);
  EXPECT_EQ(s.next->state, AlertState::kResolved);
  EXPECT_EQ(s.notice, AlertNotice::kNone);
  EXPECT_FALSE(StepAlert(std::nullopt, rule, kTarget, Met(0.1), kNow).next);
}

TEST(AlertOperations, AcknowledgeAndMuteCheckTheirArguments) {
  const AlertRule rule = HeadroomRule(0.2);
  Alert a = *StepAlert(std::nullopt, rule, kTarget, Met(0.1), kNow).next;
  Alert resolved = *StepAlert(a, rule, kTarget, NotMet(0.5), kNow + kMinuteMs).next;
  EXPECT_EQ(AcknowledgeAlert(resolved, "admin", kNow).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(MuteAlert(a, kNow, kNow).status().field(), "until");
  EXPECT_EQ(MuteAlert(a, kNow + kMaxAlertDurationMs + 1, kNow).status().field(), "until");
  ASSERT_OK_AND_ASSIGN(Alert muted, MuteAlert(a, kNow + kMinuteMs, kNow));
  EXPECT_EQ(muted.muted_until_ms, kNow + kMinuteMs);
  ASSERT_OK_AND_ASSIGN(Alert unmuted, MuteAlert(muted, std::nullopt, kNow));
  EXPECT_EQ(unmuted.muted_until_ms, std::nullopt);
}

}  // namespace
}  // namespace ap::domain
