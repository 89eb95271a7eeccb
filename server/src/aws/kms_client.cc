#include "aws/kms_client.h"

#include <sodium.h>

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "aws/wire.h"
#include "common/encoding.h"

namespace ap::aws {
namespace {

boost::json::object ContextJson(const EncryptionContext& context) {
  boost::json::object out;
  for (const auto& [name, value] : context) out[name] = value;
  return out;
}

std::string Base64(std::string_view bytes) {
  return Base64Encode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

// The raw bytes of a base64 member; Internal when absent or not base64.
Result<std::string> Bytes(const boost::json::object& answer, std::string_view member, std::string_view what) {
  std::string text = JsonStr(answer, member);
  std::optional<std::vector<uint8_t>> raw = Base64Decode(text);
  if (text.empty() || !raw) return Internal("kms " + std::string(what) + ": the answer lacks " + std::string(member));
  std::string out(raw->begin(), raw->end());
  sodium_memzero(raw->data(), raw->size());
  return out;
}

bool AnyOf(std::string_view code, std::initializer_list<std::string_view> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

KmsClient::KmsClient(AwsCaller caller, CredentialsProvider& credentials, std::string region,
                     std::shared_ptr<void> keep_alive)
    : CallerClient(std::move(caller), std::move(keep_alive)), credentials_(credentials), region_(std::move(region)) {}

Result<boost::json::object> KmsClient::Call(const std::string& operation, const boost::json::object& input) {
  ASSIGN_OR_RETURN(Credentials creds, credentials_.Get());
  const CallSpec spec = JsonProtocolCall(AwsService::kKms, "application/x-amz-json-1.1", "TrentService.", operation,
                                         boost::json::serialize(input));
  AwsError last;
  Result<HttpResponse> answer = caller_.Call(creds, region_, spec, &last);
  if (!answer.ok()) {
    // KMS's own codes, which the shared mapping (aws_error.h) does not know or maps otherwise: the key's state is
    // a precondition (an operator must enable or replace the key), a ciphertext that does not open is bad input,
    // KMS's internal failures are transient. The message (code first, request id last) is kept.
    const std::string& message = answer.status().message();
    if (AnyOf(last.code, {"NotFoundException", "DisabledException", "KMSInvalidStateException"}))
      return FailedPrecondition(message);
    if (AnyOf(last.code, {"InvalidCiphertextException", "IncorrectKeyException", "InvalidKeyUsageException"}))
      return InvalidArgument(message);
    if (AnyOf(last.code, {"KMSInternalException", "KeyUnavailableException", "DependencyTimeoutException"}))
      return Unavailable(message);
    return answer.status();
  }
  Result<boost::json::object> body = ParseJsonObject(answer->body, "kms " + operation);
  sodium_memzero(answer->body.data(), answer->body.size());  // it may hold a data key in the clear
  if (!body.ok()) return Internal(body.status().message());
  return body;
}

Result<DataKey> KmsClient::GenerateDataKey(const std::string& key_id, const EncryptionContext& context) {
  boost::json::object input{{"KeyId", key_id}, {"KeySpec", "AES_256"}};
  if (!context.empty()) input["EncryptionContext"] = ContextJson(context);
  ASSIGN_OR_RETURN(boost::json::object answer, Call("GenerateDataKey", input));
  DataKey out;
  ASSIGN_OR_RETURN(out.plaintext, Bytes(answer, "Plaintext", "GenerateDataKey"));
  ASSIGN_OR_RETURN(out.ciphertext_blob, Bytes(answer, "CiphertextBlob", "GenerateDataKey"));
  out.key_id = JsonStr(answer, "KeyId");
  // Wipe the answer's copy of the data key (the caller owns out.plaintext).
  if (auto it = answer.find("Plaintext"); it != answer.end() && it->value().is_string()) {
    boost::json::string& s = it->value().get_string();
    sodium_memzero(s.data(), s.size());
  }
  return out;
}

Result<std::string> KmsClient::Decrypt(const std::string& ciphertext_blob, const EncryptionContext& context,
                                       const std::string& key_id) {
  boost::json::object input{{"CiphertextBlob", Base64(ciphertext_blob)}};
  if (!context.empty()) input["EncryptionContext"] = ContextJson(context);
  if (!key_id.empty()) input["KeyId"] = key_id;
  ASSIGN_OR_RETURN(boost::json::object answer, Call("Decrypt", input));
  Result<std::string> plain = Bytes(answer, "Plaintext", "Decrypt");
  if (auto it = answer.find("Plaintext"); it != answer.end() && it->value().is_string()) {
    boost::json::string& s = it->value().get_string();
    sodium_memzero(s.data(), s.size());
  }
  return plain;
}

}  // namespace ap::aws
