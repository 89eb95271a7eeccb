#include "domain/quota_merge.h"

#include <gtest/gtest.h>

namespace ap::domain {
namespace {

QuotaSnapshot Old() {
  QuotaSnapshot s;
  s.account_id = "123456789012";
  s.region = "us-east-1";
  s.updated_at_ms = 10;
  QuotaValue tpm;
  tpm.quota_code = "L-27C57EE8";
  tpm.value = 400000;
  tpm.state = QuotaState::kOk;
  tpm.read_at_ms = tpm.attempted_at_ms = 10;
  QuotaValue untouched;
  untouched.quota_code = "L-00000000";
  untouched.value = 5;
  untouched.state = QuotaState::kOk;
  untouched.read_at_ms = 10;
  s.values = {untouched, tpm};
  return s;
}

ReadResult Ok(std::string code, double v, bool is_default = false) {
  return ReadResult{std::move(code), true, v, is_default, ""};
}
ReadResult Fail(std::string code) {
  return ReadResult{std::move(code), false, std::nullopt, false, "ThrottlingException: Rate exceeded"};
}

TEST(MergeReadResults, AFailedReadKeepsTheLastGoodValueAsStale) {
  MergeOutput out = MergeReadResults(Old(), {Fail("L-27C57EE8"), Fail("L-DB84CE56")}, 100);
  const QuotaValue* tpm = out.snapshot.Find("L-27C57EE8");
  ASSERT_NE(tpm, nullptr);
  EXPECT_EQ(tpm->value, 400000);
  EXPECT_EQ(tpm->state, QuotaState::kStale);
  EXPECT_EQ(tpm->read_at_ms, 10);
  EXPECT_EQ(tpm->attempted_at_ms, 100);
  EXPECT_EQ(tpm->reason, "ThrottlingException: Rate exceeded");
  const QuotaValue* rpm = out.snapshot.Find("L-DB84CE56");
  ASSERT_NE(rpm, nullptr);
  EXPECT_FALSE(rpm->value.has_value());  // never 0
  EXPECT_EQ(rpm->state, QuotaState::kError);
  ASSERT_EQ(out.history.size(), 2u);
  EXPECT_TRUE(out.changes.empty());
  // The code that was not read is untouched.
  EXPECT_EQ(out.snapshot.Find("L-00000000")->value, 5);
  EXPECT_EQ(out.snapshot.Find("L-00000000")->attempted_at_ms, 0);
}

TEST(MergeReadResults, SuccessReplacesAndReportsChanges) {
  MergeOutput out = MergeReadResults(Old(), {Ok("L-27C57EE8", 800000), Ok("L-DB84CE56", 200, true)}, 100);
  const QuotaValue* tpm = out.snapshot.Find("L-27C57EE8");
  EXPECT_EQ(tpm->value, 800000);
  EXPECT_EQ(tpm->state, QuotaState::kOk);
  EXPECT_EQ(tpm->read_at_ms, 100);
  EXPECT_TRUE(out.snapshot.Find("L-DB84CE56")->is_default);
  ASSERT_EQ(out.changes.size(), 1u);
  EXPECT_EQ(out.changes[0].previous_value, 400000);
  EXPECT_EQ(out.changes[0].value, 800000);
  EXPECT_EQ(out.snapshot.updated_at_ms, 100);
  EXPECT_TRUE(std::is_sorted(out.snapshot.values.begin(), out.snapshot.values.end(),
                             [](const QuotaValue& a, const QuotaValue& b) { return a.quota_code < b.quota_code; }));
}

TEST(MergeReadResults, RecoveryWithANewValueCountsAsAChange) {
  MergeOutput stale = MergeReadResults(Old(), {Fail("L-27C57EE8")}, 100);
  MergeOutput back = MergeReadResults(stale.snapshot, {Ok("L-27C57EE8", 500000)}, 200);
  ASSERT_EQ(back.history.size(), 1u);
  EXPECT_EQ(back.history[0].event, QuotaEvent::kRecovered);
  EXPECT_EQ(back.changes.size(), 1u);
  MergeOutput same = MergeReadResults(stale.snapshot, {Ok("L-27C57EE8", 400000)}, 200);
  EXPECT_TRUE(same.changes.empty());
  EXPECT_EQ(same.snapshot.Find("L-27C57EE8")->reason, "");
}

TEST(MergeReadResults, ALowerValueRecordsTheLargestDecreaseAndKeepsIt) {
  MergeOutput raised = MergeReadResults(Old(), {Ok("L-27C57EE8", 800000)}, 100);
  EXPECT_FALSE(raised.snapshot.last_lowered.has_value()) << "a raise is not a decrease";

  MergeOutput lowered = MergeReadResults(Old(), {Ok("L-27C57EE8", 300000), Ok("L-00000000", 1)}, 200);
  ASSERT_TRUE(lowered.snapshot.last_lowered.has_value());
  EXPECT_EQ(*lowered.snapshot.last_lowered, (QuotaLowered{200, "L-27C57EE8", 400000, 300000}));

  // Kept by later refreshes that lower nothing (a failure, the same value, a raise).
  MergeOutput later = MergeReadResults(lowered.snapshot, {Fail("L-27C57EE8")}, 300);
  later = MergeReadResults(later.snapshot, {Ok("L-27C57EE8", 900000), Ok("L-00000000", 1)}, 400);
  EXPECT_EQ(later.snapshot.last_lowered, lowered.snapshot.last_lowered);

  // A first read is not a decrease; a new decrease replaces the record.
  MergeOutput again = MergeReadResults(later.snapshot, {Ok("L-00000000", 0.5), Ok("L-NEW", 1)}, 500);
  EXPECT_EQ(again.snapshot.last_lowered, (QuotaLowered{500, "L-00000000", 1, 0.5}));
}

}  // namespace
}  // namespace ap::domain

namespace ap::domain {
namespace {

// Issue 16 §2: AWS's default beside the value. Replaced only when read this time; with is_default the value is it.
TEST(MergeReadResults, KeepsAwsDefaultUnlessReadAgain) {
  QuotaSnapshot old = Old();
  ReadResult beside = Ok("L-27C57EE8", 500000);
  beside.aws_default = 200000;
  MergeOutput first = MergeReadResults(old, {beside}, 20);
  const QuotaValue* v = first.snapshot.Find("L-27C57EE8");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->aws_default, 200000);
  EXPECT_EQ(v->aws_default_read_at_ms, 20);
  EXPECT_FALSE(first.snapshot.Find("L-00000000")->aws_default.has_value()) << "never read: null, not 0";

  MergeOutput again = MergeReadResults(first.snapshot, {Ok("L-27C57EE8", 600000)}, 30);
  EXPECT_EQ(again.snapshot.Find("L-27C57EE8")->aws_default, 200000);
  EXPECT_EQ(again.snapshot.Find("L-27C57EE8")->aws_default_read_at_ms, 20);

  MergeOutput failed = MergeReadResults(again.snapshot, {Fail("L-27C57EE8")}, 40);
  EXPECT_EQ(failed.snapshot.Find("L-27C57EE8")->aws_default, 200000);

  MergeOutput as_default = MergeReadResults(failed.snapshot, {Ok("L-27C57EE8", 250000, /*is_default=*/true)}, 50);
  EXPECT_EQ(as_default.snapshot.Find("L-27C57EE8")->aws_default, 250000);
  EXPECT_EQ(as_default.snapshot.Find("L-27C57EE8")->aws_default_read_at_ms, 50);
}

}  // namespace
}  // namespace ap::domain
