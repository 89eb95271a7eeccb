// Issue 16 §1: a refresh whose reads fail is never shown as healthy. Every value it attempted is marked (stale with
// its last good value, or error with none), with the reason and the attempt time, whether one code failed or all of
// them; the maintained aggregates and the dashboard count it; a later successful read clears it.
#include <gtest/gtest.h>

#include "domain/read_failure.h"
#include "fake_aws.h"
#include "service/quota_refresher.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

constexpr const char* kCodes[] = {"L-27C57EE8", "L-DB84CE56", "L-4B26E44A", "L-C0D53EFB", "L-3ABF6ACC", "L-58424D95"};
constexpr const char* kOpusTpm = "L-3ABF6ACC";
constexpr const char* kDenied =
    "AccessDeniedException: User is not authorized to perform servicequotas:GetServiceQuota";

class FailedRefreshTest : public ::testing::Test {
 protected:
  FailedRefreshTest()
      : pool(4),
        creds(*env.accounts, env.assumer, env.clock),
        refresher(*env.accounts, *env.quota_config, *env.quota, creds, quotas, *env.audit, *env.store, env.clock, pool,
                  RefreshOptions{}) {}

  void SetUp() override {
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012", {"ops"})));
    for (const char* c : kCodes) quotas.Set(c, {1000.0, 500.0, Status::Ok()});
  }

  domain::QuotaSnapshot Stored(const std::string& account = "123456789012") {
    auto s = env.store->GetQuotaSnapshot(account, "us-east-1");
    EXPECT_OK(s);
    return s.ok() ? *s : domain::QuotaSnapshot{};
  }
  // The fleet aggregate's counters of one code.
  store::CodeAggregate Fleet(const char* code) {
    auto fleet = env.store->GetFleetAggregate();
    EXPECT_OK(fleet);
    for (const store::CodeAggregate& c : fleet->codes)
      if (c.quota_code == code) return c;
    return store::CodeAggregate{code};
  }

  testing::TestEnv env;
  testing::FakeServiceQuotas quotas;
  ThreadPool pool;
  AccountCredentials creds;
  QuotaRefresher refresher;
};

TEST_F(FailedRefreshTest, EveryCallAccessDeniedMarksEveryValueStaleThenASuccessClearsIt) {
  ASSERT_EQ(refresher.Refresh(env.Admin(), "123456789012", "")->ok_count, 6);
  const int64_t read_at = env.clock.NowUnixMillis();
  EXPECT_EQ(Fleet(kOpusTpm).fresh, 1);
  EXPECT_EQ(Fleet(kOpusTpm).stale, 0);

  env.clock.Advance(std::chrono::minutes(4));
  const int64_t attempted_at = env.clock.NowUnixMillis();
  quotas.FailEverything(PermissionDenied(kDenied));
  auto report = refresher.Refresh(env.Admin(), "123456789012", "");
  ASSERT_OK(report);
  EXPECT_EQ(report->ok_count, 0);
  EXPECT_EQ(report->failed_count, 6);
  EXPECT_TRUE(report->cache_written);
  EXPECT_EQ(report->first_error, kDenied);

  domain::QuotaSnapshot s = Stored();
  ASSERT_EQ(s.values.size(), 6u);
  for (const domain::QuotaValue& v : s.values) {
    EXPECT_EQ(v.state, domain::QuotaState::kStale) << v.quota_code;
    EXPECT_EQ(v.value, 1000) << v.quota_code;  // the last good value, never 0
    EXPECT_EQ(v.reason, kDenied);
    EXPECT_EQ(v.read_at_ms, read_at);
    EXPECT_EQ(v.attempted_at_ms, attempted_at);
  }
  // The aggregates count it as stale (in the same write), the dashboard too.
  EXPECT_EQ(Fleet(kOpusTpm).fresh, 0);
  EXPECT_EQ(Fleet(kOpusTpm).stale, 1);
  auto stats = env.dashboard->Stats(env.Admin(), {});
  ASSERT_OK(stats);
  ASSERT_EQ(stats->rows.size(), 1u);
  for (const ModelTotals& m : stats->models) {
    EXPECT_EQ(m.dimensions[0].stale, 1) << m.model.model_id;
    EXPECT_EQ(m.dimensions[0].fresh, 0) << m.model.model_id;
    EXPECT_FALSE(m.dimensions[0].total.has_value());  // no fresh value: no total, not 0
  }
  const DashboardRow& row = stats->rows[0];
  EXPECT_EQ(row.last_refresh.at_ms, attempted_at);
  EXPECT_EQ(row.last_refresh.read, 0);
  EXPECT_EQ(row.last_refresh.failed, 6);
  EXPECT_EQ(row.last_refresh.reason, kDenied);
  EXPECT_EQ(domain::LastRefreshStateName(row.last_refresh), "failed");
  // The account page's read says so too.
  auto view = env.quota->Read("123456789012", "");
  ASSERT_OK(view);
  EXPECT_EQ(view->last_refresh.failed, 6);
  EXPECT_EQ(view->last_refresh.at_ms, attempted_at);
  EXPECT_EQ(domain::ClassifyReadFailure(view->last_refresh.reason), domain::ReadFailureKind::kAccessDenied);
  EXPECT_EQ(view->last_updated_ms, read_at);  // when the values shown were read, not when the refresh failed

  // A later successful read clears it.
  env.clock.Advance(std::chrono::minutes(1));
  quotas.FailEverything(Status::Ok());
  ASSERT_EQ(refresher.Refresh(env.Admin(), "123456789012", "")->ok_count, 6);
  for (const domain::QuotaValue& v : Stored().values) {
    EXPECT_EQ(v.state, domain::QuotaState::kOk);
    EXPECT_TRUE(v.reason.empty());
    EXPECT_EQ(v.read_at_ms, env.clock.NowUnixMillis());
  }
  EXPECT_EQ(Fleet(kOpusTpm).fresh, 1);
  EXPECT_EQ(Fleet(kOpusTpm).stale, 0);
  auto cleared = env.quota->Read("123456789012", "");
  ASSERT_OK(cleared);
  EXPECT_EQ(cleared->last_refresh.failed, 0);
  EXPECT_EQ(domain::LastRefreshStateName(cleared->last_refresh), "ok");
}

TEST_F(FailedRefreshTest, ANeverReadValueStaysNullWithTheReason) {
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("222222222222", {"ops"})));
  quotas.FailEverything(PermissionDenied(kDenied));
  auto report = refresher.Refresh(env.Admin(), "222222222222", "");
  ASSERT_OK(report);
  EXPECT_TRUE(report->cache_written);
  domain::QuotaSnapshot s = Stored("222222222222");
  ASSERT_EQ(s.values.size(), 6u);
  for (const domain::QuotaValue& v : s.values) {
    EXPECT_EQ(v.state, domain::QuotaState::kError);
    EXPECT_FALSE(v.value.has_value());  // null, not 0
    EXPECT_EQ(v.reason, kDenied);
    EXPECT_EQ(v.read_at_ms, 0);
    EXPECT_EQ(v.attempted_at_ms, env.clock.NowUnixMillis());
  }
  // Counted as neither fresh nor stale: the dashboard derives it as missing.
  EXPECT_EQ(Fleet(kOpusTpm).fresh, 0);
  EXPECT_EQ(Fleet(kOpusTpm).stale, 0);
}

TEST_F(FailedRefreshTest, OneFailedCodeIsMarkedAndTheSummaryIsPartial) {
  ASSERT_OK(refresher.Refresh(env.Admin(), "123456789012", ""));
  env.clock.Advance(std::chrono::minutes(1));
  quotas.Set(kOpusTpm, {std::nullopt, std::nullopt, PermissionDenied(kDenied)});
  auto report = refresher.Refresh(env.Admin(), "123456789012", "");
  ASSERT_OK(report);
  EXPECT_EQ(report->ok_count, 5);
  domain::QuotaSnapshot s = Stored();
  const domain::QuotaValue* v = s.Find(kOpusTpm);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->state, domain::QuotaState::kStale);
  EXPECT_EQ(v->value, 1000);
  auto view = env.quota->Read("123456789012", "");
  ASSERT_OK(view);
  EXPECT_EQ(view->last_refresh.read, 5);
  EXPECT_EQ(view->last_refresh.failed, 1);
  EXPECT_EQ(domain::LastRefreshStateName(view->last_refresh), "partial");
  EXPECT_EQ(Fleet(kOpusTpm).stale, 1);
}

// Whole-region failures: the role cannot be assumed (STS AccessDenied), no call is made, every value is marked.
TEST_F(FailedRefreshTest, ARoleThatCannotBeAssumedMarksEveryValueStale) {
  auto req = env.AccessKeyAccount("333333333333");
  req.credentials = domain::Credentials{};
  req.credentials.type = domain::CredentialType::kAssumeRole;
  req.credentials.role_arn = "arn:aws:iam::333333333333:role/QuotaReader";
  req.credentials.external_id = "ext-42";
  env.sts.required_external_id = "ext-42";
  env.sts.assumed_account = "333333333333";
  ASSERT_OK(env.accounts->Create(env.Admin(), req));
  ASSERT_EQ(refresher.Refresh(env.Admin(), "333333333333", "")->ok_count, 6);
  env.clock.Advance(std::chrono::minutes(1));
  env.sts.reject = PermissionDenied("AccessDenied: User is not authorized to perform sts:AssumeRole");
  creds.Forget("333333333333");
  const int calls = quotas.get_calls();
  auto report = refresher.Refresh(env.Admin(), "333333333333", "");
  ASSERT_OK(report);
  EXPECT_EQ(quotas.get_calls(), calls);  // no Service Quotas call without credentials
  EXPECT_EQ(report->failed_count, 6);
  for (const domain::QuotaValue& v : Stored("333333333333").values) {
    EXPECT_EQ(v.state, domain::QuotaState::kStale);
    EXPECT_EQ(v.value, 1000);
    EXPECT_EQ(v.reason, "AccessDenied: User is not authorized to perform sts:AssumeRole");
    EXPECT_EQ(domain::ClassifyReadFailure(v.reason), domain::ReadFailureKind::kAccessDenied);
  }
}

// Failures without an AWS code get one naming their class, so that clients can offer a hint.
TEST_F(FailedRefreshTest, NetworkAndThrottlingFailuresAreNamed) {
  ASSERT_OK(refresher.Refresh(env.Admin(), "123456789012", ""));
  env.clock.Advance(std::chrono::minutes(1));
  quotas.FailEverything(Unavailable("Couldn't connect to server"));
  ASSERT_OK(refresher.Refresh(env.Admin(), "123456789012", ""));
  domain::QuotaSnapshot s = Stored();
  const domain::QuotaValue* v = s.Find(kOpusTpm);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->reason, "NetworkError: Couldn't connect to server");
  EXPECT_EQ(domain::ClassifyReadFailure(v->reason), domain::ReadFailureKind::kUnavailable);
  quotas.FailEverything(ResourceExhausted("ThrottlingException: Rate exceeded"));
  ASSERT_OK(refresher.Refresh(env.Admin(), "123456789012", ""));
  s = Stored();
  v = s.Find(kOpusTpm);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->reason, "ThrottlingException: Rate exceeded");
  EXPECT_EQ(domain::ClassifyReadFailure(v->reason), domain::ReadFailureKind::kThrottled);
  EXPECT_EQ(v->value, 1000);
}

}  // namespace
}  // namespace ap::service
