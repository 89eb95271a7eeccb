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

// Account API ContactInformation (primary contact): the domain's field set, which mirrors AWS's.
using ContactInformation = domain::ContactAddress;

}  // namespace ap::aws
