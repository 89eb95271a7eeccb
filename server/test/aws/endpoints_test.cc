#include "aws/endpoints.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

namespace ap::aws {
namespace {

TEST(Endpoints, StandardRegionalAndGlobal) {
  auto r = EndpointResolver::Create({});
  ASSERT_OK(r);
  auto sts = r->Resolve(AwsService::kSts, "eu-west-3");
  ASSERT_OK(sts);
  EXPECT_EQ(sts->scheme, "https");
  EXPECT_EQ(sts->host, "sts.eu-west-3.amazonaws.com");
  EXPECT_EQ(sts->signing_region, "eu-west-3");
  EXPECT_EQ(sts->signing_service, "sts");
  auto sq = r->Resolve(AwsService::kServiceQuotas, "us-west-2");
  EXPECT_EQ(sq->host, "servicequotas.us-west-2.amazonaws.com");
  EXPECT_EQ(sq->signing_service, "servicequotas");
  auto acct = r->Resolve(AwsService::kAccount, "ap-southeast-2");
  EXPECT_EQ(acct->host, "account.us-east-1.amazonaws.com");
  EXPECT_EQ(acct->signing_region, "us-east-1");
  EXPECT_EQ(r->Resolve(AwsService::kDynamoDb, "us-east-2")->host, "dynamodb.us-east-2.amazonaws.com");
  EXPECT_EQ(r->Resolve(AwsService::kKms, "us-east-2")->host, "kms.us-east-2.amazonaws.com");
  auto cw = r->Resolve(AwsService::kCloudWatch, "eu-west-1");
  EXPECT_EQ(cw->host, "monitoring.eu-west-1.amazonaws.com");
  EXPECT_EQ(cw->signing_service, "monitoring");
  EXPECT_EQ(cw->signing_region, "eu-west-1");
  EXPECT_EQ(r->Resolve(AwsService::kSts, "cn-north-1")->host, "sts.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(r->Resolve(AwsService::kAccount, "cn-north-1")->signing_region, "cn-northwest-1");
}

TEST(Endpoints, RejectsBadRegions) {
  auto r = EndpointResolver::Create({});
  for (const char* bad : {"", "US-EAST-1", "us-east-1.evil.com", "us east", "1us", "a/b"}) {
    EXPECT_EQ(r->Resolve(AwsService::kSts, bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(Endpoints, GlobalOverrideAppliesToEveryServiceKeepingSigningRegion) {
  auto r = EndpointResolver::Create({{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"}});
  ASSERT_OK(r);
  for (AwsService s : {AwsService::kSts, AwsService::kServiceQuotas, AwsService::kAccount, AwsService::kDynamoDb,
                       AwsService::kKms, AwsService::kCloudWatch}) {
    auto e = r->Resolve(s, "eu-central-1");
    ASSERT_OK(e);
    EXPECT_EQ(e->scheme, "http");
    EXPECT_EQ(e->host, "127.0.0.1");
    EXPECT_EQ(e->port, 4566);
  }
  EXPECT_EQ(r->Resolve(AwsService::kAccount, "eu-central-1")->signing_region, "us-east-1");
  EXPECT_EQ(r->Resolve(AwsService::kSts, "eu-central-1")->signing_region, "eu-central-1");
}

TEST(Endpoints, ServiceSpecificOverrideWins) {
  auto r = EndpointResolver::Create({{"AWS_ENDPOINT_URL", "http://localhost:1"},
                                     {"AWS_ENDPOINT_URL_SERVICE_QUOTAS", "https://quotas.example.com/base/"},
                                     {"AWS_ENDPOINT_URL_DYNAMODB", "http://[::1]:8000"}});
  ASSERT_OK(r);
  auto sq = r->Resolve(AwsService::kServiceQuotas, "us-east-1");
  EXPECT_EQ(sq->scheme, "https");
  EXPECT_EQ(sq->host, "quotas.example.com");
  EXPECT_EQ(sq->base_path, "/base");
  EXPECT_EQ(r->Resolve(AwsService::kDynamoDb, "us-east-1")->host, "::1");
  EXPECT_EQ(r->Resolve(AwsService::kSts, "us-east-1")->host, "localhost");
}

TEST(Endpoints, CloudWatchOverrideIsAwsEndpointUrlCloudWatch) {
  auto r = EndpointResolver::Create(
      {{"AWS_ENDPOINT_URL", "http://127.0.0.1:1"}, {"AWS_ENDPOINT_URL_CLOUDWATCH", "http://127.0.0.1:2"}});
  ASSERT_OK(r);
  EXPECT_EQ(r->Resolve(AwsService::kCloudWatch, "us-east-1")->port, 2);
  EXPECT_EQ(r->Resolve(AwsService::kCloudWatch, "us-east-1")->signing_service, "monitoring");
  EXPECT_EQ(r->Resolve(AwsService::kKms, "us-east-1")->port, 1);
}

TEST(Endpoints, IgnoreConfiguredEndpointUrls) {
  auto r = EndpointResolver::Create(
      {{"AWS_ENDPOINT_URL", "http://127.0.0.1:1"}, {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}});
  ASSERT_OK(r);
  EXPECT_EQ(r->Resolve(AwsService::kSts, "us-east-1")->host, "sts.us-east-1.amazonaws.com");
}

TEST(Endpoints, RefusesPlainHttpToNonLoopbackAndGarbage) {
  auto r = EndpointResolver::Create({{"AWS_ENDPOINT_URL_STS", "http://sts.example.com"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "AWS_ENDPOINT_URL_STS");
  EXPECT_FALSE(EndpointResolver::Create({{"AWS_ENDPOINT_URL", "not a url"}}).ok());
  EXPECT_FALSE(EndpointResolver::Create({{"AWS_ENDPOINT_URL_KMS", "ftp://127.0.0.1"}}).ok());
}

}  // namespace
}  // namespace ap::aws
