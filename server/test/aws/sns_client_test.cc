// SnsClient against a scripted FakeTransport: the request shape (AWS Query form body, SigV4 scope "sns", the
// endpoint), the MessageId read from the XML answer, validation before sending and the error mapping (SNS's own
// codes; throttling and 5xx retried). No sockets, no real sleeping. Against the simulator: sns_simulator_test.cc.
#include "aws/sns_client.h"

#include <gtest/gtest.h>

#include "aws/endpoints.h"
#include "status_matchers.h"
#include "test_harness.h"

namespace ap::aws {
namespace {

using testing::CallerHarness;
using testing::kTestCreds;

constexpr const char* kArn = "arn:aws:sns:eu-west-1:123456789012:alerts";

std::string Ok(const std::string& id) {
  return R"(<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>)" + id +
         R"(</MessageId></PublishResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></PublishResponse>)";
}

std::string Error(const std::string& type, const std::string& code, const std::string& message) {
  return R"(<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>)" + type + "</Type><Code>" +
         code + "</Code><Message>" + message + "</Message></Error><RequestId>rid-9</RequestId></ErrorResponse>";
}

class SnsClientTest : public ::testing::Test {
 protected:
  CallerHarness h_{RetryOptions{.max_attempts = 3}};
  SnsClient client_{h_.caller()};
};

TEST_F(SnsClientTest, PublishSendsQueryFormSignedForSnsAndReadsMessageId) {
  h_.transport.PushResponse(200, Ok("95df01b4-ee98-5cb9-9903-4c221d41eb5e"), {{"content-type", "text/xml"}});
  ASSERT_OK_AND_ASSIGN(std::string id, client_.Publish(kTestCreds, "eu-west-1", kArn, "[FIRING] a & b", "hé=1+2"));
  EXPECT_EQ(id, "95df01b4-ee98-5cb9-9903-4c221d41eb5e");
  ASSERT_EQ(h_.transport.requests().size(), 1u);
  const HttpRequest r = h_.transport.requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.Url(), "https://sns.eu-west-1.amazonaws.com/");
  EXPECT_EQ(*r.FindHeader("content-type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(r.body,
            "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aeu-west-1%3A123456789012%3Aalerts"
            "&Subject=%5BFIRING%5D%20a%20%26%20b&Message=h%C3%A9%3D1%2B2");
  const std::string& auth = *r.FindHeader("authorization");
  EXPECT_NE(auth.find("/eu-west-1/sns/aws4_request"), std::string::npos) << auth;
}

TEST_F(SnsClientTest, EmptySubjectIsLeftOut) {
  h_.transport.PushResponse(200, Ok("m1"));
  ASSERT_OK(client_.Publish(kTestCreds, "eu-west-1", kArn, "", "hello"));
  EXPECT_EQ(h_.transport.requests()[0].body.find("Subject"), std::string::npos);
}

TEST_F(SnsClientTest, InvalidArgumentsAreRefusedBeforeSending) {
  struct Case {
    std::string arn, subject, message, field;
  };
  for (const Case& c : std::vector<Case>{{"", "s", "m", "topic_arn"},
                                         {kArn, std::string(100, 's'), "m", "subject"},
                                         {kArn, "line\nbreak", "m", "subject"},
                                         {kArn, "caf\xc3\xa9", "m", "subject"},
                                         {kArn, " lead", "m", "subject"},
                                         {kArn, "s", "", "message"},
                                         {kArn, "s", std::string(kMaxSnsPublishMessageBytes + 1, 'm'), "message"}}) {
    Result<std::string> r = client_.Publish(kTestCreds, "eu-west-1", c.arn, c.subject, c.message);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), c.field);
  }
  EXPECT_OK(ValidatePublish(kArn, std::string(99, 's'), std::string(kMaxSnsPublishMessageBytes, 'm')));
  EXPECT_EQ(h_.transport.request_count(), 0u);
}

TEST_F(SnsClientTest, ErrorsMapToStatusKeepingTheCode) {
  struct Case {
    int http;
    std::string code;
    StatusCode want;
  };
  for (const Case& c : std::vector<Case>{{404, "NotFound", StatusCode::kNotFound},
                                         {404, "TopicNotFound", StatusCode::kNotFound},
                                         {403, "AuthorizationError", StatusCode::kPermissionDenied},
                                         {400, "InvalidParameter", StatusCode::kInvalidArgument},
                                         {400, "KMSDisabled", StatusCode::kFailedPrecondition},
                                         {403, "InvalidClientTokenId", StatusCode::kUnauthenticated}}) {
    h_.transport.PushResponse(c.http, Error("Sender", c.code, "nope"), {{"content-type", "text/xml"}});
    Result<std::string> r = client_.Publish(kTestCreds, "eu-west-1", kArn, "s", "m");
    ASSERT_FALSE(r.ok()) << c.code;
    EXPECT_EQ(r.status().code(), c.want) << c.code << ": " << r.status().message();
    EXPECT_TRUE(r.status().message().starts_with(c.code + ": nope")) << r.status().message();
  }
  EXPECT_EQ(h_.transport.request_count(), 6u) << "client errors are not retried";
}

TEST_F(SnsClientTest, ThrottledAndInternalErrorAreRetried) {
  h_.transport.PushResponse(400, Error("Sender", "Throttled", "slow down"));
  h_.transport.PushResponse(500, Error("Receiver", "InternalError", "oops"));
  h_.transport.PushResponse(200, Ok("m2"));
  ASSERT_OK_AND_ASSIGN(std::string id, client_.Publish(kTestCreds, "eu-west-1", kArn, "s", "m"));
  EXPECT_EQ(id, "m2");
  EXPECT_EQ(h_.transport.request_count(), 3u);

  for (int i = 0; i < 3; ++i) h_.transport.PushResponse(500, Error("Receiver", "InternalError", "oops"));
  Result<std::string> r = client_.Publish(kTestCreds, "eu-west-1", kArn, "s", "m");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
}

TEST_F(SnsClientTest, AnswerWithoutMessageIdIsInternal) {
  h_.transport.PushResponse(200, "<PublishResponse><PublishResult/></PublishResponse>");
  EXPECT_EQ(client_.Publish(kTestCreds, "eu-west-1", kArn, "s", "m").status().code(), StatusCode::kInternal);
  h_.transport.PushResponse(200, "{}");
  EXPECT_EQ(client_.Publish(kTestCreds, "eu-west-1", kArn, "s", "m").status().code(), StatusCode::kInternal);
}

TEST(SnsEndpoint, DefaultHostAndOverride) {
  auto r = EndpointResolver::Create({});
  ASSERT_OK(r);
  auto e = r->Resolve(AwsService::kSns, "ap-south-1");
  ASSERT_OK(e);
  EXPECT_EQ(e->host, "sns.ap-south-1.amazonaws.com");
  EXPECT_EQ(e->signing_service, "sns");
  EXPECT_EQ(e->signing_region, "ap-south-1");
  EXPECT_EQ(r->Resolve(AwsService::kSns, "cn-north-1")->host, "sns.cn-north-1.amazonaws.com.cn");
  auto o = EndpointResolver::Create(
      {{"AWS_ENDPOINT_URL", "http://127.0.0.1:1"}, {"AWS_ENDPOINT_URL_SNS", "http://127.0.0.1:3"}});
  ASSERT_OK(o);
  EXPECT_EQ(o->Resolve(AwsService::kSns, "us-east-1")->port, 3);
  EXPECT_EQ(o->Resolve(AwsService::kSns, "us-east-1")->signing_service, "sns");
}

}  // namespace
}  // namespace ap::aws
