#include "aws/retry.h"

#include <gtest/gtest.h>

#include "aws/service_quotas_client.h"
#include "status_matchers.h"
#include "test_harness.h"

namespace ap::aws {
namespace {

using testing::CallerHarness;
using testing::JsonHeaders;
using testing::kTestCreds;

constexpr const char* kQuota =
    R"({"Quota":{"ServiceCode":"bedrock","ServiceName":"Amazon Bedrock","QuotaArn":"arn:aws:servicequotas:us-east-1:123456789012:bedrock/L-1","QuotaCode":"L-1","QuotaName":"Q","Value":2000.0,"Unit":"None","Adjustable":true,"GlobalQuota":false}})";
constexpr const char* kThrottle = R"({"__type":"ThrottlingException","message":"Rate exceeded"})";

TEST(Retry, ThrottlingThenSuccess) {
  CallerHarness h;
  h.transport.PushResponse(400, kThrottle, JsonHeaders());
  h.transport.PushResponse(400, kThrottle, JsonHeaders());
  h.transport.PushResponse(200, kQuota, JsonHeaders());
  ServiceQuotasClient client(h.caller());
  auto q = client.GetServiceQuota(kTestCreds, "us-east-1", "bedrock", "L-1");
  ASSERT_OK(q);
  EXPECT_EQ(q->value, 2000.0);
  EXPECT_EQ(h.transport.request_count(), 3u);
  auto sleeps = h.sleeper.sleeps();
  ASSERT_EQ(sleeps.size(), 2u);
  // Full jitter: the first delay in [0, 1 s), the second in [0, 2 s).
  EXPECT_LT(sleeps[0], std::chrono::seconds(1));
  EXPECT_LT(sleeps[1], std::chrono::seconds(2));
  // Each attempt is signed afresh at the (advanced) clock time.
  auto reqs = h.transport.requests();
  EXPECT_NE(*reqs[0].FindHeader("authorization"), *reqs[2].FindHeader("authorization"));
  // Two retries cost 10 tokens; success after retries refunds the last retry's 5.
  EXPECT_EQ(h.retry.quota().available(), 495);
}

TEST(Retry, StopsAfterThreeAttempts) {
  CallerHarness h;
  for (int i = 0; i < 5; ++i) h.transport.PushResponse(400, kThrottle, JsonHeaders());
  ServiceQuotasClient client(h.caller());
  auto q = client.GetServiceQuota(kTestCreds, "us-east-1", "bedrock", "L-1");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(q.status().message().starts_with("ThrottlingException: Rate exceeded")) << q.status().message();
  EXPECT_NE(q.status().message().find("servicequotas GetServiceQuota"), std::string::npos);
  EXPECT_NE(q.status().message().find("request id rid"), std::string::npos);
  EXPECT_EQ(h.transport.request_count(), 3u);
  EXPECT_EQ(h.sleeper.sleeps().size(), 2u);
}

TEST(Retry, NonRetryableErrorsAreNotRetried) {
  CallerHarness h;
  h.transport.PushResponse(
      400,
      R"({"__type":"NoSuchResourceException","Message":"The request failed because the specified service quota does not exist."})",
      JsonHeaders());
  ServiceQuotasClient client(h.caller());
  auto q = client.GetServiceQuota(kTestCreds, "us-east-1", "bedrock", "L-NOPE");
  EXPECT_EQ(q.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(h.transport.request_count(), 1u);
  EXPECT_TRUE(h.sleeper.sleeps().empty());
  EXPECT_EQ(h.retry.quota().available(), 500);
}

TEST(Retry, TransientServerAndConnectionErrorsAreRetried) {
  CallerHarness h;
  h.transport.PushResponse(503, "<html>Service Unavailable</html>");
  h.transport.PushError(Unavailable("connection reset"));
  h.transport.PushResponse(200, kQuota, JsonHeaders());
  ServiceQuotasClient client(h.caller());
  EXPECT_OK(client.GetServiceQuota(kTestCreds, "us-east-1", "bedrock", "L-1"));
  EXPECT_EQ(h.transport.request_count(), 3u);
}

TEST(Retry, TimeoutsCostMoreQuotaAndMapToDeadlineExceeded) {
  CallerHarness h;
  for (int i = 0; i < 3; ++i) h.transport.PushError(DeadlineExceeded("timed out"));
  ServiceQuotasClient client(h.caller());
  auto q = client.GetServiceQuota(kTestCreds, "us-east-1", "bedrock", "L-1");
  EXPECT_EQ(q.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(h.retry.quota().available(), 480);  // two retries at 10
}

TEST(Retry, QuotaExhaustionStopsRetrying) {
  RetryOptions o;
  o.quota_capacity = 12;  // two ordinary retries' worth
  o.max_attempts = 10;
  CallerHarness h(o);
  h.transport.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    HttpResponse r;
    r.status = 500;
    r.body = R"({"__type":"ServiceException","Message":"boom"})";
    return r;
  });
  ServiceQuotasClient client(h.caller());
  auto q = client.GetServiceQuota(kTestCreds, "us-east-1", "bedrock", "L-1");
  EXPECT_EQ(q.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(h.transport.request_count(), 3u);  // 1 + 2 retries, then the quota (2 tokens left) says no
  EXPECT_EQ(h.retry.quota().available(), 2);
  // The next call fails at once after its first attempt.
  auto again = client.GetServiceQuota(kTestCreds, "us-east-1", "bedrock", "L-1");
  EXPECT_FALSE(again.ok());
  EXPECT_EQ(h.transport.request_count(), 4u);
}

TEST(Retry, SuccessRefillsTheQuota) {
  RetryOptions o;
  RetryQuota quota(o);
  int cost = 0;
  ASSERT_TRUE(quota.TryAcquire(RetryKind::kThrottling, &cost));
  EXPECT_EQ(cost, 5);
  ASSERT_TRUE(quota.TryAcquire(RetryKind::kTimeout, &cost));
  EXPECT_EQ(cost, 10);
  EXPECT_EQ(quota.available(), 485);
  quota.Release(1);
  EXPECT_EQ(quota.available(), 486);
  quota.Release(1000);
  EXPECT_EQ(quota.available(), 500);
}

TEST(Retry, BackoffIsCappedAndJittered) {
  FakeRandom random(1);
  testing::FakeSleeper sleeper;
  RetryStrategy s(RetryOptions{}, random, sleeper);
  Duration max_seen{};
  for (int i = 0; i < 200; ++i) {
    Duration d = s.Backoff(10, RetryKind::kThrottling);  // 2^9 s uncapped
    EXPECT_LE(d, std::chrono::seconds(20));
    EXPECT_GE(d, Duration::zero());
    max_seen = std::max(max_seen, d);
  }
  EXPECT_EQ(max_seen, std::chrono::seconds(20));  // the cap is reached for most draws
  for (int i = 0; i < 200; ++i) EXPECT_LT(s.Backoff(1, RetryKind::kTransient), std::chrono::seconds(1));
}

TEST(Retry, MaxAttemptsFromEnvironment) {
  auto o = RetryOptionsFromEnvironment({{"AWS_MAX_ATTEMPTS", "5"}});
  ASSERT_OK(o);
  EXPECT_EQ(o->max_attempts, 5);
  EXPECT_EQ(RetryOptionsFromEnvironment({})->max_attempts, 3);
  EXPECT_FALSE(RetryOptionsFromEnvironment({{"AWS_MAX_ATTEMPTS", "0"}}).ok());
  EXPECT_FALSE(RetryOptionsFromEnvironment({{"AWS_MAX_ATTEMPTS", "3x"}}).ok());

  RetryOptions one;
  one.max_attempts = 1;
  CallerHarness h(one);
  h.transport.PushResponse(400, kThrottle, JsonHeaders());
  ServiceQuotasClient client(h.caller());
  EXPECT_EQ(client.GetServiceQuota(kTestCreds, "us-east-1", "bedrock", "L-1").status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(h.transport.request_count(), 1u);
}

TEST(Retry, EmptyCredentialsFailWithoutSending) {
  CallerHarness h;
  ServiceQuotasClient client(h.caller());
  EXPECT_EQ(client.GetServiceQuota({}, "us-east-1", "bedrock", "L-1").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(client.GetServiceQuota(kTestCreds, "bad region", "bedrock", "L-1").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(h.transport.request_count(), 0u);
}

}  // namespace
}  // namespace ap::aws
