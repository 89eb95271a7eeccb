#include "aws/aws_error.h"

#include <gtest/gtest.h>

namespace ap::aws {
namespace {

HttpResponse Response(int status, std::string body, HeaderList headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

TEST(AwsError, ParsesJson11WithNamespacedTypeAndCapitalMessage) {
  AwsError e = ParseAwsError(Response(
      400,
      R"({"__type":"com.amazonaws.servicequotas.v20190624#NoSuchResourceException","Message":"The request failed because the specified service quota does not exist."})",
      {{"x-amzn-requestid", "rid-1"}}));
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(e.code, "NoSuchResourceException");
  EXPECT_EQ(e.message, "The request failed because the specified service quota does not exist.");
  EXPECT_EQ(e.request_id, "rid-1");
  EXPECT_EQ(e.retry_kind, RetryKind::kNone);
  Status s = ToStatus(e);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(),
            "NoSuchResourceException: The request failed because the specified service quota does not exist. "
            "(request id rid-1)");
}

TEST(AwsError, ParsesLowerCaseMessageAndThrottling) {
  AwsError e = ParseAwsError(Response(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})"));
  EXPECT_EQ(e.code, "ThrottlingException");
  EXPECT_EQ(e.message, "Rate exceeded");
  EXPECT_EQ(e.retry_kind, RetryKind::kThrottling);
  EXPECT_EQ(ToStatus(e, "servicequotas GetServiceQuota").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(ToStatus(e, "servicequotas GetServiceQuota").message(),
            "ThrottlingException: Rate exceeded (servicequotas GetServiceQuota)");
}

TEST(AwsError, ParsesQueryProtocolXml) {
  AwsError e = ParseAwsError(Response(403,
                                      "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
                                      "  <Error>\n    <Type>Sender</Type>\n    <Code>SignatureDoesNotMatch</Code>\n"
                                      "    <Message>The request signature we calculated does not match &amp; so on"
                                      "</Message>\n  </Error>\n  <RequestId>abc-123</RequestId>\n</ErrorResponse>\n"));
  EXPECT_EQ(e.code, "SignatureDoesNotMatch");
  EXPECT_EQ(e.message, "The request signature we calculated does not match & so on");
  EXPECT_EQ(e.request_id, "abc-123");
  Status s = ToStatus(e);
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(s.message().starts_with("SignatureDoesNotMatch: "));
}

TEST(AwsError, ParsesRestJsonErrorTypeHeaderAndFieldList) {
  AwsError e = ParseAwsError(Response(
      400,
      R"({"message":"Invalid request body","reason":"fieldValidationFailed","fieldList":[{"name":"ContactInformation.FullName","message":"Member must not be null"}]})",
      {{"x-amzn-errortype", "ValidationException:http://internal.amazon.com/coral/com.amazon.account/"},
       {"x-amzn-requestid", "r"}}));
  EXPECT_EQ(e.code, "ValidationException");
  EXPECT_EQ(e.message, "Invalid request body: ContactInformation.FullName: Member must not be null");
  EXPECT_EQ(ToStatus(e).code(), StatusCode::kInvalidArgument);
}

TEST(AwsError, TooManyRequestsIsThrottling) {
  AwsError e = ParseAwsError(
      Response(429, R"({"message":"Rate exceeded"})", {{"x-amzn-errortype", "TooManyRequestsException"}}));
  EXPECT_EQ(e.retry_kind, RetryKind::kThrottling);
  EXPECT_EQ(ToStatus(e).code(), StatusCode::kResourceExhausted);
}

TEST(AwsError, GatewayHtmlIsTransient) {
  AwsError e = ParseAwsError(Response(502, "<html>\n<body>Bad Gateway</body></html>", {{"x-amz-request-id", "g"}}));
  EXPECT_EQ(e.code, "HttpStatus502");
  EXPECT_EQ(e.retry_kind, RetryKind::kTransient);
  EXPECT_EQ(e.request_id, "g");
  EXPECT_EQ(ToStatus(e).code(), StatusCode::kUnavailable);
  EXPECT_EQ(ParseAwsError(Response(503, "")).retry_kind, RetryKind::kTransient);
}

TEST(AwsError, MapsCodesToStatus) {
  auto code_of = [](std::string code, int http) {
    AwsError e;
    e.http_status = http;
    e.code = code;
    e.retry_kind = ClassifyError(code, http);
    return ToStatus(e).code();
  };
  EXPECT_EQ(code_of("InvalidClientTokenId", 403), StatusCode::kUnauthenticated);
  EXPECT_EQ(code_of("UnrecognizedClientException", 403), StatusCode::kUnauthenticated);
  EXPECT_EQ(code_of("InvalidSignatureException", 400), StatusCode::kUnauthenticated);
  EXPECT_EQ(code_of("ExpiredToken", 400), StatusCode::kUnauthenticated);
  EXPECT_EQ(code_of("ExpiredTokenException", 403), StatusCode::kUnauthenticated);
  EXPECT_EQ(code_of("AccessDenied", 403), StatusCode::kPermissionDenied);
  EXPECT_EQ(code_of("AccessDeniedException", 400), StatusCode::kPermissionDenied);
  EXPECT_EQ(code_of("ResourceNotFoundException", 404), StatusCode::kNotFound);
  EXPECT_EQ(code_of("ValidationException", 400), StatusCode::kInvalidArgument);
  EXPECT_EQ(code_of("ValidationError", 400), StatusCode::kInvalidArgument);
  EXPECT_EQ(code_of("IllegalArgumentException", 400), StatusCode::kInvalidArgument);
  EXPECT_EQ(code_of("InvalidPaginationTokenException", 400), StatusCode::kInvalidArgument);
  EXPECT_EQ(code_of("ResourceAlreadyExistsException", 400), StatusCode::kAlreadyExists);
  EXPECT_EQ(code_of("QuotaExceededException", 400), StatusCode::kFailedPrecondition);
  EXPECT_EQ(code_of("Throttling", 400), StatusCode::kResourceExhausted);
  EXPECT_EQ(code_of("ServiceException", 500), StatusCode::kUnavailable);
  EXPECT_EQ(code_of("RequestTimeout", 400), StatusCode::kUnavailable);
  EXPECT_EQ(code_of("SomethingNew", 400), StatusCode::kInvalidArgument);
}

TEST(AwsError, ClassifiesEveryThrottlingAndTransientCode) {
  for (const char* c : {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
                        "TooManyRequestsException", "ProvisionedThroughputExceededException",
                        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
                        "LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException"}) {
    EXPECT_EQ(ClassifyError(c, 400), RetryKind::kThrottling) << c;
  }
  for (const char* c : {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"}) {
    EXPECT_EQ(ClassifyError(c, 400), RetryKind::kTransient) << c;
  }
  for (int s : {500, 502, 503, 504}) EXPECT_EQ(ClassifyError("X", s), RetryKind::kTransient) << s;
  EXPECT_EQ(ClassifyError("X", 501), RetryKind::kNone);
  EXPECT_EQ(ClassifyError("AccessDenied", 403), RetryKind::kNone);
}

TEST(AwsError, TransportFailures) {
  AwsError t = TransportError(DeadlineExceeded("timed out"));
  EXPECT_EQ(t.http_status, 0);
  EXPECT_EQ(t.retry_kind, RetryKind::kTimeout);
  EXPECT_EQ(ToStatus(t).code(), StatusCode::kDeadlineExceeded);
  AwsError c = TransportError(Unavailable("connection refused"));
  EXPECT_EQ(c.retry_kind, RetryKind::kTransient);
  EXPECT_EQ(ToStatus(c, "sts GetCallerIdentity").message(), "connection refused (sts GetCallerIdentity)");
  AwsError bad = TransportError(InvalidArgument("plain http refused"));
  EXPECT_EQ(bad.retry_kind, RetryKind::kNone);
  EXPECT_EQ(ToStatus(bad).code(), StatusCode::kInvalidArgument);
}

TEST(AwsError, GarbageBodiesStillYieldAnError) {
  AwsError e = ParseAwsError(Response(400, "{not json"));
  EXPECT_EQ(e.code, "HttpStatus400");
  EXPECT_FALSE(e.message.empty());
  AwsError x = ParseAwsError(Response(400, "<Unrelated/>"));
  EXPECT_EQ(x.code, "HttpStatus400");
}

}  // namespace
}  // namespace ap::aws
