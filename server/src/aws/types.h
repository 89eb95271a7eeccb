// Plain value types of the AWS operations the platform uses (no SDK, no generated code). Field names follow
// AWS's API references in snake_case; optional fields are std::optional.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "domain/account.h"

namespace ap::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;            // empty for long-term keys
  std::optional<TimePoint> expiration;  // set for temporary credentials

  bool empty() const { return access_key_id.empty() || secret_access_key.empty(); }
};

// STS GetCallerIdentity.
struct CallerIdentity {
  std::string account;  // 12 digits
  std::string arn;
  std::string user_id;
};

// STS AssumeRole input.
struct AssumeRoleRequest {
  std::string role_arn;
  std::string role_session_name = "account-platform";
  std::string external_id;  // empty = none
  int duration_seconds = 3600;
};

// Service Quotas ServiceQuota.
struct ServiceQuota {
  std::string service_code;  // "bedrock"
  std::string service_name;
  std::string quota_arn;
  std::string quota_code;  // "L-27C57EE8"
  std::string quota_name;
  std::optional<double> value;
  std::string unit;
  bool adjustable = false;
  bool global_quota = false;
};

// Service Quotas RequestedServiceQuotaChange.
struct RequestedQuotaChange {
  std::string id;
  std::string case_id;
  std::string service_code;
  std::string quota_code;
  std::string quota_name;
  std::optional<double> desired_value;
  std::string status;  // PENDING | CASE_OPENED | APPROVED | DENIED | CASE_CLOSED | NOT_APPROVED | INVALID_REQUEST
  std::optional<TimePoint> created;
  std::optional<TimePoint> last_updated;
};

// KMS EncryptionContext: non-secret name/value pairs a ciphertext is bound to (Decrypt needs the same pairs).
using EncryptionContext = std::map<std::string, std::string>;

// KMS GenerateDataKey output: a data key in the clear and encrypted under the KMS key.
struct DataKey {
  std::string plaintext;        // raw bytes (32 for AES_256); wipe after use
  std::string ciphertext_blob;  // raw bytes (base64 on the wire)
  std::string key_id;           // the ARN of the KMS key that encrypted it
};

// ---- CloudWatch (GetMetricData with MetricStat queries, ListMetrics).

// A metric dimension (name/value pair), e.g. {"ModelId", "anthropic.claude-3-5-sonnet-20240620-v1:0"}.
struct MetricDimension {
  std::string name;
  std::string value;

  bool operator==(const MetricDimension&) const = default;
};

// One GetMetricData query of kind MetricStat (no metric-math expressions).
struct MetricQuery {
  // Unique within a call; AWS requires ^[a-z][a-zA-Z0-9_]*$ (at most 255 characters).
  std::string id;
  std::string metric_namespace;  // "AWS/Bedrock"
  std::string metric_name;       // "InputTokenCount"
  std::vector<MetricDimension> dimensions;
  int period_seconds = 60;   // 60 or a multiple of 60 (1, 5, 10, 30 for high-resolution metrics)
  std::string stat = "Sum";  // Sum, SampleCount, Maximum, Minimum, Average, p95, …
};

enum class MetricScanBy { kTimestampDescending, kTimestampAscending };

// MetricDataResult.StatusCode: Complete (every point in the range is here), PartialData (more points exist than
// were returned, e.g. a page cap), InternalError (CloudWatch failed for this query), Forbidden (the caller may not
// read this metric). kUnknown for a code this client does not know (kept in status_text).
enum class MetricDataStatus { kComplete, kPartialData, kInternalError, kForbidden, kUnknown };

// A MessageData entry (Code / Value) of GetMetricData, at the top level or per result.
struct MetricDataMessage {
  std::string code;
  std::string value;
};

// The answer for one query id, merged across every page: timestamps[i] goes with values[i], in the requested
// scan order. Empty vectors with kComplete mean "no data in the range" (CloudWatch returns no points for
// minutes without traffic), which is not the same as zero.
struct MetricDataResult {
  std::string id;
  std::string label;
  std::vector<TimePoint> timestamps;
  std::vector<double> values;
  MetricDataStatus status = MetricDataStatus::kComplete;
  std::string status_text;  // the StatusCode as sent ("Complete", …)
  std::vector<MetricDataMessage> messages;
};

struct MetricDataResponse {
  std::vector<MetricDataResult> results;    // one per query, in the order of the queries
  std::vector<MetricDataMessage> messages;  // top-level Messages of every page (e.g. MaxQueryTimeRangeExceed)
};

// ListMetrics filter: a dimension name, optionally with a value (no value = any value).
struct MetricDimensionFilter {
  std::string name;
  std::optional<std::string> value;
};

struct ListMetricsRequest {
  std::string metric_namespace;  // "AWS/Bedrock"; empty = any
  std::string metric_name;       // empty = any
  std::vector<MetricDimensionFilter> dimensions;
  bool recently_active = false;  // true = only metrics with data in the past 3 hours (RecentlyActive=PT3H)
};

// A metric ListMetrics found.
struct Metric {
  std::string metric_namespace;
  std::string metric_name;
  std::vector<MetricDimension> dimensions;
};

// Account API ContactInformation (primary contact): the domain's field set, which mirrors AWS's.
using ContactInformation = domain::ContactAddress;

// AWS Organizations Account (ListAccounts / ListAccountsForParent).
struct OrganizationAccount {
  std::string id;  // 12 digits
  std::string arn;
  std::string email;
  std::string name;
  std::string status;         // ACTIVE | SUSPENDED | PENDING_CLOSURE (as AWS sends it; "" when absent)
  std::string joined_method;  // INVITED | CREATED
  std::optional<TimePoint> joined_timestamp;
};

// A root or organizational unit of the organization's tree, as the OU walk finds it.
struct OrganizationalUnit {
  std::string id;         // r-xxxx (a root) or ou-xxxx-xxxxxxxx
  std::string name;       // "Root" for the root
  std::string parent_id;  // "" for a root
  std::string path;       // names from the root down, "/"-joined, e.g. "Root/Workloads/Prod"
};

// The tree: every root and OU (parents before their children) and the parent of every account.
struct OrganizationTree {
  std::vector<OrganizationalUnit> units;
  std::map<std::string, std::string> account_parent;  // account id -> root or OU id
};

}  // namespace ap::aws
