// Metrics: counters, gauges and histograms with labels, rendered in the Prometheus text exposition format.
//
// Series are created on first use and live as long as the registry; callers keep the returned reference (it
// stays valid) to avoid the lookup on hot paths. Increments are lock-free atomics; lookups take a shared lock.
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
#include <utility>
#include <vector>

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
  // Latency buckets in seconds, 1 ms .. 30 s.
  static std::vector<double> LatencyBuckets();

  Counter& GetCounter(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& GetHistogram(const std::string& name, const std::string& help, const Labels& labels = {},
                          std::vector<double> bounds = LatencyBuckets());
  // A gauge family computed when scraped: `collect` appends (labels, value) samples.
  void AddGaugeCollector(const std::string& name, const std::string& help,
                         std::function<void(std::vector<std::pair<Labels, double>>*)> collect);

  // The whole registry in the Prometheus text format (version 0.0.4).
  std::string Render() const;

 private:
  struct Family {
    std::string help;
    std::string type;  // "counter" | "histogram" | "gauge"
    std::map<std::string, std::unique_ptr<Counter>> counters;      // by rendered labels
    std::map<std::string, std::unique_ptr<Histogram>> histograms;  // by rendered labels
    std::function<void(std::vector<std::pair<Labels, double>>*)> collect;
  };
  mutable std::shared_mutex mu_;
  std::map<std::string, Family> families_;
};

// `{a="x",b="y"}` with Prometheus escaping; empty for no labels.
std::string RenderLabels(const Labels& labels);

}  // namespace ap
