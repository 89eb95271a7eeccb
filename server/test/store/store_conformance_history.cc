// Conformance: quota history (quota_history_store.h).
#include <gtest/gtest.h>

#include "status_matchers.h"
#include "store_conformance.h"

namespace ap::store::testing {
namespace {

using domain::QuotaEvent;
using domain::QuotaHistoryEntry;
using domain::QuotaState;

QuotaHistoryEntry Entry(std::string code, int64_t at, QuotaEvent event, std::optional<double> value,
                        std::optional<double> previous = std::nullopt, std::string region = "us-east-1") {
  QuotaHistoryEntry e;
  e.account_id = "111111111111";
  e.region = std::move(region);
  e.quota_code = std::move(code);
  e.at_ms = at;
  e.event = event;
  e.value = value;
  e.previous_value = previous;
  e.state = value ? QuotaState::kOk : QuotaState::kError;
  if (!value) e.reason = "AccessDeniedException: no";
  return e;
}

TEST_P(StoreConformance, QuotaHistoryRoundTripsInTimeOrder) {
  EXPECT_OK(store().AppendQuotaHistory({}));
  QuotaHistoryFilter f;
  f.account_id = "111111111111";
  f.region = "us-east-1";
  auto none = store().ListQuotaHistory(f);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
  std::vector<QuotaHistoryEntry> in = {Entry("L-00000001", 30, QuotaEvent::kChanged, 20.0, 10.0),
                                       Entry("L-00000001", 10, QuotaEvent::kFirstRead, 10.0),
                                       Entry("L-00000002", 20, QuotaEvent::kFailed, std::nullopt),
                                       Entry("L-00000001", 40, QuotaEvent::kFirstRead, 5.0, std::nullopt, "eu-west-1")};
  in[2].is_default = true;
  ASSERT_OK(store().AppendQuotaHistory(in));
  auto all = store().ListQuotaHistory(f);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].at_ms, 10);
  EXPECT_EQ((*all)[1].at_ms, 20);
  EXPECT_EQ((*all)[2].at_ms, 30);
  EXPECT_GT((*all)[0].seq, 0);
  // Every field round-trips; absent stays absent (never 0).
  QuotaHistoryEntry want = in[2];
  want.seq = (*all)[1].seq;
  EXPECT_EQ((*all)[1], want);
  EXPECT_FALSE((*all)[1].value.has_value());
  EXPECT_EQ((*all)[2].previous_value, 10.0);
  f.quota_codes = {"L-00000002"};
  auto one = store().ListQuotaHistory(f);
  ASSERT_OK(one);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].event, QuotaEvent::kFailed);
  f.quota_codes.clear();
  f.limit = 2;  // the newest two, oldest first
  auto newest = store().ListQuotaHistory(f);
  ASSERT_OK(newest);
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ((*newest)[0].at_ms, 20);
  EXPECT_EQ((*newest)[1].at_ms, 30);
  f.limit = 0;
  EXPECT_FALSE(store().ListQuotaHistory(f).ok());
}

}  // namespace
}  // namespace ap::store::testing
