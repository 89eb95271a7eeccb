// KmsClient: Kms (clients.h) over JSON 1.1 — POST / with `Content-Type: application/x-amz-json-1.1` and
// `X-Amz-Target: TrentService.<Operation>` to https://kms.<region>.amazonaws.com (AWS_ENDPOINT_URL_KMS, else
// AWS_ENDPOINT_URL), signed with SigV4 for service "kms", retried by its own RetryStrategy (throttling:
// ThrottlingException; transient 5xx and connection failures), with credentials from a CredentialsProvider (the
// platform's own chain) for one region. Binary members (Plaintext, CiphertextBlob) are base64 on the wire and raw
// bytes here.
//
// Errors: as in clients.h (the Kms section): the AWS code stays at the start of the message.
//
// Thread safety: safe from many threads. Ownership: see CallerClient (caller_client.h); `credentials` is
// referenced and must outlive the client.
#pragma once

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "aws/caller_client.h"

namespace ap::aws {

class KmsClient final : public CallerClient<Kms> {
 public:
  KmsClient(AwsCaller caller, CredentialsProvider& credentials, std::string region,
            std::shared_ptr<void> keep_alive = nullptr);

  // Internal when a 200 answer lacks Plaintext / CiphertextBlob or they are not base64.
  Result<DataKey> GenerateDataKey(const std::string& key_id, const EncryptionContext& context) override;
  Result<std::string> Decrypt(const std::string& ciphertext_blob, const EncryptionContext& context,
                              const std::string& key_id) override;

 private:
  Result<boost::json::object> Call(const std::string& operation, const boost::json::object& input);

  CredentialsProvider& credentials_;
  const std::string region_;
};

}  // namespace ap::aws
