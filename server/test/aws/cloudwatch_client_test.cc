// CloudWatchClient against a scripted FakeTransport: the request shape (JSON 1.0, GraniteServiceVersion20100801
// target, SigV4 scope "monitoring", epoch-second timestamps), paging with the per-id merge, batching (500 queries,
// 100,800 points), validation before sending, and the error mapping. No sockets, no real sleeping. Against the
// simulator: simulator_test.cc (CloudWatch cases) and tools/aws-sim/test/cloudwatch.test.mjs.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "aws/cloudwatch_client.h"
#include "aws/rate_limiter.h"
#include "aws/wire.h"
#include "status_matchers.h"
#include "test_harness.h"

namespace ap::aws {
namespace {

namespace json = boost::json;
using testing::CallerHarness;
using testing::kTestCreds;

constexpr int64_t kStart = 1764979200;  // 2025-12-06T00:00:00Z

TimePoint At(int64_t epoch_seconds) { return *FromEpochSeconds(static_cast<double>(epoch_seconds)); }

HeaderList Json10() { return {{"content-type", "application/x-amz-json-1.0"}, {"x-amzn-requestid", "RID9"}}; }

MetricQuery Query(std::string id, std::string model = "anthropic.claude-3-haiku-20240307-v1:0",
                  std::string metric = "Invocations", int period = 60) {
  MetricQuery q;
  q.id = std::move(id);
  q.metric_namespace = "AWS/Bedrock";
  q.metric_name = std::move(metric);
  q.dimensions = {{"ModelId", std::move(model)}};
  q.period_seconds = period;
  q.stat = "Sum";
  return q;
}

class CloudWatchClientTest : public ::testing::Test {
 protected:
  CloudWatchClientTest() : client_(h_.caller()) {}

  json::object Body(size_t i) const { return json::parse(h_.transport.requests().at(i).body).as_object(); }

  CallerHarness h_{RetryOptions{.max_attempts = 3}};
  CloudWatchClient client_;
};

TEST_F(CloudWatchClientTest, GetMetricDataSendsJson10WithMetricStatQueriesSignedForMonitoring) {
  h_.transport.PushResponse(200, R"({"MetricDataResults":[{"Id":"inv","Label":"Invocations",
      "Timestamps":[1764979260,1764979200],"Values":[3.0,5.0],"StatusCode":"Complete"}],"Messages":[]})",
                            Json10());
  ASSERT_OK_AND_ASSIGN(MetricDataResponse r, client_.GetMetricData(kTestCreds, "eu-central-1", {Query("inv")},
                                                                   At(kStart), At(kStart + 3600)));
  ASSERT_EQ(h_.transport.requests().size(), 1u);
  const HttpRequest req = h_.transport.requests()[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.Url(), "https://monitoring.eu-central-1.amazonaws.com/");
  EXPECT_EQ(*req.FindHeader("content-type"), "application/x-amz-json-1.0");
  EXPECT_EQ(*req.FindHeader("x-amz-target"), "GraniteServiceVersion20100801.GetMetricData");
  EXPECT_NE(req.FindHeader("authorization")->find("/eu-central-1/monitoring/aws4_request"), std::string::npos);
  EXPECT_EQ(json::parse(req.body), json::parse(R"({
      "MetricDataQueries":[{"Id":"inv","MetricStat":{"Metric":{"Namespace":"AWS/Bedrock","MetricName":"Invocations",
        "Dimensions":[{"Name":"ModelId","Value":"anthropic.claude-3-haiku-20240307-v1:0"}]},"Period":60,"Stat":"Sum"},
        "ReturnData":true}],
      "StartTime":1764979200,"EndTime":1764982800,"ScanBy":"TimestampDescending"})"));

  ASSERT_EQ(r.results.size(), 1u);
  const MetricDataResult& inv = r.results[0];
  EXPECT_EQ(inv.id, "inv");
  EXPECT_EQ(inv.label, "Invocations");
  EXPECT_EQ(inv.status, MetricDataStatus::kComplete);
  EXPECT_EQ(inv.status_text, "Complete");
  ASSERT_EQ(inv.timestamps.size(), 2u);
  EXPECT_EQ(inv.timestamps[0], At(kStart + 60));
  EXPECT_EQ(inv.timestamps[1], At(kStart));
  EXPECT_EQ(inv.values, (std::vector<double>{3, 5}));
}

TEST_F(CloudWatchClientTest, AscendingScanAndNoDimensionsAreSentAsSuch) {
  h_.transport.PushResponse(200, R"({"MetricDataResults":[{"Id":"a","StatusCode":"Complete"}]})", Json10());
  MetricQuery q = Query("a");
  q.dimensions.clear();
  q.stat = "Maximum";
  q.period_seconds = 300;
  ASSERT_OK_AND_ASSIGN(MetricDataResponse r,
                       client_.GetMetricData(kTestCreds, "us-east-1", {q}, At(kStart), At(kStart + 600),
                                             MetricScanBy::kTimestampAscending));
  json::object body = Body(0);
  EXPECT_EQ(body["ScanBy"], "TimestampAscending");
  EXPECT_EQ(body["MetricDataQueries"].as_array()[0].at_pointer("/MetricStat/Metric"),
            json::parse(R"({"Namespace":"AWS/Bedrock","MetricName":"Invocations"})"));
  EXPECT_EQ(body["MetricDataQueries"].as_array()[0].at_pointer("/MetricStat/Period"), 300);
  EXPECT_EQ(body["MetricDataQueries"].as_array()[0].at_pointer("/MetricStat/Stat"), "Maximum");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_TRUE(r.results[0].timestamps.empty()) << "no data is an empty result, not zeros";
  EXPECT_EQ(r.results[0].status, MetricDataStatus::kComplete);
}

TEST_F(CloudWatchClientTest, FollowsNextTokenAndMergesPointsStatusAndMessagesPerId) {
  h_.transport.PushResponse(200, R"({"MetricDataResults":[
      {"Id":"a","Timestamps":[1764979320,1764979260],"Values":[1,2],"StatusCode":"PartialData"},
      {"Id":"b","Timestamps":[1764979320],"Values":[10],"StatusCode":"PartialData"}],
      "NextToken":"tok1","Messages":[{"Code":"MaxQueryTimeRangeExceed","Value":"x"}]})",
                            Json10());
  h_.transport.PushResponse(200, R"({"MetricDataResults":[
      {"Id":"a","Timestamps":[1764979200],"Values":[3],"StatusCode":"Complete"},
      {"Id":"b","Timestamps":[],"Values":[],"StatusCode":"Complete",
       "Messages":[{"Code":"ArithmeticError","Value":"y"}]}]})",
                            Json10());
  ASSERT_OK_AND_ASSIGN(MetricDataResponse r, client_.GetMetricData(kTestCreds, "us-east-1", {Query("a"), Query("b")},
                                                                   At(kStart), At(kStart + 3600)));
  ASSERT_EQ(h_.transport.requests().size(), 2u);
  EXPECT_FALSE(Body(0).contains("NextToken"));
  EXPECT_EQ(Body(1)["NextToken"], "tok1");
  EXPECT_EQ(Body(1)["MetricDataQueries"], Body(0)["MetricDataQueries"]) << "the same queries on every page";
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[0].values, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(r.results[0].timestamps.back(), At(kStart));
  EXPECT_EQ(r.results[0].status, MetricDataStatus::kComplete);
  EXPECT_EQ(r.results[1].values, (std::vector<double>{10}));
  EXPECT_EQ(r.results[1].status, MetricDataStatus::kComplete);
  ASSERT_EQ(r.results[1].messages.size(), 1u);
  EXPECT_EQ(r.results[1].messages[0].code, "ArithmeticError");
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].code, "MaxQueryTimeRangeExceed");
}

TEST_F(CloudWatchClientTest, AnErrorStatusOnAnyPageSticks) {
  h_.transport.PushResponse(200, R"({"MetricDataResults":[{"Id":"a","StatusCode":"InternalError"}],"NextToken":"t"})",
                            Json10());
  h_.transport.PushResponse(200, R"({"MetricDataResults":[{"Id":"a","StatusCode":"Complete"}]})", Json10());
  ASSERT_OK_AND_ASSIGN(MetricDataResponse r,
                       client_.GetMetricData(kTestCreds, "us-east-1", {Query("a")}, At(kStart), At(kStart + 60)));
  EXPECT_EQ(r.results[0].status, MetricDataStatus::kInternalError);
  EXPECT_EQ(r.results[0].status_text, "InternalError");
}

TEST_F(CloudWatchClientTest, ForbiddenAndUnknownCodesAreReported) {
  h_.transport.PushResponse(200, R"({"MetricDataResults":[{"Id":"a","StatusCode":"Forbidden"},
                                      {"Id":"b","StatusCode":"Sideways"}]})",
                            Json10());
  ASSERT_OK_AND_ASSIGN(MetricDataResponse r, client_.GetMetricData(kTestCreds, "us-east-1", {Query("a"), Query("b")},
                                                                   At(kStart), At(kStart + 60)));
  EXPECT_EQ(r.results[0].status, MetricDataStatus::kForbidden);
  EXPECT_EQ(r.results[1].status, MetricDataStatus::kUnknown);
  EXPECT_EQ(r.results[1].status_text, "Sideways");
}

TEST_F(CloudWatchClientTest, RepeatedNextTokenStopsWithInternal) {
  h_.transport.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    HttpResponse r;
    r.status = 200;
    r.body = R"({"MetricDataResults":[{"Id":"a","StatusCode":"PartialData"}],"NextToken":"same"})";
    return r;
  });
  auto r = client_.GetMetricData(kTestCreds, "us-east-1", {Query("a")}, At(kStart), At(kStart + 60));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_NE(r.status().message().find("NextToken repeated"), std::string::npos) << r.status().message();
  EXPECT_EQ(h_.transport.request_count(), 2u);
}

TEST_F(CloudWatchClientTest, MalformedAnswersAreInternal) {
  const char* bodies[] = {
      R"({"MetricDataResults":[]})",                                     // no result for "a"
      R"({"MetricDataResults":[{"Id":"zz","StatusCode":"Complete"}]})",  // an id not asked for
      R"({"MetricDataResults":[{"Id":"a","Timestamps":[1],"Values":[],"StatusCode":"Complete"}]})",  // lengths
      R"({"MetricDataResults":[{"Id":"a","Timestamps":["x"],"Values":[1],"StatusCode":"Complete"}]})",
      R"(not json)",
  };
  for (const char* body : bodies) {
    h_.transport.PushResponse(200, body, Json10());
    auto r = client_.GetMetricData(kTestCreds, "us-east-1", {Query("a")}, At(kStart), At(kStart + 60));
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.status().code(), StatusCode::kInternal) << body << ": " << r.status().ToString();
  }
}

TEST_F(CloudWatchClientTest, InvalidQueriesAreRefusedBeforeSending) {
  MetricQuery no_period = Query("a");
  no_period.period_seconds = 0;
  MetricQuery no_stat = Query("a");
  no_stat.stat.clear();
  const std::vector<std::vector<MetricQuery>> bad = {{},
                                                     {Query("A1")},
                                                     {Query("1a")},
                                                     {Query("a-b")},
                                                     {Query("")},
                                                     {Query("a"), Query("a")},
                                                     {no_period},
                                                     {no_stat},
                                                     {Query(std::string(256, 'a'))}};
  for (const auto& queries : bad) {
    auto r = client_.GetMetricData(kTestCreds, "us-east-1", queries, At(kStart), At(kStart + 60));
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << (queries.empty() ? "(none)" : queries[0].id);
  }
  auto reversed = client_.GetMetricData(kTestCreds, "us-east-1", {Query("a")}, At(kStart + 60), At(kStart));
  EXPECT_EQ(reversed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(h_.transport.request_count(), 0u);
}

TEST(PlanMetricDataBatches, SplitsAt500QueriesAndAt100800Points) {
  std::vector<MetricQuery> queries;
  queries.reserve(1001);
  for (int i = 0; i < 1001; ++i) queries.push_back(Query("q" + std::to_string(i)));
  // One hour at 60 s: 60 points each, far under the points limit: the query count decides.
  auto by_count = PlanMetricDataBatches(queries, std::chrono::hours(1));
  ASSERT_EQ(by_count.size(), 3u);
  EXPECT_EQ(by_count[0].size(), 500u);
  EXPECT_EQ(by_count[1].size(), 500u);
  EXPECT_EQ(by_count[2], std::vector<size_t>{1000});
  EXPECT_EQ(by_count[1].front(), 500u);
  // Seven days at 60 s: 10,080 points each, so 10 queries fill 100,800 points.
  queries.resize(25);
  auto by_points = PlanMetricDataBatches(queries, std::chrono::hours(24 * 7));
  ASSERT_EQ(by_points.size(), 3u);
  EXPECT_EQ(by_points[0].size(), 10u);
  EXPECT_EQ(by_points[1].size(), 10u);
  EXPECT_EQ(by_points[2].size(), 5u);
  // A partial period still costs a point.
  EXPECT_EQ(PlanMetricDataBatches(queries, std::chrono::seconds(61), 500, 50).size(), 1u);
  EXPECT_EQ(PlanMetricDataBatches(queries, std::chrono::seconds(61), 500, 49).size(), 2u);
}

TEST(PlanMetricDataBatches, AQueryLargerThanTheLimitGoesAlone) {
  std::vector<MetricQuery> queries = {Query("a"), Query("b", "m", "Invocations", 1), Query("c")};
  auto batches = PlanMetricDataBatches(queries, std::chrono::hours(24 * 2));  // "b": 172,800 points
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0], std::vector<size_t>{0});
  EXPECT_EQ(batches[1], std::vector<size_t>{1});
  EXPECT_EQ(batches[2], std::vector<size_t>{2});
}

TEST_F(CloudWatchClientTest, MoreThan500QueriesGoInSeveralRequestsAndComeBackInOrder) {
  std::vector<MetricQuery> queries;
  queries.reserve(501);
  for (int i = 0; i < 501; ++i) queries.push_back(Query("q" + std::to_string(i)));
  h_.transport.SetHandler([](const HttpRequest& req) -> Result<HttpResponse> {
    json::object in = json::parse(req.body).as_object();
    json::array results;
    const json::array& qs = in["MetricDataQueries"].as_array();
    for (const json::value& q : qs) {
      std::string id(q.as_object().at("Id").as_string());
      results.push_back(json::object{{"Id", id},
                                     {"Timestamps", json::array{1764979200}},
                                     {"Values", json::array{std::stod(id.substr(1))}},
                                     {"StatusCode", "Complete"}});
    }
    // Answer in reverse order: the client must place results by id, not by position.
    std::reverse(results.begin(), results.end());
    HttpResponse r;
    r.status = 200;
    r.body = json::serialize(json::object{{"MetricDataResults", results}});
    return r;
  });
  ASSERT_OK_AND_ASSIGN(MetricDataResponse r,
                       client_.GetMetricData(kTestCreds, "us-east-1", queries, At(kStart), At(kStart + 3600)));
  ASSERT_EQ(h_.transport.request_count(), 2u);
  EXPECT_EQ(Body(0)["MetricDataQueries"].as_array().size(), 500u);
  EXPECT_EQ(Body(1)["MetricDataQueries"].as_array().size(), 1u);
  ASSERT_EQ(r.results.size(), 501u);
  for (int i = 0; i < 501; ++i) {
    EXPECT_EQ(r.results[i].id, "q" + std::to_string(i));
    ASSERT_EQ(r.results[i].values.size(), 1u);
    EXPECT_EQ(r.results[i].values[0], i);
  }
}

TEST_F(CloudWatchClientTest, ThrottlingIsRetried) {
  h_.transport.PushResponse(400, R"({"__type":"Throttling","message":"Rate exceeded"})", Json10());
  h_.transport.PushResponse(200, R"({"MetricDataResults":[{"Id":"a","StatusCode":"Complete"}]})", Json10());
  ASSERT_OK(client_.GetMetricData(kTestCreds, "us-east-1", {Query("a")}, At(kStart), At(kStart + 60)));
  EXPECT_EQ(h_.transport.request_count(), 2u);
}

struct ErrorCase {
  int status;
  const char* type;  // the JSON __type
  const char* code;  // what the message starts with
  StatusCode expected;
};

class CloudWatchClientErrorTest : public CloudWatchClientTest, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(CloudWatchClientErrorTest, MapsCloudWatchCodesKeepingTheCodeFirst) {
  const ErrorCase& c = GetParam();
  for (int i = 0; i < 3; ++i) {
    h_.transport.PushResponse(c.status, std::string(R"({"__type":")") + c.type + R"(","message":"m"})", Json10());
  }
  auto r = client_.GetMetricData(kTestCreds, "us-east-1", {Query("a")}, At(kStart), At(kStart + 60));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), c.expected) << r.status().ToString();
  EXPECT_EQ(r.status().message().rfind(c.code, 0), 0u) << r.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Codes, CloudWatchClientErrorTest,
    ::testing::Values(ErrorCase{400, "com.amazonaws.cloudwatch#InvalidParameterValueException",
                                "InvalidParameterValueException", StatusCode::kInvalidArgument},
                      ErrorCase{400, "com.amazonaws.cloudwatch#InvalidNextToken", "InvalidNextToken",
                                StatusCode::kInvalidArgument},
                      ErrorCase{400, "com.amazonaws.cloudwatch#MissingRequiredParameterException",
                                "MissingRequiredParameterException", StatusCode::kInvalidArgument},
                      ErrorCase{400, "AccessDeniedException", "AccessDeniedException", StatusCode::kPermissionDenied},
                      ErrorCase{403, "AccessDenied", "AccessDenied", StatusCode::kPermissionDenied},
                      ErrorCase{500, "com.amazonaws.cloudwatch#InternalServiceFault", "InternalServiceFault",
                                StatusCode::kUnavailable},
                      ErrorCase{400, "Throttling", "Throttling", StatusCode::kResourceExhausted},
                      ErrorCase{403, "InvalidClientTokenId", "InvalidClientTokenId", StatusCode::kUnauthenticated}));

TEST_F(CloudWatchClientTest, ListMetricsSendsFiltersAndFollowsEveryPage) {
  h_.transport.PushResponse(200, R"({"Metrics":[
      {"Namespace":"AWS/Bedrock","MetricName":"Invocations","Dimensions":[{"Name":"ModelId","Value":"m1"}]}],
      "NextToken":"p2"})",
                            Json10());
  h_.transport.PushResponse(200, R"({"Metrics":[
      {"Namespace":"AWS/Bedrock","MetricName":"Invocations",
       "Dimensions":[{"Name":"ModelId","Value":"global.anthropic.claude-sonnet-4-5-20250929-v1:0"}]}]})",
                            Json10());
  ListMetricsRequest req;
  req.metric_namespace = "AWS/Bedrock";
  req.metric_name = "Invocations";
  req.dimensions = {{"ModelId", std::nullopt}};
  req.recently_active = true;
  ASSERT_OK_AND_ASSIGN(std::vector<Metric> metrics, client_.ListMetrics(kTestCreds, "us-west-2", req));
  ASSERT_EQ(h_.transport.request_count(), 2u);
  const HttpRequest first = h_.transport.requests()[0];
  EXPECT_EQ(*first.FindHeader("x-amz-target"), "GraniteServiceVersion20100801.ListMetrics");
  EXPECT_EQ(first.Url(), "https://monitoring.us-west-2.amazonaws.com/");
  EXPECT_EQ(json::parse(first.body), json::parse(R"({"Namespace":"AWS/Bedrock","MetricName":"Invocations",
      "Dimensions":[{"Name":"ModelId"}],"RecentlyActive":"PT3H"})"));
  EXPECT_EQ(Body(1)["NextToken"], "p2");
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].metric_namespace, "AWS/Bedrock");
  EXPECT_EQ(metrics[0].dimensions, (std::vector<MetricDimension>{{"ModelId", "m1"}}));
  EXPECT_EQ(metrics[1].dimensions[0].value, "global.anthropic.claude-sonnet-4-5-20250929-v1:0");
}

TEST_F(CloudWatchClientTest, ListMetricsWithAValueFilterAndARepeatedToken) {
  h_.transport.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    HttpResponse r;
    r.status = 200;
    r.body = R"({"Metrics":[],"NextToken":"again"})";
    return r;
  });
  ListMetricsRequest req;
  req.dimensions = {{"ModelId", std::string("m1")}};
  auto r = client_.ListMetrics(kTestCreds, "us-east-1", req);
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_EQ(json::parse(h_.transport.requests()[0].body), json::parse(R"({"Dimensions":[{"Name":"ModelId",
      "Value":"m1"}]})"));
}

TEST(CloudWatchRateLimits, PublishedRatesAreInTheDefaultTable) {
  RateLimitTable t = DefaultRateLimits();
  EXPECT_EQ(t.at("GetMetricData").rate, 50);
  EXPECT_EQ(t.at("ListMetrics").rate, 25);
}

TEST_F(CloudWatchClientTest, EachPageWaitsForTheRateLimiter) {
  CallerHarness limited(RetryOptions{.max_attempts = 1}, /*rate_limits=*/true);
  CloudWatchClient client(limited.caller());
  limited.transport.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    HttpResponse r;
    r.status = 200;
    r.body = R"({"MetricDataResults":[{"Id":"a","StatusCode":"Complete"}]})";
    return r;
  });
  const TimePoint t0 = limited.clock.Now();
  for (int i = 0; i < 60; ++i) {
    ASSERT_OK(client.GetMetricData(kTestCreds, "us-east-1", {Query("a")}, At(kStart), At(kStart + 60)));
  }
  // 50 at once (the burst), then 10 more at 45/s (the 0.9 headroom): about 0.22 s of fake sleeping.
  const double slept = std::chrono::duration<double>(limited.clock.Now() - t0).count();
  EXPECT_GT(slept, 0.2);
  EXPECT_LT(slept, 0.25);
}

}  // namespace
}  // namespace ap::aws
