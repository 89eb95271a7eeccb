// AlertEvaluator on a real in-memory SqliteStore with a fake clock, a thread-safe scripted webhook poster and an
// in-memory channel directory: a threshold crossing notifies once (also with two evaluators racing on one store),
// recovery sends a resolved notice, a mute silences, renotification after the interval, a failing channel keeps
// the notice pending for the sweeper (which delivers it later with the same delivery id), and no data changes
// nothing.
#include "alert_fixture.h"

namespace ap::service {
namespace {

using namespace testing_alerts;  // NOLINT(google-build-using-namespace): the alert tests' fixture
using domain::Alert;
using domain::AlertNotice;
using std::chrono::minutes;
using std::chrono::seconds;

TEST_F(AlertEvaluatorTest, ThresholdCrossedNotifiesOnce) {
  PutRule();
  PutUsage(900);  // headroom 10 % < 20 %
  ASSERT_OK_AND_ASSIGN(AlertEvaluation first, Evaluate(*a_));
  EXPECT_EQ(first.notices, 1);
  EXPECT_EQ(first.delivered, 1);
  ASSERT_EQ(poster_.Sent().size(), 1u);
  EXPECT_NE(poster_.Sent()[0].body.find(R"("state":"firing")"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(Alert alert, Stored());
  EXPECT_EQ(alert.state, domain::AlertState::kFiring);
  EXPECT_EQ(alert.pending_notice, AlertNotice::kNone);
  ASSERT_EQ(alert.deliveries.size(), 1u);
  EXPECT_TRUE(alert.deliveries[0].delivered);
  EXPECT_EQ(alert.deliveries[0].attempts, 1);
  EXPECT_EQ(alert.notifications, 1);

  // Still over the threshold: no second notice, from either instance.
  clock_.Advance(minutes(1));
  ASSERT_OK_AND_ASSIGN(AlertEvaluation again, Evaluate(*b_));
  EXPECT_EQ(again.notices, 0);
  EXPECT_EQ(poster_.Sent().size(), 1u);
}

TEST_F(AlertEvaluatorTest, TwoEvaluatorsRacingNotifyOnce) {
  PutRule();
  PutUsage(900);
  for (int round = 0; round < 20; ++round) {
    testing::Latch go;
    Result<AlertEvaluation> ra = Internal("not run"), rb = Internal("not run");
    std::thread ta([&] {
      go.Wait();
      ra = Evaluate(*a_);
    });
    std::thread tb([&] {
      go.Wait();
      rb = Evaluate(*b_);
    });
    go.Notify();
    ta.join();
    tb.join();
    ASSERT_OK(ra.status());
    ASSERT_OK(rb.status());
    if (round == 0) EXPECT_EQ(ra->notices + rb->notices, 1);
    ASSERT_EQ(poster_.Sent().size(), 1u) << "round " << round;
  }
  ASSERT_OK_AND_ASSIGN(Alert alert, Stored());
  EXPECT_EQ(alert.notifications, 1);
}

TEST_F(AlertEvaluatorTest, RecoverySendsResolved) {
  PutRule();
  PutUsage(900);
  ASSERT_OK(Evaluate(*a_).status());
  clock_.Advance(minutes(5));
  PutUsage(100);  // headroom 90 %
  ASSERT_OK_AND_ASSIGN(AlertEvaluation e, Evaluate(*a_));
  EXPECT_EQ(e.notices, 1);
  auto sent = poster_.Sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent[1].body.find(R"("state":"resolved")"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(Alert alert, Stored());
  EXPECT_EQ(alert.state, domain::AlertState::kResolved);
  EXPECT_EQ(alert.pending_notice, AlertNotice::kNone);
  ASSERT_EQ(alert.deliveries.size(), 1u);
  EXPECT_EQ(alert.deliveries[0].notice, AlertNotice::kResolved);
}

TEST_F(AlertEvaluatorTest, MutedAlertSendsNothing) {
  PutRule();
  PutUsage(900);
  ASSERT_OK(Evaluate(*a_).status());
  ASSERT_EQ(poster_.Sent().size(), 1u);
  ASSERT_OK_AND_ASSIGN(Alert alert, Stored());
  ASSERT_OK_AND_ASSIGN(Alert muted,
                       domain::MuteAlert(alert, clock_.NowUnixMillis() + 3'600'000, clock_.NowUnixMillis()));
  ASSERT_OK(store_->PutAlert(muted, alert.revision).status());

  clock_.Advance(minutes(5));
  PutUsage(100);
  ASSERT_OK_AND_ASSIGN(AlertEvaluation e, Evaluate(*a_));
  EXPECT_EQ(e.notices, 0);
  EXPECT_EQ(poster_.Sent().size(), 1u);
  ASSERT_OK_AND_ASSIGN(Alert after, Stored());
  EXPECT_EQ(after.state, domain::AlertState::kResolved);
}

TEST_F(AlertEvaluatorTest, RenotifiesAfterTheInterval) {
  PutRule(/*renotify_ms=*/int64_t{10} * 60 * 1000);
  PutUsage(900);
  ASSERT_OK(Evaluate(*a_).status());
  clock_.Advance(minutes(9));
  ASSERT_OK(Evaluate(*b_).status());
  EXPECT_EQ(poster_.Sent().size(), 1u);
  clock_.Advance(minutes(1));
  ASSERT_OK_AND_ASSIGN(AlertEvaluation e, Evaluate(*b_));
  EXPECT_EQ(e.notices, 1);
  ASSERT_EQ(poster_.Sent().size(), 2u);
  ASSERT_OK_AND_ASSIGN(Alert alert, Stored());
  EXPECT_EQ(alert.notifications, 2);
  EXPECT_EQ(alert.deliveries[0].notice, AlertNotice::kRenotify);
}

TEST_F(AlertEvaluatorTest, FailingChannelLeavesTheNoticeToTheSweeper) {
  PutRule();
  PutUsage(900);
  poster_.Answer(503);
  ASSERT_OK_AND_ASSIGN(AlertEvaluation e, Evaluate(*a_));
  EXPECT_EQ(e.notices, 1);
  EXPECT_EQ(e.delivered, 0);
  ASSERT_OK_AND_ASSIGN(Alert alert, Stored());
  EXPECT_EQ(alert.pending_notice, AlertNotice::kFiring);
  ASSERT_EQ(alert.deliveries.size(), 1u);
  EXPECT_FALSE(alert.deliveries[0].delivered);
  EXPECT_EQ(alert.deliveries[0].attempts, 1);
  EXPECT_EQ(alert.deliveries[0].http_status, std::optional<int>(503));
  EXPECT_FALSE(alert.deliveries[0].error.empty());

  // Within the grace period the sweeper leaves it alone.
  ASSERT_OK_AND_ASSIGN(int64_t none, b_->evaluator.DeliverPending());
  EXPECT_EQ(none, 0);
  EXPECT_EQ(poster_.Sent().size(), 1u);

  clock_.Advance(seconds(61));
  ASSERT_OK_AND_ASSIGN(int64_t swept, b_->evaluator.DeliverPending());
  EXPECT_EQ(swept, 1);
  auto sent = poster_.Sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(HeaderOf(sent[0], "X-AP-Delivery"), HeaderOf(sent[1], "X-AP-Delivery"));
  EXPECT_FALSE(HeaderOf(sent[1], "X-AP-Delivery").empty());
  ASSERT_OK_AND_ASSIGN(Alert after, Stored());
  EXPECT_EQ(after.pending_notice, AlertNotice::kNone);
  EXPECT_TRUE(after.deliveries[0].delivered);
  EXPECT_EQ(after.deliveries[0].attempts, 2);

  // Nothing left for the sweeper.
  clock_.Advance(seconds(61));
  ASSERT_OK_AND_ASSIGN(int64_t nothing, a_->evaluator.DeliverPending());
  EXPECT_EQ(nothing, 0);
  EXPECT_EQ(poster_.Sent().size(), 2u);
}

TEST_F(AlertEvaluatorTest, LeaseHeldByAnotherInstanceSkipsDelivery) {
  PutRule();
  PutUsage(900);
  poster_.Answer(503);
  ASSERT_OK(Evaluate(*a_).status());
  clock_.Advance(seconds(61));
  ASSERT_OK(store_->AcquireLease("alert-delivery/" + Key(), "instance-c", clock_.NowUnixMillis(), 60'000).status());
  ASSERT_OK_AND_ASSIGN(int64_t swept, b_->evaluator.DeliverPending());
  EXPECT_EQ(swept, 0);
  EXPECT_EQ(poster_.Sent().size(), 1u);
  ASSERT_OK_AND_ASSIGN(Alert alert, Stored());
  EXPECT_EQ(alert.pending_notice, AlertNotice::kFiring);
}

TEST_F(AlertEvaluatorTest, NoDataChangesNothing) {
  PutRule();
  ASSERT_OK_AND_ASSIGN(AlertEvaluation none, Evaluate(*a_));  // no usage snapshot at all
  EXPECT_EQ(none.written, 0);
  EXPECT_EQ(Stored().status().code(), StatusCode::kNotFound);

  PutUsage(900, store::UsageState::kStale);  // the last poll failed: the figures are not current
  ASSERT_OK_AND_ASSIGN(AlertEvaluation stale, Evaluate(*a_));
  EXPECT_EQ(stale.written, 0);
  EXPECT_EQ(Stored().status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(poster_.Sent().empty());
}

TEST_F(AlertEvaluatorTest, RefreshFailingFiresAfterItsDurationAndResolves) {
  AlertRule rule;
  rule.id = "ru_2";
  rule.name = "Refresh failing";
  rule.condition = domain::AlertCondition::kRefreshFailing;
  rule.duration_ms = int64_t{30} * 60 * 1000;
  rule.channel_ids = {"ch1"};
  rule.version = 1;
  ASSERT_OK(store_->PutAlertRule(rule, 0));
  const std::string key = domain::AlertKey("ru_2", domain::AlertTarget{kAccount, kRegion, ""});

  ASSERT_OK(Evaluate(*a_).status());  // no quota snapshot: unknown
  EXPECT_EQ(store_->GetAlert(key).status().code(), StatusCode::kNotFound);

  domain::QuotaSnapshot q;
  q.account_id = kAccount;
  q.region = kRegion;
  domain::QuotaValue v;
  v.quota_code = "L-27C57EE8";
  v.value = 1000;
  v.state = domain::QuotaState::kStale;
  v.reason = "throttled";
  v.read_at_ms = clock_.NowUnixMillis() - 3'600'000;
  v.attempted_at_ms = clock_.NowUnixMillis();
  q.values = {v};
  q.updated_at_ms = clock_.NowUnixMillis();
  ASSERT_OK(store_->PutQuotaSnapshot(q));

  clock_.Advance(minutes(29));
  ASSERT_OK(Evaluate(*a_).status());  // failing for 29 minutes: not yet
  EXPECT_TRUE(poster_.Sent().empty());

  clock_.Advance(minutes(2));
  ASSERT_OK_AND_ASSIGN(AlertEvaluation fired, Evaluate(*b_));
  EXPECT_EQ(fired.notices, 1);
  ASSERT_EQ(poster_.Sent().size(), 1u);
  ASSERT_OK_AND_ASSIGN(Alert firing, store_->GetAlert(key));
  EXPECT_EQ(firing.state, domain::AlertState::kFiring);

  v.state = domain::QuotaState::kOk;
  v.reason.clear();
  v.read_at_ms = clock_.NowUnixMillis();
  q.values = {v};
  q.updated_at_ms = clock_.NowUnixMillis();
  ASSERT_OK(store_->PutQuotaSnapshot(q));
  ASSERT_OK(Evaluate(*a_).status());
  ASSERT_EQ(poster_.Sent().size(), 2u);
  ASSERT_OK_AND_ASSIGN(Alert resolved, store_->GetAlert(key));
  EXPECT_EQ(resolved.state, domain::AlertState::kResolved);
}

TEST_F(AlertEvaluatorTest, UsageMissingFiresForANeverPolledAccountAndResolvesOnAPoll) {
  AlertRule rule;
  rule.id = "ru_3";
  rule.name = "Usage missing";
  rule.condition = domain::AlertCondition::kUsageMissing;
  rule.duration_ms = int64_t{30} * 60 * 1000;
  rule.channel_ids = {"ch1"};
  rule.version = 1;
  ASSERT_OK(store_->PutAlertRule(rule, 0));
  const std::string key = domain::AlertKey("ru_3", domain::AlertTarget{kAccount, kRegion, ""});

  ASSERT_OK(Evaluate(*a_).status());  // the account was created an hour ago and never polled
  ASSERT_OK_AND_ASSIGN(Alert firing, store_->GetAlert(key));
  EXPECT_EQ(firing.state, domain::AlertState::kFiring);
  ASSERT_EQ(poster_.Sent().size(), 1u);

  PutUsage(100);
  ASSERT_OK(Evaluate(*a_).status());
  ASSERT_OK_AND_ASSIGN(Alert resolved, store_->GetAlert(key));
  EXPECT_EQ(resolved.state, domain::AlertState::kResolved);
  EXPECT_EQ(poster_.Sent().size(), 2u);
}

TEST_F(AlertEvaluatorTest, UnknownAccountIsNotFound) {
  PutRule();
  EXPECT_EQ(a_->evaluator.EvaluateAccountRegion("210987654321", kRegion).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace ap::service
