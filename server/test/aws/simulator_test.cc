// The C++ clients against the real simulator (tools/aws-sim, which verifies every signature with AWS's own JS
// signer), started as a child process on a loopback port. Account 1 serves the general tests, account 2 the
// "no client-side limits" contrast, account 3 the rate-limit burst (so server-side buckets are fresh for it).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "aws/assume_role_provider.h"
#include "aws/aws_clients.h"
#include "aws/curl_transport.h"
#include "aws_sim_process.h"
#include "status_matchers.h"

#ifndef AP_REPO_ROOT
#error "AP_REPO_ROOT must be defined (the repository root, for tools/aws-sim)"
#endif

namespace ap::aws {
namespace {

using testing::AwsSimProcess;

constexpr const char* kRegion = "us-east-1";

class SimulatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto sim = AwsSimProcess::Start(AP_REPO_ROOT, {"--seed-accounts", "3"});
    ASSERT_OK(sim);
    sim_ = std::move(sim).value().release();
  }
  static void TearDownTestSuite() {
    delete sim_;
    sim_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(sim_, nullptr);
    ASSERT_OK(sim_->Control("DELETE", "/_sim/faults"));
  }

  static AwsClientOptions Options() {
    AwsClientOptions o;
    o.env = {{"AWS_ENDPOINT_URL", sim_->url()}, {"AWS_EC2_METADATA_DISABLED", "true"}};
    o.retry.transient_base = std::chrono::milliseconds(100);
    o.retry.throttling_base = std::chrono::milliseconds(100);
    return o;
  }
  AwsClients Clients(AwsClientOptions o = Options()) {
    auto c = MakeAwsClients(o, SystemClock::Instance(), random_);
    EXPECT_OK(c);
    return std::move(c).value();
  }
  static Credentials Seeded(int i) {
    auto c = sim_->SeededCredentials(i);
    EXPECT_OK(c);
    return c.ok() ? *c : Credentials{};
  }
  // outcome → count for one account and operation, from /_sim/counters.
  static std::map<std::string, int64_t> Outcomes(const std::string& account, const std::string& op) {
    std::map<std::string, int64_t> out;
    auto v = sim_->Control("GET", "/_sim/counters");
    if (!v.ok()) return out;
    const auto* acct = v->at("by_account").as_object().if_contains(account);
    if (acct == nullptr) return out;
    const auto* ops = acct->at("operations").as_object().if_contains(op);
    if (ops == nullptr) return out;
    for (const auto& [k, n] : ops->as_object()) out[std::string(k)] = n.to_number<int64_t>();
    return out;
  }
  static void AddFault(const std::string& json) { ASSERT_OK(sim_->Control("POST", "/_sim/faults", json)); }

  static AwsSimProcess* sim_;
  SecureRandom random_;
};
AwsSimProcess* SimulatorTest::sim_ = nullptr;

TEST_F(SimulatorTest, GetCallerIdentity) {
  AwsClients c = Clients();
  auto id = c.sts->GetCallerIdentity(Seeded(1), kRegion);
  ASSERT_OK(id);
  EXPECT_EQ(id->account, "100000000001");
  EXPECT_EQ(id->arn, "arn:aws:iam::100000000001:user/account-platform");
  EXPECT_FALSE(id->user_id.empty());
}

TEST_F(SimulatorTest, WrongSecretIsUnauthenticated) {
  AwsClients c = Clients();
  Credentials bad = Seeded(1);
  bad.secret_access_key[0] = bad.secret_access_key[0] == 'x' ? 'y' : 'x';
  auto sts = c.sts->GetCallerIdentity(bad, kRegion);
  EXPECT_EQ(sts.status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(sts.status().message().starts_with("SignatureDoesNotMatch: ")) << sts.status().message();
  auto quota = c.service_quotas->GetServiceQuota(bad, kRegion, "bedrock", "L-007D91B8");
  EXPECT_EQ(quota.status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(quota.status().message().starts_with("InvalidSignatureException: ")) << quota.status().message();
  auto unknown = c.sts->GetCallerIdentity({"AKIAUNKNOWN000000000", "s", "", {}}, kRegion);
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(unknown.status().message().starts_with("InvalidClientTokenId: ")) << unknown.status().message();
}

// Alters the body after the request was signed, as a man in the middle would.
class TamperingTransport final : public Transport {
 public:
  explicit TamperingTransport(std::unique_ptr<Transport> inner) : inner_(std::move(inner)) {}
  Result<HttpResponse> Send(const HttpRequest& request) override {
    HttpRequest copy = request;
    size_t pos = copy.body.find("L-");
    if (pos != std::string::npos) copy.body.replace(pos, 2, "L-0");
    return inner_->Send(copy);
  }

 private:
  std::unique_ptr<Transport> inner_;
};

TEST_F(SimulatorTest, TamperedBodyIsRejected) {
  AwsClientOptions o = Options();
  o.transport = std::make_shared<TamperingTransport>(CurlTransport::Create().value());
  AwsClients c = Clients(o);
  auto q = c.service_quotas->GetServiceQuota(Seeded(1), kRegion, "bedrock", "L-007D91B8");
  EXPECT_EQ(q.status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(q.status().message().starts_with("InvalidSignatureException: ")) << q.status().message();
}

TEST_F(SimulatorTest, GetServiceQuotaMatchesTheAppliedValue) {
  auto quotas = sim_->Control("GET", "/_sim/accounts/100000000001/quotas/us-east-1");
  ASSERT_OK(quotas);
  std::string applied_code, unapplied_code;
  double applied_value = 0;
  for (const auto& q : quotas->at("quotas").as_array()) {
    const auto& o = q.as_object();
    if (!o.at("unapplied").as_bool() && applied_code.empty() && o.at("adjustable").as_bool()) {
      applied_code = o.at("code").as_string().c_str();
      applied_value = o.at("applied_value").to_number<double>();
    }
    if (o.at("unapplied").as_bool() && unapplied_code.empty()) unapplied_code = o.at("code").as_string().c_str();
  }
  ASSERT_FALSE(applied_code.empty());
  AwsClients c = Clients();
  auto q = c.service_quotas->GetServiceQuota(Seeded(1), kRegion, "bedrock", applied_code);
  ASSERT_OK(q);
  EXPECT_EQ(q->quota_code, applied_code);
  EXPECT_EQ(q->service_code, "bedrock");
  EXPECT_EQ(q->value, applied_value);
  EXPECT_EQ(q->quota_arn, "arn:aws:servicequotas:us-east-1:100000000001:bedrock/" + applied_code);
  auto d = c.service_quotas->GetAWSDefaultServiceQuota(Seeded(1), kRegion, "bedrock", applied_code);
  ASSERT_OK(d);
  EXPECT_EQ(d->quota_arn, "arn:aws:servicequotas:us-east-1::bedrock/" + applied_code);

  if (!unapplied_code.empty()) {
    auto none = c.service_quotas->GetServiceQuota(Seeded(1), kRegion, "bedrock", unapplied_code);
    EXPECT_EQ(none.status().code(), StatusCode::kNotFound) << none.status().ToString();
    EXPECT_TRUE(none.status().message().starts_with("NoSuchResourceException: "));
  }
  auto unknown = c.service_quotas->GetServiceQuota(Seeded(1), kRegion, "bedrock", "L-00000000");
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound) << unknown.status().ToString();
}

TEST_F(SimulatorTest, ListsPaginateAcrossEveryBedrockQuota) {
  auto quotas = sim_->Control("GET", "/_sim/accounts/100000000001/quotas/us-east-1");
  auto catalogue = sim_->Control("GET", "/_sim/catalogue");
  ASSERT_TRUE(quotas.ok() && catalogue.ok());
  size_t applied = 0;
  for (const auto& q : quotas->at("quotas").as_array()) applied += !q.at("unapplied").as_bool();
  size_t all = catalogue->at("quotas").as_array().size();
  ASSERT_GT(all, 300u);  // several pages of 100

  ASSERT_OK(sim_->Control("POST", "/_sim/counters/reset"));
  AwsClients c = Clients();
  auto listed = c.service_quotas->ListServiceQuotas(Seeded(1), kRegion, "bedrock");
  ASSERT_OK(listed);
  EXPECT_EQ(listed->size(), applied);
  auto defaults = c.service_quotas->ListAWSDefaultServiceQuotas(Seeded(1), kRegion, "bedrock");
  ASSERT_OK(defaults);
  EXPECT_EQ(defaults->size(), all);
  EXPECT_EQ(Outcomes("100000000001", "ListAWSDefaultServiceQuotas")["ok"], static_cast<int64_t>((all + 99) / 100));
}

TEST_F(SimulatorTest, FaultsAreAbsorbedByRetries) {
  AwsClientOptions o = Options();
  o.total_timeout = std::chrono::seconds(2);
  AwsClients c = Clients(o);
  Credentials creds = Seeded(1);
  ASSERT_OK(sim_->Control("POST", "/_sim/counters/reset"));
  AddFault(R"({"operation":"GetServiceQuota","account_id":"100000000001","error":"throttle","count":2})");
  auto q = c.service_quotas->GetServiceQuota(creds, kRegion, "bedrock", "L-007D91B8");
  ASSERT_OK(q);
  auto outcomes = Outcomes("100000000001", "GetServiceQuota");
  EXPECT_EQ(outcomes["ThrottlingException"], 2);
  EXPECT_EQ(outcomes["ok"], 1);

  AddFault(R"({"operation":"GetCallerIdentity","error":"5xx","status":503,"count":2})");
  EXPECT_OK(c.sts->GetCallerIdentity(creds, kRegion));
  AddFault(R"({"operation":"GetContactInformation","error":"reset","count":1})");
  EXPECT_OK(c.account->GetContactInformation(creds, kRegion));
  AddFault(R"({"operation":"GetAWSDefaultServiceQuota","error":"timeout","count":1})");
  auto after_timeout = c.service_quotas->GetAWSDefaultServiceQuota(creds, kRegion, "bedrock", "L-007D91B8");
  EXPECT_OK(after_timeout);

  // A storm longer than the retries: ResourceExhausted after exactly 3 attempts.
  ASSERT_OK(sim_->Control("POST", "/_sim/counters/reset"));
  AddFault(R"({"operation":"GetServiceQuota","account_id":"100000000001","error":"throttle","count":10})");
  auto storm = c.service_quotas->GetServiceQuota(creds, kRegion, "bedrock", "L-007D91B8");
  EXPECT_EQ(storm.status().code(), StatusCode::kResourceExhausted) << storm.status().ToString();
  EXPECT_EQ(Outcomes("100000000001", "GetServiceQuota")["ThrottlingException"], 3);
}

TEST_F(SimulatorTest, ClientSideRateLimitsPreventThrottling) {
  Credentials creds = Seeded(3);
  AwsClients c = Clients();
  ASSERT_OK(sim_->Control("POST", "/_sim/counters/reset"));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 5; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        ok += c.service_quotas->GetServiceQuota(creds, kRegion, "bedrock", "L-007D91B8").ok();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 50);
  auto outcomes = Outcomes("100000000003", "GetServiceQuota");
  EXPECT_EQ(outcomes["ok"], 50);
  EXPECT_EQ(outcomes.count("ThrottlingException"), 0u) << "throttled " << outcomes["ThrottlingException"];
}

TEST_F(SimulatorTest, WithoutClientSideLimitsTheSameBurstIsThrottled) {
  AwsClientOptions o = Options();
  o.rate_limits = false;
  o.max_attempts = 1;
  AwsClients c = Clients(o);
  Credentials creds = Seeded(2);
  int throttled = 0;
  for (int i = 0; i < 20; ++i) {
    auto q = c.service_quotas->GetServiceQuota(creds, kRegion, "bedrock", "L-007D91B8");
    throttled += q.status().code() == StatusCode::kResourceExhausted;
  }
  EXPECT_GT(throttled, 0);
}

TEST_F(SimulatorTest, AssumeRoleNeedsTheExternalId) {
  AwsClients c = Clients();
  Credentials base = Seeded(1);
  AssumeRoleRequest req;
  req.role_arn = "arn:aws:iam::100000000002:role/AccountPlatformReadOnly";
  req.external_id = "ext-100000000002";
  req.duration_seconds = 900;
  auto session = c.sts->AssumeRole(base, kRegion, req);
  ASSERT_OK(session);
  EXPECT_TRUE(session->access_key_id.starts_with("ASIA"));
  EXPECT_FALSE(session->session_token.empty());
  ASSERT_TRUE(session->expiration.has_value());
  auto id = c.sts->GetCallerIdentity(*session, kRegion);
  ASSERT_OK(id);
  EXPECT_EQ(id->account, "100000000002");
  EXPECT_EQ(id->arn, "arn:aws:sts::100000000002:assumed-role/AccountPlatformReadOnly/account-platform");
  // Session credentials work for the other services too (x-amz-security-token).
  EXPECT_OK(c.service_quotas->GetAWSDefaultServiceQuota(*session, kRegion, "bedrock", "L-007D91B8"));

  AssumeRoleRequest wrong = req;
  wrong.external_id = "ext-wrong";
  auto denied = c.sts->AssumeRole(base, kRegion, wrong);
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(denied.status().message().starts_with("AccessDenied: ")) << denied.status().message();
  wrong.external_id.clear();
  EXPECT_EQ(c.sts->AssumeRole(base, kRegion, wrong).status().code(), StatusCode::kPermissionDenied);

  // The provider: cached, and ExpiredToken once the simulator ends the session.
  StaticCredentialsProvider platform(base);
  AssumeRoleProvider provider(platform, *c.sts, req, kRegion, SystemClock::Instance());
  auto first = provider.Get();
  ASSERT_OK(first);
  EXPECT_EQ(provider.Get()->access_key_id, first->access_key_id);
  EXPECT_EQ(provider.assume_count(), 1);
  ASSERT_OK(sim_->Control("POST", "/_sim/sessions/expire", "{}"));
  auto expired = c.sts->GetCallerIdentity(*first, kRegion);
  EXPECT_EQ(expired.status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(expired.status().message().starts_with("ExpiredToken: ")) << expired.status().message();
  provider.Invalidate();
  EXPECT_NE(provider.Get()->access_key_id, first->access_key_id);
}

TEST_F(SimulatorTest, GetAndPutContactInformation) {
  AwsClients c = Clients();
  Credentials creds = Seeded(1);
  auto before = c.account->GetContactInformation(creds, "eu-west-1");  // global service: any region works
  ASSERT_OK(before);
  EXPECT_EQ(before->full_name, "Account Owner 0001");
  EXPECT_EQ(before->country_code, "US");

  ContactInformation updated = *before;
  updated.full_name = "Jane Example";
  updated.address_line2 = "Suite 100";
  updated.website_url.clear();
  ASSERT_OK(c.account->PutContactInformation(creds, kRegion, updated));
  auto after = c.account->GetContactInformation(creds, kRegion);
  ASSERT_OK(after);
  EXPECT_EQ(after->full_name, "Jane Example");
  EXPECT_EQ(after->address_line2, "Suite 100");
  EXPECT_TRUE(after->website_url.empty());

  ContactInformation invalid = updated;
  invalid.phone_number = "not a phone";
  auto bad = c.account->PutContactInformation(creds, kRegion, invalid);
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(bad.message().starts_with("ValidationException: ")) << bad.message();
  EXPECT_NE(bad.message().find("PhoneNumber"), std::string::npos) << bad.message();
  ASSERT_OK(c.account->PutContactInformation(creds, kRegion, *before));
}

}  // namespace
}  // namespace ap::aws
