// Conformance: the value-sorted index (store/value_sort_index.h), for the backends that keep it. Expected pages
// come from a reference model of what the test wrote, sorted from scratch, so each check compares the maintained
// index with a full recomputation. A backend that does not derive from ValueSortIndex is skipped (the dashboard
// then refuses value sorts with 422: never a scan).
#include <functional>
#include <map>
#include <optional>

#include "common/collation.h"
#include "store/value_sort_index.h"
#include "store_conformance_fixtures.h"

namespace ap::store::testing {
namespace {

using namespace fixtures;  // NOLINT(google-build-using-namespace): the suite's shared builders

struct Got {
  std::string account_id;
  std::string region;
  double value;
  bool operator==(const Got& o) const { return account_id == o.account_id && region == o.region && value == o.value; }
};
std::ostream& operator<<(std::ostream& os, const Got& g) {
  return os << g.account_id << "/" << g.region << "=" << g.value;
}

// What the test wrote, and the expected order recomputed from it.
class Model {
 public:
  explicit Model(Store& store) : store_(store), index_(*dynamic_cast<ValueSortIndex*>(&store)) {}

  void Create(const Account& a) {
    ASSERT_TRUE(IsOk(store_.CreateAccount(a)));
    accounts_[a.account_id] = a;
  }
  void Update(const std::string& account_id, const std::function<void(Account&)>& change) {
    auto a = store_.GetAccount(account_id);
    ASSERT_TRUE(IsOk(a));
    Account next = *a;
    change(next);
    next.version = a->version + 1;
    ASSERT_TRUE(IsOk(store_.UpdateAccount(next, a->version)));
    accounts_[account_id] = next;
  }
  void Put(const std::string& account_id, const std::string& region, std::vector<QuotaValue> values) {
    QuotaSnapshot s;
    s.account_id = account_id;
    s.region = region;
    s.values = std::move(values);
    ASSERT_TRUE(IsOk(store_.PutQuotaSnapshot(s)));
    snapshots_[{account_id, region}] = s;
  }

  std::vector<Got> Expected(const ValueSortQuery& q) const {
    struct Keyed {
      double value;
      std::string name_key, id, region;
    };
    std::vector<Keyed> rows;
    for (const auto& [key, snap] : snapshots_) {
      auto a = accounts_.find(key.first);
      if (a == accounts_.end() || a->second.status != AccountStatus::kActive) continue;
      const std::vector<std::string>& regions = a->second.regions;
      if (std::find(regions.begin(), regions.end(), key.second) == regions.end()) continue;
      if (!q.region.empty() && key.second != q.region) continue;
      if (!q.fleet) {
        bool shared = false;
        for (const std::string& t : q.teams) {
          shared = shared || std::count(a->second.teams.begin(), a->second.teams.end(), t) > 0;
        }
        if (!shared) continue;
      }
      for (const QuotaValue& v : snap.values) {
        if (v.quota_code != q.quota_code || !v.value) continue;
        if (v.state != QuotaState::kOk && v.state != QuotaState::kStale) continue;
        rows.push_back({*v.value, CollationKey(a->second.account_name), key.first, key.second});
      }
    }
    std::sort(rows.begin(), rows.end(), [&](const Keyed& x, const Keyed& y) {
      if (x.value != y.value) return q.descending ? x.value > y.value : x.value < y.value;
      return std::tie(x.name_key, x.id, x.region) < std::tie(y.name_key, y.id, y.region);
    });
    std::vector<Got> out;
    for (const Keyed& k : rows) out.push_back({k.id, k.region, k.value});
    return out;
  }

  // Every page of `q` with `limit` rows, followed to the end (at most 100 pages).
  std::vector<Got> Walk(ValueSortQuery q, int64_t limit) {
    q.limit = limit;
    q.cursor.clear();
    std::vector<Got> out;
    for (int page = 0; page < 100; ++page) {
      auto got = index_.ListRowsByValue(q);
      EXPECT_TRUE(IsOk(got));
      if (!got.ok()) break;
      EXPECT_LE(got->rows.size(), static_cast<size_t>(limit));
      for (const ValueSortRow& r : got->rows) {
        out.push_back({r.account_id, r.region, r.value});
        EXPECT_EQ(r.account_name, accounts_.at(r.account_id).account_name);
      }
      if (got->next.empty()) break;
      q.cursor = got->next;
    }
    return out;
  }

  // The walk equals the recomputed order for every page size and both directions.
  void Check(ValueSortQuery q, const std::string& where) {
    for (bool desc : {false, true}) {
      q.descending = desc;
      const std::vector<Got> want = Expected(q);
      for (int64_t limit : {1, 2, 3, 200}) {
        EXPECT_EQ(Walk(q, limit), want) << where << (desc ? " desc" : " asc") << " limit " << limit;
      }
    }
  }

 private:
  Store& store_;
  ValueSortIndex& index_;
  std::map<std::string, Account> accounts_;
  std::map<std::pair<std::string, std::string>, QuotaSnapshot> snapshots_;
};

QuotaValue Val(const std::string& code, std::optional<double> value, QuotaState state = QuotaState::kOk) {
  QuotaValue v;
  v.quota_code = code;
  v.value = value;
  v.state = state;
  v.read_at_ms = value ? 1'700'000'000'000 : 0;
  return v;
}

Account Acct(const std::string& id, const std::string& name, std::vector<std::string> teams,
             std::vector<std::string> regions = {"us-east-1", "us-west-2"}) {
  Account a = MakeAccount(id, name, std::move(teams));
  a.regions = std::move(regions);
  return a;
}

ValueSortQuery Fleet(const std::string& code) {
  ValueSortQuery q;
  q.quota_code = code;
  return q;
}
ValueSortQuery Teams(const std::string& code, std::vector<std::string> teams) {
  ValueSortQuery q = Fleet(code);
  q.fleet = false;
  q.teams = std::move(teams);
  return q;
}

bool Supported(Store& store) { return dynamic_cast<ValueSortIndex*>(&store) != nullptr; }
ValueSortIndex& Index(Store& store) { return *dynamic_cast<ValueSortIndex*>(&store); }

// A small fleet: ties, stale, missing (null, error, never), inactive, a snapshot of a region the account does not
// use, several team sets.
void Seed(Model& m) {
  m.Create(Acct("111111111111", "bench-10", {"red"}));
  m.Create(Acct("222222222222", "bench-2", {"blue", "red"}));
  m.Create(Acct("333333333333", "Alpha", {}));
  m.Create(Acct("444444444444", "alpha", {"blue"}, {"us-east-1"}));
  Account off = Acct("555555555555", "Off", {"red"});
  off.status = AccountStatus::kInactive;
  m.Create(off);
  m.Put("111111111111", "us-east-1", {Val("L-1", 400), Val("L-2", 1e6)});
  m.Put("111111111111", "us-west-2", {Val("L-1", 400, QuotaState::kStale), Val("L-2", std::nullopt)});
  m.Put("222222222222", "us-east-1", {Val("L-1", 200), Val("L-2", 2e6, QuotaState::kError)});
  m.Put("222222222222", "us-west-2", {Val("L-1", 400)});
  m.Put("333333333333", "us-east-1", {Val("L-1", 1000), Val("L-2", 5e5)});
  m.Put("444444444444", "us-east-1", {Val("L-1", 400)});
  m.Put("444444444444", "eu-west-1", {Val("L-1", 9999)});  // a region it does not use
  m.Put("555555555555", "us-east-1", {Val("L-1", 1)});     // inactive
  m.Put("666666666666", "us-east-1", {Val("L-1", 7)});     // no such account
}

TEST_P(StoreConformance, ValueSortOrdersFreshAndStaleValuesWithTiesByNameAndLeavesMissingOut) {
  if (!Supported(store())) GTEST_SKIP() << "no value-sorted index on this backend";
  Model m(store());
  Seed(m);
  std::vector<Got> asc = m.Walk(Fleet("L-1"), 200);
  // Ties at 400 by natural name order: alpha < bench-2 < bench-10; the stale value sorts by its kept value.
  std::vector<Got> want = {{"222222222222", "us-east-1", 200}, {"444444444444", "us-east-1", 400},
                           {"222222222222", "us-west-2", 400}, {"111111111111", "us-east-1", 400},
                           {"111111111111", "us-west-2", 400}, {"333333333333", "us-east-1", 1000}};
  EXPECT_EQ(asc, want);
  // Descending: largest first, ties still by name ascending.
  ValueSortQuery desc = Fleet("L-1");
  desc.descending = true;
  std::vector<Got> want_desc = {{"333333333333", "us-east-1", 1000}, {"444444444444", "us-east-1", 400},
                                {"222222222222", "us-west-2", 400},  {"111111111111", "us-east-1", 400},
                                {"111111111111", "us-west-2", 400},  {"222222222222", "us-east-1", 200}};
  EXPECT_EQ(m.Walk(desc, 200), want_desc);
  // L-2: the null and error values have no entry.
  EXPECT_EQ(m.Walk(Fleet("L-2"), 200),
            (std::vector<Got>{{"333333333333", "us-east-1", 5e5}, {"111111111111", "us-east-1", 1e6}}));
  m.Check(Fleet("L-1"), "fleet");
  m.Check(Fleet("L-2"), "fleet L-2");
  m.Check(Fleet("L-9"), "unknown code");
}

TEST_P(StoreConformance, ValueSortHonoursTeamScopesAndTheRegionFilter) {
  if (!Supported(store())) GTEST_SKIP() << "no value-sorted index on this backend";
  Model m(store());
  Seed(m);
  m.Check(Teams("L-1", {"red"}), "red");
  m.Check(Teams("L-1", {"blue", "red"}), "blue+red: each account once");
  m.Check(Teams("L-1", {"blue"}), "blue");
  m.Check(Teams("L-1", {"green"}), "a team with no account");
  m.Check(Teams("L-1", {}), "no team");
  ValueSortQuery west = Fleet("L-1");
  west.region = "us-west-2";
  m.Check(west, "us-west-2");
  ValueSortQuery red_east = Teams("L-1", {"red"});
  red_east.region = "us-east-1";
  m.Check(red_east, "red us-east-1");
  std::vector<Got> red = m.Walk(Teams("L-1", {"blue", "red"}), 1);
  EXPECT_EQ(red.size(), 5u);  // 222 ×2, 111 ×2, 444: the shared account 222 once per region
}

TEST_P(StoreConformance, ValueSortFollowsSnapshotAndAccountWrites) {
  if (!Supported(store())) GTEST_SKIP() << "no value-sorted index on this backend";
  Model m(store());
  Seed(m);
  // A value changes, a value becomes missing, a missing one gets a value.
  m.Put("333333333333", "us-east-1", {Val("L-1", 5), Val("L-2", std::nullopt, QuotaState::kError)});
  m.Put("111111111111", "us-west-2", {Val("L-1", 300), Val("L-2", 3e6, QuotaState::kStale)});
  m.Check(Fleet("L-1"), "after snapshot writes");
  m.Check(Fleet("L-2"), "after snapshot writes L-2");
  // Rename: the ties reorder.
  m.Update("444444444444", [](Account& a) { a.account_name = "zulu"; });
  m.Check(Fleet("L-1"), "after rename");
  // Deactivate, reactivate.
  m.Update("222222222222", [](Account& a) { a.status = AccountStatus::kInactive; });
  m.Check(Fleet("L-1"), "after deactivation");
  m.Check(Teams("L-1", {"blue"}), "blue after deactivation");
  m.Update("555555555555", [](Account& a) { a.status = AccountStatus::kActive; });
  m.Check(Fleet("L-1"), "after reactivation");
  // A region removed, one added (its snapshot exists already), teams changed.
  m.Update("111111111111", [](Account& a) { a.regions = {"us-east-1"}; });
  m.Update("444444444444", [](Account& a) { a.regions = {"eu-west-1", "us-east-1"}; });
  m.Update("333333333333", [](Account& a) { a.teams = {"green"}; });
  for (const auto& q : {Fleet("L-1"), Teams("L-1", {"red"}), Teams("L-1", {"green"}), Teams("L-1", {"blue"})}) {
    m.Check(q, "after region/team changes");
  }
  // A credential-only update changes nothing.
  m.Update("111111111111", [](Account& a) { a.access_key_id_masked = "AKIA************ABCD"; });
  m.Check(Fleet("L-1"), "after an unrelated update");
}

TEST_P(StoreConformance, ValueSortRefusesForeignCursorsAndBadLimits) {
  if (!Supported(store())) GTEST_SKIP() << "no value-sorted index on this backend";
  Model m(store());
  Seed(m);
  ValueSortQuery q = Fleet("L-1");
  q.limit = 1;
  auto first = Index(store()).ListRowsByValue(q);
  ASSERT_TRUE(IsOk(first));
  ASSERT_FALSE(first->next.empty());
  ValueSortQuery other = q;
  other.cursor = first->next;
  other.descending = true;
  EXPECT_EQ(Index(store()).ListRowsByValue(other).status().field(), "cursor");
  other = q;
  other.cursor = first->next;
  other.quota_code = "L-2";
  EXPECT_EQ(Index(store()).ListRowsByValue(other).status().field(), "cursor");
  other = q;
  other.cursor = "not-a-cursor";
  EXPECT_EQ(Index(store()).ListRowsByValue(other).status().field(), "cursor");
  for (int64_t bad : {0, 201}) {
    other = q;
    other.limit = bad;
    EXPECT_EQ(Index(store()).ListRowsByValue(other).status().field(), "limit");
  }
}

}  // namespace
}  // namespace ap::store::testing
