#include "service/account_service.h"

#include <gtest/gtest.h>

#include "recording_store.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

class AccountServiceTest : public ::testing::Test {
 protected:
  testing::TestEnv env;
};

TEST_F(AccountServiceTest, CreateSealsCredentialsBoundToTheAccount) {
  auto a = env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012", {"ops"}));
  ASSERT_OK(a);
  EXPECT_EQ(a->access_key_id_masked, "AKIA************9012");
  EXPECT_EQ(a->regions, std::vector<std::string>{"us-east-1"});
  auto stored = env.store->GetAccount("123456789012");
  ASSERT_OK(stored);
  EXPECT_EQ(stored->sealed_credentials.find("wJalrXUtnFEMI"), std::string::npos);
  EXPECT_EQ(stored->sealed_credentials.find("AKIATEST123456789012"), std::string::npos);
  auto creds = env.accounts->OpenCredentials(*stored);
  ASSERT_OK(creds);
  EXPECT_EQ(creds->secret_access_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  // A sealed blob moved to another account does not open.
  stored->account_id = "210987654321";
  EXPECT_FALSE(env.accounts->OpenCredentials(*stored).ok());
}

TEST_F(AccountServiceTest, CreateValidatesEveryField) {
  auto req = env.AccessKeyAccount("12345");
  EXPECT_EQ(env.accounts->Create(env.Admin(), req).status().field(), "account_id");
  req = env.AccessKeyAccount("123456789012");
  req.regions = std::vector<std::string>{"us-east-1", "moon-1"};
  EXPECT_EQ(env.accounts->Create(env.Admin(), req).status().field(), "regions[1]");
  req = env.AccessKeyAccount("123456789012");
  req.account_name = "  ";
  EXPECT_EQ(env.accounts->Create(env.Admin(), req).status().field(), "account_name");
  req = env.AccessKeyAccount("123456789012");
  req.credentials.secret_access_key = "short";
  EXPECT_EQ(env.accounts->Create(env.Admin(), req).status().field(), "credentials.secret_access_key");
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  EXPECT_EQ(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")).status().code(),
            StatusCode::kAlreadyExists);
}

TEST_F(AccountServiceTest, TakesTheAccountIdFromAwsAndChecksTheOneGiven) {
  auto req = env.AccessKeyAccount("123456789012");
  req.account_id.clear();  // not given: AWS says which account the keys belong to
  auto a = env.accounts->Create(env.Admin(), req);
  ASSERT_OK(a);
  EXPECT_EQ(a->account_id, "123456789012");
  auto other = env.AccessKeyAccount("210987654321");
  other.account_id = "111111111111";  // given, but the keys belong to 210987654321
  auto mismatch = env.accounts->Create(env.Admin(), other);
  EXPECT_EQ(mismatch.status().field(), "account_id");
  EXPECT_NE(mismatch.status().message().find("210987654321"), std::string::npos);
  EXPECT_EQ(env.store->GetAccount("111111111111").status().code(), StatusCode::kNotFound);
}

TEST_F(AccountServiceTest, RejectedCredentialsAre422WithTheAwsCode) {
  env.sts.reject = Unauthenticated("InvalidClientTokenId: The security token included in the request is invalid.");
  auto r = env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012"));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "credentials");
  EXPECT_NE(r.status().message().find("InvalidClientTokenId"), std::string::npos);
  env.sts.reject = Unavailable("connection refused");
  EXPECT_EQ(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")).status().code(),
            StatusCode::kUnavailable);
  env.sts.reject = Status::Ok();
  auto role = env.AccessKeyAccount("123456789012");
  role.credentials = domain::Credentials{};
  role.credentials.type = domain::CredentialType::kAssumeRole;
  role.credentials.role_arn = "arn:aws:iam::123456789012:role/QuotaReader";
  role.credentials.external_id = "wrong-id";
  env.sts.required_external_id = "right-id";
  auto denied = env.accounts->Create(env.Admin(), role);
  EXPECT_EQ(denied.status().field(), "credentials");
  EXPECT_NE(denied.status().message().find("AccessDenied"), std::string::npos);
  role.credentials.external_id = "right-id";
  EXPECT_OK(env.accounts->Create(env.Admin(), role));
}

TEST_F(AccountServiceTest, RotatedCredentialsMustBelongToTheSameAccount) {
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  AccountPatch p;
  p.credentials = env.AccessKeyAccount("999999999999").credentials;
  EXPECT_EQ(env.accounts->Update(env.Admin(), "123456789012", p).status().field(), "credentials");
  p.credentials->secret_access_key = "a-new-secret-a-new-secret";
  p.credentials->access_key_id = "AKIATEST123456789012";
  EXPECT_OK(env.accounts->Update(env.Admin(), "123456789012", p));
}

TEST_F(AccountServiceTest, OnlyAnAdminsUnfilteredListCarriesTheTotal) {
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("111111111111", {"alpha"})));
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("222222222222", {"alpha", "beta"})));
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("333333333333")));
  ASSERT_OK(env.accounts->Delete(env.Admin(), "333333333333"));
  AccountQuery q;  // active by default
  EXPECT_EQ(env.accounts->List(env.Admin(), q)->total, 2);
  q.status.reset();
  EXPECT_EQ(env.accounts->List(env.Admin(), q)->total, 3);
  q.status = domain::AccountStatus::kInactive;
  EXPECT_EQ(env.accounts->List(env.Admin(), q)->total, 1);
  q.status = domain::AccountStatus::kActive;
  EXPECT_FALSE(env.accounts->List(env.UserOf({"alpha", "beta"}), q)->total.has_value());  // a user: team lists
  q.team = "alpha";
  EXPECT_FALSE(env.accounts->List(env.Admin(), q)->total.has_value());
  q.team = "";
  q.search = "1111";
  EXPECT_FALSE(env.accounts->List(env.Admin(), q)->total.has_value());
}

TEST_F(AccountServiceTest, AUserInSeveralTeamsPagesThroughSharedAccountsOnce) {
  for (std::string id : {"111111111111", "222222222222", "333333333333", "444444444444"}) {
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(id, {"alpha", "beta"})));
  }
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("555555555555", {"gamma"})));
  AccountQuery q;
  q.page_size = 3;
  std::vector<std::string> seen;
  for (;;) {
    auto page = env.accounts->List(env.UserOf({"alpha", "beta"}), q);
    ASSERT_OK(page);
    for (const auto& a : page->items) seen.push_back(a.account_id);
    if (page->next.empty()) break;
    q.cursor = page->next;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"111111111111", "222222222222", "333333333333", "444444444444"}));
  q.cursor = "garbage";
  EXPECT_EQ(env.accounts->List(env.Admin(), q).status().field(), "cursor");
  q.cursor = "";
  q.page_size = 201;
  EXPECT_EQ(env.accounts->List(env.Admin(), q).status().field(), "page_size");
}

TEST_F(AccountServiceTest, UsersSeeOnlyTheirTeamsAccounts) {
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("111111111111", {"alpha"})));
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("222222222222", {"beta"})));
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("333333333333", {"alpha", "beta"})));
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("444444444444")));
  auto ids = [](const store::AccountPage& p) {
    std::vector<std::string> out;
    for (const auto& a : p.items) out.push_back(a.account_id);
    std::sort(out.begin(), out.end());
    return out;
  };
  AccountQuery q;
  EXPECT_EQ(env.accounts->List(env.Admin(), q)->items.size(), 4u);
  EXPECT_EQ(ids(*env.accounts->List(env.UserOf({"alpha"}), q)),
            (std::vector<std::string>{"111111111111", "333333333333"}));
  EXPECT_EQ(env.accounts->List(env.UserOf({}), q)->items.size(), 0u);
  q.team = "beta";
  EXPECT_EQ(ids(*env.accounts->List(env.UserOf({"alpha"}), q)), std::vector<std::string>{});
  EXPECT_EQ(ids(*env.accounts->List(env.Admin(), q)), (std::vector<std::string>{"222222222222", "333333333333"}));
  auto a = env.accounts->Lookup("222222222222");
  ASSERT_OK(a);
  EXPECT_FALSE(AccountService::Visible(env.UserOf({"alpha"}).principal, **a));
  EXPECT_TRUE(AccountService::Visible(env.UserOf({"beta"}).principal, **a));
}

TEST_F(AccountServiceTest, UpdateChecksTheVersionAndRotatesCredentials) {
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  AccountPatch p;
  p.account_name = "Renamed";
  p.expected_version = 1;
  auto updated = env.accounts->Update(env.Admin(), "123456789012", p);
  ASSERT_OK(updated);
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(env.accounts->Update(env.Admin(), "123456789012", p).status().code(), StatusCode::kFailedPrecondition);
  env.sts.required_external_id = "ext-1234";
  AccountPatch rotate;
  domain::Credentials role;
  role.type = domain::CredentialType::kAssumeRole;
  role.role_arn = "arn:aws:iam::123456789012:role/QuotaReader";
  role.external_id = "ext-1234";
  rotate.credentials = role;
  auto rotated = env.accounts->Update(env.Admin(), "123456789012", rotate);
  ASSERT_OK(rotated);
  EXPECT_EQ(rotated->role_arn, role.role_arn);
  EXPECT_EQ(rotated->access_key_id_masked, "");
  EXPECT_EQ(env.accounts->ExportCredentials(env.Admin(), "123456789012")->external_id, "ext-1234");
  EXPECT_EQ(env.accounts->Update(env.Admin(), "999999999999", p).status().code(), StatusCode::kNotFound);
}

TEST_F(AccountServiceTest, DeleteIsSoftAndExportIsAudited) {
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  auto creds = env.accounts->ExportCredentials(env.Admin(), "123456789012");
  ASSERT_OK(creds);
  store::AuditFilter f;
  f.action = "credentials.export";
  auto audit = env.store->ListAudit(f);
  ASSERT_OK(audit);
  ASSERT_EQ(audit->items.size(), 1u);
  EXPECT_EQ(audit->items[0].actor_id, "u_admin");
  EXPECT_EQ(audit->items[0].target_id, "123456789012");
  EXPECT_EQ(audit->items[0].detail.find("wJalr"), std::string::npos);
  ASSERT_OK(env.accounts->Delete(env.Admin(), "123456789012"));
  EXPECT_EQ((*env.accounts->Lookup("123456789012"))->status, domain::AccountStatus::kInactive);
  AccountQuery q;
  EXPECT_EQ(env.accounts->List(env.Admin(), q)->items.size(), 0u);
  q.status.reset();
  EXPECT_EQ(env.accounts->List(env.Admin(), q)->items.size(), 1u);
}

TEST_F(AccountServiceTest, DeleteAndRegionRemovalDropTheUsageOfThoseRegionsOnly) {
  auto req = env.AccessKeyAccount("123456789012", {"ops"});
  req.regions = std::vector<std::string>{"us-east-1", "us-west-2", "eu-west-1"};
  ASSERT_OK(env.accounts->Create(env.Admin(), req));
  for (const char* region : {"us-east-1", "us-west-2", "eu-west-1"}) {
    store::UsageSnapshot snap;
    snap.account_id = "123456789012";
    snap.region = region;
    snap.teams = {"ops"};
    snap.polled_at_ms = snap.attempted_at_ms = 1000;
    ASSERT_OK(env.store->PutUsageSnapshot(snap, 0));
  }
  AccountPatch p;
  p.regions = std::vector<std::string>{"us-east-1", "eu-west-1"};
  ASSERT_OK(env.accounts->Update(env.Admin(), "123456789012", p));
  EXPECT_EQ(env.store->GetUsageSnapshot("123456789012", "us-west-2").status().code(), StatusCode::kNotFound);
  EXPECT_OK(env.store->GetUsageSnapshot("123456789012", "us-east-1"));
  EXPECT_OK(env.store->GetUsageSnapshot("123456789012", "eu-west-1"));
  ASSERT_OK(env.accounts->Delete(env.Admin(), "123456789012"));
  EXPECT_EQ(env.store->GetUsageSnapshot("123456789012", "us-east-1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(env.store->GetUsageSnapshot("123456789012", "eu-west-1").status().code(), StatusCode::kNotFound);
  // A snapshot written after the delete (a poll in flight) goes at the next Delete, which stays idempotent.
  store::UsageSnapshot late;
  late.account_id = "123456789012";
  late.region = "us-east-1";
  late.teams = {"ops"};
  ASSERT_OK(env.store->PutUsageSnapshot(late, 0));
  ASSERT_OK(env.accounts->Delete(env.Admin(), "123456789012"));
  EXPECT_EQ(env.store->GetUsageSnapshot("123456789012", "us-east-1").status().code(), StatusCode::kNotFound);
}

TEST_F(AccountServiceTest, ContactInfoRoundTrip) {
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  EXPECT_EQ(env.accounts->GetContactInfo("123456789012").status().code(), StatusCode::kNotFound);
  domain::ContactInfo c;
  c.full_name = "Jane Doe";
  c.address_line1 = "1 Main St";
  c.city = "Seattle";
  c.country_code = "US";
  c.phone_number = "+1 206 555 0100";
  c.postal_code = "98101";
  ASSERT_OK(env.accounts->PutContactInfo(env.Admin(), "123456789012", c));
  auto back = env.accounts->GetContactInfo("123456789012");
  ASSERT_OK(back);
  EXPECT_EQ(back->city, "Seattle");
  EXPECT_EQ(back->updated_by, "u_admin");
  c.country_code = "usa";
  EXPECT_EQ(env.accounts->PutContactInfo(env.Admin(), "123456789012", c).status().field(), "country_code");
  EXPECT_EQ(env.accounts->GetContactInfo("999999999999").status().code(), StatusCode::kNotFound);
}

// Two instances on one store: an account changed or deleted on A is seen by B once B's clock has passed
// epoch_poll (B's account cache alone would keep the old account for cache_ttl, 5 s).
TEST_F(AccountServiceTest, AChangeOnOneInstanceReachesAnotherWithinTheEpochPoll) {
  const auto epoch_poll = std::chrono::seconds(1);
  AccountService other(*env.store, env.clock, env.random, *env.sealer, *env.audit, *env.auth, env.assumer,
                       std::chrono::seconds(5), epoch_poll);
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012", {"ops"})));
  auto before = other.Lookup("123456789012");  // cached on B
  ASSERT_OK(before);
  AccountPatch p;
  p.account_name = "Renamed";
  p.teams = std::vector<std::string>{"dev"};
  ASSERT_OK(env.accounts->Update(env.Admin(), "123456789012", p));
  env.clock.Advance(epoch_poll);
  auto after = other.Lookup("123456789012");
  ASSERT_OK(after);
  EXPECT_EQ((*after)->account_name, "Renamed");
  EXPECT_EQ((*after)->teams, std::vector<std::string>{"dev"});
  ASSERT_OK(env.accounts->Delete(env.Admin(), "123456789012"));
  env.clock.Advance(epoch_poll);
  auto deleted = other.Lookup("123456789012");
  ASSERT_OK(deleted);
  EXPECT_EQ((*deleted)->status, domain::AccountStatus::kInactive);
}

// An AccountService whose audit goes through a RecordingStore over the environment's store.
struct RecordedExport {
  explicit RecordedExport(testing::TestEnv& env)
      : recording(*env.store),
        audit(recording, env.clock, env.random),
        accounts(*env.store, env.clock, env.random, *env.sealer, audit, *env.auth, env.assumer,
                 std::chrono::seconds(5)) {}
  testing::RecordingStore recording;
  AuditService audit;
  AccountService accounts;
};

TEST_F(AccountServiceTest, ExportWritesItsAuditEntryDurablyBeforeReturningTheSecret) {
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  RecordedExport x(env);
  auto creds = x.accounts.ExportCredentials(env.Admin(), "123456789012");
  ASSERT_OK(creds);
  auto writes = x.recording.audit_writes();
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].action, "credentials.export");
  EXPECT_EQ(writes[0].durability, store::Durability::kSync);
}

TEST_F(AccountServiceTest, ExportFailsWithoutTheSecretWhenTheDurableAuditWriteFails) {
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
  RecordedExport x(env);
  x.recording.FailDurableAppends(true);
  auto creds = x.accounts.ExportCredentials(env.Admin(), "123456789012");
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(creds.status().message().find("wJalr"), std::string::npos);
  store::AuditFilter f;
  f.action = "credentials.export";
  EXPECT_TRUE(env.store->ListAudit(f)->items.empty());
}

}  // namespace
}  // namespace ap::service
