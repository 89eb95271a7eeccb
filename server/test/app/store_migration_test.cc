#include "app/store_migration.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "domain/quota_history.h"
#include "store/sqlite/sqlite_store.h"
#include "store_conformance_fixtures.h"

namespace ap::app {
namespace {

using namespace store::testing::fixtures;  // NOLINT(google-build-using-namespace): the store suite's fixtures

std::unique_ptr<store::SqliteStore> MemoryStore() {
  auto opened = store::SqliteStore::Open({.path = ":memory:"});
  EXPECT_TRUE(opened.ok()) << opened.status().message();
  return std::move(*opened);
}

std::map<std::string, int64_t> Counts(const StoreInventory& inv) {
  std::map<std::string, int64_t> out;
  for (const auto& k : inv.kinds) out[k.name] = k.count;
  return out;
}

domain::QuotaHistoryEntry History(const std::string& account, const std::string& region, const std::string& code,
                                  int64_t at_ms, double value) {
  domain::QuotaHistoryEntry e;
  e.history_id = domain::HistoryId(at_ms, code);
  e.account_id = account;
  e.region = region;
  e.quota_code = code;
  e.at_ms = at_ms;
  e.value = value;
  return e;
}

// A small platform with one record (or a few) of every kind the migration copies.
void Fill(store::Store& s) {
  ASSERT_TRUE(IsOk(s.PutTeam({"blue", "Blue", 1})));
  ASSERT_TRUE(IsOk(s.PutTeam({"red", "Red", 2})));
  ASSERT_TRUE(IsOk(s.CreateUser(MakeUser("u_1", "a@example.com"))));
  ASSERT_TRUE(IsOk(s.CreateUser(MakeUser("u_2", "b@example.com"))));
  ASSERT_TRUE(IsOk(s.CreateAccount(MakeAccount("111111111111", "Prod", {"blue"}))));
  ASSERT_TRUE(IsOk(s.CreateAccount(MakeAccount("222222222222", "Old", {}, AccountStatus::kInactive))));
  ASSERT_TRUE(IsOk(s.PutContactInfo("111111111111", MakeContact("Jane Doe"))));
  QuotaSnapshot snap;
  snap.account_id = "111111111111";
  snap.region = "us-east-1";
  snap.values = {Value("L-00000001", 400000, QuotaState::kOk), Value("L-00000002", std::nullopt, QuotaState::kError)};
  snap.updated_at_ms = 1'700'000'000'000;
  ASSERT_TRUE(IsOk(s.PutQuotaSnapshot(snap)));
  snap.region = "eu-west-1";
  snap.values = {Value("L-00000001", 0.5, QuotaState::kStale)};
  ASSERT_TRUE(IsOk(s.PutQuotaSnapshot(snap)));
  QuotaConfig config;
  config.models = {Model("claude-a", "L-00000001", "L-00000002")};
  config.version = 1;
  ASSERT_TRUE(IsOk(s.PutQuotaConfig(config, 0)));
  config.models.push_back(Model("claude-b", std::nullopt, std::nullopt));
  config.version = 2;
  ASSERT_TRUE(IsOk(s.PutQuotaConfig(config, 1)));
  ASSERT_TRUE(IsOk(s.AppendQuotaHistory({History("111111111111", "us-east-1", "L-00000001", 1'700'000'000'000, 1),
                                         History("111111111111", "us-east-1", "L-00000001", 1'700'000'100'000, 2),
                                         History("111111111111", "eu-west-1", "L-00000001", 1'700'000'000'000, 3)})));
  domain::Job job;
  job.job_id = "j_1";
  job.kind = "quota_refresh_all";
  job.state = domain::JobState::kSucceeded;
  job.created_by = "u_1";
  job.created_at_ms = 1'700'000'000'000;
  job.updated_at_ms = 1'700'000'050'000;
  job.finished_at_ms = 1'700'000'050'000;
  ASSERT_TRUE(IsOk(s.CreateJob(job)));
  std::vector<domain::JobItem> items(3);
  for (int i = 0; i < 3; ++i) {
    items[i].seq = i;
    items[i].account_id = "111111111111";
    items[i].region = i == 0 ? "eu-west-1" : "us-east-1";
  }
  ASSERT_TRUE(IsOk(s.AddJobItems("j_1", items)));
  ASSERT_TRUE(IsOk(s.FinishJobItem("j_1", 0, {domain::JobItemOutcome::kOk, 2, 0, "", 1'700'000'010'000})));
  ASSERT_TRUE(IsOk(s.FinishJobItem("j_1", 2, {domain::JobItemOutcome::kFailed, 0, 2, "denied", 1'700'000'020'000})));
  ASSERT_TRUE(IsOk(s.AppendAudit(MakeAudit("a_1", 1'700'000'000'000, "u_1", "account.create"))));
  ASSERT_TRUE(IsOk(s.AppendAudit(MakeAudit("a_2", 1'700'000'000'001, "u_2", "auth.login", "session", "s"))));
}

TEST(StoreMigration, CopiesEveryKindAndTheCopyMatches) {
  auto from = MemoryStore();
  auto to = MemoryStore();
  Fill(*from);
  std::ostringstream out;
  auto report = MigrateStore(*from, *to, out);
  ASSERT_TRUE(IsOk(report)) << out.str();
  EXPECT_TRUE(report->matches()) << out.str();
  EXPECT_EQ(Counts(report->target), (std::map<std::string, int64_t>{{"users", 2},
                                                                    {"teams", 2},
                                                                    {"accounts", 2},
                                                                    {"contact_info", 1},
                                                                    {"quota_snapshots", 2},
                                                                    {"quota_values", 3},
                                                                    {"quota_config_models", 2},
                                                                    {"quota_history", 3},
                                                                    {"jobs", 1},
                                                                    {"job_items", 3},
                                                                    {"audit_entries", 2}}));

  // The records themselves, not just their numbers.
  auto account = to->GetAccount("222222222222");
  ASSERT_TRUE(IsOk(account));
  EXPECT_EQ(Fields(*account), Fields(MakeAccount("222222222222", "Old", {}, AccountStatus::kInactive)));
  auto snap = to->GetQuotaSnapshot("111111111111", "us-east-1");
  ASSERT_TRUE(IsOk(snap));
  ExpectSameSnapshot(*from->GetQuotaSnapshot("111111111111", "us-east-1"), *snap);
  auto job = to->GetJob("j_1");
  ASSERT_TRUE(IsOk(job));
  EXPECT_EQ(job->state, domain::JobState::kSucceeded);
  EXPECT_EQ(job->counters, (domain::JobCounters{3, 1, 0, 1}));
  auto counts = to->CountAccounts();
  ASSERT_TRUE(IsOk(counts));
  EXPECT_EQ(counts->active, 1);
  EXPECT_EQ(counts->inactive, 1);
  auto fleet = to->GetFleetAggregate();
  ASSERT_TRUE(IsOk(fleet));
  EXPECT_EQ(fleet->active_accounts, 1);
  auto config = to->GetQuotaConfig();
  ASSERT_TRUE(IsOk(config));
  EXPECT_EQ(config->models, from->GetQuotaConfig()->models);
  EXPECT_EQ(config->version, 1);  // a fresh target starts the config's versions again
}

TEST(StoreMigration, RunningTwiceCopiesNothingTwice) {
  auto from = MemoryStore();
  auto to = MemoryStore();
  Fill(*from);
  std::ostringstream out;
  ASSERT_TRUE(IsOk(MigrateStore(*from, *to, out)));
  auto again = MigrateStore(*from, *to, out);
  ASSERT_TRUE(IsOk(again)) << out.str();
  EXPECT_TRUE(again->matches()) << out.str();
  EXPECT_EQ(Counts(again->target), Counts(again->source));
  EXPECT_EQ(to->GetJob("j_1")->counters, (domain::JobCounters{3, 1, 0, 1}));
  EXPECT_EQ(to->GetQuotaConfig()->version, 1);  // same models: not stored again
}

TEST(StoreMigration, ARerunOverwritesWhatChangedOnTheTarget) {
  auto from = MemoryStore();
  auto to = MemoryStore();
  Fill(*from);
  std::ostringstream out;
  ASSERT_TRUE(IsOk(MigrateStore(*from, *to, out)));
  Account renamed = MakeAccount("111111111111", "Renamed", {"blue"});
  renamed.version = 2;
  ASSERT_TRUE(IsOk(to->UpdateAccount(renamed, 1)));
  auto again = MigrateStore(*from, *to, out);
  ASSERT_TRUE(IsOk(again));
  EXPECT_TRUE(again->matches());
  EXPECT_EQ(to->GetAccount("111111111111")->account_name, "Prod");
}

TEST(StoreMigration, TheChecksumSeesAChangedValueAndTheReportAMissingRecord) {
  auto a = MemoryStore();
  auto b = MemoryStore();
  Fill(*a);
  Fill(*b);
  auto same_a = TakeInventory(*a);
  auto same_b = TakeInventory(*b);
  ASSERT_TRUE(IsOk(same_a));
  ASSERT_TRUE(IsOk(same_b));
  EXPECT_EQ(same_a->values_checksum, same_b->values_checksum);

  QuotaSnapshot snap = *b->GetQuotaSnapshot("111111111111", "eu-west-1");
  snap.values[0].value = 0.25;
  ASSERT_TRUE(IsOk(b->PutQuotaSnapshot(snap)));
  ASSERT_TRUE(IsOk(b->AppendAudit(MakeAudit("a_3", 1'700'000'000'002, "u_2", "auth.logout", "session", "s"))));
  MigrationReport report{*same_a, *TakeInventory(*b)};
  EXPECT_NE(report.source.values_checksum, report.target.values_checksum);
  EXPECT_FALSE(report.matches());
  EXPECT_EQ(Counts(report.target)["audit_entries"], 3);
}

}  // namespace
}  // namespace ap::app
