#include "domain/quota_history.h"

#include <gtest/gtest.h>

namespace ap::domain {
namespace {

QuotaValue V(std::optional<double> value, QuotaState state, bool is_default = false) {
  QuotaValue v;
  v.quota_code = "L-27C57EE8";
  v.value = value;
  v.state = state;
  v.is_default = is_default;
  v.attempted_at_ms = 77;
  if (state == QuotaState::kStale || state == QuotaState::kError) v.reason = "ThrottlingException: slow down";
  return v;
}

std::optional<QuotaEvent> EventOf(const QuotaValue* old_value, const QuotaValue& next) {
  auto e = HistoryEntryFor("123456789012", "us-east-1", old_value, next);
  if (!e) return std::nullopt;
  return e->event;
}

TEST(HistoryEntryFor, ClassifiesEveryTransition) {
  QuotaValue ok1 = V(100, QuotaState::kOk), ok2 = V(200, QuotaState::kOk);
  QuotaValue stale = V(100, QuotaState::kStale), error = V(std::nullopt, QuotaState::kError);
  EXPECT_EQ(EventOf(nullptr, ok1), QuotaEvent::kFirstRead);
  EXPECT_EQ(EventOf(&error, ok1), QuotaEvent::kFirstRead);
  EXPECT_EQ(EventOf(&ok1, ok2), QuotaEvent::kChanged);
  EXPECT_EQ(EventOf(&ok1, V(100, QuotaState::kOk, true)), QuotaEvent::kChanged);  // applied → default
  EXPECT_EQ(EventOf(&ok1, ok1), std::nullopt);                                    // nothing new
  EXPECT_EQ(EventOf(&ok1, stale), QuotaEvent::kBecameStale);
  EXPECT_EQ(EventOf(&stale, stale), std::nullopt);
  EXPECT_EQ(EventOf(&stale, ok1), QuotaEvent::kRecovered);
  EXPECT_EQ(EventOf(nullptr, error), QuotaEvent::kFailed);
  EXPECT_EQ(EventOf(&error, error), std::nullopt);
}

TEST(HistoryEntryFor, CarriesValuesAndReason) {
  QuotaValue ok1 = V(100, QuotaState::kOk), ok2 = V(250, QuotaState::kOk);
  auto changed = HistoryEntryFor("123456789012", "us-east-1", &ok1, ok2);
  ASSERT_TRUE(changed.has_value());
  EXPECT_EQ(changed->previous_value, 100);
  EXPECT_EQ(changed->value, 250);
  EXPECT_EQ(changed->at_ms, 77);
  auto failed = HistoryEntryFor("123456789012", "us-east-1", nullptr, V(std::nullopt, QuotaState::kError));
  ASSERT_TRUE(failed.has_value());
  EXPECT_FALSE(failed->value.has_value());
  EXPECT_EQ(failed->reason, "ThrottlingException: slow down");
}

TEST(HistoryId, IsTheTimeInFixedWidthHexThenTheCodeAndSortsByTime) {
  EXPECT_EQ(HistoryId(0, "L-1"), "h_0000000000000L-1");
  EXPECT_EQ(HistoryId(1733400000000, "L-27C57EE8"), "h_0019396b0f600L-27C57EE8");
  EXPECT_LT(HistoryId(9, "L-Z"), HistoryId(10, "L-A"));  // time first, whatever the code
  EXPECT_LT(HistoryId(0xfff, "L-1"), HistoryId(0x1000, "L-1"));
  EXPECT_LT(HistoryId(10, "L-A"), HistoryId(10, "L-B"));
}

TEST(HistoryEntryFor, GivesTheEntryItsId) {
  QuotaValue next = V(5.0, QuotaState::kOk);
  auto e = HistoryEntryFor("123456789012", "us-east-1", nullptr, next);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->history_id, HistoryId(77, "L-27C57EE8"));
}

}  // namespace
}  // namespace ap::domain
