#include "common/metrics.h"

#include <gtest/gtest.h>

#include <thread>

namespace ap {
namespace {

TEST(Metrics, RendersCountersHistogramsAndGaugesInPrometheusFormat) {
  MetricsRegistry r;
  r.GetCounter("ap_http_requests_total", "HTTP requests", {{"route", "/health"}, {"status", "200"}}).Add();
  r.GetCounter("ap_http_requests_total", "HTTP requests", {{"route", "/health"}, {"status", "200"}}).Add(2);
  Histogram& h = r.GetHistogram("ap_latency_seconds", "latency", {{"route", "/x"}}, {0.1, 1});
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(5);
  r.AddGaugeCollector("ap_quota_value", "cached quota", [](std::vector<std::pair<Labels, double>>* out) {
    out->push_back({{{"model", "claude \"x\""}}, 400000});
  });
  std::string text = r.Render();
  EXPECT_NE(text.find("# TYPE ap_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("ap_http_requests_total{route=\"/health\",status=\"200\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("ap_latency_seconds_bucket{route=\"/x\",le=\"0.1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("ap_latency_seconds_bucket{route=\"/x\",le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("ap_latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("ap_latency_seconds_count{route=\"/x\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("ap_quota_value{model=\"claude \\\"x\\\"\"} 400000\n"), std::string::npos);
}

TEST(Metrics, CountsExactlyUnderConcurrency) {
  MetricsRegistry r;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) r.GetCounter("c", "c", {{"k", "v"}}).Add();
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(r.GetCounter("c", "c", {{"k", "v"}}).value(), 40000);
}

}  // namespace
}  // namespace ap
