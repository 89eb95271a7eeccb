// The three service clients against a scripted FakeTransport: request shapes (protocol headers, bodies, endpoints,
// signing scope) and response decoding.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "aws/account_client.h"
#include "aws/aws_clients.h"
#include "aws/service_quotas_client.h"
#include "aws/sts_client.h"
#include "status_matchers.h"
#include "test_harness.h"

namespace ap::aws {
namespace {

using testing::CallerHarness;
using testing::kTestCreds;

std::string Scope(const HttpRequest& r) {
  const std::string& auth = *r.FindHeader("authorization");
  size_t start = auth.find('/') + 1;
  return auth.substr(start, auth.find(',') - start);  // DATE/REGION/SERVICE/aws4_request
}

TEST(StsClient, GetCallerIdentityUsesQueryProtocol) {
  CallerHarness h;
  h.transport.PushResponse(200,
                           "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                           "<GetCallerIdentityResult><Arn>arn:aws:iam::100000000001:user/account-platform</Arn>"
                           "<UserId>AIDAX</UserId><Account>100000000001</Account></GetCallerIdentityResult>"
                           "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
                           "</GetCallerIdentityResponse>");
  StsClient sts(h.caller());
  auto id = sts.GetCallerIdentity(kTestCreds, "eu-west-1");
  ASSERT_OK(id);
  EXPECT_EQ(id->account, "100000000001");
  EXPECT_EQ(id->arn, "arn:aws:iam::100000000001:user/account-platform");
  EXPECT_EQ(id->user_id, "AIDAX");
  HttpRequest r = h.transport.requests().at(0);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.Url(), "https://sts.eu-west-1.amazonaws.com/");
  EXPECT_EQ(r.body, "Action=GetCallerIdentity&Version=2011-06-15");
  EXPECT_EQ(*r.FindHeader("content-type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_TRUE(Scope(r).ends_with("/eu-west-1/sts/aws4_request")) << Scope(r);
  EXPECT_EQ(r.FindHeader("x-amz-security-token"), nullptr);
}

TEST(StsClient, AssumeRoleSendsParametersAndReadsCredentials) {
  CallerHarness h;
  h.transport.PushResponse(
      200,
      "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>a</Arn></AssumedRoleUser><Credentials>"
      "<AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey>sec</SecretAccessKey><SessionToken>tok+/=</SessionToken>"
      "<Expiration>2026-11-28T09:20:41.123Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>");
  StsClient sts(h.caller());
  AssumeRoleRequest req;
  req.role_arn = "arn:aws:iam::100000000001:role/AccountPlatformReadOnly";
  req.external_id = "ext-100000000001";
  req.duration_seconds = 900;
  Credentials session{"ASIABASE", "s", "basetoken", {}};
  auto c = sts.AssumeRole(session, "us-east-1", req);
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "ASIAX");
  EXPECT_EQ(c->session_token, "tok+/=");
  ASSERT_TRUE(c->expiration.has_value());
  EXPECT_EQ(FormatIso8601(*c->expiration), "2026-11-28T09:20:41Z");
  HttpRequest r = h.transport.requests().at(0);
  EXPECT_EQ(r.body,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A100000000001%3Arole%2F"
            "AccountPlatformReadOnly&RoleSessionName=account-platform&DurationSeconds=900&ExternalId=ext-100000000001");
  EXPECT_EQ(*r.FindHeader("x-amz-security-token"), "basetoken");
}

TEST(StsClient, ErrorsMapToStatus) {
  CallerHarness h;
  h.transport.PushResponse(403,
                           "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: x is not "
                           "authorized</Message></Error><RequestId>rq</RequestId></ErrorResponse>");
  StsClient sts(h.caller());
  auto c = sts.AssumeRole(kTestCreds, "us-east-1", {"arn:aws:iam::1:role/r", "s", "bad", 3600});
  EXPECT_EQ(c.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(c.status().message(), "AccessDenied: User: x is not authorized (sts AssumeRole, request id rq)");
  h.transport.PushResponse(200, "<Other/>");
  EXPECT_EQ(sts.GetCallerIdentity(kTestCreds, "us-east-1").status().code(), StatusCode::kInternal);
}

TEST(ServiceQuotasClient, GetUsesJson11AndDecodes) {
  CallerHarness h;
  h.transport.PushResponse(
      200,
      R"({"Quota":{"ServiceCode":"bedrock","ServiceName":"Amazon Bedrock","QuotaArn":"arn:aws:servicequotas:us-west-2::bedrock/L-27C57EE8","QuotaCode":"L-27C57EE8","QuotaName":"Tokens per minute","Value":400000.0,"Unit":"None","Adjustable":true,"GlobalQuota":false,"Period":{"PeriodValue":1,"PeriodUnit":"MINUTE"}}})");
  ServiceQuotasClient client(h.caller());
  auto q = client.GetAWSDefaultServiceQuota(kTestCreds, "us-west-2", "bedrock", "L-27C57EE8");
  ASSERT_OK(q);
  EXPECT_EQ(q->service_code, "bedrock");
  EXPECT_EQ(q->service_name, "Amazon Bedrock");
  EXPECT_EQ(q->quota_code, "L-27C57EE8");
  EXPECT_EQ(q->quota_name, "Tokens per minute");
  EXPECT_EQ(q->value, 400000.0);
  EXPECT_EQ(q->unit, "None");
  EXPECT_TRUE(q->adjustable);
  EXPECT_FALSE(q->global_quota);
  HttpRequest r = h.transport.requests().at(0);
  EXPECT_EQ(r.Url(), "https://servicequotas.us-west-2.amazonaws.com/");
  EXPECT_EQ(*r.FindHeader("x-amz-target"), "ServiceQuotasV20190624.GetAWSDefaultServiceQuota");
  EXPECT_EQ(*r.FindHeader("content-type"), "application/x-amz-json-1.1");
  EXPECT_EQ(r.body, R"({"ServiceCode":"bedrock","QuotaCode":"L-27C57EE8"})");
  EXPECT_TRUE(Scope(r).ends_with("/us-west-2/servicequotas/aws4_request"));
  EXPECT_NE(r.FindHeader("x-amz-content-sha256"), nullptr);
}

TEST(ServiceQuotasClient, ListFollowsEveryNextToken) {
  CallerHarness h;
  std::vector<std::string> bodies;
  h.transport.SetHandler([&](const HttpRequest& req) -> Result<HttpResponse> {
    bodies.push_back(req.body);
    auto in = boost::json::parse(req.body).as_object();
    int page = in.contains("NextToken") ? std::stoi(std::string(in["NextToken"].as_string())) : 0;
    boost::json::array quotas;
    for (int i = 0; i < (page < 2 ? 100 : 17); ++i) {
      quotas.push_back(boost::json::object{{"QuotaCode", "L-" + std::to_string(page * 100 + i)}, {"Value", 1.0}});
    }
    boost::json::object out{{"Quotas", quotas}};
    if (page < 2) out["NextToken"] = std::to_string(page + 1);
    HttpResponse r;
    r.status = 200;
    r.body = boost::json::serialize(out);
    return r;
  });
  ServiceQuotasClient client(h.caller());
  auto all = client.ListServiceQuotas(kTestCreds, "us-east-1", "bedrock");
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 217u);
  EXPECT_EQ(all->back().quota_code, "L-216");
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_EQ(bodies[0], R"({"ServiceCode":"bedrock","MaxResults":100})");
  EXPECT_EQ(bodies[2], R"({"ServiceCode":"bedrock","MaxResults":100,"NextToken":"2"})");
  EXPECT_EQ(*h.transport.requests()[0].FindHeader("x-amz-target"), "ServiceQuotasV20190624.ListServiceQuotas");
}

TEST(ServiceQuotasClient, RepeatedNextTokenStops) {
  CallerHarness h;
  h.transport.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    HttpResponse r;
    r.status = 200;
    r.body = R"({"Quotas":[],"NextToken":"same"})";
    return r;
  });
  ServiceQuotasClient client(h.caller());
  auto all = client.ListAWSDefaultServiceQuotas(kTestCreds, "us-east-1", "bedrock");
  EXPECT_EQ(all.status().code(), StatusCode::kInternal);
  EXPECT_EQ(h.transport.request_count(), 2u);
}

TEST(ServiceQuotasClient, IncreaseAndHistory) {
  CallerHarness h;
  const char* change =
      R"({"Id":"req-1","CaseId":"","ServiceCode":"bedrock","QuotaCode":"L-1","QuotaName":"Q","DesiredValue":5000.0,"Status":"PENDING","Created":1764318041.5,"LastUpdated":1764318041.5})";
  h.transport.PushResponse(200, std::string(R"({"RequestedQuota":)") + change + "}");
  h.transport.PushResponse(200, std::string(R"({"RequestedQuotas":[)") + change + "]}");
  ServiceQuotasClient client(h.caller());
  auto r = client.RequestServiceQuotaIncrease(kTestCreds, "us-east-1", "bedrock", "L-1", 5000);
  ASSERT_OK(r);
  EXPECT_EQ(r->id, "req-1");
  EXPECT_EQ(r->status, "PENDING");
  EXPECT_EQ(r->desired_value, 5000.0);
  ASSERT_TRUE(r->created.has_value());
  EXPECT_EQ(FormatIso8601(*r->created), "2025-11-28T08:20:41Z");
  EXPECT_EQ(h.transport.requests()[0].body, R"({"ServiceCode":"bedrock","QuotaCode":"L-1","DesiredValue":5E3})");
  auto history = client.ListRequestedServiceQuotaChangeHistoryByQuota(kTestCreds, "us-east-1", "bedrock", "L-1");
  ASSERT_OK(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(*h.transport.requests()[1].FindHeader("x-amz-target"),
            "ServiceQuotasV20190624.ListRequestedServiceQuotaChangeHistoryByQuota");
}

TEST(ServiceQuotasClient, GetRequestedServiceQuotaChangeReadsOneRequest) {
  CallerHarness h;
  h.transport.PushResponse(200, R"({"RequestedQuota":{"Id":"req-7","CaseId":"case-1","ServiceCode":"bedrock",)"
                                R"("QuotaCode":"L-1","DesiredValue":9000,"Status":"CASE_OPENED",)"
                                R"("Created":1764318041.5,"LastUpdated":1764318100}})");
  h.transport.PushResponse(400, R"({"__type":"NoSuchResourceException","Message":"no such request"})");
  ServiceQuotasClient client(h.caller());
  auto r = client.GetRequestedServiceQuotaChange(kTestCreds, "us-west-2", "req-7");
  ASSERT_OK(r);
  EXPECT_EQ(r->id, "req-7");
  EXPECT_EQ(r->case_id, "case-1");
  EXPECT_EQ(r->status, "CASE_OPENED");
  EXPECT_EQ(r->desired_value, 9000.0);
  ASSERT_TRUE(r->last_updated.has_value());
  EXPECT_EQ(FormatIso8601(*r->last_updated), "2025-11-28T08:21:40Z");
  EXPECT_EQ(*h.transport.requests()[0].FindHeader("x-amz-target"),
            "ServiceQuotasV20190624.GetRequestedServiceQuotaChange");
  EXPECT_EQ(h.transport.requests()[0].body, R"({"RequestId":"req-7"})");
  auto missing = client.GetRequestedServiceQuotaChange(kTestCreds, "us-west-2", "req-8");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

// Found by aws_response_fuzzer: a timestamp beyond what a time_point holds (here epoch milliseconds where seconds
// belong, and 1e300) was converted with undefined behaviour; it now leaves the time unset, like a missing one.
TEST(ServiceQuotasClient, TimestampsOutOfRangeAreLeftUnset) {
  CallerHarness h;
  h.transport.PushResponse(
      200, R"({"RequestedQuota":{"Id":"req-1","Status":"PENDING","Created":1764318041000,"LastUpdated":1e300}})");
  ServiceQuotasClient client(h.caller());
  auto r = client.RequestServiceQuotaIncrease(kTestCreds, "us-east-1", "bedrock", "L-1", 5000);
  ASSERT_OK(r);
  EXPECT_EQ(r->id, "req-1");
  EXPECT_FALSE(r->created.has_value());
  EXPECT_FALSE(r->last_updated.has_value());
}

TEST(AccountClient, GlobalEndpointSignedForUsEast1) {
  CallerHarness h;
  h.transport.PushResponse(
      200, R"({"ContactInformation":{"FullName":"Jane Doe","AddressLine1":"1 Main St","City":"Seattle",)"
           R"("PostalCode":"98101","CountryCode":"US","PhoneNumber":"+1 206 555 0100"}})");
  AccountClient account(h.caller());
  auto ci = account.GetContactInformation(kTestCreds, "eu-west-1");
  ASSERT_OK(ci);
  EXPECT_EQ(ci->full_name, "Jane Doe");
  EXPECT_EQ(ci->city, "Seattle");
  EXPECT_EQ(ci->phone_number, "+1 206 555 0100");
  EXPECT_TRUE(ci->company_name.empty());
  HttpRequest r = h.transport.requests().at(0);
  EXPECT_EQ(r.Url(), "https://account.us-east-1.amazonaws.com/getContactInformation");
  EXPECT_EQ(*r.FindHeader("content-type"), "application/json");
  EXPECT_EQ(r.body, "{}");
  EXPECT_TRUE(Scope(r).ends_with("/us-east-1/account/aws4_request"));
}

TEST(AccountClient, PutSendsOnlySetFields) {
  CallerHarness h;
  h.transport.PushResponse(200, "{}");
  AccountClient account(h.caller());
  ContactInformation ci;
  ci.full_name = "Jane";
  ci.country_code = "US";
  ASSERT_OK(account.PutContactInformation(kTestCreds, "us-east-1", ci));
  EXPECT_EQ(h.transport.requests()[0].body, R"({"ContactInformation":{"CountryCode":"US","FullName":"Jane"}})");
  EXPECT_EQ(h.transport.requests()[0].path, "/putContactInformation");
}

TEST(MakeAwsClients, WiresEndpointOverrideAndInjectedTransport) {
  auto transport = std::make_shared<testing::FakeTransport>();
  transport->PushResponse(200,
                          "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn</Arn><UserId>u</UserId>"
                          "<Account>100000000001</Account></GetCallerIdentityResult></GetCallerIdentityResponse>");
  AwsClientOptions o;
  o.env = {{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"}};
  o.transport = transport;
  o.metadata_transport = std::make_shared<testing::FakeTransport>();
  FakeClock clock;
  FakeRandom random;
  auto clients = MakeAwsClients(o, clock, random);
  ASSERT_OK(clients);
  ASSERT_OK(clients->sts->GetCallerIdentity(kTestCreds, "us-east-1"));
  EXPECT_EQ(transport->requests()[0].Url(), "http://127.0.0.1:4566/");
  EXPECT_EQ(*transport->requests()[0].FindHeader("host"), "127.0.0.1:4566");
  ASSERT_NE(clients->default_credentials, nullptr);
}

TEST(MakeAwsClients, FailsFastOnBadConfiguration) {
  FakeClock clock;
  FakeRandom random;
  AwsClientOptions o;
  o.transport = std::make_shared<testing::FakeTransport>();
  o.metadata_transport = o.transport;
  o.env = {{"AWS_ENDPOINT_URL_SERVICE_QUOTAS", "http://quotas.example.com"}};
  EXPECT_EQ(MakeAwsClients(o, clock, random).status().code(), StatusCode::kInvalidArgument);
  o.env = {{"AWS_MAX_ATTEMPTS", "many"}};
  EXPECT_EQ(MakeAwsClients(o, clock, random).status().field(), "AWS_MAX_ATTEMPTS");
}

}  // namespace
}  // namespace ap::aws
