// Metrics: counters, gauges and histograms with labels, rendered in the Prometheus text exposition format.
//
// Series are created on first use and live as long as the registry; callers keep the returned reference (it
// stays valid) to avoid the lookup on hot paths. Increments are lock-free atomics; lookups take a shared lock.
//
// Bounded by construction: a label value may come from a request (a route, a method), so the registry never lets
// label sets grow without limit, whatever its callers pass:
//  - a family (one metric name) holds at most `max_series_per_family` label sets (constructor; default 1000).
//    A new label set beyond that is folded into the family's overflow series, whose label names are those asked
//    for and whose every value is "overflow" (one series per distinct set of label names, in practice one), and
//    each such lookup is counted in ap_metrics_series_overflow_total{family="<name>"};
//  - a label value keeps at most kMaxLabelValueBytes bytes and is made valid UTF-8 (ill-formed bytes → U+FFFD);
//  - metric and label names are the callers' constants (never request data); gauge collectors are computed at
//    scrape time from state their owner bounds and are not stored.
// So the memory held and the size of Render() are at most families × (max_series_per_family + 1) series.
// Callers that cache the returned references per label set (api::Api::Observe) must bound their own key space.
//
// Thread safety: everything is safe from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/mutex.h"

namespace ap {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Add(double v = 1) {
    double cur = value_.load(std::memory_order_relaxed);
    while (!value_.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
    }
  }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative counts per bound (Prometheus "le" semantics), then count and sum.
  std::vector<uint64_t> CumulativeCounts() const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.value(); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // one per bound, plus +Inf
  std::atomic<uint64_t> count_{0};
  Counter sum_;
};

class MetricsRegistry {
 public:
  static constexpr size_t kDefaultMaxSeriesPerFamily = 1000;
  static constexpr size_t kMaxLabelValueBytes = 256;
  // The label value of a family's overflow series.
  static constexpr std::string_view kOverflowValue = "overflow";

  // REQUIRES: max_series_per_family > 0.
  explicit MetricsRegistry(size_t max_series_per_family = kDefaultMaxSeriesPerFamily)
      : max_series_per_family_(max_series_per_family), id_(NextId()) {}

  // Unique among every registry this process makes (an address may be reused by a later registry; an id is
  // not): for callers that remember series per registry.
  uint64_t id() const { return id_; }

  // Latency buckets in seconds, 1 ms .. 30 s.
  static std::vector<double> LatencyBuckets();

  // The series of `name` with `labels`, created on first use; the family's overflow series once the family holds
  // max_series_per_family label sets and `labels` is not one of them (see above). Never fails.
  Counter& GetCounter(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& GetHistogram(const std::string& name, const std::string& help, const Labels& labels = {},
                          std::vector<double> bounds = LatencyBuckets());
  // A gauge family computed when scraped: `collect` appends (labels, value) samples.
  void AddGaugeCollector(const std::string& name, const std::string& help,
                         std::function<void(std::vector<std::pair<Labels, double>>*)> collect);

  // The whole registry in the Prometheus text format (version 0.0.4).
  std::string Render() const;

 private:
  static uint64_t NextId() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }

  struct Family {
    std::string help;
    std::string type;                                              // "counter" | "histogram" | "gauge"
    std::map<std::string, std::unique_ptr<Counter>> counters;      // by rendered labels
    std::map<std::string, std::unique_ptr<Histogram>> histograms;  // by rendered labels
    std::function<void(std::vector<std::pair<Labels, double>>*)> collect;
  };
  // Rendered labels for `labels` in `f` (under the exclusive lock): `key` itself while the family has room or
  // already holds it, else the overflow series' key (the fold is counted).
  std::string AdmitKey(const std::string& name, Family& f, size_t family_size, std::string key, const Labels& labels)
      REQUIRES(mu_);

  const size_t max_series_per_family_;
  const uint64_t id_;
  mutable SharedMutex mu_;
  std::map<std::string, Family> families_ GUARDED_BY(mu_);
  std::map<std::string, uint64_t> overflows_ GUARDED_BY(mu_);  // family name → lookups folded into its overflow series
};

// `{a="x",b="y"}` with Prometheus escaping, values made valid UTF-8 (not truncated); empty for no labels.
std::string RenderLabels(const Labels& labels);

}  // namespace ap
