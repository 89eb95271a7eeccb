// DashboardService: rows sorted by a model × dimension, filtered by team and region (dashboard_service.h).
#include <gtest/gtest.h>

#include <cstdio>

#include "service/dashboard_service.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

using domain::QuotaState;

constexpr char kSonnetTpm[] = "L-27C57EE8";
constexpr char kSonnetRpm[] = "L-DB84CE56";

class DashboardSortTest : public ::testing::Test {
 protected:
  void Create(const std::string& id, const std::string& name, std::vector<std::string> teams,
              std::vector<std::string> regions = {"us-east-1"}) {
    auto req = env.AccessKeyAccount(id, std::move(teams));
    req.regions = std::move(regions);
    req.account_name = name;
    ASSERT_OK(env.accounts->Create(env.Admin(), req));
  }
  void Put(const std::string& id, const std::string& region, std::vector<domain::QuotaValue> values) {
    domain::QuotaSnapshot s;
    s.account_id = id;
    s.region = region;
    s.values = std::move(values);
    ASSERT_OK(env.quota->PutSnapshot(s));
  }
  static domain::QuotaValue Value(std::string code, std::optional<double> v, QuotaState s = QuotaState::kOk) {
    domain::QuotaValue q;
    q.quota_code = std::move(code);
    q.value = v;
    q.state = s;
    q.read_at_ms = v ? 1000 : 0;
    q.attempted_at_ms = 2000;
    return q;
  }
  // "name/region" of every row, following the cursors with `page_size`.
  std::vector<std::string> All(const RequestContext& ctx, DashboardQuery q, int64_t page_size) {
    std::vector<std::string> rows;
    q.page_size = page_size;
    for (int pages = 0; pages < 200; ++pages) {
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
  static DashboardQuery By(const std::string& sort, std::optional<bool> desc = std::nullopt) {
    DashboardQuery q;
    q.sort = sort;
    q.descending = desc;
    return q;
  }

  // Four accounts: a (red) two regions, b (blue, red), c (no team), d (blue) never read; c's Sonnet TPM is stale,
  // a/us-west-2 failed on its first read (error, no value).
  void Seed() {
    Create("111111111111", "acct-a", {"red"}, {"us-east-1", "us-west-2"});
    Create("222222222222", "acct-b", {"blue", "red"});
    Create("333333333333", "acct-c", {});
    Create("444444444444", "acct-d", {"blue"});
    Put("111111111111", "us-east-1", {Value(kSonnetTpm, 2e6), Value(kSonnetRpm, 400)});
    Put("111111111111", "us-west-2", {Value(kSonnetTpm, std::nullopt, QuotaState::kError)});
    Put("222222222222", "us-east-1", {Value(kSonnetTpm, 5e6), Value(kSonnetRpm, 400)});
    Put("333333333333", "us-east-1", {Value(kSonnetTpm, 3e6, QuotaState::kStale), Value(kSonnetRpm, 100)});
  }

  testing::TestEnv env;
};

TEST_F(DashboardSortTest, SortsByAModelDimensionWithMissingValuesLastInBothDirections) {
  Seed();
  // Descending is the default for a value: the most Sonnet 4.5 TPM first; the stale value by its kept value.
  std::vector<std::string> want = {"acct-b/us-east-1", "acct-c/us-east-1", "acct-a/us-east-1", "acct-a/us-west-2",
                                   "acct-d/us-east-1"};
  for (int64_t page : {1, 2, 3, 50}) {
    EXPECT_EQ(All(env.Admin(), By("claude-sonnet-4.5-v1:tpm"), page), want) << page;
  }
  std::vector<std::string> asc = {"acct-a/us-east-1", "acct-c/us-east-1", "acct-b/us-east-1", "acct-a/us-west-2",
                                  "acct-d/us-east-1"};
  for (int64_t page : {1, 2, 4, 50}) {
    EXPECT_EQ(All(env.Admin(), By("claude-sonnet-4.5-v1:tpm", false), page), asc) << page;
  }
  // Ties (400 RPM) by account name; missing last.
  EXPECT_EQ(All(env.Admin(), By("claude-sonnet-4.5-v1:rpm"), 2),
            (std::vector<std::string>{"acct-a/us-east-1", "acct-b/us-east-1", "acct-c/us-east-1", "acct-a/us-west-2",
                                      "acct-d/us-east-1"}));
  auto stats = env.dashboard->Stats(env.Admin(), By("claude-sonnet-4.5-v1:tpm"));
  ASSERT_OK(stats);
  EXPECT_EQ(stats->sort, "claude-sonnet-4.5-v1:tpm");
  EXPECT_TRUE(stats->descending);
  EXPECT_TRUE(stats->all_accounts);
  // Values of the page are filled as in the name order; the stale one stays marked, the missing one stays null.
  ASSERT_EQ(stats->rows.size(), 5u);
  size_t sonnet = 0;
  while (sonnet < stats->models.size() && stats->models[sonnet].model.model_id != "claude-sonnet-4.5-v1") ++sonnet;
  ASSERT_LT(sonnet, stats->models.size());
  EXPECT_EQ(stats->rows[1].models[sonnet].values[0].value.state, QuotaState::kStale);
  EXPECT_EQ(stats->rows[1].models[sonnet].values[0].value.value, 3e6);
  EXPECT_FALSE(stats->rows[4].models[sonnet].values[0].value.value.has_value());
}

TEST_F(DashboardSortTest, TheSortFollowsValueChangesDeactivationAndRegionRemoval) {
  Seed();
  Put("444444444444", "us-east-1", {Value(kSonnetTpm, 9e6)});
  EXPECT_EQ(All(env.Admin(), By("claude-sonnet-4.5-v1:tpm"), 2).front(), "acct-d/us-east-1");
  AccountPatch off;
  off.status = domain::AccountStatus::kInactive;
  ASSERT_OK(env.accounts->Update(env.Admin(), "444444444444", off));
  AccountPatch one_region;
  one_region.regions = std::vector<std::string>{"us-east-1"};
  ASSERT_OK(env.accounts->Update(env.Admin(), "111111111111", one_region));
  EXPECT_EQ(All(env.Admin(), By("claude-sonnet-4.5-v1:tpm"), 2),
            (std::vector<std::string>{"acct-b/us-east-1", "acct-c/us-east-1", "acct-a/us-east-1"}));
}

TEST_F(DashboardSortTest, FiltersByTeamAndRegionAndHonoursAUsersTeams) {
  Seed();
  DashboardQuery red = By("claude-sonnet-4.5-v1:tpm");
  red.team = "red";
  EXPECT_EQ(All(env.Admin(), red, 1),
            (std::vector<std::string>{"acct-b/us-east-1", "acct-a/us-east-1", "acct-a/us-west-2"}));
  DashboardQuery west;
  west.region = "us-west-2";
  EXPECT_EQ(All(env.Admin(), west, 1), (std::vector<std::string>{"acct-a/us-west-2"}));
  DashboardQuery east_by_name;
  east_by_name.region = "us-east-1";
  EXPECT_EQ(All(env.Admin(), east_by_name, 2),
            (std::vector<std::string>{"acct-a/us-east-1", "acct-b/us-east-1", "acct-c/us-east-1", "acct-d/us-east-1"}));
  DashboardQuery blue_name;
  blue_name.team = "blue";
  EXPECT_EQ(All(env.Admin(), blue_name, 1), (std::vector<std::string>{"acct-b/us-east-1", "acct-d/us-east-1"}));
  // A user in blue sees b and d only, whatever the sort; the scope says so.
  const RequestContext blue_user = env.UserOf({"blue"});
  EXPECT_EQ(All(blue_user, By("claude-sonnet-4.5-v1:tpm"), 1),
            (std::vector<std::string>{"acct-b/us-east-1", "acct-d/us-east-1"}));
  auto stats = env.dashboard->Stats(blue_user, {});
  ASSERT_OK(stats);
  EXPECT_FALSE(stats->all_accounts);
  DashboardQuery not_mine = By("claude-sonnet-4.5-v1:tpm");
  not_mine.team = "red";
  EXPECT_EQ(env.dashboard->Stats(blue_user, not_mine).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(DashboardSortTest, RefusesUnknownSortsOrdersRegionsAndForeignCursors) {
  Seed();
  auto field = [&](const DashboardQuery& q) { return env.dashboard->Stats(env.Admin(), q).status().field(); };
  EXPECT_EQ(field(By("no-such-model:tpm")), "sort");
  EXPECT_EQ(field(By("claude-sonnet-4.5-v1:tpm_2m")), "sort");
  EXPECT_EQ(field(By("claude-opus-4.5:tpm_1m")), "sort");  // no 1M context: no code
  EXPECT_EQ(field(By("claude-opus-4.6-v1:tpm")), "sort");  // enabled, not on the dashboard
  EXPECT_EQ(field(By("name", true)), "order");
  DashboardQuery bad_region;
  bad_region.region = "mars-north-1";
  EXPECT_EQ(field(bad_region), "region");
  DashboardQuery bad_team;
  bad_team.team = "Not A Team!";
  EXPECT_EQ(field(bad_team), "team");
  // A cursor from one sort is refused by another (and by another filter or order).
  DashboardQuery q = By("claude-sonnet-4.5-v1:tpm");
  q.page_size = 1;
  auto first = env.dashboard->Stats(env.Admin(), q);
  ASSERT_OK(first);
  ASSERT_FALSE(first->next.empty());
  for (DashboardQuery other : {By("claude-sonnet-4.5-v1:rpm"), By("claude-sonnet-4.5-v1:tpm", false), By("name")}) {
    other.cursor = first->next;
    EXPECT_EQ(field(other), "cursor") << other.sort;
  }
  DashboardQuery filtered = q;
  filtered.cursor = first->next;
  filtered.region = "us-east-1";
  EXPECT_EQ(field(filtered), "cursor");
  auto by_name = env.dashboard->Stats(env.Admin(), [] {
    DashboardQuery n;
    n.page_size = 1;
    return n;
  }());
  ASSERT_OK(by_name);
  q.cursor = by_name->next;
  EXPECT_EQ(field(q), "cursor");
}

TEST_F(DashboardSortTest, AFilteredPageExaminesABoundedNumberOfAccountsAndContinues) {
  // More accounts than the scan budget, none in eu-west-1 but the last: the first pages may be empty, with a
  // cursor that continues, and the walk still ends with exactly the matching rows.
  const int n = static_cast<int>(kDashboardScanBudget) + 30;
  for (int i = 0; i < n; ++i) {
    char id[13];
    std::snprintf(id, sizeof id, "%012d", 100000 + i);
    Create(id, "bulk-" + std::to_string(100000 + i), {}, {i == n - 1 ? "eu-west-1" : "us-east-1"});
  }
  DashboardQuery q;
  q.region = "eu-west-1";
  q.page_size = 5;
  auto first = env.dashboard->Stats(env.Admin(), q);
  ASSERT_OK(first);
  EXPECT_TRUE(first->rows.empty());
  EXPECT_FALSE(first->next.empty());
  EXPECT_EQ(All(env.Admin(), q, 5),
            (std::vector<std::string>{"bulk-" + std::to_string(100000 + n - 1) + "/eu-west-1"}));
}

}  // namespace
}  // namespace ap::service
