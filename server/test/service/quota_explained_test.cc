// Issue 16 §2: numbers that explain themselves. AWS's default is read beside an applied value (at most once per
// aws_default_max_age), kept across failed reads, never invented (missing stays null); and each value of a quota read
// names its AWS quota and scope from the catalogue.
#include <gtest/gtest.h>

#include <algorithm>

#include "fake_aws.h"
#include "service/quota_refresher.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

constexpr const char* kSonnetTpm = "L-27C57EE8";
constexpr const char* kSonnetRpm = "L-DB84CE56";
constexpr const char* kCodes[] = {"L-27C57EE8", "L-DB84CE56", "L-4B26E44A", "L-C0D53EFB", "L-3ABF6ACC", "L-58424D95"};

class QuotaExplainedTest : public ::testing::Test {
 protected:
  QuotaExplainedTest()
      : pool(4),
        creds(*env.accounts, env.assumer, env.clock),
        refresher(*env.accounts, *env.quota_config, *env.quota, creds, quotas, *env.audit, *env.store, env.clock, pool,
                  RefreshOptions{}) {}

  void SetUp() override {
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012", {"ops"})));
    for (const char* c : kCodes) quotas.Set(c, {1000.0, 500.0, Status::Ok()});
  }

  domain::QuotaValue Stored(const char* code) {
    auto s = env.store->GetQuotaSnapshot("123456789012", "us-east-1");
    EXPECT_OK(s);
    const domain::QuotaValue* v = s.ok() ? s->Find(code) : nullptr;
    return v ? *v : domain::QuotaValue{};
  }

  testing::TestEnv env;
  testing::FakeServiceQuotas quotas;
  ThreadPool pool;
  AccountCredentials creds;
  QuotaRefresher refresher;
};

TEST_F(QuotaExplainedTest, ReadsAwsDefaultBesideAnAppliedValueOncePerDay) {
  quotas.Set(kSonnetTpm, {4'000'000.0, 2'000'000.0, Status::Ok()});
  ASSERT_EQ(refresher.Refresh(env.Admin(), "123456789012", "")->ok_count, 6);
  EXPECT_EQ(quotas.default_calls(), 6) << "every code's default read once beside its applied value";
  domain::QuotaValue v = Stored(kSonnetTpm);
  EXPECT_EQ(v.value, 4'000'000);
  EXPECT_FALSE(v.is_default);
  EXPECT_EQ(v.aws_default, 2'000'000);
  EXPECT_EQ(v.aws_default_read_at_ms, env.clock.NowUnixMillis());

  // Within the day: applied values are read again, defaults are not.
  env.clock.Advance(std::chrono::hours(1));
  ASSERT_EQ(refresher.Refresh(env.Admin(), "123456789012", "")->ok_count, 6);
  EXPECT_EQ(quotas.default_calls(), 6);
  EXPECT_EQ(Stored(kSonnetTpm).aws_default, 2'000'000) << "kept, not re-read";

  // A day later AWS's default has changed: read again.
  quotas.Set(kSonnetTpm, {4'000'000.0, 3'000'000.0, Status::Ok()});
  env.clock.Advance(std::chrono::hours(24));
  ASSERT_EQ(refresher.Refresh(env.Admin(), "123456789012", "")->ok_count, 6);
  EXPECT_EQ(quotas.default_calls(), 12);
  EXPECT_EQ(Stored(kSonnetTpm).aws_default, 3'000'000);
}

TEST_F(QuotaExplainedTest, ADefaultThatCannotBeReadStaysNullAndFailsNothing) {
  quotas.Set(kSonnetRpm, {250.0, std::nullopt, Status::Ok()});  // GetAWSDefaultServiceQuota: NotFound
  auto report = refresher.Refresh(env.Admin(), "123456789012", "");
  ASSERT_OK(report);
  EXPECT_EQ(report->failed_count, 0) << "the default is extra: its failure fails no value";
  domain::QuotaValue v = Stored(kSonnetRpm);
  EXPECT_EQ(v.value, 250);
  EXPECT_EQ(v.state, domain::QuotaState::kOk);
  EXPECT_FALSE(v.aws_default.has_value()) << "unknown is null, never 0";
  EXPECT_EQ(v.aws_default_read_at_ms, 0);
}

TEST_F(QuotaExplainedTest, AValueWithoutAnAppliedOneCarriesTheDefaultAndAFailedReadKeepsIt) {
  quotas.Set(kSonnetTpm, {std::nullopt, 2'000'000.0, Status::Ok()});
  ASSERT_EQ(refresher.Refresh(env.Admin(), "123456789012", "")->ok_count, 6);
  domain::QuotaValue v = Stored(kSonnetTpm);
  EXPECT_TRUE(v.is_default);
  EXPECT_EQ(v.aws_default, 2'000'000);

  // AWS grants an increase: applied now, the default stays beside it (it is less than a day old).
  env.clock.Advance(std::chrono::minutes(10));
  quotas.Set(kSonnetTpm, {5'000'000.0, 2'000'000.0, Status::Ok()});
  ASSERT_EQ(refresher.Refresh(env.Admin(), "123456789012", "")->ok_count, 6);
  v = Stored(kSonnetTpm);
  EXPECT_FALSE(v.is_default);
  EXPECT_EQ(v.value, 5'000'000);
  EXPECT_EQ(v.aws_default, 2'000'000);

  // Every read fails: the value goes stale, the default is kept.
  env.clock.Advance(std::chrono::minutes(10));
  quotas.FailEverything(PermissionDenied("AccessDeniedException: no"));
  ASSERT_EQ(refresher.Refresh(env.Admin(), "123456789012", "")->ok_count, 0);
  v = Stored(kSonnetTpm);
  EXPECT_EQ(v.state, domain::QuotaState::kStale);
  EXPECT_EQ(v.aws_default, 2'000'000);
}

TEST_F(QuotaExplainedTest, AReadNamesEachValuesAwsQuotaAndScope) {
  ASSERT_EQ(refresher.Refresh(env.Admin(), "123456789012", "")->ok_count, 6);
  auto view = env.quota->Read("123456789012", "");
  ASSERT_OK(view);
  ASSERT_FALSE(view->models.empty());
  auto sonnet = std::find_if(view->models.begin(), view->models.end(),
                             [](const ModelQuotaView& m) { return m.model->model_id == "claude-sonnet-4.5-v1"; });
  ASSERT_NE(sonnet, view->models.end());
  const DimensionView& tpm = sonnet->dimensions[0];
  ASSERT_NE(tpm.catalogue, nullptr);
  EXPECT_EQ(tpm.catalogue->name,
            "Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1");
  EXPECT_EQ(tpm.catalogue->scope, "global-cross-region");
  ASSERT_NE(env.quota->catalogue(), nullptr);
  EXPECT_EQ(env.quota->catalogue()->Find("L-00000000"), nullptr);
}

}  // namespace
}  // namespace ap::service
