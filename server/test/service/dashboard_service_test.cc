#include "service/dashboard_service.h"

#include <gtest/gtest.h>

#include <set>

#include "recording_store.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

using domain::QuotaDimension;
using domain::QuotaState;

class DashboardServiceTest : public ::testing::Test {
 protected:
  void Create(const std::string& id, std::vector<std::string> teams, std::vector<std::string> regions = {"us-east-1"},
              const std::string& name = "") {
    auto req = env.AccessKeyAccount(id, std::move(teams));
    req.regions = std::move(regions);
    if (!name.empty()) req.account_name = name;
    ASSERT_OK(env.accounts->Create(env.Admin(), req));
  }
  void Put(const std::string& id, const std::string& region, std::vector<domain::QuotaValue> values) {
    domain::QuotaSnapshot s;
    s.account_id = id;
    s.region = region;
    s.values = std::move(values);
    ASSERT_OK(env.quota->PutSnapshot(s));
  }
  static domain::QuotaValue Value(std::string code, std::optional<double> v, QuotaState s) {
    domain::QuotaValue q;
    q.quota_code = std::move(code);
    q.value = v;
    q.state = s;
    q.read_at_ms = v ? 1000 : 0;
    q.attempted_at_ms = 2000;
    return q;
  }
  static const ModelTotals* Model(const DashboardStats& stats, std::string_view id) {
    for (const auto& m : stats.models)
      if (m.model.model_id == id) return &m;
    return nullptr;
  }
  // Every row, following the cursors with `page_size`.
  std::vector<std::string> AllRows(const RequestContext& ctx, int64_t page_size) {
    std::vector<std::string> rows;
    DashboardQuery q;
    q.page_size = page_size;
    for (int pages = 0; pages < 100; ++pages) {
      auto stats = env.dashboard->Stats(ctx, q);
      EXPECT_OK(stats);
      if (!stats.ok()) return rows;
      EXPECT_LE(stats->rows.size(), static_cast<size_t>(page_size));
      for (const DashboardRow& r : stats->rows) rows.push_back(r.account_name + "/" + r.region);
      if (stats->next.empty()) return rows;
      q.cursor = stats->next;
    }
    ADD_FAILURE() << "the pages do not end";
    return rows;
  }

  testing::TestEnv env;
};

TEST_F(DashboardServiceTest, CountsFreshValuesOnly) {
  Create("123456789012", {"ops"}, {"us-east-1", "us-west-2"});
  Create("222222222222", {"other"});
  Put("123456789012", "us-east-1", {Value("L-3ABF6ACC", 100000, QuotaState::kOk)});
  Put("222222222222", "us-east-1",
      {Value("L-3ABF6ACC", 50000, QuotaState::kOk), Value("L-58424D95", 10, QuotaState::kStale)});
  auto stats = env.dashboard->Stats(env.Admin(), {});
  ASSERT_OK(stats);
  EXPECT_EQ(stats->active_accounts, 2);
  EXPECT_EQ(stats->account_regions, 3);  // 1234... uses two regions
  const ModelTotals* opus = Model(*stats, "claude-opus-4.5");
  ASSERT_NE(opus, nullptr);
  EXPECT_EQ(opus->dimensions[0].total, 150000);
  EXPECT_EQ(opus->dimensions[0].fresh, 2);
  EXPECT_EQ(opus->dimensions[0].missing, 1);
  EXPECT_FALSE(opus->dimensions[1].total.has_value());  // the only RPM value is stale: no total, not 0
  EXPECT_EQ(opus->dimensions[1].stale, 1);
  EXPECT_EQ(opus->dimensions[1].missing, 2);
  // The grid: one row per (account, region), values as cached (absent stays absent).
  ASSERT_EQ(stats->rows.size(), 3u);
  EXPECT_TRUE(stats->next.empty());
  const DashboardRow* b_row = nullptr;
  for (const auto& r : stats->rows)
    if (r.account_id == "222222222222") b_row = &r;
  ASSERT_NE(b_row, nullptr);
  size_t opus_index = opus - &stats->models[0];
  ASSERT_EQ(b_row->models[opus_index].model_id, "claude-opus-4.5");
  EXPECT_EQ(b_row->models[opus_index].values[0].dimension, QuotaDimension::kTpm);
  EXPECT_EQ(b_row->models[opus_index].values[0].value.value, 50000);
  EXPECT_EQ(b_row->models[opus_index].values[1].value.state, QuotaState::kStale);
  // A user of team "other" sees only their account.
  auto user_stats = env.dashboard->Stats(env.UserOf({"other"}), {});
  ASSERT_OK(user_stats);
  EXPECT_EQ(user_stats->active_accounts, 1);
  EXPECT_EQ(user_stats->account_regions, 1);
  ASSERT_EQ(user_stats->rows.size(), 1u);
  EXPECT_EQ(user_stats->rows[0].account_id, "222222222222");
  EXPECT_EQ(Model(*user_stats, "claude-opus-4.5")->dimensions[0].total, 50000);
}

// A user in {red, blue} sees the accounts of {red}, {blue} and {red, blue} — the shared one once — and not
// {green}'s.
TEST_F(DashboardServiceTest, AUsersTotalsCountAnAccountSharedByTheirTeamsOnce) {
  Create("111111111111", {"red"});
  Create("222222222222", {"blue"});
  Create("333333333333", {"blue", "red"});
  Create("444444444444", {"green"});
  for (const char* id : {"111111111111", "222222222222", "333333333333", "444444444444"}) {
    Put(id, "us-east-1", {Value("L-3ABF6ACC", 1000, QuotaState::kOk)});
  }
  auto stats = env.dashboard->Stats(env.UserOf({"blue", "red"}), {});
  ASSERT_OK(stats);
  EXPECT_EQ(stats->active_accounts, 3);
  EXPECT_EQ(stats->account_regions, 3);
  const ModelTotals* opus = Model(*stats, "claude-opus-4.5");
  ASSERT_NE(opus, nullptr);
  EXPECT_EQ(opus->dimensions[0].total, 3000);
  EXPECT_EQ(opus->dimensions[0].fresh, 3);
  EXPECT_EQ(opus->dimensions[0].missing, 0);
  EXPECT_EQ(opus->dimensions[1].missing, 3);  // no RPM value anywhere
  EXPECT_EQ(stats->rows.size(), 3u);
  auto admin = env.dashboard->Stats(env.Admin(), {});
  ASSERT_OK(admin);
  EXPECT_EQ(Model(*admin, "claude-opus-4.5")->dimensions[0].total, 4000);
  auto none = env.dashboard->Stats(env.UserOf({}), {});
  ASSERT_OK(none);
  EXPECT_EQ(none->active_accounts, 0);
  EXPECT_EQ(Model(*none, "claude-opus-4.5")->dimensions[0].missing, 0);
  EXPECT_TRUE(none->rows.empty());
}

TEST_F(DashboardServiceTest, TotalsFollowDeactivationAndRegionChanges) {
  Create("111111111111", {"red"}, {"us-east-1", "us-west-2"});
  Create("222222222222", {"red"});
  Put("111111111111", "us-west-2", {Value("L-3ABF6ACC", 10, QuotaState::kOk)});
  Put("222222222222", "us-east-1", {Value("L-3ABF6ACC", 20, QuotaState::kOk)});
  EXPECT_EQ(Model(*env.dashboard->Stats(env.Admin(), {}), "claude-opus-4.5")->dimensions[0].total, 30);
  AccountPatch patch;
  patch.regions = std::vector<std::string>{"us-east-1"};
  ASSERT_OK(env.accounts->Update(env.Admin(), "111111111111", patch));
  auto stats = env.dashboard->Stats(env.Admin(), {});
  ASSERT_OK(stats);
  EXPECT_EQ(stats->account_regions, 2);
  EXPECT_EQ(Model(*stats, "claude-opus-4.5")->dimensions[0].total, 20);
  ASSERT_OK(env.accounts->Delete(env.Admin(), "222222222222"));
  stats = env.dashboard->Stats(env.Admin(), {});
  ASSERT_OK(stats);
  EXPECT_EQ(stats->active_accounts, 1);
  EXPECT_FALSE(Model(*stats, "claude-opus-4.5")->dimensions[0].total.has_value());
  EXPECT_EQ(Model(*stats, "claude-opus-4.5")->dimensions[0].missing, 1);
  ASSERT_EQ(stats->rows.size(), 1u);
  EXPECT_EQ(stats->rows[0].account_id, "111111111111");
}

// Totals are kept per quota code: a config change that points a model at another code shows that code's totals at
// once, with nothing rewritten.
TEST_F(DashboardServiceTest, TotalsFollowAQuotaConfigChangeAtOnce) {
  Create("111111111111", {});
  Put("111111111111", "us-east-1", {Value("L-27C57EE8", 5, QuotaState::kOk), Value("L-3ABF6ACC", 7, QuotaState::kOk)});
  auto config = env.quota_config->Get();
  ASSERT_OK(config);
  domain::QuotaConfig next = **config;
  for (auto& m : next.models) {
    if (m.model_id == "claude-opus-4.5") m.quota_code_tpm = "L-27C57EE8";
  }
  ASSERT_OK(env.quota_config->Put(env.Admin(), next, (*config)->version));
  auto stats = env.dashboard->Stats(env.Admin(), {});
  ASSERT_OK(stats);
  ASSERT_NE(Model(*stats, "claude-opus-4.5"), nullptr);
  EXPECT_EQ(Model(*stats, "claude-opus-4.5")->dimensions[0].total, 5);
}

TEST_F(DashboardServiceTest, RowsPageByCursorInNameThenRegionOrder) {
  Create("100000000003", {}, {"us-east-1"}, "charlie");
  Create("100000000001", {}, {"eu-west-1", "us-east-1", "us-west-2"}, "Alpha");
  Create("100000000002", {}, {"ap-south-1", "us-east-1"}, "bravo");
  Create("100000000004", {}, {"eu-west-1", "us-west-2"}, "delta");
  const std::vector<std::string> want = {"Alpha/eu-west-1", "Alpha/us-east-1",   "Alpha/us-west-2", "bravo/ap-south-1",
                                         "bravo/us-east-1", "charlie/us-east-1", "delta/eu-west-1", "delta/us-west-2"};
  for (int64_t page_size : {1, 2, 3, 4, 5, 7, 8, 50}) {
    EXPECT_EQ(AllRows(env.Admin(), page_size), want) << "page_size " << page_size;
  }
  DashboardQuery q;
  q.page_size = 8;  // exactly every row: no next page
  auto all = env.dashboard->Stats(env.Admin(), q);
  ASSERT_OK(all);
  EXPECT_EQ(all->rows.size(), 8u);
  EXPECT_TRUE(all->next.empty());
  EXPECT_EQ(all->account_regions, 8);  // the total number of rows
}

TEST_F(DashboardServiceTest, RowPagingIsStableUnderInserts) {
  Create("100000000001", {}, {"eu-west-1", "us-east-1"}, "b-one");
  Create("100000000002", {}, {"eu-west-1", "us-east-1"}, "b-two");
  Create("100000000003", {}, {"eu-west-1", "us-east-1"}, "b-three");
  DashboardQuery q;
  q.page_size = 3;  // b-one's two rows, then b-three/eu-west-1: the page ends inside b-three
  auto first = env.dashboard->Stats(env.Admin(), q);
  ASSERT_OK(first);
  ASSERT_EQ(first->rows.size(), 3u);
  ASSERT_FALSE(first->next.empty());
  // Accounts inserted before and after the cursor.
  Create("100000000009", {}, {"us-east-1"}, "a-first");
  Create("100000000008", {}, {"us-east-1"}, "z-last");
  Create("100000000007", {}, {"us-east-1"}, "b-three-and-a-half");
  std::vector<std::string> rows;
  for (const DashboardRow& r : first->rows) rows.push_back(r.account_name + "/" + r.region);
  q.cursor = first->next;
  for (int pages = 0; !q.cursor.empty() && pages < 10; ++pages) {
    auto next = env.dashboard->Stats(env.Admin(), q);
    ASSERT_OK(next);
    for (const DashboardRow& r : next->rows) rows.push_back(r.account_name + "/" + r.region);
    q.cursor = next->next;
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"b-one/eu-west-1", "b-one/us-east-1", "b-three/eu-west-1",
                                            "b-three/us-east-1", "b-three-and-a-half/us-east-1", "b-two/eu-west-1",
                                            "b-two/us-east-1", "z-last/us-east-1"}));
}

TEST_F(DashboardServiceTest, RejectsABadCursorAndPageSize) {
  DashboardQuery q;
  q.page_size = 0;
  EXPECT_EQ(env.dashboard->Stats(env.Admin(), q).status().field(), "page_size");
  q.page_size = 201;
  EXPECT_EQ(env.dashboard->Stats(env.Admin(), q).status().field(), "page_size");
  q.page_size = 200;
  EXPECT_OK(env.dashboard->Stats(env.Admin(), q));
  q.cursor = "not-a-cursor";
  auto bad = env.dashboard->Stats(env.Admin(), q);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "cursor");
  // An account-list cursor is not a row cursor.
  Create("100000000001", {});
  Create("100000000002", {});
  AccountQuery aq;
  aq.page_size = 1;
  auto accounts = env.accounts->List(env.Admin(), aq);
  ASSERT_OK(accounts);
  ASSERT_FALSE(accounts->next.empty());
  q.cursor = accounts->next;
  EXPECT_EQ(env.dashboard->Stats(env.Admin(), q).status().field(), "cursor");
}

// A page costs O(page): a few account-list reads of about a page each, whatever the number of accounts.
TEST_F(DashboardServiceTest, APageListsAccountsAFewTimesWhateverTheFleetSize) {
  for (int i = 0; i < 60; ++i) Create(std::to_string(100000000000 + i), {}, {"eu-west-1", "us-east-1"});
  testing::RecordingStore recording(*env.store);
  AccountService accounts(recording, env.clock, env.random, *env.sealer, *env.audit, *env.auth, env.assumer,
                          std::chrono::seconds(5));
  DashboardService dashboard(recording, accounts, *env.quota_config);
  DashboardQuery q;
  q.page_size = 5;  // ends inside an account: the cursor needs the one extra listing
  for (int page = 0; page < 3; ++page) {
    const int before = recording.list_accounts_calls();
    auto stats = dashboard.Stats(env.Admin(), q);
    ASSERT_OK(stats);
    EXPECT_EQ(stats->rows.size(), 5u);
    EXPECT_EQ(stats->active_accounts, 60);
    EXPECT_LE(recording.list_accounts_calls() - before, 2) << "page " << page;
    q.cursor = stats->next;
  }
}

}  // namespace
}  // namespace ap::service
