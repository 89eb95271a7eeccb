// Conformance: quota history (quota_history_store.h).
#include <gtest/gtest.h>

#include <cmath>

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
  e.history_id = domain::HistoryId(at, e.quota_code);
  return e;
}

std::vector<int64_t> Times(const std::vector<QuotaHistoryEntry>& entries) {
  std::vector<int64_t> out;
  for (const auto& e : entries) out.push_back(e.at_ms);
  return out;
}

QuotaHistoryFilter Of(std::string region = "us-east-1") {
  QuotaHistoryFilter f;
  f.account_id = "111111111111";
  f.region = std::move(region);
  return f;
}

TEST_P(StoreConformance, QuotaHistoryRoundTripsInTimeOrder) {
  EXPECT_OK(store().AppendQuotaHistory({}));
  QuotaHistoryFilter f;
  f.account_id = "111111111111";
  f.region = "us-east-1";
  auto none = store().ListQuotaHistory(f);
  ASSERT_OK(none);
  EXPECT_TRUE(none->items.empty());
  EXPECT_TRUE(none->next.empty());
  std::vector<QuotaHistoryEntry> in = {Entry("L-00000001", 30, QuotaEvent::kChanged, 20.0, 10.0),
                                       Entry("L-00000001", 10, QuotaEvent::kFirstRead, 10.0),
                                       Entry("L-00000002", 20, QuotaEvent::kFailed, std::nullopt),
                                       Entry("L-00000001", 40, QuotaEvent::kFirstRead, 5.0, std::nullopt, "eu-west-1")};
  in[2].is_default = true;
  ASSERT_OK(store().AppendQuotaHistory(in));
  auto all = store().ListQuotaHistory(f);
  ASSERT_OK(all);
  EXPECT_EQ(Times(all->items), (std::vector<int64_t>{10, 20, 30}));
  EXPECT_TRUE(all->next.empty());
  // Every field round-trips; absent stays absent (never 0).
  EXPECT_EQ(all->items[1], in[2]);
  EXPECT_FALSE(all->items[1].value.has_value());
  EXPECT_EQ(all->items[2].previous_value, 10.0);
  f.quota_codes = {"L-00000002"};
  auto one = store().ListQuotaHistory(f);
  ASSERT_OK(one);
  ASSERT_EQ(one->items.size(), 1u);
  EXPECT_EQ(one->items[0].event, QuotaEvent::kFailed);
  f.quota_codes.clear();
  f.limit = 2;  // the newest two, oldest first, and a cursor to the older ones
  auto newest = store().ListQuotaHistory(f);
  ASSERT_OK(newest);
  EXPECT_EQ(Times(newest->items), (std::vector<int64_t>{20, 30}));
  ASSERT_FALSE(newest->next.empty());
  f.cursor = newest->next;
  auto older = store().ListQuotaHistory(f);
  ASSERT_OK(older);
  EXPECT_EQ(Times(older->items), std::vector<int64_t>{10});
  EXPECT_TRUE(older->next.empty());
}

TEST_P(StoreConformance, QuotaHistoryPagesBackwardsStablyUnderAppends) {
  std::vector<QuotaHistoryEntry> in;
  for (int i = 1; i <= 7; ++i)
    in.push_back(Entry(i % 2 ? "L-00000001" : "L-00000002", 100 * i, QuotaEvent::kChanged, i));
  ASSERT_OK(store().AppendQuotaHistory(in));
  QuotaHistoryFilter f = Of();
  f.limit = 3;
  auto first = store().ListQuotaHistory(f);
  ASSERT_OK(first);
  EXPECT_EQ(Times(first->items), (std::vector<int64_t>{500, 600, 700}));
  ASSERT_OK(store().AppendQuotaHistory({Entry("L-00000001", 800, QuotaEvent::kChanged, 8.0)}));  // newer: not served
  f.cursor = first->next;
  auto second = store().ListQuotaHistory(f);
  ASSERT_OK(second);
  EXPECT_EQ(Times(second->items), (std::vector<int64_t>{200, 300, 400}));
  f.cursor = second->next;
  auto third = store().ListQuotaHistory(f);
  ASSERT_OK(third);
  EXPECT_EQ(Times(third->items), std::vector<int64_t>{100});
  EXPECT_TRUE(third->next.empty());
  // A code filter pages the same way.
  QuotaHistoryFilter odd = Of();
  odd.quota_codes = {"L-00000001"};
  odd.limit = 2;
  auto odd1 = store().ListQuotaHistory(odd);
  ASSERT_OK(odd1);
  EXPECT_EQ(Times(odd1->items), (std::vector<int64_t>{700, 800}));
  odd.cursor = odd1->next;
  auto odd2 = store().ListQuotaHistory(odd);
  ASSERT_OK(odd2);
  EXPECT_EQ(Times(odd2->items), (std::vector<int64_t>{300, 500}));
  odd.cursor = odd2->next;
  auto odd3 = store().ListQuotaHistory(odd);
  ASSERT_OK(odd3);
  EXPECT_EQ(Times(odd3->items), std::vector<int64_t>{100});
  EXPECT_TRUE(odd3->next.empty());
}

TEST_P(StoreConformance, QuotaHistoryAppendWithAnExistingIdReplacesTheEntry) {
  QuotaHistoryEntry e = Entry("L-00000001", 10, QuotaEvent::kFirstRead, 10.0);
  ASSERT_OK(store().AppendQuotaHistory({e}));
  ASSERT_OK(store().AppendQuotaHistory({e}));  // a retried append
  auto all = store().ListQuotaHistory(Of());
  ASSERT_OK(all);
  ASSERT_EQ(all->items.size(), 1u);
  EXPECT_EQ(all->items[0], e);
}

TEST_P(StoreConformance, QuotaHistoryRefusesBadInputAndWritesNothing) {
  QuotaHistoryEntry good = Entry("L-00000001", 10, QuotaEvent::kFirstRead, 10.0);
  QuotaHistoryEntry nan = Entry("L-00000002", 20, QuotaEvent::kChanged, std::nan(""), 1.0);
  auto r = store().AppendQuotaHistory({good, nan});
  EXPECT_EQ(r.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.field(), "entries");
  QuotaHistoryEntry no_id = Entry("L-00000002", 20, QuotaEvent::kChanged, 2.0, 1.0);
  no_id.history_id.clear();
  EXPECT_EQ(store().AppendQuotaHistory({good, no_id}).code(), StatusCode::kInvalidArgument);
  auto all = store().ListQuotaHistory(Of());
  ASSERT_OK(all);
  EXPECT_TRUE(all->items.empty());

  QuotaHistoryFilter f = Of();
  for (int64_t limit : {0, -1, 10001}) {
    f.limit = limit;
    auto bad = store().ListQuotaHistory(f);
    ASSERT_FALSE(bad.ok()) << limit;
    EXPECT_EQ(bad.status().field(), "limit");
  }
  f.limit = 10000;
  EXPECT_OK(store().ListQuotaHistory(f).status());
  f.cursor = "garbage";
  auto bad_cursor = store().ListQuotaHistory(f);
  ASSERT_FALSE(bad_cursor.ok());
  EXPECT_EQ(bad_cursor.status().field(), "cursor");
  QuotaHistoryFilter no_region;
  no_region.account_id = "111111111111";
  EXPECT_EQ(store().ListQuotaHistory(no_region).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ap::store::testing
