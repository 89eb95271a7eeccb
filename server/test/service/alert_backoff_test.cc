// AlertEvaluator's per-channel back-off and giving up (next_retry_at_ms persisted in the alert's deliveries), and
// the quota_lowered condition from the quota snapshot's last_lowered.
#include "alert_fixture.h"

namespace ap::service {
namespace {

using namespace testing_alerts;  // NOLINT(google-build-using-namespace): the alert tests' fixture
using domain::Alert;
using domain::AlertNotice;
using std::chrono::minutes;
using std::chrono::seconds;

class AlertBackoffTest : public AlertEvaluatorTest {
 protected:
  // An instance that gives up after `attempts` attempts at one notice.
  std::unique_ptr<Instance> WithMaxAttempts(int64_t attempts) {
    AlertEvaluatorOptions o;
    o.max_delivery_attempts = attempts;
    return std::make_unique<Instance>(*store_, channels_, poster_, clock_, "instance-c", 3, o);
  }
};

TEST_F(AlertBackoffTest, AFailedDeliveryBacksOffAndTheSweeperWaitsForIt) {
  PutRule();
  PutUsage(900);
  poster_.Answer(503);
  ASSERT_OK(Evaluate(*a_).status());
  ASSERT_OK_AND_ASSIGN(Alert alert, Stored());
  ASSERT_EQ(alert.deliveries.size(), 1u);
  // One attempt (the instance's sender tries once): the next after Backoff(1) = 1 s.
  EXPECT_EQ(alert.deliveries[0].next_retry_at_ms, std::optional<int64_t>(clock_.NowUnixMillis() + 1000));

  clock_.Advance(seconds(61));
  poster_.Answer(503);
  ASSERT_OK_AND_ASSIGN(int64_t swept, b_->evaluator.DeliverPending());
  EXPECT_EQ(swept, 0);
  ASSERT_EQ(poster_.Sent().size(), 2u);
  ASSERT_OK_AND_ASSIGN(alert, Stored());
  EXPECT_EQ(alert.deliveries[0].attempts, 2);
  // Grown with the attempts: Backoff(2) = 4 s.
  EXPECT_EQ(alert.deliveries[0].next_retry_at_ms, std::optional<int64_t>(clock_.NowUnixMillis() + 4000));
  EXPECT_EQ(alert.pending_notice, AlertNotice::kFiring);

  clock_.Advance(seconds(3));  // not yet due: skipped (no attempt)
  ASSERT_OK(b_->evaluator.DeliverPending().status());
  ASSERT_OK(b_->evaluator.DeliverAlert(Key()).status());
  EXPECT_EQ(poster_.Sent().size(), 2u);

  clock_.Advance(seconds(1));  // due
  ASSERT_OK_AND_ASSIGN(swept, b_->evaluator.DeliverPending());
  EXPECT_EQ(swept, 1);
  ASSERT_EQ(poster_.Sent().size(), 3u);
  ASSERT_OK_AND_ASSIGN(alert, Stored());
  EXPECT_TRUE(alert.deliveries[0].delivered);
  EXPECT_FALSE(alert.deliveries[0].next_retry_at_ms.has_value());
  EXPECT_EQ(alert.pending_notice, AlertNotice::kNone);
}

TEST_F(AlertBackoffTest, GivesUpAfterTheAttemptsAndRecordsTheFailure) {
  auto c = WithMaxAttempts(2);
  PutRule();
  PutUsage(900);
  poster_.Answer(500);
  ASSERT_OK(Evaluate(*c).status());
  clock_.Advance(seconds(61));
  poster_.Answer(500);
  ASSERT_OK(c->evaluator.DeliverPending().status());
  ASSERT_OK_AND_ASSIGN(Alert alert, Stored());
  EXPECT_EQ(alert.pending_notice, AlertNotice::kNone) << "given up: the outbox is cleared";
  ASSERT_EQ(alert.deliveries.size(), 1u);
  EXPECT_FALSE(alert.deliveries[0].delivered);
  EXPECT_EQ(alert.deliveries[0].attempts, 2);
  EXPECT_EQ(alert.deliveries[0].http_status, std::optional<int>(500));
  EXPECT_NE(alert.deliveries[0].error.find("gave up after 2 attempts"), std::string::npos) << alert.deliveries[0].error;
  EXPECT_FALSE(alert.deliveries[0].next_retry_at_ms.has_value());

  clock_.Advance(minutes(10));
  ASSERT_OK(c->evaluator.DeliverPending().status());
  EXPECT_EQ(poster_.Sent().size(), 2u);
}

TEST_F(AlertBackoffTest, GivesUpOnceTheNoticeIsTooOld) {
  AlertEvaluatorOptions o;
  o.max_delivery_age_ms = 120'000;
  Instance c(*store_, channels_, poster_, clock_, "instance-c", 3, o);
  PutRule();
  PutUsage(900);
  poster_.Answer(503);
  ASSERT_OK(Evaluate(c).status());
  clock_.Advance(seconds(121));
  poster_.Answer(503);
  ASSERT_OK(c.evaluator.DeliverPending().status());
  ASSERT_OK_AND_ASSIGN(Alert alert, Stored());
  EXPECT_EQ(alert.pending_notice, AlertNotice::kNone);
  EXPECT_NE(alert.deliveries[0].error.find("gave up"), std::string::npos);
}

TEST_F(AlertBackoffTest, ARejectingChannelIsNotRetriedWhileAnotherBacksOff) {
  domain::AlertChannel ch2;
  ch2.id = "ch2";
  ch2.kind = domain::AlertChannelKind::kWebhook;
  ch2.name = "second";
  ch2.url = "https://hooks.example.com/two";
  channels_.Put(ch2);
  rule_.channel_ids = {"ch1", "ch2"};
  rule_.id = "ru_1";
  rule_.name = "TPM low";
  rule_.condition = domain::AlertCondition::kHeadroomBelow;
  rule_.threshold = 0.2;
  rule_.version = 1;
  ASSERT_OK(store_->PutAlertRule(rule_, 0));
  PutUsage(900);
  poster_.Answer(400);  // ch1: rejected, final
  poster_.Answer(503);  // ch2: retryable
  ASSERT_OK(Evaluate(*a_).status());
  clock_.Advance(seconds(61));
  ASSERT_OK_AND_ASSIGN(int64_t swept, a_->evaluator.DeliverPending());
  EXPECT_EQ(swept, 1);
  auto sent = poster_.Sent();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[2].url, "https://hooks.example.com/two");
  ASSERT_OK_AND_ASSIGN(Alert alert, Stored());
  EXPECT_EQ(alert.pending_notice, AlertNotice::kNone);
  ASSERT_EQ(alert.deliveries.size(), 2u);
  EXPECT_FALSE(alert.deliveries[0].delivered);
  EXPECT_EQ(alert.deliveries[0].http_status, std::optional<int>(400));
  EXPECT_TRUE(alert.deliveries[1].delivered);
}

TEST_F(AlertBackoffTest, TheSweeperSeesPastAPageOfAlertsBackingOff) {
  AlertEvaluatorOptions o;
  o.sweep_limit = 1;
  Instance c(*store_, channels_, poster_, clock_, "instance-c", 3, o);
  PutRule();
  PutUsage(900);
  poster_.Answer(503, "3600");  // the oldest alert backs off for an hour
  ASSERT_OK(Evaluate(c).status());
  ASSERT_OK_AND_ASSIGN(Alert oldest, Stored());
  EXPECT_EQ(oldest.deliveries[0].next_retry_at_ms, std::optional<int64_t>(clock_.NowUnixMillis() + 3'600'000));

  // A newer notice left by an instance that died before delivering it.
  clock_.Advance(seconds(1));
  Alert orphan;
  orphan.rule_id = "ru_1";
  orphan.target = domain::AlertTarget{kAccount, "eu-west-1", kModel};
  orphan.key = domain::AlertKey("ru_1", orphan.target);
  orphan.started_at_ms = clock_.NowUnixMillis();
  orphan.pending_notice = AlertNotice::kFiring;
  orphan.pending_since_ms = clock_.NowUnixMillis();
  ASSERT_OK(store_->PutAlert(orphan, 0).status());

  clock_.Advance(seconds(61));
  ASSERT_OK_AND_ASSIGN(int64_t swept, c.evaluator.DeliverPending());
  EXPECT_EQ(swept, 1);
  ASSERT_EQ(poster_.Sent().size(), 2u);
  ASSERT_OK_AND_ASSIGN(Alert after, store_->GetAlert(orphan.key));
  EXPECT_EQ(after.pending_notice, AlertNotice::kNone);
  ASSERT_OK_AND_ASSIGN(Alert still, Stored());
  EXPECT_EQ(still.pending_notice, AlertNotice::kFiring) << "still backing off";
}

TEST_F(AlertBackoffTest, QuotaLoweredFiresFromTheSnapshotAndResolvesAfterItsDuration) {
  AlertRule rule;
  rule.id = "ru_low";
  rule.name = "quota lowered";
  rule.condition = domain::AlertCondition::kQuotaLowered;
  rule.duration_ms = 3'600'000;
  rule.channel_ids = {"ch1"};
  rule.version = 1;
  ASSERT_OK(store_->PutAlertRule(rule, 0));
  const std::string key = domain::AlertKey("ru_low", domain::AlertTarget{kAccount, kRegion, ""});

  domain::QuotaSnapshot s;
  s.account_id = kAccount;
  s.region = kRegion;
  s.updated_at_ms = clock_.NowUnixMillis();
  ASSERT_OK(store_->PutQuotaSnapshot(s));
  ASSERT_OK(Evaluate(*a_).status());
  EXPECT_EQ(store_->GetAlert(key).status().code(), StatusCode::kNotFound) << "no decrease seen: not met";

  s.last_lowered = domain::QuotaLowered{clock_.NowUnixMillis(), "L-TPM", 1000, 600};
  ASSERT_OK(store_->PutQuotaSnapshot(s));
  clock_.Advance(minutes(1));
  ASSERT_OK_AND_ASSIGN(AlertEvaluation e, Evaluate(*a_));
  EXPECT_EQ(e.notices, 1);
  ASSERT_OK_AND_ASSIGN(Alert alert, store_->GetAlert(key));
  EXPECT_EQ(alert.state, domain::AlertState::kFiring);
  EXPECT_EQ(alert.value, std::optional<double>(400));
  EXPECT_NE(alert.summary.find("L-TPM"), std::string::npos) << alert.summary;
  ASSERT_EQ(poster_.Sent().size(), 1u);

  clock_.Advance(minutes(60));
  ASSERT_OK(Evaluate(*b_).status());
  ASSERT_OK_AND_ASSIGN(alert, store_->GetAlert(key));
  EXPECT_EQ(alert.state, domain::AlertState::kResolved);
  EXPECT_EQ(poster_.Sent().size(), 2u);
}

}  // namespace
}  // namespace ap::service
