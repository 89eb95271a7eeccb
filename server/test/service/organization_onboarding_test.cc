// OrganizationOnboarding on the test graph (in-memory SQLite, FakeSts with per-role accounts) with a scripted
// Organizations fake: listing with OU paths and registration flags, the "registered" filter and cursor pages, the
// listing cache, registration outcomes (registered / already_registered / failed), bounds and admin-only access.
#include "service/organization_onboarding.h"

#include <gtest/gtest.h>

#include "fake_organizations.h"
#include "service/account_credentials.h"
#include "test_env.h"

namespace ap::service {
namespace {

using ap::testing::FakeOrganizations;
using ap::testing::TestEnv;

constexpr char kMgmt[] = "500000000000";

std::string Member(int i) { return std::to_string(500000000100LL + i); }

class OrganizationOnboardingTest : public ::testing::Test {
 protected:
  OrganizationOnboardingTest()
      : creds(*env.accounts, env.assumer, env.clock),
        onboarding(*env.store, *env.accounts, creds, orgs, *env.audit, env.clock) {
    env.sts.per_role_accounts = true;
    env.sts.required_external_id = "ext-org";
    tree.units = {{"r-ab12", "Root", "", "Root"},
                  {"ou-ab12-11111111", "Workloads", "r-ab12", "Root/Workloads"},
                  {"ou-ab12-22222222", "Prod", "ou-ab12-11111111", "Root/Workloads/Prod"}};
    for (int i = 0; i < 30; ++i) {
      aws::OrganizationAccount a;
      a.id = Member(i);
      a.name = "member-" + std::to_string(i);
      a.email = "m" + std::to_string(i) + "@example.com";
      a.status = i == 4 ? "SUSPENDED" : "ACTIVE";
      a.joined_method = "CREATED";
      a.joined_timestamp = TimePoint(std::chrono::seconds(1'700'000'000));
      orgs.accounts.push_back(a);
      tree.account_parent[a.id] = i < 10 ? "ou-ab12-22222222" : "r-ab12";
    }
    orgs.tree = tree;
    // The management account, registered with its own keys.
    auto m = env.accounts->Create(env.Admin(), env.AccessKeyAccount(kMgmt));
    EXPECT_TRUE(m.ok()) << m.status().ToString();
  }

  OrganizationRegistration Selection(std::vector<std::string> ids) {
    OrganizationRegistration r;
    r.account_ids = std::move(ids);
    r.external_id = "ext-org";
    return r;
  }

  TestEnv env;
  AccountCredentials creds;
  FakeOrganizations orgs;
  aws::OrganizationTree tree;
  OrganizationOnboarding onboarding;
};

TEST_F(OrganizationOnboardingTest, ListsEveryAccountWithItsOuPathAndRegistration) {
  ASSERT_TRUE(env.accounts->Create(env.Admin(), env.AccessKeyAccount(Member(1))).ok());
  OrganizationQuery q;
  q.page_size = 200;
  auto page = onboarding.List(env.Admin(), kMgmt, q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->organization_accounts, 30);
  ASSERT_EQ(page->items.size(), 30u);
  EXPECT_EQ(page->next, "");
  EXPECT_EQ(orgs.last_key, "AKIATEST" + std::string(kMgmt));  // read with the management account's credentials
  const OrganizationMember& one = page->items[1];
  EXPECT_EQ(one.account_id, Member(1));
  EXPECT_EQ(one.ou_path, "Root/Workloads/Prod");
  EXPECT_EQ(one.platform_status, domain::AccountStatus::kActive);
  EXPECT_EQ(page->items[4].status, "SUSPENDED");
  EXPECT_FALSE(page->items[4].platform_status.has_value());
  EXPECT_EQ(page->items[20].ou_path, "Root");
  EXPECT_EQ(page->items[0].joined_at_ms, int64_t{1'700'000'000'000});
}

TEST_F(OrganizationOnboardingTest, FiltersUnregisteredAcrossCursorPages) {
  for (int i : {0, 1, 2, 13}) ASSERT_TRUE(env.accounts->Create(env.Admin(), env.AccessKeyAccount(Member(i))).ok());
  OrganizationQuery q;
  q.registered = false;
  q.page_size = 10;
  std::vector<std::string> seen;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = onboarding.List(env.Admin(), kMgmt, q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->items.size(), 10u);
    for (const auto& m : page->items) {
      EXPECT_FALSE(m.platform_status.has_value()) << m.account_id;
      seen.push_back(m.account_id);
    }
    if (page->next.empty()) break;
    q.cursor = page->next;
  }
  EXPECT_EQ(seen.size(), 26u);
  EXPECT_EQ(orgs.list_calls, 1);  // the listing is read from AWS once within its ttl
  env.clock.Advance(std::chrono::seconds(61));
  ASSERT_TRUE(onboarding.List(env.Admin(), kMgmt, {}).ok());
  EXPECT_EQ(orgs.list_calls, 2);
}

TEST_F(OrganizationOnboardingTest, RegistersASelectionWithPerAccountOutcomes) {
  ASSERT_TRUE(env.accounts->Create(env.Admin(), env.AccessKeyAccount(Member(2))).ok());
  env.sts.denied_roles.insert("arn:aws:iam::" + Member(3) + ":role/OrganizationAccountAccessRole");
  auto out =
      onboarding.Register(env.Admin(), kMgmt, Selection({Member(1), Member(2), Member(3), Member(1), "599999999999"}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 4u);  // the repeated id once
  EXPECT_EQ((*out)[0].result, RegistrationResult::kRegistered);
  ASSERT_TRUE((*out)[0].account.has_value());
  EXPECT_EQ((*out)[0].account->account_name, "member-1");
  EXPECT_EQ((*out)[0].account->role_arn, "arn:aws:iam::" + Member(1) + ":role/OrganizationAccountAccessRole");
  EXPECT_EQ((*out)[1].result, RegistrationResult::kAlreadyRegistered);
  EXPECT_EQ((*out)[2].result, RegistrationResult::kFailed);
  EXPECT_EQ((*out)[2].error.field(), "credentials");
  EXPECT_NE((*out)[2].error.message().find("AccessDenied"), std::string::npos);
  EXPECT_EQ((*out)[3].result, RegistrationResult::kFailed);
  EXPECT_EQ((*out)[3].error.code(), StatusCode::kNotFound);
  auto stored = env.accounts->Lookup(Member(1));
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ((*stored)->credential_type, domain::CredentialType::kAssumeRole);
}

TEST_F(OrganizationOnboardingTest, RoleNameTeamsAndRegionsAreUsed) {
  auto r = Selection({Member(5)});
  r.role_name = "AccountPlatformQuotaReader";
  r.regions = std::vector<std::string>{"us-west-2", "eu-west-1"};
  auto out = onboarding.Register(env.Admin(), kMgmt, r);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ((*out)[0].result, RegistrationResult::kRegistered) << (*out)[0].error.ToString();
  EXPECT_EQ((*out)[0].account->role_arn, "arn:aws:iam::" + Member(5) + ":role/AccountPlatformQuotaReader");
  EXPECT_EQ((*out)[0].account->regions, (std::vector<std::string>{"eu-west-1", "us-west-2"}));
}

TEST_F(OrganizationOnboardingTest, RefusesBadSelectionsNamingTheField) {
  auto field = [&](OrganizationRegistration r) {
    auto out = onboarding.Register(env.Admin(), kMgmt, std::move(r));
    EXPECT_FALSE(out.ok());
    return out.ok() ? std::string("ok") : out.status().field();
  };
  EXPECT_EQ(field(Selection({})), "account_ids");
  EXPECT_EQ(field(Selection({"12"})), "account_ids");
  std::vector<std::string> many;
  for (int i = 0; i < 101; ++i) many.push_back(Member(i));
  EXPECT_EQ(field(Selection(many)), "account_ids");
  auto bad_role = Selection({Member(1)});
  bad_role.role_name = "no spaces allowed";
  EXPECT_EQ(field(bad_role), "role_name");
  auto bad_ext = Selection({Member(1)});
  bad_ext.external_id = "x";
  EXPECT_EQ(field(bad_ext), "external_id");
  auto bad_region = Selection({Member(1)});
  bad_region.regions = std::vector<std::string>{};
  EXPECT_EQ(field(bad_region), "regions");
}

TEST_F(OrganizationOnboardingTest, AdminsOnlyAndAwsRefusalsAreConflicts) {
  EXPECT_EQ(onboarding.List(env.UserOf({}), kMgmt, {}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(onboarding.Register(env.UserOf({}), kMgmt, Selection({Member(1)})).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(onboarding.List(env.Admin(), "599999999999", {}).status().code(), StatusCode::kNotFound);
  orgs.fail = PermissionDenied("AccessDeniedException: not the management account");
  auto refused = onboarding.List(env.Admin(), kMgmt, {});
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("AccessDeniedException"), std::string::npos);
  orgs.fail = Unavailable("ServiceException: try later");
  EXPECT_EQ(onboarding.List(env.Admin(), kMgmt, {}).status().code(), StatusCode::kUnavailable);
  OrganizationQuery bad;
  bad.cursor = "nope";
  EXPECT_EQ(onboarding.List(env.Admin(), kMgmt, bad).status().field(), "cursor");
  bad.cursor = "";
  bad.page_size = 0;
  EXPECT_EQ(onboarding.List(env.Admin(), kMgmt, bad).status().field(), "page_size");
}

}  // namespace
}  // namespace ap::service
