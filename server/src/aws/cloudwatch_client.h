// CloudWatchClient: CloudWatch (clients.h) over AWS JSON 1.0 — POST / with
// `Content-Type: application/x-amz-json-1.0` and `X-Amz-Target: GraniteServiceVersion20100801.<Operation>` to
// https://monitoring.<region>.amazonaws.com (AWS_ENDPOINT_URL_CLOUDWATCH, else AWS_ENDPOINT_URL), signed with SigV4
// for service "monitoring". CloudWatch speaks three protocols (AWS Query, AWS JSON 1.0 and Smithy RPC v2 CBOR:
// "FAQs on CloudWatch supported protocols" in the CloudWatch user guide); JSON 1.0 is the one the AWS SDK for
// JavaScript v3 uses and the one our stack already reads (Boost.JSON, JsonProtocolCall). Timestamps are epoch
// seconds on the wire in both directions.
//
// GetMetricData: queries are validated here (ValidateMetricQueries), split into requests
// (PlanMetricDataBatches: at most 500 queries and, as far as can be known beforehand, at most 100,800 points per
// request), and each request follows its NextToken pages (at most kMaxMetricDataPages, a repeated token stops it)
// with the results merged per query id (MergeMetricDataPage). ListMetrics follows its NextToken pages the same way.
// Every request waits for the client-side rate limit (rate_limiter.h: GetMetricData 50/s, ListMetrics 25/s per
// access key and region) and is retried like every call (retry.h: Throttling, 5xx, network).
//
// Thread safety: safe from many threads. Ownership: see CallerClient (caller_client.h).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "aws/caller_client.h"

namespace ap::aws {

// AWS's published limits for one GetMetricData request ("GetMetricData" in the CloudWatch API reference): at most
// 500 MetricDataQuery structures, and at most 100,800 data points per answer (MaxDatapoints' default and ceiling;
// more points come on NextToken pages).
inline constexpr size_t kMaxMetricQueriesPerRequest = 500;
inline constexpr int64_t kMaxDatapointsPerRequest = 100800;
// NextToken pages followed per request before giving up with Internal (100,800 points a page: far beyond any
// range this platform asks for).
inline constexpr int kMaxMetricDataPages = 1000;
// ListMetrics answers 500 metrics a page.
inline constexpr int kMaxListMetricsPages = 10000;

// OK when `queries` can be sent: at least one; ids non-empty, unique, matching ^[a-z][a-zA-Z0-9_]*$ and at most
// 255 characters; namespace, metric name and stat non-empty; period > 0; start < end. InvalidArgument naming the
// first problem otherwise.
Status ValidateMetricQueries(const std::vector<MetricQuery>& queries, TimePoint start, TimePoint end);

// The requests to send for `queries` over a range of `range`: each batch lists indices into `queries` (in their
// order), holds at most `max_queries` queries, and its expected data points (for each query
// ceil(range / period), one point per period) sum to at most `max_points` — except a query that alone expects more,
// which gets a batch of its own (its answer then comes in several pages). REQUIRES: every period_seconds > 0.
std::vector<std::vector<size_t>> PlanMetricDataBatches(const std::vector<MetricQuery>& queries, Duration range,
                                                       size_t max_queries = kMaxMetricQueriesPerRequest,
                                                       int64_t max_points = kMaxDatapointsPerRequest);

// Adds one GetMetricData answer page (`page`, the decoded JSON object) to `*out`, whose results must already hold
// one entry per query with its id set: points are appended (the pages come in scan order), per-result messages
// appended, StatusCode merged (InternalError / Forbidden / an unknown code stick once seen; otherwise the latest
// page's Complete / PartialData wins), top-level Messages appended. Internal when a result is malformed (no Id,
// Timestamps and Values of different lengths, a timestamp out of range) or names an id that was not asked for.
Status MergeMetricDataPage(const boost::json::object& page, MetricDataResponse* out);

class CloudWatchClient final : public CallerClient<CloudWatch> {
 public:
  using CallerClient::CallerClient;

  // See clients.h. Internal also when an answer lacks a result for a query id that was asked for.
  Result<MetricDataResponse> GetMetricData(const Credentials& creds, const std::string& region,
                                           const std::vector<MetricQuery>& queries, TimePoint start, TimePoint end,
                                           MetricScanBy scan_by = MetricScanBy::kTimestampDescending) override;
  Result<std::vector<Metric>> ListMetrics(const Credentials& creds, const std::string& region,
                                          const ListMetricsRequest& request) override;

 private:
  // One request (one batch), every page, merged into `*out` (whose results for the batch are set up).
  Status GetMetricDataBatch(const Credentials& creds, const std::string& region, const std::vector<MetricQuery>& batch,
                            TimePoint start, TimePoint end, MetricScanBy scan_by, MetricDataResponse* out);
};

}  // namespace ap::aws
