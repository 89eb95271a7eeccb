#include "store/usage_records.h"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

namespace ap::store::usage_records {
namespace {

constexpr size_t kMaxHoursPerWrite = 100;
constexpr size_t kMaxPointsPerHour = kUsageHourSeconds / domain::kUsageMinuteSeconds;

Status CheckKeyField(const std::string& value, const char* field) {
  if (value.empty()) return InvalidArgument(std::string(field) + " is empty", field);
  if (value.size() > kMaxUsageKeyBytes) {
    return InvalidArgument(std::string(field) + " is longer than 512 bytes", field);
  }
  return Status::Ok();
}

Status CheckSortedUnique(const std::vector<std::string>& keys, const char* field) {
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].empty()) return InvalidArgument(std::string(field) + ": empty id", field);
    if (i > 0 && !(keys[i - 1] < keys[i])) {
      return InvalidArgument(std::string(field) + " must be sorted and unique (at " + keys[i] + ")", field);
    }
  }
  return Status::Ok();
}

bool Finite(const std::optional<double>& d) { return !d || std::isfinite(*d); }

bool UsageFinite(const domain::ModelUsage& usage) {
  if (!Finite(usage.quotas.tpm) || !Finite(usage.quotas.rpm)) return false;
  for (const domain::WindowUsage& w : usage.windows) {
    if (!Finite(w.headroom_tpm) || !Finite(w.headroom_rpm)) return false;
  }
  return true;
}

// ---- JSON helpers ----

boost::json::value Opt(const std::optional<int64_t>& v) { return v ? boost::json::value(*v) : nullptr; }
boost::json::value Opt(const std::optional<double>& v) { return v ? boost::json::value(*v) : nullptr; }
boost::json::value Opt(const std::optional<std::string>& v) { return v ? boost::json::value(*v) : nullptr; }

// Readers that throw std::invalid_argument on a shape they do not expect (caught once, in the Decode functions).
const boost::json::array& Arr(const boost::json::value& v, size_t size) {
  const boost::json::array* a = v.if_array();
  if (a == nullptr || (size != 0 && a->size() != size)) throw std::invalid_argument("unexpected shape");
  return *a;
}
int64_t Int(const boost::json::value& v) {
  if (const int64_t* i = v.if_int64()) return *i;
  if (const uint64_t* u = v.if_uint64()) return static_cast<int64_t>(*u);
  throw std::invalid_argument("not an integer");
}
std::optional<int64_t> OptInt(const boost::json::value& v) {
  if (v.is_null()) return std::nullopt;
  return Int(v);
}
double Dbl(const boost::json::value& v) {
  if (const double* d = v.if_double()) return *d;
  return static_cast<double>(Int(v));
}
std::optional<double> OptDbl(const boost::json::value& v) {
  if (v.is_null()) return std::nullopt;
  return Dbl(v);
}
std::string Str(const boost::json::value& v) {
  const boost::json::string* s = v.if_string();
  if (s == nullptr) throw std::invalid_argument("not a string");
  return std::string(*s);
}
std::optional<std::string> OptStr(const boost::json::value& v) {
  if (v.is_null()) return std::nullopt;
  return Str(v);
}

// ---- Summaries ----

boost::json::array StatToJson(const domain::UsageStat& s) {
  return {Opt(s.peak), Opt(s.p95), s.minutes_with_data, s.minutes_without_data};
}
domain::UsageStat StatFromJson(const boost::json::value& v) {
  const boost::json::array& a = Arr(v, 4);
  return {OptInt(a[0]), OptInt(a[1]), Int(a[2]), Int(a[3])};
}

boost::json::array UsageToJson(const domain::ModelUsage& u) {
  boost::json::array windows;
  for (const domain::WindowUsage& w : u.windows) {
    windows.push_back(boost::json::array{std::string(domain::UsageWindowKey(w.window)), w.start, w.end,
                                         StatToJson(w.requests), StatToJson(w.weighted_tokens), Opt(w.throttles),
                                         w.throttled_minutes, w.throttle_minutes_without_data, Opt(w.headroom_tpm),
                                         Opt(w.headroom_rpm)});
  }
  return {u.end, u.output_token_burndown, Opt(u.quotas.tpm), Opt(u.quotas.rpm), std::move(windows)};
}

domain::UsageWindow WindowFromKey(const std::string& key) {
  for (domain::UsageWindow w : domain::kAllUsageWindows) {
    if (domain::UsageWindowKey(w) == key) return w;
  }
  throw std::invalid_argument("unknown window");
}

domain::ModelUsage UsageFromJson(const boost::json::value& v) {
  const boost::json::array& a = Arr(v, 5);
  domain::ModelUsage u;
  u.end = Int(a[0]);
  u.output_token_burndown = static_cast<int>(Int(a[1]));
  u.quotas.tpm = OptDbl(a[2]);
  u.quotas.rpm = OptDbl(a[3]);
  for (const boost::json::value& wv : Arr(a[4], 0)) {
    const boost::json::array& w = Arr(wv, 10);
    domain::WindowUsage& out = u.windows.emplace_back();
    out.window = WindowFromKey(Str(w[0]));
    out.start = Int(w[1]);
    out.end = Int(w[2]);
    out.requests = StatFromJson(w[3]);
    out.weighted_tokens = StatFromJson(w[4]);
    out.throttles = OptInt(w[5]);
    out.throttled_minutes = Int(w[6]);
    out.throttle_minutes_without_data = Int(w[7]);
    out.headroom_tpm = OptDbl(w[8]);
    out.headroom_rpm = OptDbl(w[9]);
  }
  return u;
}

// The order-preserving image of a double's bits: negatives have every bit flipped, others the sign bit.
uint64_t OrderedBits(double d) {
  if (d == 0) d = 0;  // -0 sorts (and reads back) as 0
  uint64_t bits = 0;
  std::memcpy(&bits, &d, sizeof bits);
  return (bits & (uint64_t{1} << 63)) != 0 ? ~bits : bits | (uint64_t{1} << 63);
}

}  // namespace

Status ValidateUsageHours(const std::vector<UsageHour>& hours) {
  if (hours.size() > kMaxHoursPerWrite) return InvalidArgument("at most 100 hour records per call", "hours");
  for (const UsageHour& h : hours) {
    RETURN_IF_ERROR(CheckKeyField(h.account_id, "account_id"));
    RETURN_IF_ERROR(CheckKeyField(h.region, "region"));
    RETURN_IF_ERROR(CheckKeyField(h.series, "series"));
    if (h.hour < 0 || h.hour % kUsageHourSeconds != 0) {
      return InvalidArgument("hour must be a non-negative multiple of 3600", "hour");
    }
    if (h.expires_at <= h.hour) return InvalidArgument("expires_at must be after the hour", "expires_at");
    if (h.points.size() > kMaxPointsPerHour) return InvalidArgument("more than 60 points in an hour", "points");
    for (size_t i = 0; i < h.points.size(); ++i) {
      const domain::UsagePoint& p = h.points[i];
      if (p.minute < h.hour || p.minute >= h.hour + kUsageHourSeconds || p.minute % domain::kUsageMinuteSeconds != 0) {
        return InvalidArgument(
            "point " + std::to_string(p.minute) + " is not a minute of hour " + std::to_string(h.hour), "points");
      }
      if (i > 0 && h.points[i - 1].minute >= p.minute) {
        return InvalidArgument("points must be ascending by minute and unique", "points");
      }
      RETURN_IF_ERROR(domain::ValidateUsagePoint(p));
    }
  }
  return Status::Ok();
}

Status ValidateHourRange(int64_t from_hour, int64_t to_hour) {
  if (from_hour < 0 || from_hour % kUsageHourSeconds != 0) {
    return InvalidArgument("from_hour must be a non-negative multiple of 3600", "from_hour");
  }
  if (to_hour < from_hour) return InvalidArgument("to_hour is before from_hour", "to_hour");
  if ((to_hour - from_hour) / kUsageHourSeconds + 1 > kMaxUsageHoursPerRead) {
    return InvalidArgument("the range spans more than 169 hours", "to_hour");
  }
  return Status::Ok();
}

Status ValidateUsageSnapshot(const UsageSnapshot& snapshot, int64_t expected_revision) {
  RETURN_IF_ERROR(CheckKeyField(snapshot.account_id, "account_id"));
  RETURN_IF_ERROR(CheckKeyField(snapshot.region, "region"));
  if (expected_revision < 0) return InvalidArgument("expected_revision is negative", "expected_revision");
  RETURN_IF_ERROR(CheckSortedUnique(snapshot.teams, "teams"));
  if (snapshot.models.size() > kMaxUsageSeriesPerSnapshot) {
    return InvalidArgument("more than 200 models in a snapshot", "models");
  }
  if (snapshot.series.size() > kMaxUsageSeriesPerSnapshot) {
    return InvalidArgument("more than 200 series in a snapshot", "series");
  }
  std::vector<std::string> ids;
  for (const ModelUsageEntry& m : snapshot.models) {
    if (!UsageFinite(m.usage)) return InvalidArgument("a number of model " + m.model_id + " is not finite", "models");
    ids.push_back(m.model_id);
  }
  RETURN_IF_ERROR(CheckSortedUnique(ids, "models"));
  ids.clear();
  for (const SeriesUsage& s : snapshot.series) {
    if (!UsageFinite(s.usage)) return InvalidArgument("a number of series " + s.series + " is not finite", "series");
    if (s.series.size() > kMaxUsageKeyBytes) return InvalidArgument("series longer than 512 bytes", "series");
    ids.push_back(s.series);
  }
  return CheckSortedUnique(ids, "series");
}

std::string EncodePoints(const std::vector<domain::UsagePoint>& points, int64_t hour) {
  boost::json::array rows;
  for (const domain::UsagePoint& p : points) {
    rows.push_back(boost::json::array{(p.minute - hour) / domain::kUsageMinuteSeconds, Opt(p.invocations),
                                      Opt(p.input_tokens), Opt(p.output_tokens), Opt(p.throttles), Opt(p.cache_read),
                                      Opt(p.cache_write)});
  }
  return boost::json::serialize(rows);
}

Result<std::vector<domain::UsagePoint>> DecodePoints(std::string_view text, int64_t hour) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return Internal("unreadable usage points: " + ec.message());
  try {
    std::vector<domain::UsagePoint> points;
    for (const boost::json::value& rv : Arr(v, 0)) {
      const boost::json::array& r = Arr(rv, 7);
      points.push_back(domain::UsagePoint{.minute = hour + Int(r[0]) * domain::kUsageMinuteSeconds,
                                          .invocations = OptInt(r[1]),
                                          .input_tokens = OptInt(r[2]),
                                          .output_tokens = OptInt(r[3]),
                                          .throttles = OptInt(r[4]),
                                          .cache_read = OptInt(r[5]),
                                          .cache_write = OptInt(r[6])});
    }
    return points;
  } catch (const std::invalid_argument& e) {
    return Internal(std::string("unreadable usage points: ") + e.what());
  }
}

std::string EncodeSummaries(const UsageSnapshot& snapshot) {
  boost::json::array models;
  for (const ModelUsageEntry& m : snapshot.models)
    models.push_back(boost::json::array{m.model_id, UsageToJson(m.usage)});
  boost::json::array series;
  for (const SeriesUsage& s : snapshot.series) {
    series.push_back(
        boost::json::array{s.series, s.scope, Opt(s.model_id), s.counts_against_quota, UsageToJson(s.usage)});
  }
  return boost::json::serialize(boost::json::object{{"m", std::move(models)}, {"s", std::move(series)}});
}

Status DecodeSummaries(std::string_view text, UsageSnapshot* snapshot) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return Internal("unreadable usage summaries");
  try {
    const boost::json::object& o = v.as_object();
    const boost::json::value* models = o.if_contains("m");
    const boost::json::value* series = o.if_contains("s");
    if (models == nullptr || series == nullptr) throw std::invalid_argument("missing member");
    snapshot->models.clear();
    snapshot->series.clear();
    for (const boost::json::value& mv : Arr(*models, 0)) {
      const boost::json::array& m = Arr(mv, 2);
      snapshot->models.push_back(ModelUsageEntry{Str(m[0]), UsageFromJson(m[1])});
    }
    for (const boost::json::value& sv : Arr(*series, 0)) {
      const boost::json::array& s = Arr(sv, 5);
      const bool* counts = s[3].if_bool();
      if (counts == nullptr) throw std::invalid_argument("not a bool");
      snapshot->series.push_back(SeriesUsage{Str(s[0]), Str(s[1]), OptStr(s[2]), *counts, UsageFromJson(s[4])});
    }
    return Status::Ok();
  } catch (const std::invalid_argument& e) {
    return Internal(std::string("unreadable usage summaries: ") + e.what());
  }
}

std::string_view UsageStateName(UsageState state) { return state == UsageState::kStale ? "stale" : "ok"; }

Result<UsageState> ParseUsageState(std::string_view name) {
  if (name == "ok") return UsageState::kOk;
  if (name == "stale") return UsageState::kStale;
  return Internal("unknown usage state " + std::string(name));
}

std::string HeadroomSortKey(double headroom) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(OrderedBits(headroom)));
  return buf;
}

Result<double> HeadroomFromSortKey(std::string_view key) {
  if (key.size() != 16) return InvalidArgument("malformed cursor", "cursor");
  uint64_t ordered = 0;
  for (char ch : key) {
    int digit = 0;
    if (ch >= '0' && ch <= '9') {
      digit = ch - '0';
    } else if (ch >= 'a' && ch <= 'f') {
      digit = ch - 'a' + 10;
    } else {
      return InvalidArgument("malformed cursor", "cursor");
    }
    ordered = (ordered << 4) | static_cast<uint64_t>(digit);
  }
  const uint64_t bits = (ordered & (uint64_t{1} << 63)) != 0 ? ordered & ~(uint64_t{1} << 63) : ~ordered;
  double d = 0;
  std::memcpy(&d, &bits, sizeof d);
  if (!std::isfinite(d)) return InvalidArgument("malformed cursor", "cursor");
  return d;
}

}  // namespace ap::store::usage_records
