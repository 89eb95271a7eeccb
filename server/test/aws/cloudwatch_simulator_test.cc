// The C++ CloudWatch client against the real simulator (tools/aws-sim, which verifies every signature with AWS's
// own JS signer and answers GetMetricData / ListMetrics from scripted Bedrock traffic), started as a child process
// on a loopback port: the wire format both ways, paging and merging across real NextToken pages, batching, model
// discovery, and the error mapping of real answers.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "aws/aws_clients.h"
#include "aws/cloudwatch_client.h"
#include "aws/wire.h"
#include "aws_sim_process.h"
#include "status_matchers.h"

#ifndef AP_REPO_ROOT
#error "AP_REPO_ROOT must be defined (the repository root, for tools/aws-sim)"
#endif

namespace ap::aws {
namespace {

using testing::AwsSimProcess;

constexpr const char* kRegion = "us-east-1";
constexpr int64_t kT0 = 1764979200;  // 2025-12-06T00:00:00Z
constexpr int64_t kWeek = int64_t{7} * 86400;
constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";
constexpr const char* kSonnet = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
constexpr const char* kAccount1 = "100000000001";

TimePoint At(int64_t epoch_seconds) { return *FromEpochSeconds(static_cast<double>(epoch_seconds)); }

MetricQuery Query(std::string id, std::string metric, std::string model, int period = 60, std::string stat = "Sum") {
  MetricQuery q;
  q.id = std::move(id);
  q.metric_namespace = "AWS/Bedrock";
  q.metric_name = std::move(metric);
  q.dimensions = {{"ModelId", std::move(model)}};
  q.period_seconds = period;
  q.stat = std::move(stat);
  return q;
}

class CloudWatchSimulatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto sim = AwsSimProcess::Start(AP_REPO_ROOT, {"--seed-accounts", "2", "--dynamodb", "off"});
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
    ASSERT_OK(sim_->Control("DELETE", std::string("/_sim/accounts/") + kAccount1 + "/traffic"));
    ASSERT_OK(sim_->Control("PUT", "/_sim/config", R"({"cloudwatch_page_points":100800})"));
    // Haiku in us-east-1: ten minutes, minute i with i+1 invocations of 100 input tokens each, 2 throttles at i=3.
    boost::json::array series;
    for (int i = 0; i < 10; ++i) {
      series.push_back(boost::json::object{{"at", kT0 + int64_t{60} * i},
                                           {"invocations", i + 1},
                                           {"input_tokens", 100 * (i + 1)},
                                           {"throttles", i == 3 ? 2 : 0}});
    }
    Script(boost::json::object{{"region", kRegion}, {"model_id", kHaiku}, {"series", series}});
    auto creds = sim_->SeededCredentials(1);
    ASSERT_OK(creds);
    creds_ = *creds;
    AwsClientOptions o;
    o.env = {{"AWS_ENDPOINT_URL", sim_->url()}, {"AWS_EC2_METADATA_DISABLED", "true"}};
    o.retry.transient_base = std::chrono::milliseconds(10);
    o.retry.throttling_base = std::chrono::milliseconds(10);
    auto c = MakeAwsClients(o, SystemClock::Instance(), random_);
    ASSERT_OK(c);
    clients_ = std::move(c).value();
  }

  static void Script(const boost::json::object& body) {
    ASSERT_OK(
        sim_->Control("POST", std::string("/_sim/accounts/") + kAccount1 + "/traffic", boost::json::serialize(body)));
  }

  static AwsSimProcess* sim_;
  SecureRandom random_;
  Credentials creds_;
  AwsClients clients_;
};
AwsSimProcess* CloudWatchSimulatorTest::sim_ = nullptr;

TEST_F(CloudWatchSimulatorTest, GetMetricDataReadsScriptedTrafficNewestFirst) {
  ASSERT_OK_AND_ASSIGN(
      MetricDataResponse r,
      clients_.cloudwatch->GetMetricData(
          creds_, kRegion,
          {Query("inv", "Invocations", kHaiku), Query("thr", "InvocationThrottles", kHaiku),
           Query("tok", "InputTokenCount", kHaiku, 300, "Average"), Query("none", "Invocations", kSonnet)},
          At(kT0), At(kT0 + 600)));
  ASSERT_EQ(r.results.size(), 4u);
  EXPECT_EQ(r.results[0].values, (std::vector<double>{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(r.results[0].timestamps.front(), At(kT0 + 540));
  EXPECT_EQ(r.results[0].status, MetricDataStatus::kComplete);
  EXPECT_EQ(r.results[1].values, (std::vector<double>{2}));
  EXPECT_EQ(r.results[1].timestamps, (std::vector<TimePoint>{At(kT0 + 180)}));
  EXPECT_EQ(r.results[2].values, (std::vector<double>{100, 100}));
  EXPECT_TRUE(r.results[3].values.empty()) << "a model without traffic has no points, not zeros";
  EXPECT_EQ(r.results[3].status, MetricDataStatus::kComplete);
}

TEST_F(CloudWatchSimulatorTest, AscendingScan) {
  ASSERT_OK_AND_ASSIGN(MetricDataResponse r,
                       clients_.cloudwatch->GetMetricData(creds_, kRegion, {Query("inv", "Invocations", kHaiku)},
                                                          At(kT0), At(kT0 + 180), MetricScanBy::kTimestampAscending));
  EXPECT_EQ(r.results[0].values, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(r.results[0].timestamps, (std::vector<TimePoint>{At(kT0), At(kT0 + 60), At(kT0 + 120)}));
}

TEST_F(CloudWatchSimulatorTest, FollowsRealNextTokenPagesAndMergesPerId) {
  ASSERT_OK(sim_->Control("PUT", "/_sim/config", R"({"cloudwatch_page_points":3})"));
  ASSERT_OK(sim_->Control("POST", "/_sim/counters/reset"));
  ASSERT_OK_AND_ASSIGN(MetricDataResponse r,
                       clients_.cloudwatch->GetMetricData(
                           creds_, kRegion, {Query("a", "Invocations", kHaiku), Query("b", "InputTokenCount", kHaiku)},
                           At(kT0), At(kT0 + 600)));
  EXPECT_EQ(r.results[0].values, (std::vector<double>{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(r.results[1].values, (std::vector<double>{1000, 900, 800, 700, 600, 500, 400, 300, 200, 100}));
  EXPECT_EQ(r.results[0].status, MetricDataStatus::kComplete);
  EXPECT_EQ(r.results[1].status, MetricDataStatus::kComplete);
  auto counters = sim_->Control("GET", "/_sim/counters");
  ASSERT_OK(counters);
  EXPECT_EQ(counters->at_pointer("/by_account/100000000001/operations/GetMetricData/ok").to_number<int64_t>(), 7)
      << "20 points at 3 a page";
}

TEST_F(CloudWatchSimulatorTest, SevenDaysOfManyModelsAreSplitIntoRequestsWithinTheLimits) {
  // 11 queries over 7 days at 60 s expect 10,080 points each: 10 fill the 100,800 points one request may hold, so
  // the client sends 2 requests (the traffic itself is only 10 minutes per model).
  std::vector<MetricQuery> queries;
  for (int i = 0; i < 11; ++i) {
    std::string model = "model-" + std::to_string(i);
    Script(boost::json::object{{"region", kRegion},
                               {"model_id", model},
                               {"per_minute", boost::json::object{{"invocations", 1}}},
                               {"from", kT0 - kWeek + 600},
                               {"to", kT0 - kWeek + 1200}});
    queries.push_back(Query("m" + std::to_string(i), "Invocations", model));
  }
  ASSERT_OK(sim_->Control("POST", "/_sim/counters/reset"));
  ASSERT_OK_AND_ASSIGN(MetricDataResponse r,
                       clients_.cloudwatch->GetMetricData(creds_, kRegion, queries, At(kT0 - kWeek), At(kT0)));
  ASSERT_EQ(r.results.size(), 11u);
  for (const MetricDataResult& m : r.results) EXPECT_EQ(m.values.size(), 10u) << m.id;
  auto counters = sim_->Control("GET", "/_sim/counters");
  ASSERT_OK(counters);
  EXPECT_EQ(counters->at_pointer("/by_account/100000000001/operations/GetMetricData/ok").to_number<int64_t>(), 2);
  ASSERT_OK(sim_->Control("DELETE", std::string("/_sim/accounts/") + kAccount1 + "/traffic"));
}

TEST_F(CloudWatchSimulatorTest, ListMetricsFindsEveryModelIdIncludingInferenceProfiles) {
  Script(boost::json::object{{"region", kRegion},
                             {"model_id", kSonnet},
                             {"series", boost::json::array{boost::json::object{{"at", kT0}, {"invocations", 1}}}}});
  ListMetricsRequest req;
  req.metric_namespace = "AWS/Bedrock";
  req.metric_name = "Invocations";
  req.dimensions = {{"ModelId", std::nullopt}};
  ASSERT_OK_AND_ASSIGN(std::vector<Metric> metrics, clients_.cloudwatch->ListMetrics(creds_, kRegion, req));
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].dimensions, (std::vector<MetricDimension>{{"ModelId", kHaiku}}));
  EXPECT_EQ(metrics[1].dimensions, (std::vector<MetricDimension>{{"ModelId", kSonnet}}));
  req.recently_active = true;
  ASSERT_OK_AND_ASSIGN(std::vector<Metric> recent, clients_.cloudwatch->ListMetrics(creds_, kRegion, req));
  EXPECT_TRUE(recent.empty()) << "the scripted traffic is older than 3 hours";
}

TEST_F(CloudWatchSimulatorTest, AwsValidationErrorsAreInvalidArgumentWithTheCodeFirst) {
  auto r = clients_.cloudwatch->GetMetricData(creds_, kRegion, {Query("a", "Invocations", kHaiku, 45)}, At(kT0),
                                              At(kT0 + 60));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(r.status().message().starts_with("InvalidParameterValueException: ")) << r.status().message();
}

TEST_F(CloudWatchSimulatorTest, WrongSecretIsUnauthenticated) {
  Credentials bad = creds_;
  bad.secret_access_key[0] = bad.secret_access_key[0] == 'x' ? 'y' : 'x';
  auto r = clients_.cloudwatch->ListMetrics(bad, kRegion, {});
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(r.status().message().starts_with("SignatureDoesNotMatch: ")) << r.status().message();
}

TEST_F(CloudWatchSimulatorTest, ThrottlingAndServerFaultsAreRetried) {
  ASSERT_OK(sim_->Control("POST", "/_sim/faults",
                          R"({"service":"cloudwatch","operation":"GetMetricData","error":"throttle","count":1})"));
  ASSERT_OK(
      sim_->Control("POST", "/_sim/faults",
                    R"({"service":"cloudwatch","operation":"GetMetricData","error":"5xx","status":500,"count":1})"));
  ASSERT_OK_AND_ASSIGN(
      MetricDataResponse r,
      clients_.cloudwatch->GetMetricData(creds_, kRegion, {Query("a", "Invocations", kHaiku)}, At(kT0), At(kT0 + 60)));
  EXPECT_EQ(r.results[0].values, (std::vector<double>{1}));
  // Beyond the retries the fault shows: a 500 that persists is Unavailable.
  ASSERT_OK(sim_->Control("POST", "/_sim/faults", R"({"service":"cloudwatch","error":"5xx","status":500})"));
  auto failed = clients_.cloudwatch->ListMetrics(creds_, kRegion, {});
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(failed.status().message().starts_with("InternalServiceFault: ")) << failed.status().message();
}

}  // namespace
}  // namespace ap::aws
