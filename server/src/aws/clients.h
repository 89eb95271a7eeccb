// The AWS operations the platform calls, as interfaces (service/ depends on these, never on an
// implementation; tests use fakes). One method per operation; each call names the credentials and region.
//
// Error contract shared by every method (AWS errors are parsed in aws/ and turned into Status here; no AWS
// error type leaves the module — the AWS error code is kept at the start of the message, e.g.
// "InvalidClientTokenId: The security token included in the request is invalid."):
//  - Unauthenticated: the credentials were rejected (InvalidClientTokenId, UnrecognizedClientException,
//    SignatureDoesNotMatch, InvalidSignatureException, ExpiredToken...).
//  - PermissionDenied: AccessDenied / AccessDeniedException (the identity may not call the operation).
//  - NotFound: NoSuchResourceException (e.g. a quota with no applied value) / ResourceNotFoundException.
//  - InvalidArgument: ValidationException, IllegalArgumentException, InvalidPaginationTokenException.
//  - ResourceExhausted: still throttled after the retries.
//  - Unavailable: 5xx or a connection failure after the retries; DeadlineExceeded: timed out after the retries.
//
// Thread safety: implementations are safe to call from many threads at once. Calls block the calling thread
// (run them on a worker pool, never on an HTTP I/O thread).
#pragma once

#include <string>
#include <vector>

#include "aws/types.h"
#include "common/status.h"

namespace ap::aws {

class Sts {
 public:
  virtual ~Sts() = default;
  virtual Result<CallerIdentity> GetCallerIdentity(const Credentials& creds, const std::string& region) = 0;
  virtual Result<Credentials> AssumeRole(const Credentials& creds, const std::string& region,
                                         const AssumeRoleRequest& request) = 0;
};

class ServiceQuotas {
 public:
  virtual ~ServiceQuotas() = default;
  // The applied value. NotFound when the account has no applied value for the code (read the default then).
  virtual Result<ServiceQuota> GetServiceQuota(const Credentials& creds, const std::string& region,
                                               const std::string& service_code, const std::string& quota_code) = 0;
  virtual Result<ServiceQuota> GetAWSDefaultServiceQuota(const Credentials& creds, const std::string& region,
                                                         const std::string& service_code,
                                                         const std::string& quota_code) = 0;
  // Every page (MaxResults 100, following NextToken until it is absent).
  virtual Result<std::vector<ServiceQuota>> ListServiceQuotas(const Credentials& creds, const std::string& region,
                                                              const std::string& service_code) = 0;
  virtual Result<std::vector<ServiceQuota>> ListAWSDefaultServiceQuotas(const Credentials& creds,
                                                                        const std::string& region,
                                                                        const std::string& service_code) = 0;
  virtual Result<RequestedQuotaChange> RequestServiceQuotaIncrease(const Credentials& creds, const std::string& region,
                                                                   const std::string& service_code,
                                                                   const std::string& quota_code,
                                                                   double desired_value) = 0;
  virtual Result<std::vector<RequestedQuotaChange>> ListRequestedServiceQuotaChangeHistoryByQuota(
      const Credentials& creds, const std::string& region, const std::string& service_code,
      const std::string& quota_code) = 0;
  // One request by AWS's id (RequestedQuota.Id). NotFound: NoSuchResourceException (no such request).
  virtual Result<RequestedQuotaChange> GetRequestedServiceQuotaChange(const Credentials& creds,
                                                                      const std::string& region,
                                                                      const std::string& request_id) = 0;
};

class AccountApi {
 public:
  virtual ~AccountApi() = default;
  virtual Result<ContactInformation> GetContactInformation(const Credentials& creds, const std::string& region) = 0;
  virtual Status PutContactInformation(const Credentials& creds, const std::string& region,
                                       const ContactInformation& info) = 0;
};

// AWS KMS, for the platform's own secrets: calls sign with the platform's credentials in one region (both fixed
// when the client is made: AwsClients::kms). Besides the shared contract above:
//  - FailedPrecondition: the key is disabled, pending deletion or not found (DisabledException,
//    KMSInvalidStateException, NotFoundException) — the key, not the call, must change.
//  - InvalidArgument: the ciphertext does not open with this context / key (InvalidCiphertextException,
//    IncorrectKeyException): the data or its binding is wrong, retrying cannot help.
//  - Unavailable: KMSInternalException, KeyUnavailableException, DependencyTimeoutException, 5xx, network.
class Kms {
 public:
  virtual ~Kms() = default;
  // A fresh AES-256 data key under `key_id` (an id, key ARN or alias), bound to `context`.
  virtual Result<DataKey> GenerateDataKey(const std::string& key_id, const EncryptionContext& context) = 0;
  // The plaintext of `ciphertext_blob` (raw bytes), which must have been made with `context`; `key_id` (when not
  // empty) must name the key that made it (else InvalidArgument: IncorrectKeyException).
  virtual Result<std::string> Decrypt(const std::string& ciphertext_blob, const EncryptionContext& context,
                                      const std::string& key_id) = 0;
};

// Amazon CloudWatch, read side: metric data and the metrics that exist, per account (the credentials) and region.
// Besides the shared contract above:
//  - InvalidArgument before anything is sent when the queries are malformed (empty or repeated id, an id AWS
//    would refuse, period <= 0, start >= end); from AWS: InvalidParameterValue / InvalidParameterCombination /
//    MissingParameter / InvalidNextToken (…Exception in JSON) — the code stays at the start of the message.
//  - Unavailable: InternalServiceFault (500), 5xx, network, after the retries.
//  - Internal: a 200 answer that cannot be read, or paging that does not end (page cap, a NextToken that repeats).
// A query that CloudWatch could not serve fully is not an error of the call: its result says so
// (MetricDataStatus::kPartialData / kInternalError / kForbidden, with its messages).
class CloudWatch {
 public:
  virtual ~CloudWatch() = default;
  // The data points of every query between `start` (inclusive) and `end` (exclusive), every page followed
  // (NextToken) and merged per query id; more than 500 queries, or more points than one answer holds, are split
  // into several requests (PlanMetricDataBatches). One result per query, in the order of `queries`.
  virtual Result<MetricDataResponse> GetMetricData(const Credentials& creds, const std::string& region,
                                                   const std::vector<MetricQuery>& queries, TimePoint start,
                                                   TimePoint end,
                                                   MetricScanBy scan_by = MetricScanBy::kTimestampDescending) = 0;
  // Every metric matching `request`, every page followed.
  virtual Result<std::vector<Metric>> ListMetrics(const Credentials& creds, const std::string& region,
                                                  const ListMetricsRequest& request) = 0;
};

// Amazon SNS, publish side: one message to one topic, with the platform's credentials (or any) in the topic's
// region. Besides the shared contract above:
//  - InvalidArgument before anything is sent when topic_arn is empty, the subject is longer than 99 characters or
//    holds anything but printable ASCII, or the message is empty or longer than 256 KiB; from SNS:
//    InvalidParameter / InvalidParameterValue (e.g. a malformed ARN).
//  - NotFound: NotFound / TopicNotFound (the topic does not exist in that account and region).
//  - PermissionDenied: AuthorizationError (the identity may not publish to the topic), KMSAccessDenied…
//  - FailedPrecondition: EndpointDisabled, KMSDisabled, KMSInvalidState, KMSNotFound (the topic's configuration).
//  - Unavailable: InternalError, KMSThrottling, 5xx, network, after the retries.
class Sns {
 public:
  virtual ~Sns() = default;
  // Publishes `message` (UTF-8) with `subject` (may be empty: no subject) to `topic_arn`, signed for `region`.
  // Returns the MessageId SNS assigned (Internal when a 200 answer lacks it).
  virtual Result<std::string> Publish(const Credentials& creds, const std::string& region, const std::string& topic_arn,
                                      const std::string& subject, const std::string& message) = 0;
};

// A source of credentials (the platform's own identity, or an assumed role). Implementations cache and refresh
// ahead of expiry. Unauthenticated / Unavailable when no credentials can be had.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  virtual Result<Credentials> Get() = 0;
};

}  // namespace ap::aws
