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

TEST(Metrics, FoldsLabelSetsBeyondTheFamilyCapIntoOneOverflowSeries) {
  MetricsRegistry r(/*max_series_per_family=*/3);
  Counter& a = r.GetCounter("req", "requests", {{"method", "GET"}});
  r.GetCounter("req", "requests", {{"method", "POST"}}).Add();
  r.GetCounter("req", "requests", {{"method", "PUT"}}).Add();
  // The family is full: every new label set lands in the same overflow series.
  for (int i = 0; i < 10000; ++i) {
    std::string method = "M";
    method += std::to_string(i);  // (not "M" + ...: GCC 12 warns falsely about that, -Wrestrict)
    r.GetCounter("req", "requests", {{"method", method}}).Add();
  }
  // Known label sets keep their own series.
  EXPECT_EQ(&r.GetCounter("req", "requests", {{"method", "GET"}}), &a);
  r.GetHistogram("lat", "latency", {{"route", "/a"}}, {1});
  r.GetHistogram("lat", "latency", {{"route", "/b"}}, {1});
  r.GetHistogram("lat", "latency", {{"route", "/c"}}, {1});
  r.GetHistogram("lat", "latency", {{"route", "/d"}}, {1}).Observe(0.5);

  std::string text = r.Render();
  EXPECT_NE(text.find("req{method=\"overflow\"} 10000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("req{method=\"POST\"} 1\n"), std::string::npos);
  EXPECT_EQ(text.find("M42"), std::string::npos);
  EXPECT_NE(text.find("lat_count{route=\"overflow\"} 1\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("/d"), std::string::npos);
  EXPECT_NE(text.find("ap_metrics_series_overflow_total{family=\"req\"} 10000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("ap_metrics_series_overflow_total{family=\"lat\"} 1\n"), std::string::npos) << text;
  // 3 series + 1 overflow series per family, whatever was asked for.
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  EXPECT_LT(lines, 40u) << text;
}

TEST(Metrics, LabelValuesAreBoundedAndValidUtf8) {
  MetricsRegistry r;
  std::string huge(100000, 'x');
  r.GetCounter("c", "c", {{"v", huge}}).Add();
  r.GetCounter("c", "c", {{"v", "bad \xFF\xFE"}}).Add();
  std::string text = r.Render();
  EXPECT_LT(text.size(), 1000u);
  EXPECT_NE(text.find("c{v=\"" + std::string(MetricsRegistry::kMaxLabelValueBytes, 'x') + "\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("c{v=\"bad \xEF\xBF\xBD\xEF\xBF\xBD\"} 1\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace ap
