// SnsClient: Sns (clients.h) over the AWS Query protocol — POST / with
// `Content-Type: application/x-www-form-urlencoded; charset=utf-8` and the body
// `Action=Publish&Version=2010-03-31&TopicArn=…&Message=…[&Subject=…]` to https://sns.<region>.amazonaws.com
// (AWS_ENDPOINT_URL_SNS, else AWS_ENDPOINT_URL), signed with SigV4 for service "sns". The answer is XML:
// <PublishResponse><PublishResult><MessageId>…; errors are <ErrorResponse><Error><Code>… (parsed by aws_error.h).
// Retried like every call (retry.h): throttling (Throttled, KMSThrottling), 5xx and connection failures. No
// client-side rate limit: SNS's Publish quotas (thousands per second per account and region) are far above what
// alert delivery sends.
//
// Thread safety: safe from many threads. Ownership: see CallerClient (caller_client.h).
#pragma once

#include <string>

#include "aws/caller_client.h"

namespace ap::aws {

// The API version the Query protocol names, and SNS's own limits.
inline constexpr const char* kSnsApiVersion = "2010-03-31";
inline constexpr size_t kMaxSnsPublishMessageBytes = 262144;  // 256 KiB
inline constexpr size_t kMaxSnsPublishSubjectChars = 99;      // "less than 100 characters"

// OK when the arguments can be sent: topic_arn non-empty; subject empty or 1..99 printable ASCII characters
// (0x20..0x7E) not starting with a space; message 1..262144 bytes. InvalidArgument naming the argument otherwise.
Status ValidatePublish(const std::string& topic_arn, const std::string& subject, const std::string& message);

class SnsClient final : public CallerClient<Sns> {
 public:
  using CallerClient::CallerClient;

  // See clients.h.
  Result<std::string> Publish(const Credentials& creds, const std::string& region, const std::string& topic_arn,
                              const std::string& subject, const std::string& message) override;
};

}  // namespace ap::aws
