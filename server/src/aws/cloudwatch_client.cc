#include "aws/cloudwatch_client.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "aws/wire.h"

namespace ap::aws {
namespace {

constexpr const char* kContentType = "application/x-amz-json-1.0";
constexpr const char* kTargetPrefix = "GraniteServiceVersion20100801.";

CallSpec CloudWatchCall(const std::string& operation, const boost::json::object& input) {
  return JsonProtocolCall(AwsService::kCloudWatch, kContentType, kTargetPrefix, operation,
                          boost::json::serialize(input));
}

// Epoch seconds, as JSON 1.0 writes timestamps: an integer when whole (the usual case), else fractional.
boost::json::value EpochSeconds(TimePoint t) {
  const auto since = t.time_since_epoch();
  const auto whole = std::chrono::duration_cast<std::chrono::seconds>(since);
  if (std::chrono::duration_cast<Duration>(whole) == since) return boost::json::value(whole.count());
  return boost::json::value(std::chrono::duration<double>(since).count());
}

bool IsValidQueryId(std::string_view id) {
  if (id.empty() || id.size() > 255 || !(id[0] >= 'a' && id[0] <= 'z')) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

boost::json::array DimensionsJson(const std::vector<MetricDimension>& dimensions) {
  boost::json::array out;
  for (const MetricDimension& d : dimensions) out.push_back(boost::json::object{{"Name", d.name}, {"Value", d.value}});
  return out;
}

boost::json::object QueryJson(const MetricQuery& q) {
  boost::json::object metric{{"Namespace", q.metric_namespace}, {"MetricName", q.metric_name}};
  if (!q.dimensions.empty()) metric["Dimensions"] = DimensionsJson(q.dimensions);
  return {{"Id", q.id},
          {"MetricStat",
           boost::json::object{{"Metric", std::move(metric)}, {"Period", q.period_seconds}, {"Stat", q.stat}}},
          {"ReturnData", true}};
}

MetricDataStatus ParseStatus(std::string_view text) {
  if (text == "Complete") return MetricDataStatus::kComplete;
  if (text == "PartialData") return MetricDataStatus::kPartialData;
  if (text == "InternalError") return MetricDataStatus::kInternalError;
  if (text == "Forbidden") return MetricDataStatus::kForbidden;
  return MetricDataStatus::kUnknown;
}

// How much a status says about a failure; statuses at or above kUnknown stick once seen (a later page that is
// Complete does not undo an earlier page's InternalError).
int Severity(MetricDataStatus s) {
  switch (s) {
    case MetricDataStatus::kComplete:
      return 0;
    case MetricDataStatus::kPartialData:
      return 1;
    case MetricDataStatus::kUnknown:
      return 2;
    case MetricDataStatus::kInternalError:
      return 3;
    case MetricDataStatus::kForbidden:
      return 4;
  }
  return 2;
}
constexpr int kStickySeverity = 2;

void AppendMessages(const boost::json::object& o, std::vector<MetricDataMessage>* out) {
  const boost::json::array* messages = JsonArr(o, "Messages");
  if (messages == nullptr) return;
  for (const auto& m : *messages) {
    if (!m.is_object()) continue;
    MetricDataMessage msg{JsonStr(m.get_object(), "Code"), JsonStr(m.get_object(), "Value")};
    bool dup = std::any_of(out->begin(), out->end(),
                           [&](const MetricDataMessage& x) { return x.code == msg.code && x.value == msg.value; });
    if (!dup) out->push_back(std::move(msg));
  }
}

std::optional<double> Number(const boost::json::value& v) {
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return std::nullopt;
}

Result<boost::json::object> Body(const HttpResponse& resp, const std::string& operation) {
  Result<boost::json::object> obj = ParseJsonObject(resp.body, "monitoring " + operation);
  if (!obj.ok()) return Internal(obj.status().message());
  return obj;
}

Metric DecodeMetric(const boost::json::object& m) {
  Metric out;
  out.metric_namespace = JsonStr(m, "Namespace");
  out.metric_name = JsonStr(m, "MetricName");
  if (const boost::json::array* dims = JsonArr(m, "Dimensions")) {
    for (const auto& d : *dims) {
      if (d.is_object()) out.dimensions.push_back({JsonStr(d.get_object(), "Name"), JsonStr(d.get_object(), "Value")});
    }
  }
  return out;
}

}  // namespace

Status ValidateMetricQueries(const std::vector<MetricQuery>& queries, TimePoint start, TimePoint end) {
  if (queries.empty()) return InvalidArgument("GetMetricData: no queries", "queries");
  if (start >= end) return InvalidArgument("GetMetricData: the start time must be before the end time", "start");
  std::set<std::string_view> ids;
  for (const MetricQuery& q : queries) {
    if (!IsValidQueryId(q.id)) {
      return InvalidArgument(
          "GetMetricData: query id '" + q.id + "' must match ^[a-z][a-zA-Z0-9_]*$ (at most 255 characters)", "id");
    }
    if (!ids.insert(q.id).second) return InvalidArgument("GetMetricData: query id '" + q.id + "' repeats", "id");
    if (q.metric_namespace.empty() || q.metric_name.empty() || q.stat.empty()) {
      return InvalidArgument("GetMetricData: query '" + q.id + "' needs a namespace, a metric name and a stat", "id");
    }
    if (q.period_seconds <= 0) {
      return InvalidArgument("GetMetricData: query '" + q.id + "' needs a period > 0", "period_seconds");
    }
  }
  return Status::Ok();
}

std::vector<std::vector<size_t>> PlanMetricDataBatches(const std::vector<MetricQuery>& queries, Duration range,
                                                       size_t max_queries, int64_t max_points) {
  const double range_seconds = std::max(0.0, std::chrono::duration<double>(range).count());
  std::vector<std::vector<size_t>> batches;
  std::vector<size_t> current;
  int64_t current_points = 0;
  auto flush = [&] {
    if (!current.empty()) batches.push_back(std::move(current));
    current.clear();
    current_points = 0;
  };
  for (size_t i = 0; i < queries.size(); ++i) {
    const auto points =
        static_cast<int64_t>(std::ceil(range_seconds / static_cast<double>(std::max(1, queries[i].period_seconds))));
    if (points > max_points) {
      // Alone: paging brings the rest. Keeps the queries around it in their own batches.
      flush();
      batches.push_back({i});
      continue;
    }
    if (current.size() >= max_queries || current_points + points > max_points) flush();
    current.push_back(i);
    current_points += points;
  }
  flush();
  return batches;
}

Status MergeMetricDataPage(const boost::json::object& page, MetricDataResponse* out) {
  std::unordered_map<std::string_view, size_t> index;
  for (size_t i = 0; i < out->results.size(); ++i) index.emplace(out->results[i].id, i);
  if (const boost::json::array* results = JsonArr(page, "MetricDataResults")) {
    for (const auto& item : *results) {
      if (!item.is_object()) return Internal("monitoring GetMetricData: a result is not an object");
      const boost::json::object& r = item.get_object();
      const std::string id = JsonStr(r, "Id");
      auto it = index.find(id);
      if (it == index.end()) {
        return Internal("monitoring GetMetricData: the answer has a result for id '" + id +
                        "', which was not asked for");
      }
      MetricDataResult& target = out->results[it->second];
      const boost::json::array* timestamps = JsonArr(r, "Timestamps");
      const boost::json::array* values = JsonArr(r, "Values");
      const size_t n_t = timestamps == nullptr ? 0 : timestamps->size();
      const size_t n_v = values == nullptr ? 0 : values->size();
      if (n_t != n_v) {
        return Internal("monitoring GetMetricData: result '" + id + "' has " + std::to_string(n_t) +
                        " timestamps but " + std::to_string(n_v) + " values");
      }
      for (size_t k = 0; k < n_t; ++k) {
        std::optional<double> t = Number((*timestamps)[k]);
        std::optional<double> v = Number((*values)[k]);
        std::optional<TimePoint> at = t ? FromEpochSeconds(*t) : std::nullopt;
        if (!at || !v) {
          return Internal("monitoring GetMetricData: result '" + id + "' has a point that is not a number");
        }
        target.timestamps.push_back(*at);
        target.values.push_back(*v);
      }
      std::string label = JsonStr(r, "Label");
      if (!label.empty()) target.label = std::move(label);
      std::string text = JsonStr(r, "StatusCode");
      if (text.empty()) text = "(none)";
      const MetricDataStatus status = ParseStatus(text);
      const bool first = target.status_text.empty();
      const bool sticky = !first && Severity(target.status) >= kStickySeverity;
      if (!sticky || Severity(status) > Severity(target.status)) {
        target.status = status;
        target.status_text = text;
      }
      AppendMessages(r, &target.messages);
    }
  }
  AppendMessages(page, &out->messages);
  return Status::Ok();
}

Status CloudWatchClient::GetMetricDataBatch(const Credentials& creds, const std::string& region,
                                            const std::vector<MetricQuery>& batch, TimePoint start, TimePoint end,
                                            MetricScanBy scan_by, MetricDataResponse* out) {
  const std::string op = "GetMetricData";
  boost::json::array queries;
  for (const MetricQuery& q : batch) queries.push_back(QueryJson(q));
  boost::json::object input{
      {"MetricDataQueries", std::move(queries)},
      {"StartTime", EpochSeconds(start)},
      {"EndTime", EpochSeconds(end)},
      {"ScanBy", scan_by == MetricScanBy::kTimestampAscending ? "TimestampAscending" : "TimestampDescending"}};
  std::set<std::string> seen_tokens;
  for (int page = 0; page < kMaxMetricDataPages; ++page) {
    ASSIGN_OR_RETURN(HttpResponse resp, caller_.Call(creds, region, CloudWatchCall(op, input)));
    ASSIGN_OR_RETURN(boost::json::object body, Body(resp, op));
    RETURN_IF_ERROR(MergeMetricDataPage(body, out));
    std::string next = JsonStr(body, "NextToken");
    if (next.empty()) {
      for (const MetricDataResult& r : out->results) {
        if (r.status_text.empty()) {
          return Internal("monitoring GetMetricData: the answer has no result for query id '" + r.id + "'");
        }
      }
      return Status::Ok();
    }
    if (!seen_tokens.insert(next).second) {
      return Internal("monitoring GetMetricData: NextToken repeated; stopping to avoid endless paging");
    }
    input["NextToken"] = next;
  }
  return Internal("monitoring GetMetricData: more than " + std::to_string(kMaxMetricDataPages) + " pages");
}

Result<MetricDataResponse> CloudWatchClient::GetMetricData(const Credentials& creds, const std::string& region,
                                                           const std::vector<MetricQuery>& queries, TimePoint start,
                                                           TimePoint end, MetricScanBy scan_by) {
  RETURN_IF_ERROR(ValidateMetricQueries(queries, start, end));
  MetricDataResponse out;
  out.results.resize(queries.size());
  for (const std::vector<size_t>& batch : PlanMetricDataBatches(queries, end - start)) {
    std::vector<MetricQuery> batch_queries;
    MetricDataResponse part;
    for (size_t i : batch) {
      batch_queries.push_back(queries[i]);
      MetricDataResult r;
      r.id = queries[i].id;
      part.results.push_back(std::move(r));
    }
    RETURN_IF_ERROR(GetMetricDataBatch(creds, region, batch_queries, start, end, scan_by, &part));
    for (size_t k = 0; k < batch.size(); ++k) out.results[batch[k]] = std::move(part.results[k]);
    for (MetricDataMessage& m : part.messages) out.messages.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<Metric>> CloudWatchClient::ListMetrics(const Credentials& creds, const std::string& region,
                                                          const ListMetricsRequest& request) {
  const std::string op = "ListMetrics";
  boost::json::object input;
  if (!request.metric_namespace.empty()) input["Namespace"] = request.metric_namespace;
  if (!request.metric_name.empty()) input["MetricName"] = request.metric_name;
  if (!request.dimensions.empty()) {
    boost::json::array filters;
    for (const MetricDimensionFilter& f : request.dimensions) {
      boost::json::object filter{{"Name", f.name}};
      if (f.value) filter["Value"] = *f.value;
      filters.push_back(std::move(filter));
    }
    input["Dimensions"] = std::move(filters);
  }
  if (request.recently_active) input["RecentlyActive"] = "PT3H";

  std::vector<Metric> out;
  std::set<std::string> seen_tokens;
  for (int page = 0; page < kMaxListMetricsPages; ++page) {
    ASSIGN_OR_RETURN(HttpResponse resp, caller_.Call(creds, region, CloudWatchCall(op, input)));
    ASSIGN_OR_RETURN(boost::json::object body, Body(resp, op));
    if (const boost::json::array* metrics = JsonArr(body, "Metrics")) {
      for (const auto& m : *metrics) {
        if (m.is_object()) out.push_back(DecodeMetric(m.get_object()));
      }
    }
    std::string next = JsonStr(body, "NextToken");
    if (next.empty()) return out;
    if (!seen_tokens.insert(next).second) {
      return Internal("monitoring ListMetrics: NextToken repeated; stopping to avoid an endless list");
    }
    input["NextToken"] = next;
  }
  return Internal("monitoring ListMetrics: more than " + std::to_string(kMaxListMetricsPages) + " pages");
}

}  // namespace ap::aws
