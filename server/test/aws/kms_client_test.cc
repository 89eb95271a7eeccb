// KmsClient against a scripted FakeTransport: the request shape (JSON 1.1, TrentService target, SigV4 scope
// "kms", base64 members, the encryption context), the answer's decoding and the error mapping (throttling retried;
// KMS's own codes). No sockets, no real sleeping. Against the simulator: server/test/integration/kms.test.mjs.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "aws/credentials_provider.h"
#include "aws/kms_client.h"
#include "status_matchers.h"
#include "test_harness.h"

namespace ap::aws {
namespace {

namespace json = boost::json;
using testing::CallerHarness;
using testing::kTestCreds;

HeaderList Json11() { return {{"content-type", "application/x-amz-json-1.1"}, {"x-amzn-requestid", "RID7"}}; }

class KmsClientTest : public ::testing::Test {
 protected:
  KmsClientTest() : client_(h_.caller(), credentials_, "eu-central-1") {}

  CallerHarness h_{RetryOptions{.max_attempts = 3}};
  StaticCredentialsProvider credentials_{kTestCreds};
  KmsClient client_;
};

TEST_F(KmsClientTest, GenerateDataKeySendsJson11WithKeySpecAndContextSignedForKms) {
  // "data-key-32-bytes-long-exactly!!" and "blob" in base64.
  h_.transport.PushResponse(
      200,
      R"({"Plaintext":"ZGF0YS1rZXktMzItYnl0ZXMtbG9uZy1leGFjdGx5ISE=","CiphertextBlob":"YmxvYg==","KeyId":"arn:aws:kms:eu-central-1:111122223333:key/k1"})",
      Json11());
  ASSERT_OK_AND_ASSIGN(DataKey key, client_.GenerateDataKey("alias/ap", {{"account_id", "123456789012"}}));
  EXPECT_EQ(key.plaintext, "data-key-32-bytes-long-exactly!!");
  EXPECT_EQ(key.ciphertext_blob, "blob");
  EXPECT_EQ(key.key_id, "arn:aws:kms:eu-central-1:111122223333:key/k1");
  ASSERT_EQ(h_.transport.requests().size(), 1u);
  HttpRequest r = h_.transport.requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.Url(), "https://kms.eu-central-1.amazonaws.com/");
  EXPECT_EQ(*r.FindHeader("content-type"), "application/x-amz-json-1.1");
  EXPECT_EQ(*r.FindHeader("x-amz-target"), "TrentService.GenerateDataKey");
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"KeyId":"alias/ap","KeySpec":"AES_256",
                                                 "EncryptionContext":{"account_id":"123456789012"}})"));
  const std::string& auth = *r.FindHeader("authorization");
  EXPECT_NE(auth.find("/eu-central-1/kms/aws4_request"), std::string::npos) << auth;
}

TEST_F(KmsClientTest, DecryptSendsTheBlobInBase64WithContextAndKeyId) {
  h_.transport.PushResponse(
      200, R"({"Plaintext":"c2VjcmV0","KeyId":"arn:k","EncryptionAlgorithm":"SYMMETRIC_DEFAULT"})", Json11());
  ASSERT_OK_AND_ASSIGN(std::string plain, client_.Decrypt(std::string("\x01\x02\xff", 3), {{"account_id", "A"}}, "K"));
  EXPECT_EQ(plain, "secret");
  HttpRequest r = h_.transport.requests()[0];
  EXPECT_EQ(*r.FindHeader("x-amz-target"), "TrentService.Decrypt");
  EXPECT_EQ(json::parse(r.body),
            json::parse(R"({"CiphertextBlob":"AQL/","EncryptionContext":{"account_id":"A"},"KeyId":"K"})"));
}

TEST_F(KmsClientTest, AnswerWithoutPlaintextIsInternal) {
  h_.transport.PushResponse(200, R"({"CiphertextBlob":"YmxvYg=="})", Json11());
  auto r = client_.GenerateDataKey("k", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

TEST_F(KmsClientTest, ThrottlingIsRetried) {
  h_.transport.PushResponse(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})", Json11());
  h_.transport.PushResponse(200, R"({"Plaintext":"c2VjcmV0"})", Json11());
  ASSERT_OK_AND_ASSIGN(std::string plain, client_.Decrypt("b", {}, ""));
  EXPECT_EQ(plain, "secret");
  EXPECT_EQ(h_.transport.requests().size(), 2u);
  EXPECT_EQ(json::parse(h_.transport.requests()[0].body), json::parse(R"({"CiphertextBlob":"Yg=="})"))
      << "no empty context or key id is sent";
}

struct ErrorCase {
  int status;
  const char* code;
  StatusCode expected;
};

class KmsClientErrorTest : public KmsClientTest, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(KmsClientErrorTest, MapsKmsCodesKeepingTheCodeFirst) {
  const ErrorCase& c = GetParam();
  for (int i = 0; i < 3; ++i) {
    h_.transport.PushResponse(c.status, std::string(R"({"__type":")") + c.code + R"(","message":"m"})", Json11());
  }
  auto r = client_.Decrypt("b", {{"account_id", "A"}}, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), c.expected) << r.status().ToString();
  EXPECT_EQ(r.status().message().rfind(c.code, 0), 0u) << r.status().message();
}

INSTANTIATE_TEST_SUITE_P(Codes, KmsClientErrorTest,
                         ::testing::Values(ErrorCase{400, "AccessDeniedException", StatusCode::kPermissionDenied},
                                           ErrorCase{400, "InvalidCiphertextException", StatusCode::kInvalidArgument},
                                           ErrorCase{400, "IncorrectKeyException", StatusCode::kInvalidArgument},
                                           ErrorCase{400, "NotFoundException", StatusCode::kFailedPrecondition},
                                           ErrorCase{400, "DisabledException", StatusCode::kFailedPrecondition},
                                           ErrorCase{400, "KMSInvalidStateException", StatusCode::kFailedPrecondition},
                                           ErrorCase{500, "KMSInternalException", StatusCode::kUnavailable},
                                           ErrorCase{400, "UnrecognizedClientException",
                                                     StatusCode::kUnauthenticated}));

TEST_F(KmsClientTest, NetworkFailureIsUnavailable) {
  for (int i = 0; i < 3; ++i) h_.transport.PushError(Unavailable("connection refused"));
  auto r = client_.GenerateDataKey("k", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace ap::aws
