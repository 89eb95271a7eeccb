#include "common/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/utf8.h"

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

// The registry's key for `labels`: values cut to kMaxLabelValueBytes (RenderLabels repairs the UTF-8).
std::string SeriesKey(const Labels& labels) {
  for (const auto& [k, v] : labels) {
    if (v.size() > MetricsRegistry::kMaxLabelValueBytes) {
      Labels cut = labels;
      for (auto& [ck, cv] : cut) {
        if (cv.size() > MetricsRegistry::kMaxLabelValueBytes) {
          std::string valid = ToValidUtf8(cv);
          cv = std::string(Utf8Prefix(valid, MetricsRegistry::kMaxLabelValueBytes));
        }
      }
      return RenderLabels(cut);
    }
  }
  return RenderLabels(labels);
}

// Appends the parts to `out` one by one (no temporary string per line of the exposition).
template <typename... Parts>
void Append(std::string& out, const Parts&... parts) {
  (out += ... += parts);
}

}  // namespace

std::string RenderLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ',';
    out += labels[i].first;
    out += "=\"";
    std::string value = ToValidUtf8(labels[i].second);
    for (char c : value) {
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

std::string MetricsRegistry::AdmitKey(const std::string& name, Family& f, size_t family_size, std::string key,
                                      const Labels& labels) {
  bool present = f.counters.count(key) > 0 || f.histograms.count(key) > 0;
  if (present || family_size < max_series_per_family_) return key;
  Labels folded = labels;
  for (auto& [k, v] : folded) v = std::string(kOverflowValue);
  std::string overflow_key = RenderLabels(folded);
  if (overflow_key != key) ++overflows_[name];
  return overflow_key;
}

Counter& MetricsRegistry::GetCounter(const std::string& name, const std::string& help, const Labels& labels) {
  std::string key = SeriesKey(labels);
  {
    ReaderMutexLock lock(mu_);
    auto f = families_.find(name);
    if (f != families_.end()) {
      auto it = f->second.counters.find(key);
      if (it != f->second.counters.end()) return *it->second;
    }
  }
  WriterMutexLock lock(mu_);
  Family& f = families_[name];
  f.help = help;
  f.type = "counter";
  key = AdmitKey(name, f, f.counters.size(), std::move(key), labels);
  auto& slot = f.counters[key];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Histogram& MetricsRegistry::GetHistogram(const std::string& name, const std::string& help, const Labels& labels,
                                         std::vector<double> bounds) {
  std::string key = SeriesKey(labels);
  {
    ReaderMutexLock lock(mu_);
    auto f = families_.find(name);
    if (f != families_.end()) {
      auto it = f->second.histograms.find(key);
      if (it != f->second.histograms.end()) return *it->second;
    }
  }
  WriterMutexLock lock(mu_);
  Family& f = families_[name];
  f.help = help;
  f.type = "histogram";
  key = AdmitKey(name, f, f.histograms.size(), std::move(key), labels);
  auto& slot = f.histograms[key];
  if (!slot) slot = std::make_unique<Histogram>(std::move(bounds));
  return *slot;
}

void MetricsRegistry::AddGaugeCollector(const std::string& name, const std::string& help,
                                        std::function<void(std::vector<std::pair<Labels, double>>*)> collect) {
  WriterMutexLock lock(mu_);
  Family& f = families_[name];
  f.help = help;
  f.type = "gauge";
  f.collect = std::move(collect);
}

std::string MetricsRegistry::Render() const {
  std::string out;
  ReaderMutexLock lock(mu_);
  for (const auto& [name, f] : families_) {
    Append(out, "# HELP ", name, " ", f.help, "\n# TYPE ", name, " ", f.type, "\n");
    for (const auto& [labels, c] : f.counters) Append(out, name, labels, " ", FormatValue(c->value()), "\n");
    for (const auto& [labels, h] : f.histograms) {
      auto counts = h->CumulativeCounts();
      for (size_t i = 0; i < h->bounds().size(); ++i)
        Append(out, name, "_bucket", WithLe(labels, FormatValue(h->bounds()[i])), " ", std::to_string(counts[i]), "\n");
      Append(out, name, "_bucket", WithLe(labels, "+Inf"), " ", std::to_string(counts.back()), "\n");
      Append(out, name, "_sum", labels, " ", FormatValue(h->sum()), "\n");
      Append(out, name, "_count", labels, " ", std::to_string(h->count()), "\n");
    }
    if (f.collect) {
      std::vector<std::pair<Labels, double>> samples;
      f.collect(&samples);
      for (const auto& [labels, v] : samples) Append(out, name, RenderLabels(labels), " ", FormatValue(v), "\n");
    }
  }
  if (!overflows_.empty()) {
    out +=
        "# HELP ap_metrics_series_overflow_total Lookups of a new label set folded into the family's overflow "
        "series (the family holds its cap of series)\n# TYPE ap_metrics_series_overflow_total counter\n";
    for (const auto& [family, n] : overflows_)
      Append(out, "ap_metrics_series_overflow_total", RenderLabels({{"family", family}}), " ", std::to_string(n), "\n");
  }
  return out;
}

}  // namespace ap
