// Conformance: the maintained quota aggregates (quota_cache_store.h, "Maintained aggregates"). Each test names the
// clause it checks. Expected aggregates are computed from scratch by a reference model of what the test wrote
// (Reference below), so each check compares the maintained numbers with a full recomputation.
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "store_conformance_fixtures.h"

namespace ap::store::testing {
namespace {

using namespace fixtures;  // NOLINT(google-build-using-namespace): the suite's shared builders

// The codes of a scope as a map, without the codes that count nothing (the store may leave those out).
std::map<std::string, std::tuple<double, int64_t, int64_t>> CodesOf(const ScopeAggregate& s) {
  std::map<std::string, std::tuple<double, int64_t, int64_t>> out;
  for (const CodeAggregate& c : s.codes) {
    if (c.fresh != 0 || c.stale != 0 || c.sum != 0) out[c.quota_code] = {c.sum, c.fresh, c.stale};
  }
  return out;
}

::testing::AssertionResult SameScope(const ScopeAggregate& want, const ScopeAggregate& got) {
  if (want.fleet != got.fleet || want.teams != got.teams || want.active_accounts != got.active_accounts ||
      want.account_regions != got.account_regions || CodesOf(want) != CodesOf(got)) {
    auto print = [](const ScopeAggregate& s) {
      std::string out = (s.fleet ? "fleet" : "teams{") + (s.fleet ? "" : ::testing::PrintToString(s.teams) + "}");
      out += " accounts=" + std::to_string(s.active_accounts) + " pairs=" + std::to_string(s.account_regions);
      for (const auto& [code, v] : CodesOf(s)) {
        out += " " + code + "=(sum " + std::to_string(std::get<0>(v)) + ", fresh " + std::to_string(std::get<1>(v)) +
               ", stale " + std::to_string(std::get<2>(v)) + ")";
      }
      return out;
    };
    return ::testing::AssertionFailure() << "want " << print(want) << "\n got " << print(got);
  }
  return ::testing::AssertionSuccess();
}

// What the test wrote, and the aggregates recomputed from it from scratch.
class Reference {
 public:
  void Put(const Account& a) {
    Account copy = a;
    std::sort(copy.teams.begin(), copy.teams.end());
    copy.teams.erase(std::unique(copy.teams.begin(), copy.teams.end()), copy.teams.end());
    std::sort(copy.regions.begin(), copy.regions.end());
    copy.regions.erase(std::unique(copy.regions.begin(), copy.regions.end()), copy.regions.end());
    accounts_[a.account_id] = copy;
  }
  void Put(const QuotaSnapshot& s) { snapshots_[{s.account_id, s.region}] = s; }

  ScopeAggregate Fleet() const {
    ScopeAggregate out;
    out.fleet = true;
    for (const auto& [id, a] : accounts_) Add(a, &out);
    return out;
  }
  // The team-set scopes a user in `teams` sees, ordered by team set.
  std::vector<ScopeAggregate> Teams(const std::vector<std::string>& teams) const {
    std::map<std::vector<std::string>, ScopeAggregate> by_set;
    for (const auto& [id, a] : accounts_) {
      if (a.status != AccountStatus::kActive) continue;
      bool shared = false;
      for (const std::string& t : teams) shared = shared || std::count(a.teams.begin(), a.teams.end(), t) > 0;
      if (!shared) continue;
      ScopeAggregate& s = by_set[a.teams];
      s.teams = a.teams;
      Add(a, &s);
    }
    std::vector<ScopeAggregate> out;
    for (auto& [set, s] : by_set) out.push_back(std::move(s));
    return out;
  }

 private:
  void Add(const Account& a, ScopeAggregate* s) const {
    if (a.status != AccountStatus::kActive) return;
    s->active_accounts += 1;
    s->account_regions += static_cast<int64_t>(a.regions.size());
    for (const std::string& region : a.regions) {
      auto it = snapshots_.find({a.account_id, region});
      if (it == snapshots_.end()) continue;
      for (const QuotaValue& v : it->second.values) {
        if (!v.value || (v.state != QuotaState::kOk && v.state != QuotaState::kStale)) continue;
        auto c = std::find_if(s->codes.begin(), s->codes.end(),
                              [&](const CodeAggregate& x) { return x.quota_code == v.quota_code; });
        if (c == s->codes.end()) c = s->codes.insert(s->codes.end(), CodeAggregate{v.quota_code});
        if (v.state == QuotaState::kOk) {
          c->fresh += 1;
          c->sum += *v.value;
        } else {
          c->stale += 1;
        }
      }
    }
  }

  std::map<std::string, Account> accounts_;
  std::map<std::pair<std::string, std::string>, QuotaSnapshot> snapshots_;
};

// A store and the reference of what was written to it, written together.
class Fleet {
 public:
  explicit Fleet(Store& store) : store_(store) {}

  void Create(const Account& a) {
    ASSERT_TRUE(IsOk(store_.CreateAccount(a)));
    ref_.Put(a);
  }
  // Re-reads the account, lets `change` edit it and writes it back at the next version.
  void Update(const std::string& account_id, const std::function<void(Account&)>& change) {
    auto a = store_.GetAccount(account_id);
    ASSERT_TRUE(IsOk(a));
    Account next = *a;
    change(next);
    next.version = a->version + 1;
    ASSERT_TRUE(IsOk(store_.UpdateAccount(next, a->version)));
    ref_.Put(next);
  }
  void Put(const std::string& account_id, const std::string& region, std::vector<QuotaValue> values) {
    QuotaSnapshot s;
    s.account_id = account_id;
    s.region = region;
    s.values = std::move(values);
    ASSERT_TRUE(IsOk(store_.PutQuotaSnapshot(s)));
    ref_.Put(s);
  }

  // The maintained aggregates equal the recomputed ones: the fleet and the view of a user in `teams`.
  void Check(const std::vector<std::vector<std::string>>& users, const std::string& where = "") {
    auto fleet = store_.GetFleetAggregate();
    ASSERT_TRUE(IsOk(fleet));
    EXPECT_TRUE(SameScope(ref_.Fleet(), *fleet)) << where;
    for (const std::vector<std::string>& teams : users) {
      auto got = store_.GetTeamAggregates(teams);
      ASSERT_TRUE(IsOk(got));
      std::vector<ScopeAggregate> want = ref_.Teams(teams);
      ASSERT_EQ(got->size(), want.size()) << where << " user " << ::testing::PrintToString(teams);
      for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_TRUE(SameScope(want[i], (*got)[i])) << where << " user " << ::testing::PrintToString(teams);
      }
    }
  }

 private:
  Store& store_;
  Reference ref_;
};

// An active account in `regions` with `teams`.
Account Acct(const std::string& id, std::vector<std::string> teams, std::vector<std::string> regions = {"us-east-1"}) {
  Account a = MakeAccount(id, "Account " + id, std::move(teams));
  a.regions = std::move(regions);
  return a;
}

const CodeAggregate* Code(const ScopeAggregate& s, const std::string& code) {
  for (const CodeAggregate& c : s.codes) {
    if (c.quota_code == code) return &c;
  }
  return nullptr;
}

TEST_P(StoreConformance, AggregatesOfAnEmptyStoreAreZero) {
  auto fleet = store().GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  EXPECT_TRUE(fleet->fleet);
  EXPECT_EQ(fleet->active_accounts, 0);
  EXPECT_EQ(fleet->account_regions, 0);
  EXPECT_TRUE(CodesOf(*fleet).empty());
  auto none = store().GetTeamAggregates({});
  ASSERT_TRUE(IsOk(none));
  EXPECT_TRUE(none->empty());
  auto red = store().GetTeamAggregates({"red"});
  ASSERT_TRUE(IsOk(red));
  EXPECT_TRUE(red->empty());
}

TEST_P(StoreConformance, AggregatesCountActiveAccountsAndTheirRegionsInTheFleetAndTheirTeamSet) {
  Fleet f(store());
  f.Create(Acct("111111111111", {"red"}, {"eu-west-1", "us-east-1"}));
  f.Create(Acct("222222222222", {"blue", "red"}));
  f.Create(Acct("333333333333", {}));  // no team: the fleet and the empty team set
  f.Create(Acct("444444444444", {"red"}));
  Account inactive = Acct("555555555555", {"red"});
  inactive.status = AccountStatus::kInactive;  // counts nowhere
  f.Create(inactive);
  auto fleet = store().GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  EXPECT_EQ(fleet->active_accounts, 4);
  EXPECT_EQ(fleet->account_regions, 5);
  auto red = store().GetTeamAggregates({"red"});
  ASSERT_TRUE(IsOk(red));
  ASSERT_EQ(red->size(), 2u);  // {blue, red} before {red}
  EXPECT_EQ((*red)[0].teams, (std::vector<std::string>{"blue", "red"}));
  EXPECT_EQ((*red)[0].active_accounts, 1);
  EXPECT_FALSE((*red)[0].fleet);
  EXPECT_EQ((*red)[1].teams, (std::vector<std::string>{"red"}));
  EXPECT_EQ((*red)[1].active_accounts, 2);
  EXPECT_EQ((*red)[1].account_regions, 3);
  f.Check({{"red"}, {"blue"}, {"green"}, {"blue", "red"}});
}

TEST_P(StoreConformance, AggregatesFollowASnapshotFromOkToStaleToError) {
  Fleet f(store());
  f.Create(Acct("111111111111", {"red"}));
  f.Put("111111111111", "us-east-1",
        {Value("L-00000001", 400000.0, QuotaState::kOk), Value("L-00000002", 0.0, QuotaState::kOk),
         Value("L-00000003", std::nullopt, QuotaState::kNever)});
  auto fleet = store().GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  ASSERT_NE(Code(*fleet, "L-00000001"), nullptr);
  EXPECT_EQ(Code(*fleet, "L-00000001")->sum, 400000.0);
  EXPECT_EQ(Code(*fleet, "L-00000001")->fresh, 1);
  ASSERT_NE(Code(*fleet, "L-00000002"), nullptr);  // a real zero is fresh, not missing
  EXPECT_EQ(Code(*fleet, "L-00000002")->fresh, 1);
  EXPECT_EQ(Code(*fleet, "L-00000003"), nullptr);  // never read: neither fresh nor stale
  f.Check({{"red"}}, "ok");

  QuotaValue stale = Value("L-00000001", 400000.0, QuotaState::kStale);
  stale.reason = "ThrottlingException";
  f.Put("111111111111", "us-east-1", {stale, Value("L-00000002", 0.0, QuotaState::kOk)});
  fleet = store().GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  ASSERT_NE(Code(*fleet, "L-00000001"), nullptr);
  EXPECT_EQ(Code(*fleet, "L-00000001")->fresh, 0);
  EXPECT_EQ(Code(*fleet, "L-00000001")->stale, 1);
  EXPECT_EQ(Code(*fleet, "L-00000001")->sum, 0.0);  // stale values are not in the sum
  f.Check({{"red"}}, "stale");

  f.Put("111111111111", "us-east-1", {Value("L-00000001", std::nullopt, QuotaState::kError)});
  fleet = store().GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  EXPECT_TRUE(CodesOf(*fleet).empty());
  EXPECT_EQ(fleet->account_regions, 1);  // the pair still counts: its codes are missing
  f.Check({{"red"}}, "error");

  f.Put("111111111111", "us-east-1", {Value("L-00000001", 7.0, QuotaState::kOk)});
  f.Check({{"red"}}, "ok again");
}

TEST_P(StoreConformance, AggregatesCountASnapshotOnlyWhileTheAccountUsesItsRegion) {
  Fleet f(store());
  f.Create(Acct("111111111111", {"red"}, {"us-east-1"}));
  f.Put("111111111111", "eu-west-1", {Value("L-00000001", 5.0, QuotaState::kOk)});  // a region it does not use
  auto fleet = store().GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  EXPECT_TRUE(CodesOf(*fleet).empty());
  f.Check({{"red"}}, "unused region");
  f.Update("111111111111", [](Account& a) { a.regions = {"eu-west-1", "us-east-1"}; });
  fleet = store().GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  ASSERT_NE(Code(*fleet, "L-00000001"), nullptr);
  EXPECT_EQ(Code(*fleet, "L-00000001")->sum, 5.0);
  EXPECT_EQ(fleet->account_regions, 2);
  f.Check({{"red"}}, "region added");
  f.Update("111111111111", [](Account& a) { a.regions = {"eu-west-1"}; });
  f.Check({{"red"}}, "region removed");
  f.Update("111111111111", [](Account& a) { a.regions = {"us-east-1"}; });
  fleet = store().GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  EXPECT_TRUE(CodesOf(*fleet).empty());
  f.Check({{"red"}}, "region dropped");
}

TEST_P(StoreConformance, AggregatesCountASnapshotCachedBeforeItsAccountWasCreated) {
  Fleet f(store());
  f.Put("111111111111", "us-east-1", {Value("L-00000001", 5.0, QuotaState::kOk)});
  f.Check({{"red"}}, "unknown account");
  auto fleet = store().GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  EXPECT_TRUE(CodesOf(*fleet).empty());
  f.Create(Acct("111111111111", {"red"}));
  f.Check({{"red"}}, "created");
  fleet = store().GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  ASSERT_NE(Code(*fleet, "L-00000001"), nullptr);
}

TEST_P(StoreConformance, AggregatesDropADeactivatedAccountAndCountItAgainWhenReactivated) {
  Fleet f(store());
  f.Create(Acct("111111111111", {"red"}, {"eu-west-1", "us-east-1"}));
  f.Create(Acct("222222222222", {"red"}));
  f.Put("111111111111", "us-east-1", {Value("L-00000001", 5.0, QuotaState::kOk)});
  f.Put("111111111111", "eu-west-1", {Value("L-00000001", 6.0, QuotaState::kStale)});
  f.Put("222222222222", "us-east-1", {Value("L-00000001", 7.0, QuotaState::kOk)});
  f.Check({{"red"}}, "active");
  f.Update("111111111111", [](Account& a) { a.status = AccountStatus::kInactive; });
  auto fleet = store().GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  EXPECT_EQ(fleet->active_accounts, 1);
  EXPECT_EQ(fleet->account_regions, 1);
  ASSERT_NE(Code(*fleet, "L-00000001"), nullptr);
  EXPECT_EQ(Code(*fleet, "L-00000001")->sum, 7.0);
  EXPECT_EQ(Code(*fleet, "L-00000001")->stale, 0);
  f.Check({{"red"}}, "deactivated");
  // A snapshot of an inactive account changes nothing.
  f.Put("111111111111", "us-east-1", {Value("L-00000001", 50.0, QuotaState::kOk)});
  f.Check({{"red"}}, "snapshot while inactive");
  f.Update("222222222222", [](Account& a) { a.status = AccountStatus::kInactive; });
  auto red = store().GetTeamAggregates({"red"});
  ASSERT_TRUE(IsOk(red));
  EXPECT_TRUE(red->empty()) << "a team set without active accounts is not returned";
  f.Check({{"red"}}, "none active");
  f.Update("111111111111", [](Account& a) { a.status = AccountStatus::kActive; });
  f.Check({{"red"}}, "reactivated");
  fleet = store().GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  ASSERT_NE(Code(*fleet, "L-00000001"), nullptr);
  EXPECT_EQ(Code(*fleet, "L-00000001")->sum, 50.0);
}

TEST_P(StoreConformance, AggregatesMoveWithAnAccountsTeams) {
  Fleet f(store());
  f.Create(Acct("111111111111", {"red"}));
  f.Create(Acct("222222222222", {"red"}));
  f.Put("111111111111", "us-east-1", {Value("L-00000001", 5.0, QuotaState::kOk)});
  f.Update("111111111111", [](Account& a) { a.teams = {"blue"}; });
  f.Check({{"red"}, {"blue"}, {"blue", "red"}}, "red -> blue");
  auto red = store().GetTeamAggregates({"red"});
  ASSERT_TRUE(IsOk(red));
  ASSERT_EQ(red->size(), 1u);
  EXPECT_TRUE(CodesOf((*red)[0]).empty());
  f.Update("111111111111", [](Account& a) { a.teams = {"blue", "green", "red"}; });
  f.Check({{"red"}, {"blue"}, {"green"}, {"blue", "red"}}, "blue -> blue, green, red");
  f.Update("111111111111", [](Account& a) { a.teams = {}; });
  f.Check({{"red"}, {"blue"}, {"green"}}, "no team");
  auto fleet = store().GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  EXPECT_EQ(fleet->active_accounts, 2);
  ASSERT_NE(Code(*fleet, "L-00000001"), nullptr);
  EXPECT_EQ(Code(*fleet, "L-00000001")->sum, 5.0);
}

TEST_P(StoreConformance, AggregatesIgnoreChangesThatDoNotCount) {
  Fleet f(store());
  f.Create(Acct("111111111111", {"red"}));
  f.Put("111111111111", "us-east-1", {Value("L-00000001", 5.0, QuotaState::kOk)});
  f.Update("111111111111", [](Account& a) {
    a.account_name = "Renamed";
    a.role_arn = "arn:aws:iam::111111111111:role/x";
  });
  f.Check({{"red"}}, "rename");
  f.Put("111111111111", "us-east-1", {Value("L-00000001", 5.0, QuotaState::kOk)});  // the same values again
  f.Check({{"red"}}, "same snapshot");
}

// A user's view is the sum over the team-set scopes that intersect their teams: an account shared by several of
// the user's teams is counted once, and an account of none of them not at all.
TEST_P(StoreConformance, TeamAggregatesCountAnAccountSharedByTheUsersTeamsOnce) {
  Fleet f(store());
  f.Create(Acct("111111111111", {"red"}));
  f.Create(Acct("222222222222", {"blue"}));
  f.Create(Acct("333333333333", {"blue", "red"}));
  f.Create(Acct("444444444444", {"green"}));
  for (const char* id : {"111111111111", "222222222222", "333333333333", "444444444444"}) {
    f.Put(id, "us-east-1", {Value("L-00000001", 10.0, QuotaState::kOk)});
  }
  auto view = store().GetTeamAggregates({"blue", "red"});
  ASSERT_TRUE(IsOk(view));
  ASSERT_EQ(view->size(), 3u);  // {blue}, {blue, red}, {red}: each once
  int64_t accounts = 0, pairs = 0, fresh = 0;
  double sum = 0;
  for (const ScopeAggregate& s : *view) {
    accounts += s.active_accounts;
    pairs += s.account_regions;
    if (const CodeAggregate* c = Code(s, "L-00000001")) {
      fresh += c->fresh;
      sum += c->sum;
    }
  }
  EXPECT_EQ(accounts, 3);
  EXPECT_EQ(pairs, 3);
  EXPECT_EQ(fresh, 3);
  EXPECT_EQ(sum, 30.0);
  auto again = store().GetTeamAggregates({"red", "blue", "red"});  // order and repeats of the input do not matter
  ASSERT_TRUE(IsOk(again));
  ASSERT_EQ(again->size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_TRUE(SameScope((*view)[i], (*again)[i]));
  f.Check({{"blue", "red"}, {"red"}, {"blue"}, {"green"}, {"green", "red"}, {"purple"}});
}

// The strongest check: many random account and snapshot writes, the maintained aggregates compared with a
// recomputation after each step.
TEST_P(StoreConformance, AggregatesMatchARecomputationAfterRandomWrites) {
  Fleet f(store());
  std::mt19937 rng(20261205);
  auto pick = [&](int n) { return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng)); };
  const std::vector<std::string> teams = {"blue", "green", "red"};
  const std::vector<std::string> regions = {"eu-west-1", "us-east-1", "us-west-2"};
  const std::vector<std::string> codes = {"L-00000001", "L-00000002", "L-00000003"};
  auto some = [&](const std::vector<std::string>& from, bool non_empty) {
    std::vector<std::string> out;
    for (const std::string& x : from) {
      if (pick(2) == 0) out.push_back(x);
    }
    if (non_empty && out.empty()) out.push_back(from[static_cast<size_t>(pick(static_cast<int>(from.size())))]);
    return out;
  };
  std::vector<std::string> ids;
  const std::vector<std::vector<std::string>> users = {{"blue"}, {"green"}, {"red"}, {"blue", "red"}, teams};
  for (int step = 0; step < 300; ++step) {
    const int op = ids.empty() ? 0 : pick(10);
    if (op == 0 && ids.size() < 12) {
      std::string id = std::to_string(100000000000 + static_cast<int64_t>(ids.size()) * 7);
      Account a = Acct(id, some(teams, false), some(regions, true));
      if (pick(5) == 0) a.status = AccountStatus::kInactive;
      f.Create(a);
      ids.push_back(id);
    } else if (op <= 3) {
      const std::string& id = ids[static_cast<size_t>(pick(static_cast<int>(ids.size())))];
      switch (pick(4)) {
        case 0:
          f.Update(id, [&](Account& a) { a.teams = some(teams, false); });
          break;
        case 1:
          f.Update(id, [&](Account& a) { a.regions = some(regions, true); });
          break;
        case 2:
          f.Update(id, [&](Account& a) {
            a.status = a.status == AccountStatus::kActive ? AccountStatus::kInactive : AccountStatus::kActive;
          });
          break;
        default:
          f.Update(id, [&](Account& a) {
            a.teams = some(teams, false);
            a.regions = some(regions, true);
            a.account_name += "x";
          });
      }
    } else {
      // A snapshot of a known account, now and then of an account not created yet.
      std::string id = pick(8) == 0 ? std::to_string(100000000000 + static_cast<int64_t>(ids.size()) * 7)
                                    : ids[static_cast<size_t>(pick(static_cast<int>(ids.size())))];
      std::vector<QuotaValue> values;
      for (const std::string& code : some(codes, false)) {
        switch (pick(4)) {
          case 0:
            values.push_back(Value(code, pick(1000) * 1000.0, QuotaState::kOk));
            break;
          case 1:
            values.push_back(Value(code, pick(1000) * 1.0, QuotaState::kStale));
            break;
          case 2:
            values.push_back(Value(code, std::nullopt, QuotaState::kError));
            break;
          default:
            values.push_back(Value(code, std::nullopt, QuotaState::kNever));
        }
      }
      f.Put(id, regions[static_cast<size_t>(pick(3))], values);
    }
    if (::testing::Test::HasFatalFailure()) return;
    f.Check(users, "step " + std::to_string(step));
    if (::testing::Test::HasFailure()) return;
  }
}

}  // namespace
}  // namespace ap::store::testing
