// Conformance: the quota cache and config (quota_cache_store.h). Each test names the clause of the store interface it
// checks.
#include <map>

#include "store_conformance_fixtures.h"

namespace ap::store::testing {
namespace {

using namespace fixtures;  // NOLINT(google-build-using-namespace): the suite's shared builders

// ---- Quota cache ----------------------------------------------------------------------------------------

QuotaSnapshot RichSnapshot() {
  QuotaSnapshot s;
  s.account_id = "111111111111";
  s.region = "us-east-1";
  s.updated_at_ms = 1'700'000'500'000;
  QuotaValue ok = Value("L-00000001", 400000.0, QuotaState::kOk);
  ok.read_at_ms = 1'700'000'400'000;
  ok.attempted_at_ms = 1'700'000'400'000;
  ok.aws_default = 2'000'000.0;  // AWS's default beside the applied value
  ok.aws_default_read_at_ms = 1'700'000'300'000;
  QuotaValue def = Value("L-00000002", 0.25, QuotaState::kOk);  // fractional values survive exactly
  def.is_default = true;
  def.read_at_ms = 1'700'000'400'001;
  def.attempted_at_ms = 1'700'000'400'001;
  def.aws_default = 0.25;
  def.aws_default_read_at_ms = 1'700'000'400'001;
  QuotaValue stale = Value("L-00000003", 2000.0, QuotaState::kStale);
  stale.reason = "ThrottlingException: Rate exceeded";
  stale.read_at_ms = 1'690'000'000'000;
  stale.attempted_at_ms = 1'700'000'400'002;
  QuotaValue error = Value("L-00000004", std::nullopt, QuotaState::kError);
  error.reason = "AccessDeniedException";
  error.attempted_at_ms = 1'700'000'400'003;
  QuotaValue never = Value("L-00000005", std::nullopt, QuotaState::kNever);
  QuotaValue zero = Value("L-00000006", 0.0, QuotaState::kOk);  // a real zero is not "absent"
  zero.read_at_ms = 1'700'000'400'004;
  s.values = {ok, def, stale, error, never, zero};
  return s;
}

TEST_P(StoreConformance, GetQuotaSnapshotWithNothingCachedIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetQuotaSnapshot("111111111111", "us-east-1")));
}

TEST_P(StoreConformance, PutQuotaSnapshotStoresValuesExactlyAndAbsentStaysAbsent) {
  QuotaSnapshot s = RichSnapshot();
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(s)));
  auto got = store().GetQuotaSnapshot("111111111111", "us-east-1");
  ASSERT_TRUE(IsOk(got));
  ExpectSameSnapshot(s, *got);
  const QuotaValue* error = got->Find("L-00000004");
  ASSERT_NE(error, nullptr);
  EXPECT_FALSE(error->value.has_value()) << "an absent value came back as " << error->value.value_or(-1);
  const QuotaValue* never = got->Find("L-00000005");
  ASSERT_NE(never, nullptr);
  EXPECT_FALSE(never->value.has_value());
  EXPECT_FALSE(never->aws_default.has_value()) << "an unknown AWS default is absent, not 0";
  const QuotaValue* zero = got->Find("L-00000006");
  ASSERT_NE(zero, nullptr);
  ASSERT_TRUE(zero->value.has_value());
  EXPECT_EQ(*zero->value, 0.0);
}

TEST_P(StoreConformance, QuotaSnapshotLastLoweredRoundTripsAndAbsentStaysAbsent) {
  QuotaSnapshot s = RichSnapshot();
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(s)));
  auto got = store().GetQuotaSnapshot(s.account_id, s.region);
  ASSERT_TRUE(IsOk(got));
  EXPECT_FALSE(got->last_lowered.has_value());

  s.last_lowered = QuotaLowered{1'700'000'600'000, "L-00000001", 400000.25, 0.125};
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(s)));
  got = store().GetQuotaSnapshot(s.account_id, s.region);
  ASSERT_TRUE(IsOk(got));
  ExpectSameSnapshot(s, *got);
  auto listed = store().ListQuotaSnapshots("", 10);
  ASSERT_TRUE(IsOk(listed));
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].last_lowered, s.last_lowered);
  auto batch = store().GetQuotaSnapshots({{s.account_id, s.region}});
  ASSERT_TRUE(IsOk(batch));
  ASSERT_EQ(batch->size(), 1u);
  EXPECT_EQ((*batch)[0].last_lowered, s.last_lowered);

  // A later write without it clears it (the snapshot is replaced whole).
  s.last_lowered.reset();
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(s)));
  got = store().GetQuotaSnapshot(s.account_id, s.region);
  ASSERT_TRUE(IsOk(got));
  EXPECT_FALSE(got->last_lowered.has_value());
}

TEST_P(StoreConformance, PutQuotaSnapshotKeepsExtremeDoublesExact) {
  QuotaSnapshot s;
  s.account_id = "111111111111";
  s.region = "us-east-1";
  s.values = {Value("L-00000001", 0.1, QuotaState::kOk), Value("L-00000002", 1e300, QuotaState::kOk),
              Value("L-00000003", 9007199254740993.0, QuotaState::kOk),
              Value("L-00000004", std::numeric_limits<double>::infinity(), QuotaState::kOk),
              Value("L-00000005", -1.5, QuotaState::kOk)};
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(s)));
  ExpectSameSnapshot(s, *store().GetQuotaSnapshot("111111111111", "us-east-1"));
}

TEST_P(StoreConformance, GetQuotaSnapshotReturnsValuesSortedByQuotaCode) {
  QuotaSnapshot s;
  s.account_id = "111111111111";
  s.region = "us-east-1";
  s.values = {Value("L-CCCCCCCC", 3.0, QuotaState::kOk), Value("L-AAAAAAAA", 1.0, QuotaState::kOk),
              Value("L-BBBBBBBB", 2.0, QuotaState::kOk)};
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(s)));
  auto got = store().GetQuotaSnapshot("111111111111", "us-east-1");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(Ids(got->values, [](const QuotaValue& v) { return v.quota_code; }),
            (std::vector<std::string>{"L-AAAAAAAA", "L-BBBBBBBB", "L-CCCCCCCC"}));
}

TEST_P(StoreConformance, PutQuotaSnapshotReplacesTheWholeSnapshot) {
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(RichSnapshot())));
  QuotaSnapshot next;
  next.account_id = "111111111111";
  next.region = "us-east-1";
  next.updated_at_ms = 1'800'000'000'000;
  QuotaValue changed = Value("L-00000001", std::nullopt, QuotaState::kError);  // a value can become absent
  changed.reason = "gone";
  next.values = {changed, Value("L-00000009", 5.0, QuotaState::kOk)};
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(next)));
  auto got = store().GetQuotaSnapshot("111111111111", "us-east-1");
  ASSERT_TRUE(IsOk(got));
  ExpectSameSnapshot(next, *got);  // L-00000002..6 are gone
  EXPECT_EQ(got->Find("L-00000002"), nullptr);
}

TEST_P(StoreConformance, PutQuotaSnapshotWithNoValuesIsStillASnapshot) {
  QuotaSnapshot empty;
  empty.account_id = "111111111111";
  empty.region = "eu-west-1";
  empty.updated_at_ms = 42;
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(empty)));
  auto got = store().GetQuotaSnapshot("111111111111", "eu-west-1");
  ASSERT_TRUE(IsOk(got));
  ExpectSameSnapshot(empty, *got);
  auto all = store().ListQuotaSnapshots("", 10);
  ASSERT_TRUE(IsOk(all));
  ASSERT_EQ(all->items.size(), 1u);
  ExpectSameSnapshot(empty, all->items[0]);
  EXPECT_EQ(all->next, "");
}

TEST_P(StoreConformance, QuotaSnapshotsAreKeptPerAccountAndRegion) {
  QuotaSnapshot a = RichSnapshot();
  QuotaSnapshot b = RichSnapshot();
  b.region = "eu-west-1";
  b.values.resize(1);
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(a)));
  ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(b)));
  ExpectSameSnapshot(a, *store().GetQuotaSnapshot("111111111111", "us-east-1"));
  ExpectSameSnapshot(b, *store().GetQuotaSnapshot("111111111111", "eu-west-1"));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetQuotaSnapshot("222222222222", "us-east-1")));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetQuotaSnapshot("111111111111", "us-west-2")));
}

// Six snapshots (two accounts x three regions) with two values each, as GetQuotaSnapshot returns them.
std::vector<QuotaSnapshot> PutSixSnapshots(Store& store) {
  std::vector<QuotaSnapshot> stored;
  for (const char* account : {"222222222222", "111111111111"}) {
    for (const char* region : {"us-west-2", "eu-west-1", "us-east-1"}) {
      QuotaSnapshot s;
      s.account_id = account;
      s.region = region;
      s.updated_at_ms = 7;
      s.values = {Value("L-00000002", std::nullopt, QuotaState::kNever), Value("L-00000001", 10.0, QuotaState::kOk)};
      EXPECT_TRUE(IsOk(store.PutQuotaSnapshot(s)));
      std::sort(s.values.begin(), s.values.end(),
                [](const QuotaValue& x, const QuotaValue& y) { return x.quota_code < y.quota_code; });
      stored.push_back(s);
    }
  }
  return stored;
}

std::string KeyOf(const QuotaSnapshot& s) { return s.account_id + "/" + s.region; }

TEST_P(StoreConformance, GetQuotaSnapshotsReturnsTheCachedOnesInKeyOrderOnce) {
  std::vector<QuotaSnapshot> stored = PutSixSnapshots(store());
  auto none = store().GetQuotaSnapshots({});
  ASSERT_TRUE(IsOk(none));
  EXPECT_TRUE(none->empty());
  std::vector<SnapshotKey> keys = {{"111111111111", "us-west-2"},
                                   {"333333333333", "us-east-1"},  // nothing cached: left out
                                   {"222222222222", "eu-west-1"},
                                   {"111111111111", "us-west-2"},  // twice: served once
                                   {"111111111111", "ap-south-1"}};
  auto got = store().GetQuotaSnapshots(keys);
  ASSERT_TRUE(IsOk(got));
  ASSERT_EQ(got->size(), 2u);
  for (const QuotaSnapshot& want : stored) {
    if (KeyOf(want) == "111111111111/us-west-2") ExpectSameSnapshot(want, (*got)[0]);
    if (KeyOf(want) == "222222222222/eu-west-1") ExpectSameSnapshot(want, (*got)[1]);
  }
}

TEST_P(StoreConformance, GetQuotaSnapshotsWithMoreThanAThousandKeysIsInvalidArgument) {
  std::vector<SnapshotKey> keys(1001, SnapshotKey{"111111111111", "us-east-1"});
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().GetQuotaSnapshots(keys)));
  keys.resize(1000);
  EXPECT_TRUE(IsOk(store().GetQuotaSnapshots(keys)));
}

TEST_P(StoreConformance, ListQuotaSnapshotsPagesServeEverySnapshotExactlyOnce) {
  auto none = store().ListQuotaSnapshots("", 10);
  ASSERT_TRUE(IsOk(none));
  EXPECT_TRUE(none->items.empty());
  EXPECT_EQ(none->next, "");
  std::vector<QuotaSnapshot> stored = PutSixSnapshots(store());
  for (int64_t limit : {1, 2, 4, 6, 1000}) {
    std::map<std::string, QuotaSnapshot> served;
    std::string cursor;
    int pages = 0;
    do {
      auto page = store().ListQuotaSnapshots(cursor, limit);
      ASSERT_TRUE(IsOk(page));
      ASSERT_LE(page->items.size(), static_cast<size_t>(limit));
      for (const QuotaSnapshot& s : page->items) EXPECT_TRUE(served.emplace(KeyOf(s), s).second) << KeyOf(s);
      cursor = page->next;
      ASSERT_LT(++pages, 10) << "the pages do not end";
    } while (!cursor.empty());
    ASSERT_EQ(served.size(), stored.size()) << "limit " << limit;
    for (const QuotaSnapshot& want : stored) ExpectSameSnapshot(want, served[KeyOf(want)]);
  }
}

TEST_P(StoreConformance, ListQuotaSnapshotsPagingIsStableUnderInserts) {
  std::vector<QuotaSnapshot> stored = PutSixSnapshots(store());
  std::set<std::string> served;
  std::string cursor;
  int inserted = 0;
  do {
    auto page = store().ListQuotaSnapshots(cursor, 2);
    ASSERT_TRUE(IsOk(page));
    for (const QuotaSnapshot& s : page->items) EXPECT_TRUE(served.insert(KeyOf(s)).second) << KeyOf(s);
    cursor = page->next;
    // New snapshots between pages: before, among and after the ones already served.
    for (const char* account : {"000000000000", "150000000000", "999999999999"}) {
      QuotaSnapshot s;
      s.account_id = account;
      s.region = "us-east-" + std::to_string(++inserted);
      ASSERT_TRUE(IsOk(store().PutQuotaSnapshot(s)));
    }
  } while (!cursor.empty());
  for (const QuotaSnapshot& want : stored) EXPECT_EQ(served.count(KeyOf(want)), 1u) << KeyOf(want);
}

TEST_P(StoreConformance, ListQuotaSnapshotsRejectsABadCursorAndLimit) {
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListQuotaSnapshots("not-a-cursor", 10)));
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListQuotaSnapshots("", 0)));
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListQuotaSnapshots("", 1001)));
  (void)PutSixSnapshots(store());
  auto first = store().ListQuotaSnapshots("", 1);
  ASSERT_TRUE(IsOk(first));
  ASSERT_NE(first->next, "");
  // A cursor of another list is not one of this list's.
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("111111111111", "A"))));
  ASSERT_TRUE(IsOk(store().CreateAccount(MakeAccount("222222222222", "B"))));
  AccountFilter f;
  f.limit = 1;
  auto accounts = store().ListAccounts(f);
  ASSERT_TRUE(IsOk(accounts));
  ASSERT_NE(accounts->next, "");
  EXPECT_TRUE(Is(StatusCode::kInvalidArgument, store().ListQuotaSnapshots(accounts->next, 10)));
}

// ---- Quota config ---------------------------------------------------------------------------------------

QuotaConfig MakeConfig(int64_t version) {
  QuotaConfig c;
  c.updated_at_ms = 1'700'000'000'000 + version;
  c.updated_by = version == 1 ? "system" : "u_admin";
  c.version = version;
  ModelSpec full = Model("claude-sonnet-4.5-v1", "L-11111111", "L-22222222");
  full.show_in_dashboard = true;
  full.has_1m_context = true;
  full.quota_code_tpm_1m = "L-33333333";
  full.quota_code_rpm_1m = std::nullopt;  // null 1M code next to a set one
  ModelSpec tpm_only = Model("claude-haiku-3-v1", "L-44444444", std::nullopt);
  ModelSpec disabled = Model("claude-opus-4-v1", std::nullopt, std::nullopt);
  disabled.enabled = false;
  ModelSpec empty_code = Model("claude-test-v1", std::string(), std::nullopt);  // "" is not null
  c.models = {full, tpm_only, disabled, empty_code};
  return c;
}

TEST_P(StoreConformance, GetQuotaConfigBeforeTheFirstPutIsNotFound) {
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetQuotaConfig()));
}

TEST_P(StoreConformance, PutQuotaConfigWithExpectedZeroStoresTheFirstVersionExactly) {
  QuotaConfig c = MakeConfig(1);
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(c, 0)));
  auto got = store().GetQuotaConfig();
  ASSERT_TRUE(IsOk(got));
  ExpectSameConfig(c, *got);
  EXPECT_FALSE(got->models[2].quota_code_tpm.has_value());
  ASSERT_TRUE(got->models[3].quota_code_tpm.has_value());
  EXPECT_EQ(*got->models[3].quota_code_tpm, "");
}

TEST_P(StoreConformance, PutQuotaConfigKeepsEveryOutputTokenBurndownFromOneToAHundred) {
  QuotaConfig c = MakeConfig(1);
  c.models[0].output_token_burndown = 1;
  c.models[1].output_token_burndown = 100;
  c.models[2].output_token_burndown = 37;  // models[3] keeps the default, 5
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(c, 0)));
  auto got = store().GetQuotaConfig();
  ASSERT_TRUE(IsOk(got));
  ExpectSameConfig(c, *got);
  ASSERT_EQ(got->models.size(), 4u);
  EXPECT_EQ(got->models[0].output_token_burndown, 1);
  EXPECT_EQ(got->models[1].output_token_burndown, 100);
  EXPECT_EQ(got->models[2].output_token_burndown, 37);
  EXPECT_EQ(got->models[3].output_token_burndown, 5);

  QuotaConfig next = MakeConfig(2);  // a replacement stores its own values, not the previous ones
  next.models[1].output_token_burndown = 2;
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(next, 1)));
  got = store().GetQuotaConfig();
  ASSERT_TRUE(IsOk(got));
  ExpectSameConfig(next, *got);
  EXPECT_EQ(got->models[0].output_token_burndown, 5);
  EXPECT_EQ(got->models[1].output_token_burndown, 2);
}

TEST_P(StoreConformance, PutQuotaConfigWithTheStoredVersionReplacesTheDocument) {
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(MakeConfig(1), 0)));
  QuotaConfig next = MakeConfig(2);
  next.models.erase(next.models.begin());     // fewer models: the dropped one must not linger
  std::swap(next.models[0], next.models[1]);  // document order is kept, not sorted
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(next, 1)));
  ExpectSameConfig(next, *store().GetQuotaConfig());
  QuotaConfig empty = MakeConfig(3);
  empty.models.clear();
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(empty, 2)));
  ExpectSameConfig(empty, *store().GetQuotaConfig());
}

TEST_P(StoreConformance, PutQuotaConfigWithAStaleVersionIsFailedPreconditionAndChangesNothing) {
  QuotaConfig v1 = MakeConfig(1);
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(v1, 0)));
  QuotaConfig again = MakeConfig(1);
  again.updated_by = "u_other";
  EXPECT_TRUE(Is(StatusCode::kFailedPrecondition, store().PutQuotaConfig(again, 0)));
  QuotaConfig ahead = MakeConfig(3);
  ahead.models.clear();
  EXPECT_TRUE(Is(StatusCode::kFailedPrecondition, store().PutQuotaConfig(ahead, 2)));
  ExpectSameConfig(v1, *store().GetQuotaConfig());
}

TEST_P(StoreConformance, PutQuotaConfigExpectingAVersionWhenNothingIsStoredIsFailedPrecondition) {
  EXPECT_TRUE(Is(StatusCode::kFailedPrecondition, store().PutQuotaConfig(MakeConfig(2), 1)));
  EXPECT_TRUE(Is(StatusCode::kNotFound, store().GetQuotaConfig()));
}

TEST_P(StoreConformance, PutQuotaConfigWhoseVersionIsNotExpectedPlusOneIsRejected) {
  ASSERT_TRUE(IsOk(store().PutQuotaConfig(MakeConfig(1), 0)));
  QuotaConfig skip = MakeConfig(5);
  EXPECT_FALSE(store().PutQuotaConfig(skip, 1).ok());  // REQUIRES config.version == expected + 1
  EXPECT_EQ(store().GetQuotaConfig()->version, 1);
}

}  // namespace
}  // namespace ap::store::testing
