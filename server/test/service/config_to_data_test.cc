// Issue 16 §3 and §5 at the service level: a fleet refresh limited to some quota codes (kept in the job so that a
// resumed job reads the same), one audit entry per fleet job, what a quota config change changed, a shown but
// disabled model refused, target names in audit entries, and rejected account registrations audited.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/job.h"
#include "fake_aws.h"
#include "service/fleet_refresher.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

constexpr char kSonnetTpm[] = "L-27C57EE8";
constexpr char kOpusTpm[] = "L-3ABF6ACC";
constexpr char kOpusRpm[] = "L-58424D95";

class ConfigToDataTest : public ::testing::Test {
 protected:
  ConfigToDataTest()
      : pool(4),
        creds(*env.accounts, env.assumer, env.clock),
        refresher(*env.accounts, *env.quota_config, *env.quota, creds, quotas, *env.audit, *env.store, env.clock, pool,
                  RefreshOptions{}),
        fleet(*env.accounts, refresher, *env.store, *env.store, *env.audit, env.clock, env.random, FleetOptions{3}) {}

  void SetUp() override {
    for (const char* c : {"L-27C57EE8", "L-DB84CE56", "L-4B26E44A", "L-C0D53EFB", kOpusTpm, kOpusRpm})
      quotas.Set(c, {1000.0, 500.0, Status::Ok()});
    for (int i = 0; i < 2; ++i) ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(Id(i))));
  }

  static std::string Id(int i) { return "10000000000" + std::to_string(i); }

  std::vector<domain::AuditEntry> Audit(const std::string& action) {
    store::AuditFilter f;
    f.action = action;
    f.limit = 100;
    auto page = env.audit->List(f);
    EXPECT_OK(page);
    return page.ok() ? page->items : std::vector<domain::AuditEntry>{};
  }

  domain::QuotaValue ValueOf(const std::string& account_id, const std::string& code) {
    auto snapshot = env.quota->SnapshotFromStore(account_id, "us-east-1");
    EXPECT_OK(snapshot);
    if (!snapshot.ok()) return {};
    const domain::QuotaValue* v = (*snapshot)->Find(code);
    return v ? *v : domain::QuotaValue{};
  }

  testing::TestEnv env;
  testing::FakeServiceQuotas quotas;
  ThreadPool pool;
  AccountCredentials creds;
  QuotaRefresher refresher;
  FleetRefresher fleet;
};

TEST_F(ConfigToDataTest, ALimitedFleetJobReadsOnlyItsCodesAndLeavesTheOtherValuesUntouched) {
  ASSERT_OK(fleet.Start(env.Admin(), FleetRequest{}));
  fleet.WaitIdle();
  ASSERT_EQ(quotas.get_calls(), 12);
  const domain::QuotaValue sonnet_before = ValueOf(Id(0), kSonnetTpm);
  ASSERT_EQ(sonnet_before.value, 1000.0);

  env.clock.Advance(std::chrono::minutes(5));
  quotas.Set(kSonnetTpm, {2000.0, 500.0, Status::Ok()});
  quotas.Set(kOpusTpm, {3000.0, 500.0, Status::Ok()});
  FleetRequest limited;
  limited.model_ids = {"claude-opus-4.5"};
  limited.quota_codes = {kOpusTpm, kOpusRpm};
  auto job = fleet.Start(env.Admin(), limited);
  ASSERT_OK(job);
  fleet.WaitIdle();
  EXPECT_EQ(quotas.get_calls(), 12 + 4);  // two codes × two accounts
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(ValueOf(Id(i), kOpusTpm).value, 3000.0);
    EXPECT_EQ(ValueOf(Id(i), kSonnetTpm).value, 1000.0);  // not read: AWS's 2000 is not there yet
  }
  EXPECT_EQ(ValueOf(Id(0), kSonnetTpm), sonnet_before);  // untouched: same read_at and attempted_at
  // The scope is kept in the job, for people and for an instance resuming it.
  auto stored = env.store->GetJob(job->job_id);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->state, domain::JobState::kSucceeded);
  ASSERT_OK_AND_ASSIGN(domain::RefreshJobScope scope, domain::DecodeRefreshJobScope(stored->params));
  EXPECT_EQ(scope.model_ids, (std::vector<std::string>{"claude-opus-4.5"}));
  EXPECT_EQ(scope.quota_codes, (std::vector<std::string>{kOpusTpm, kOpusRpm}));
  auto items = fleet.Items(job->job_id, {});
  ASSERT_OK(items);
  for (const domain::JobItem& item : items->items) EXPECT_EQ(item.values_ok, 2);
}

TEST_F(ConfigToDataTest, AResumedLimitedJobReadsTheCodesItWasStartedWith) {
  domain::Job left;
  left.job_id = "j_limited";
  left.kind = "quota_refresh_all";
  left.state = domain::JobState::kInterrupted;
  left.created_by = "u_admin";
  left.created_at_ms = env.clock.NowUnixMillis();
  left.params = domain::EncodeRefreshJobScope({{"claude-opus-4.5"}, {kOpusTpm}});
  ASSERT_OK(env.store->CreateJob(left));
  std::vector<domain::JobItem> items;
  for (int i = 0; i < 2; ++i) {
    domain::JobItem item;
    item.seq = i;
    item.account_id = Id(i);
    item.region = "us-east-1";
    items.push_back(item);
  }
  ASSERT_OK(env.store->AddJobItems(left.job_id, items));
  ASSERT_OK(fleet.Resume(env.Admin(), left.job_id));
  fleet.WaitIdle();
  EXPECT_EQ(quotas.get_calls(), 2);  // one code × two accounts
  EXPECT_EQ(ValueOf(Id(0), kOpusTpm).state, domain::QuotaState::kOk);
  EXPECT_EQ(ValueOf(Id(0), kSonnetTpm).state, domain::QuotaState::kNever);
}

TEST_F(ConfigToDataTest, AMalformedCodeIsRefusedNamingTheField) {
  FleetRequest bad;
  bad.quota_codes = {"L-1234"};
  auto started = fleet.Start(env.Admin(), bad);
  EXPECT_EQ(started.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(started.status().field(), "quota_codes");
}

TEST_F(ConfigToDataTest, AFleetJobIsOneAuditEntryNotOnePerAccount) {
  auto job = fleet.Start(env.Admin(), FleetRequest{});
  ASSERT_OK(job);
  fleet.WaitIdle();
  EXPECT_TRUE(Audit("quota.refresh").empty());
  std::vector<domain::AuditEntry> started = Audit("quota.refresh_all");
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].target_type, "job");
  EXPECT_EQ(started[0].target_id, job->job_id);
  EXPECT_EQ(started[0].actor_id, "u_admin");
  EXPECT_NE(started[0].detail.find("\"accounts\":2"), std::string::npos) << started[0].detail;

  // A refresh of one account outside a job is audited, with the account's name.
  ASSERT_OK(refresher.Refresh(env.Admin(), Id(1), ""));
  std::vector<domain::AuditEntry> single = Audit("quota.refresh");
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].target_id, Id(1));
  EXPECT_NE(single[0].detail.find("\"target_name\":\"Account " + Id(1) + "\""), std::string::npos) << single[0].detail;
}

TEST_F(ConfigToDataTest, AQuotaConfigUpdateRecordsWhatChangedAndNamesTheNewlyReadModels) {
  auto config = env.quota_config->Get();
  ASSERT_OK(config);
  domain::QuotaConfig next = **config;
  ASSERT_GE(next.models.size(), 2u);
  // Opus: disabled (and so hidden); a new model added, enabled.
  domain::ModelSpec* opus = nullptr;
  for (domain::ModelSpec& m : next.models)
    if (m.model_id == "claude-opus-4.5") opus = &m;
  ASSERT_NE(opus, nullptr);
  opus->enabled = false;
  opus->show_in_dashboard = false;
  domain::ModelSpec added;
  added.model_id = "claude-haiku-4.5";
  added.display_name = "Claude Haiku 4.5";
  added.quota_code_tpm = "L-11111111";
  added.enabled = true;
  next.models.push_back(added);
  domain::QuotaConfigChanges changes;
  ASSERT_OK(env.quota_config->Put(env.Admin(), next, (*config)->version, &changes));
  EXPECT_EQ(changes.added, (std::vector<std::string>{"claude-haiku-4.5"}));
  EXPECT_EQ(changes.disabled, (std::vector<std::string>{"claude-opus-4.5"}));
  EXPECT_EQ(changes.newly_read_models, (std::vector<std::string>{"claude-haiku-4.5"}));
  std::vector<domain::AuditEntry> entries = Audit("quota_config.update");
  ASSERT_EQ(entries.size(), 1u);
  const std::string& d = entries[0].detail;
  EXPECT_NE(d.find("\"added\":[\"claude-haiku-4.5\"]"), std::string::npos) << d;
  EXPECT_NE(d.find("\"disabled\":[\"claude-opus-4.5\"]"), std::string::npos) << d;
  EXPECT_NE(d.find("\"removed\":[]"), std::string::npos) << d;
}

TEST_F(ConfigToDataTest, AModelShownButNotEnabledIsRefusedNamingTheField) {
  auto config = env.quota_config->Get();
  ASSERT_OK(config);
  domain::QuotaConfig next = **config;
  size_t i = 0;
  while (i < next.models.size() && !next.models[i].show_in_dashboard) ++i;
  ASSERT_LT(i, next.models.size());
  next.models[i].enabled = false;
  auto put = env.quota_config->Put(env.Admin(), next, (*config)->version);
  EXPECT_EQ(put.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(put.status().field(), "models[" + std::to_string(i) + "].show_in_dashboard");
  EXPECT_EQ((*env.quota_config->Get())->version, (*config)->version);  // nothing stored
}

TEST_F(ConfigToDataTest, RejectedAccountRegistrationsAreAuditedAsDeniedOrFailed) {
  // A duplicate (409).
  EXPECT_EQ(env.accounts->Create(env.Admin(), env.AccessKeyAccount(Id(0))).status().code(), StatusCode::kAlreadyExists);
  // A refused input (422).
  NewAccount bad = env.AccessKeyAccount("100000000009");
  bad.account_name = "";
  EXPECT_EQ(env.accounts->Create(env.Admin(), bad).status().code(), StatusCode::kInvalidArgument);
  // STS unreachable.
  env.sts.reject = Unavailable("STS is down");
  EXPECT_EQ(env.accounts->Create(env.Admin(), env.AccessKeyAccount("100000000008")).status().code(),
            StatusCode::kUnavailable);
  env.sts.reject = Status::Ok();

  std::vector<domain::AuditEntry> entries = Audit("account.create");  // newest first
  ASSERT_EQ(entries.size(), 5u);                                      // the two of SetUp, then the three refused
  EXPECT_EQ(entries[0].outcome, "failure");
  EXPECT_EQ(entries[0].target_id, "100000000008");
  EXPECT_NE(entries[0].detail.find("STS is down"), std::string::npos) << entries[0].detail;
  EXPECT_EQ(entries[1].outcome, "denied");
  EXPECT_NE(entries[1].detail.find("\"field\":\"account_name\""), std::string::npos) << entries[1].detail;
  EXPECT_EQ(entries[2].outcome, "denied");
  EXPECT_EQ(entries[2].target_id, Id(0));
  EXPECT_NE(entries[2].detail.find("\"target_name\":\"Account " + Id(0) + "\""), std::string::npos);
  EXPECT_NE(entries[2].detail.find("already registered"), std::string::npos) << entries[2].detail;
  EXPECT_EQ(entries[4].outcome, "success");
  EXPECT_NE(entries[4].detail.find("\"target_name\":\"Account " + Id(0) + "\""), std::string::npos);
}

TEST_F(ConfigToDataTest, UsersAreFoundByEmailForTheAuditFilter) {
  NewUser u;
  u.email = "Ops@Example.com";
  u.password = "a-long-enough-password-1";
  ASSERT_OK(env.auth->CreateUser(env.Admin(), u));
  ASSERT_OK_AND_ASSIGN(domain::User found, env.auth->GetUserByEmail(" ops@example.COM "));
  EXPECT_EQ(found.email, "ops@example.com");
  EXPECT_EQ(env.auth->GetUserByEmail("nobody@example.com").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(env.auth->GetUserByEmail("not an email").status().code(), StatusCode::kInvalidArgument);
  // user.create names the user by email.
  std::vector<domain::AuditEntry> created = Audit("user.create");
  ASSERT_FALSE(created.empty());
  EXPECT_NE(created[0].detail.find("\"target_name\":\"ops@example.com\""), std::string::npos) << created[0].detail;
}

}  // namespace
}  // namespace ap::service
