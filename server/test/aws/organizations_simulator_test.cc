// The C++ Organizations client against the real simulator (tools/aws-sim verifies every signature with AWS's own JS
// signer), started as a child process on a loopback port: ListAccounts across real pages, the OU walk, the error
// mapping of real answers, and the endpoint the client resolves without an override.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "aws/aws_clients.h"
#include "aws/endpoints.h"
#include "aws_sim_process.h"
#include "status_matchers.h"

#ifndef AP_REPO_ROOT
#error "AP_REPO_ROOT must be defined (the repository root, for tools/aws-sim)"
#endif

namespace ap::aws {
namespace {

using testing::AwsSimProcess;

constexpr const char* kManagement = "100000000001";
constexpr const char* kDelegated = "100000000002";
constexpr const char* kMember = "100000000003";
constexpr const char* kOutsider = "100000000004";
constexpr int kMembers = 45;

std::string MemberId(int i) { return std::to_string(400000000000LL + i); }

class OrganizationsSimulatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto sim = AwsSimProcess::Start(AP_REPO_ROOT, {"--seed-accounts", "4", "--dynamodb", "off"});
    ASSERT_OK(sim);
    sim_ = std::move(sim).value().release();
    // Root: the management account, the delegated admin, kMember, members 30..44; Workloads/Prod: 0..19;
    // Workloads/Dev: 20..29; Sandbox: none.
    boost::json::array accounts{boost::json::object{{"account_id", kDelegated}, {"name", "security"}},
                                boost::json::object{{"account_id", kMember}, {"name", "member"}}};
    for (int i = 0; i < kMembers; ++i) {
      boost::json::object a{{"account_id", MemberId(i)}, {"name", "m" + std::to_string(i)}};
      if (i < 20)
        a["ou"] = "Prod";
      else if (i < 30)
        a["ou"] = "Dev";
      if (i == 7) a["status"] = "SUSPENDED";
      accounts.push_back(std::move(a));
    }
    boost::json::object org{{"delegated_admins", boost::json::array{kDelegated}},
                            {"ous", boost::json::array{boost::json::object{{"name", "Workloads"}},
                                                       boost::json::object{{"name", "Prod"}, {"parent", "Workloads"}},
                                                       boost::json::object{{"name", "Dev"}, {"parent", "Workloads"}},
                                                       boost::json::object{{"name", "Sandbox"}}}},
                            {"accounts", std::move(accounts)}};
    ASSERT_OK(sim_->Control("PUT", std::string("/_sim/organizations/") + kManagement, boost::json::serialize(org)));
  }
  static void TearDownTestSuite() {
    delete sim_;
    sim_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(sim_, nullptr);
    ASSERT_OK(sim_->Control("DELETE", "/_sim/faults"));
    AwsClientOptions o;
    o.env = {{"AWS_ENDPOINT_URL", sim_->url()}, {"AWS_EC2_METADATA_DISABLED", "true"}};
    o.retry.transient_base = std::chrono::milliseconds(20);
    o.retry.throttling_base = std::chrono::milliseconds(20);
    auto c = MakeAwsClients(o, SystemClock::Instance(), random_);
    ASSERT_OK(c);
    clients_ = std::move(c).value();
  }
  static Credentials Seeded(int i) {
    auto c = sim_->SeededCredentials(i);
    EXPECT_OK(c);
    return c.ok() ? *c : Credentials{};
  }

  static AwsSimProcess* sim_;
  SecureRandom random_;
  AwsClients clients_;
};

AwsSimProcess* OrganizationsSimulatorTest::sim_ = nullptr;

TEST_F(OrganizationsSimulatorTest, ListAccountsFollowsEveryPage) {
  auto accounts = clients_.organizations->ListAccounts(Seeded(1));
  ASSERT_OK(accounts);
  ASSERT_EQ(accounts->size(), static_cast<size_t>(kMembers + 3));  // 3 pages of at most 20
  std::set<std::string> ids;
  for (const auto& a : *accounts) ids.insert(a.id);
  EXPECT_EQ(ids.size(), accounts->size());
  EXPECT_TRUE(ids.count(kManagement));
  const OrganizationAccount& seventh = (*accounts)[2 + 7];
  EXPECT_EQ(seventh.id, MemberId(7));
  EXPECT_EQ(seventh.name, "m7");
  EXPECT_EQ(seventh.status, "SUSPENDED");
  EXPECT_EQ(seventh.email, "aws+" + MemberId(7) + "@example.com");
  EXPECT_EQ(seventh.joined_method, "CREATED");
  EXPECT_TRUE(seventh.joined_timestamp.has_value());
  EXPECT_EQ((*accounts)[0].status, "ACTIVE");
}

TEST_F(OrganizationsSimulatorTest, WalkTreeGivesEveryAccountItsOuPath) {
  auto tree = clients_.organizations->WalkTree(Seeded(2));  // as the delegated administrator
  ASSERT_OK(tree);
  std::map<std::string, std::string> path_of;
  for (const auto& u : tree->units) path_of[u.id] = u.path;
  ASSERT_EQ(tree->units.size(), 5u);
  EXPECT_EQ(tree->units[0].path, "Root");
  EXPECT_EQ(tree->units[0].parent_id, "");
  std::set<std::string> paths;
  for (const auto& u : tree->units) paths.insert(u.path);
  EXPECT_EQ(paths, (std::set<std::string>{"Root", "Root/Workloads", "Root/Sandbox", "Root/Workloads/Prod",
                                          "Root/Workloads/Dev"}));
  ASSERT_EQ(tree->account_parent.size(), static_cast<size_t>(kMembers + 3));
  EXPECT_EQ(path_of[tree->account_parent[MemberId(0)]], "Root/Workloads/Prod");
  EXPECT_EQ(path_of[tree->account_parent[MemberId(25)]], "Root/Workloads/Dev");
  EXPECT_EQ(path_of[tree->account_parent[MemberId(40)]], "Root");
  EXPECT_EQ(path_of[tree->account_parent[kManagement]], "Root");
}

TEST_F(OrganizationsSimulatorTest, MembersAndOutsidersAreRefused) {
  auto member = clients_.organizations->ListAccounts(Seeded(3));
  EXPECT_EQ(member.status().code(), StatusCode::kPermissionDenied) << member.status().message();
  EXPECT_TRUE(member.status().message().starts_with("AccessDeniedException")) << member.status().message();
  auto outsider = clients_.organizations->WalkTree(Seeded(4));
  EXPECT_EQ(outsider.status().code(), StatusCode::kFailedPrecondition) << outsider.status().message();
  EXPECT_TRUE(outsider.status().message().starts_with("AWSOrganizationsNotInUseException"));
  (void)kOutsider;
}

TEST_F(OrganizationsSimulatorTest, ThrottlingIsRetried) {
  ASSERT_OK(sim_->Control("POST", "/_sim/faults",
                          R"({"service":"organizations","operation":"ListAccounts","error":"throttle","count":1})"));
  auto accounts = clients_.organizations->ListAccounts(Seeded(1));
  ASSERT_OK(accounts);
  EXPECT_EQ(accounts->size(), static_cast<size_t>(kMembers + 3));
}

TEST(OrganizationsEndpoint, GlobalAndSignedForTheHomeRegion) {
  auto r = EndpointResolver::Create({});
  ASSERT_OK(r);
  auto e = r->Resolve(AwsService::kOrganizations, "eu-west-1");
  ASSERT_OK(e);
  EXPECT_EQ(e->host, "organizations.us-east-1.amazonaws.com");
  EXPECT_EQ(e->signing_region, "us-east-1");
  EXPECT_EQ(e->signing_service, "organizations");
  auto cn = r->Resolve(AwsService::kOrganizations, "cn-north-1");
  ASSERT_OK(cn);
  EXPECT_EQ(cn->host, "organizations.cn-northwest-1.amazonaws.com.cn");
  auto o = EndpointResolver::Create({{"AWS_ENDPOINT_URL_ORGANIZATIONS", "http://127.0.0.1:9"}});
  ASSERT_OK(o);
  EXPECT_EQ(o->Resolve(AwsService::kOrganizations, "us-east-1")->port, 9);
  EXPECT_EQ(o->Resolve(AwsService::kOrganizations, "us-east-1")->signing_region, "us-east-1");
}

}  // namespace
}  // namespace ap::aws
