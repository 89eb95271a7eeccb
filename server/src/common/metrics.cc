#include "common/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ap {
namespace {

std::string FormatValue(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// Adds le="bound" to already rendered labels.
std::string WithLe(const std::string& rendered, const std::string& le) {
  if (rendered.empty()) return "{le=\"" + le + "\"}";
  return rendered.substr(0, rendered.size() - 1) + ",le=\"" + le + "\"}";
}

}  // namespace

std::string RenderLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ',';
    out += labels[i].first;
    out += "=\"";
    for (char c : labels[i].second) {
      if (c == '\\' || c == '"') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i] = 0;
}

void Histogram::Observe(double v) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.Add(v);
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  uint64_t acc = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    acc += buckets_[i].load(std::memory_order_relaxed);
    out[i] = acc;
  }
  return out;
}

std::vector<double> MetricsRegistry::LatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

Counter& MetricsRegistry::GetCounter(const std::string& name, const std::string& help, const Labels& labels) {
  std::string key = RenderLabels(labels);
  {
    std::shared_lock lock(mu_);
    auto f = families_.find(name);
    if (f != families_.end()) {
      auto it = f->second.counters.find(key);
      if (it != f->second.counters.end()) return *it->second;
    }
  }
  std::unique_lock lock(mu_);
  Family& f = families_[name];
  f.help = help;
  f.type = "counter";
  auto& slot = f.counters[key];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Histogram& MetricsRegistry::GetHistogram(const std::string& name, const std::string& help, const Labels& labels,
                                         std::vector<double> bounds) {
  std::string key = RenderLabels(labels);
  {
    std::shared_lock lock(mu_);
    auto f = families_.find(name);
    if (f != families_.end()) {
      auto it = f->second.histograms.find(key);
      if (it != f->second.histograms.end()) return *it->second;
    }
  }
  std::unique_lock lock(mu_);
  Family& f = families_[name];
  f.help = help;
  f.type = "histogram";
  auto& slot = f.histograms[key];
  if (!slot) slot = std::make_unique<Histogram>(std::move(bounds));
  return *slot;
}

void MetricsRegistry::AddGaugeCollector(const std::string& name, const std::string& help,
                                        std::function<void(std::vector<std::pair<Labels, double>>*)> collect) {
  std::unique_lock lock(mu_);
  Family& f = families_[name];
  f.help = help;
  f.type = "gauge";
  f.collect = std::move(collect);
}

std::string MetricsRegistry::Render() const {
  std::string out;
  std::shared_lock lock(mu_);
  for (const auto& [name, f] : families_) {
    out += "# HELP " + name + " " + f.help + "\n# TYPE " + name + " " + f.type + "\n";
    for (const auto& [labels, c] : f.counters) out += name + labels + " " + FormatValue(c->value()) + "\n";
    for (const auto& [labels, h] : f.histograms) {
      auto counts = h->CumulativeCounts();
      for (size_t i = 0; i < h->bounds().size(); ++i)
        out += name + "_bucket" + WithLe(labels, FormatValue(h->bounds()[i])) + " " + std::to_string(counts[i]) + "\n";
      out += name + "_bucket" + WithLe(labels, "+Inf") + " " + std::to_string(counts.back()) + "\n";
      out += name + "_sum" + labels + " " + FormatValue(h->sum()) + "\n";
      out += name + "_count" + labels + " " + std::to_string(h->count()) + "\n";
    }
    if (f.collect) {
      std::vector<std::pair<Labels, double>> samples;
      f.collect(&samples);
      for (const auto& [labels, v] : samples) out += name + RenderLabels(labels) + " " + FormatValue(v) + "\n";
    }
  }
  return out;
}

}  // namespace ap
