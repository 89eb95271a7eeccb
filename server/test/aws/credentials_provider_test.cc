#include "aws/credentials_provider.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "aws/assume_role_provider.h"
#include "aws/aws_clients.h"
#include "aws/metadata_credentials_provider.h"
#include "aws/profile_credentials_provider.h"
#include "aws/testing/fake_transport.h"
#include "status_matchers.h"

namespace ap::aws {
namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;
using std::chrono::seconds;

// A temporary HOME with ~/.aws/{credentials,config}.
class TempHome {
 public:
  TempHome() {
    char tmpl[] = "/tmp/aws-home-XXXXXX";
    dir_ = mkdtemp(tmpl);
    fs::create_directories(dir_ / ".aws");
  }
  ~TempHome() { fs::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& text) { std::ofstream(dir_ / rel) << text; }
  std::string path() const { return dir_.string(); }

 private:
  fs::path dir_;
};

TEST(StaticCredentials, ReturnsOrRejectsEmpty) {
  EXPECT_OK(StaticCredentialsProvider({"a", "b", "", {}}).Get());
  EXPECT_EQ(StaticCredentialsProvider({}).Get().status().code(), StatusCode::kUnauthenticated);
}

TEST(EnvironmentCredentials, ReadsTheThreeVariables) {
  auto c = EnvironmentCredentialsProvider(
               {{"AWS_ACCESS_KEY_ID", "AKIA1"}, {"AWS_SECRET_ACCESS_KEY", "s"}, {"AWS_SESSION_TOKEN", "t"}})
               .Get();
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "AKIA1");
  EXPECT_EQ(c->secret_access_key, "s");
  EXPECT_EQ(c->session_token, "t");
  EXPECT_FALSE(c->expiration.has_value());
  auto half = EnvironmentCredentialsProvider(Environment{{"AWS_ACCESS_KEY_ID", "AKIA1"}}).Get();
  EXPECT_EQ(half.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(half.status().message().find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
  EXPECT_EQ(EnvironmentCredentialsProvider(Environment{}).Get().status().code(), StatusCode::kUnauthenticated);
}

TEST(ProfileCredentials, ParsesIniDialect) {
  IniSections ini = ParseAwsIni(
      "# comment\n[default]\naws_access_key_id = AKIA0 \n; other comment\nAWS_Secret_Access_Key=s0\n"
      "s3 =\n  max_concurrent_requests = 10\n[profile dev]\nregion=eu-west-1\n[broken\nx=1\n");
  EXPECT_EQ(ini["default"]["aws_access_key_id"], "AKIA0");
  EXPECT_EQ(ini["default"]["aws_secret_access_key"], "s0");
  EXPECT_EQ(ini["default"].count("max_concurrent_requests"), 0u);
  EXPECT_EQ(ini["profile dev"]["region"], "eu-west-1");
}

TEST(ProfileCredentials, DefaultProfileFromHome) {
  TempHome home;
  home.Write(".aws/credentials", "[default]\naws_access_key_id=AKIADEF\naws_secret_access_key=sdef\n");
  auto c = ProfileCredentialsProvider({{"HOME", home.path()}}).Get();
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "AKIADEF");
}

TEST(ProfileCredentials, NamedProfileFromBothFilesCredentialsFileWins) {
  TempHome home;
  home.Write(".aws/credentials", "[dev]\naws_secret_access_key=from-credentials\n");
  home.Write(".aws/config",
             "[profile dev]\naws_access_key_id=AKIADEV\naws_secret_access_key=from-config\naws_session_token=tok\n");
  auto c = ProfileCredentialsProvider({{"HOME", home.path()}, {"AWS_PROFILE", "dev"}}).Get();
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "AKIADEV");
  EXPECT_EQ(c->secret_access_key, "from-credentials");
  EXPECT_EQ(c->session_token, "tok");
}

TEST(ProfileCredentials, ConfigFileUsesProfilePrefix) {
  TempHome home;
  home.Write(".aws/config", "[dev]\naws_access_key_id=WRONG\naws_secret_access_key=x\n");
  auto c = ProfileCredentialsProvider({{"HOME", home.path()}}, "dev").Get();
  EXPECT_EQ(c.status().code(), StatusCode::kUnauthenticated);  // "[dev]" is not a profile in the config file
}

TEST(ProfileCredentials, ExplicitFilePathsAndTilde) {
  TempHome home;
  home.Write("creds.ini", "[x]\naws_access_key_id=AKIAX\naws_secret_access_key=sx\n");
  auto c = ProfileCredentialsProvider(
               {{"HOME", home.path()}, {"AWS_SHARED_CREDENTIALS_FILE", "~/creds.ini"}, {"AWS_PROFILE", "x"}})
               .Get();
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "AKIAX");
}

TEST(ProfileCredentials, MissingFilesProfilesAndUnsupportedKinds) {
  TempHome home;
  EXPECT_EQ(ProfileCredentialsProvider({{"HOME", home.path()}}).Get().status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(ProfileCredentialsProvider({}).Get().status().code(), StatusCode::kUnauthenticated);  // no HOME
  home.Write(".aws/config", "[profile role]\nrole_arn=arn:aws:iam::1:role/r\nsource_profile=default\n");
  auto r = ProfileCredentialsProvider({{"HOME", home.path()}, {"AWS_PROFILE", "role"}}).Get();
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(r.status().message().find("role_arn"), std::string::npos);
  auto missing = ProfileCredentialsProvider({{"HOME", home.path()}, {"AWS_PROFILE", "nope"}}).Get();
  EXPECT_NE(missing.status().message().find("'nope' not found"), std::string::npos);
}

class CountingProvider final : public CredentialsProvider {
 public:
  explicit CountingProvider(std::function<Result<Credentials>(int)> fn) : fn_(std::move(fn)) {}
  Result<Credentials> Get() override { return fn_(++calls); }
  std::atomic<int> calls{0};

 private:
  std::function<Result<Credentials>(int)> fn_;
};

TEST(CredentialsChain, FirstProviderWithCredentialsWinsInOrder) {
  TempHome home;
  home.Write(".aws/credentials", "[default]\naws_access_key_id=AKIAFILE\naws_secret_access_key=s\n");
  Environment env{{"HOME", home.path()}, {"AWS_ACCESS_KEY_ID", "AKIAENV"}, {"AWS_SECRET_ACCESS_KEY", "e"}};
  auto transport = std::make_shared<testing::FakeTransport>();
  FakeClock clock;
  auto chain = MakeDefaultCredentialsChain(env, transport, clock);
  ASSERT_EQ(chain->Get()->access_key_id, "AKIAENV");
  env.erase("AWS_ACCESS_KEY_ID");
  env.erase("AWS_SECRET_ACCESS_KEY");
  auto from_file = MakeDefaultCredentialsChain(env, transport, clock);
  ASSERT_EQ(from_file->Get()->access_key_id, "AKIAFILE");
  EXPECT_EQ(transport->request_count(), 0u);  // container and IMDS never asked
}

TEST(CredentialsChain, FallsThroughToContainerThenImds) {
  TempHome home;
  auto transport = std::make_shared<testing::FakeTransport>();
  transport->PushResponse(
      200, R"({"AccessKeyId":"ASIACONT","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"})");
  FakeClock clock;
  auto chain = MakeDefaultCredentialsChain(
      {{"HOME", home.path()}, {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"}}, transport, clock,
      "http://127.0.0.1:9");
  auto c = chain->Get();
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "ASIACONT");
  EXPECT_EQ(transport->requests()[0].Url(), "http://127.0.0.1:9/v2/credentials/abc");

  // Nothing configured, IMDS disabled: Unauthenticated naming every provider's reason.
  auto none =
      MakeDefaultCredentialsChain({{"HOME", home.path()}, {"AWS_EC2_METADATA_DISABLED", "true"}}, transport, clock)
          ->Get();
  EXPECT_EQ(none.status().code(), StatusCode::kUnauthenticated);
  for (const char* name : {"environment:", "profile:", "container:", "imds:"}) {
    EXPECT_NE(none.status().message().find(name), std::string::npos) << none.status().message();
  }
  // IMDS unreachable: Unavailable.
  transport->SetHandler([](const HttpRequest&) -> Result<HttpResponse> { return Unavailable("connect failed"); });
  auto down = MakeDefaultCredentialsChain({{"HOME", home.path()}}, transport, clock)->Get();
  EXPECT_EQ(down.status().code(), StatusCode::kUnavailable);
}

TEST(CachingCredentials, RefreshesAheadOfExpiry) {
  FakeClock clock;
  TimePoint t0 = clock.Now();
  CachingCredentialsProvider cache(
      [&]() -> Result<Credentials> {
        Credentials c{"ASIA" + std::to_string(clock.Now().time_since_epoch().count()), "s", "t",
                      clock.Now() + minutes(60)};
        return c;
      },
      clock);
  auto first = cache.Get();
  ASSERT_OK(first);
  clock.Advance(minutes(54));
  EXPECT_EQ(cache.Get()->access_key_id, first->access_key_id);
  EXPECT_EQ(cache.fetch_count(), 1);
  clock.Advance(minutes(1) + seconds(1));  // 55:01 — inside the 5-minute window
  EXPECT_NE(cache.Get()->access_key_id, first->access_key_id);
  EXPECT_EQ(cache.fetch_count(), 2);
  (void)t0;
}

TEST(CachingCredentials, StaticCredentialsLiveForTheTtlAndFailuresKeepValidOnes) {
  FakeClock clock;
  int n = 0;
  bool fail = false;
  CachingCredentialsProvider cache(
      [&]() -> Result<Credentials> {
        ++n;
        if (fail) return Unavailable("source down");
        return Credentials{"AKIA" + std::to_string(n), "s", "", clock.Now() + minutes(60)};
      },
      clock);
  ASSERT_OK(cache.Get());
  fail = true;
  clock.Advance(minutes(56));  // refresh due, fails, the old credentials are still valid
  auto still = cache.Get();
  ASSERT_OK(still);
  EXPECT_EQ(still->access_key_id, "AKIA1");
  clock.Advance(minutes(5));  // now expired
  EXPECT_EQ(cache.Get().status().code(), StatusCode::kUnavailable);
  fail = false;
  EXPECT_EQ(cache.Get()->access_key_id, "AKIA4");
}

TEST(CachingCredentials, ShortLivedCredentialsRefreshAtHalfLife) {
  FakeClock clock;
  CachingCredentialsProvider cache(
      [&]() -> Result<Credentials> {
        return Credentials{"A", "s", "", clock.Now() + minutes(4)};
      },
      clock);
  ASSERT_OK(cache.Get());
  clock.Advance(minutes(1));
  ASSERT_OK(cache.Get());
  EXPECT_EQ(cache.fetch_count(), 1);
  clock.Advance(minutes(1) + seconds(1));
  ASSERT_OK(cache.Get());
  EXPECT_EQ(cache.fetch_count(), 2);
}

TEST(CachingCredentials, SingleFlightUnderConcurrency) {
  FakeClock clock;
  std::atomic<int> fetches{0};
  std::atomic<bool> release{false};
  CachingCredentialsProvider cache(
      [&]() -> Result<Credentials> {
        ++fetches;
        while (!release.load()) std::this_thread::yield();
        return Credentials{"A", "s", "", clock.Now() + minutes(60)};
      },
      clock);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] { ok += cache.Get().ok(); });
  }
  // Poll (no sleeps) until the fetch is in flight, give waiters a moment to queue, then let it finish.
  while (fetches.load() == 0) std::this_thread::yield();
  for (int i = 0; i < 1000; ++i) std::this_thread::yield();
  release = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 16);
  EXPECT_EQ(fetches.load(), 1);
}

class FakeSts final : public Sts {
 public:
  explicit FakeSts(const Clock& clock) : clock_(clock) {}
  Result<CallerIdentity> GetCallerIdentity(const Credentials&, const std::string&) override {
    return CallerIdentity{"123456789012", "arn", "id"};
  }
  Result<Credentials> AssumeRole(const Credentials& creds, const std::string& region,
                                 const AssumeRoleRequest& request) override {
    ++calls;
    last_base = creds;
    last_region = region;
    if (request.external_id != "ext-ok") return PermissionDenied("AccessDenied: not authorized");
    return Credentials{"ASIA" + std::to_string(calls.load()), "s", "t",
                       clock_.Now() + seconds(request.duration_seconds)};
  }
  std::atomic<int> calls{0};
  Credentials last_base;
  std::string last_region;

 private:
  const Clock& clock_;
};

TEST(AssumeRoleProvider, CachesAndRefreshesAheadOfExpiry) {
  FakeClock clock;
  FakeSts sts(clock);
  StaticCredentialsProvider base({"AKIABASE", "s", "", {}});
  AssumeRoleRequest req;
  req.role_arn = "arn:aws:iam::100000000001:role/AccountPlatformReadOnly";
  req.external_id = "ext-ok";
  AssumeRoleProvider provider(base, sts, req, "eu-west-1", clock);
  auto c = provider.Get();
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "ASIA1");
  EXPECT_EQ(sts.last_base.access_key_id, "AKIABASE");
  EXPECT_EQ(sts.last_region, "eu-west-1");
  clock.Advance(minutes(50));
  EXPECT_EQ(provider.Get()->access_key_id, "ASIA1");
  clock.Advance(minutes(6));
  EXPECT_EQ(provider.Get()->access_key_id, "ASIA2");
  EXPECT_EQ(provider.assume_count(), 2);
}

TEST(AssumeRoleProvider, PropagatesErrorsAndIsSingleFlight) {
  FakeClock clock;
  FakeSts sts(clock);
  StaticCredentialsProvider base({"AKIABASE", "s", "", {}});
  AssumeRoleRequest bad;
  bad.role_arn = "arn:aws:iam::1:role/r";
  bad.external_id = "wrong";
  EXPECT_EQ(AssumeRoleProvider(base, sts, bad, "us-east-1", clock).Get().status().code(),
            StatusCode::kPermissionDenied);
  StaticCredentialsProvider empty({});
  AssumeRoleRequest ok = bad;
  ok.external_id = "ext-ok";
  EXPECT_EQ(AssumeRoleProvider(empty, sts, ok, "us-east-1", clock).Get().status().code(), StatusCode::kUnauthenticated);

  AssumeRoleProvider shared(base, sts, ok, "us-east-1", clock);
  int before = sts.calls.load();
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) threads.emplace_back([&] { EXPECT_OK(shared.Get()); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(sts.calls.load() - before, 1);
}

TEST(MetadataCredentials, ParsesDocuments) {
  auto c = ParseMetadataCredentials(
      R"({"Code":"Success","LastUpdated":"2026-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIA","SecretAccessKey":"s","Token":"t","Expiration":"2026-01-01T06:00:00Z"})",
      "test");
  ASSERT_OK(c);
  ASSERT_TRUE(c->expiration.has_value());
  EXPECT_EQ(FormatIso8601(*c->expiration), "2026-01-01T06:00:00Z");
  EXPECT_EQ(ParseMetadataCredentials(R"({"Code":"Failure","Message":"no"})", "t").status().code(),
            StatusCode::kUnavailable);
  EXPECT_FALSE(ParseMetadataCredentials("<html>", "t").ok());
  EXPECT_FALSE(ParseMetadataCredentials(R"({"AccessKeyId":"A"})", "t").ok());
  EXPECT_FALSE(ParseMetadataCredentials(R"({"AccessKeyId":"A","SecretAccessKey":"s","Expiration":"soon"})", "t").ok());
}

TEST(MetadataCredentials, ContainerFullUriRules) {
  testing::FakeTransport t;
  auto refused = ContainerCredentialsProvider(t, {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://evil.example.com/c"}});
  EXPECT_EQ(refused.Get().status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(t.request_count(), 0u);
  t.PushResponse(200, R"({"AccessKeyId":"A","SecretAccessKey":"s"})");
  auto allowed =
      ContainerCredentialsProvider(t, {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials"},
                                       {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer abc"}});
  ASSERT_OK(allowed.Get());
  EXPECT_EQ(*t.requests().back().FindHeader("authorization"), "Bearer abc");
  EXPECT_EQ(ContainerCredentialsProvider(t, {}).Get().status().code(), StatusCode::kUnauthenticated);
}

TEST(MetadataCredentials, ImdsDisabledByEnvironment) {
  testing::FakeTransport t;
  InstanceProfileCredentialsProvider p(t, {{"AWS_EC2_METADATA_DISABLED", "true"}});
  EXPECT_EQ(p.Get().status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(t.request_count(), 0u);
}

}  // namespace
}  // namespace ap::aws
