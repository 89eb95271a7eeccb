// Fuzz target: the parsers of what AWS (or anything pretending to be AWS) sends back.
//
// The input is one response body. It goes through every parser that reads AWS responses:
//   aws/xml.*          ParseXml (STS query protocol, XML errors) and XmlElement lookups
//   aws/wire.*         ParseJsonObject and the Json* accessors, ParseAwsTimestamp
//   aws/aws_error.*    ParseAwsError (as a 400, 403, 429 and 503 with each protocol's content type) and ToStatus
//   metadata creds     ParseMetadataCredentials (the IMDS / container credentials document)
//   the clients        STS GetCallerIdentity and AssumeRole, every Service Quotas operation and Account
//                      GetContactInformation, each answered with the input as a 200 and as a 400 through a
//                      FakeTransport (one attempt, no retries; a paginated call's next page fails)
// Checked beyond "no crash, no sanitizer report": an error response never turns into an OK Status, and a failed
// call never maps to Internal/OK from a 4xx/5xx answer.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "aws/account_client.h"
#include "aws/aws_error.h"
#include "aws/metadata_credentials_provider.h"
#include "aws/service_quotas_client.h"
#include "aws/sts_client.h"
#include "aws/wire.h"
#include "aws/xml.h"
#include "fuzz_check.h"
#include "test_harness.h"

namespace {

using namespace ap::aws;  // NOLINT: a fuzz target over one module

using ap::fuzz::Check;

void WalkXml(const XmlElement& e, int depth) {
  (void)e.Child("Error");
  (void)e.TextAt({"Error", "Code"});
  for (const XmlElement& c : e.children) {
    if (depth < 70) WalkXml(c, depth + 1);
  }
}

void ParseAlone(const std::string& body) {
  if (auto doc = ParseXml(body); doc.ok()) WalkXml(*doc, 0);
  if (auto obj = ParseJsonObject(body, "fuzz"); obj.ok()) {
    for (const char* key : {"__type", "message", "Message", "Quota", "Quotas", "NextToken", "Value", "Created"}) {
      (void)JsonStr(*obj, key);
      (void)JsonNumber(*obj, key);
      (void)JsonBool(*obj, key);
      (void)JsonObj(*obj, key);
      (void)JsonArr(*obj, key);
    }
  }
  ap::TimePoint t;
  (void)ParseAwsTimestamp(body, &t);
  (void)ParseMetadataCredentials(body, "fuzz");

  const HeaderList kProtocols[] = {{{"content-type", "application/x-amz-json-1.1"}, {"x-amzn-requestid", "r"}},
                                   {{"content-type", "application/json"}, {"x-amzn-errortype", "Fuzz:x"}},
                                   {{"content-type", "text/xml"}},
                                   {}};
  for (int status : {400, 403, 429, 503}) {
    for (const HeaderList& headers : kProtocols) {
      HttpResponse r;
      r.status = status;
      r.headers = headers;
      r.body = body;
      AwsError e = ParseAwsError(r);
      Check(e.http_status == status, "ParseAwsError changed the status");
      Check(!e.code.empty(), "ParseAwsError left the code empty");
      ap::Status s = ToStatus(e, "fuzz Op");
      Check(!s.ok(), "an AWS error response mapped to OK");
    }
  }
}

// The caller's collaborators, built once (EndpointResolver::Create is not free); a fresh FakeTransport per call.
struct Callers {
  ap::FakeClock clock;
  testing::FakeSleeper sleeper{&clock};
  ap::FakeRandom random{7};
  SigV4Signer signer{clock};
  EndpointResolver endpoints = EndpointResolver::Create({}).value();
  RetryStrategy retry{RetryOptions{.max_attempts = 1}, random, sleeper};
};

void CallClients(const std::string& body, int status) {
  static Callers* callers = new Callers();
  const HeaderList json = testing::JsonHeaders();
  const HeaderList xml = {{"content-type", "text/xml"}};
  auto run = [&](const HeaderList& headers, auto&& call) {
    testing::FakeTransport transport;
    transport.PushResponse(status, body, headers);
    AwsCaller caller(transport, callers->signer, callers->endpoints, callers->retry, nullptr);
    bool ok = call(caller);
    if (status >= 300) Check(!ok, "an error response produced a successful call");
  };
  const Credentials& creds = testing::kTestCreds;
  run(xml, [&](AwsCaller& c) { return StsClient(c).GetCallerIdentity(creds, "us-east-1").ok(); });
  run(xml, [&](AwsCaller& c) {
    return StsClient(c).AssumeRole(creds, "us-east-1", {"arn:aws:iam::100000000001:role/R", "s", "x", 900}).ok();
  });
  run(json, [&](AwsCaller& c) {
    return ServiceQuotasClient(c).GetServiceQuota(creds, "us-east-1", "bedrock", "L-27C57EE8").ok();
  });
  run(json, [&](AwsCaller& c) {
    return ServiceQuotasClient(c).GetAWSDefaultServiceQuota(creds, "us-east-1", "bedrock", "L-27C57EE8").ok();
  });
  run(json, [&](AwsCaller& c) { return ServiceQuotasClient(c).ListServiceQuotas(creds, "us-east-1", "bedrock").ok(); });
  run(json, [&](AwsCaller& c) {
    return ServiceQuotasClient(c).ListAWSDefaultServiceQuotas(creds, "us-east-1", "bedrock").ok();
  });
  run(json, [&](AwsCaller& c) {
    return ServiceQuotasClient(c).RequestServiceQuotaIncrease(creds, "us-east-1", "bedrock", "L-27C57EE8", 500000).ok();
  });
  run(json, [&](AwsCaller& c) {
    return ServiceQuotasClient(c)
        .ListRequestedServiceQuotaChangeHistoryByQuota(creds, "us-east-1", "bedrock", "L-27C57EE8")
        .ok();
  });
  run(json, [&](AwsCaller& c) { return AccountClient(c).GetContactInformation(creds, "us-east-1").ok(); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  ParseAlone(body);
  CallClients(body, 200);
  CallClients(body, 400);
  return 0;
}
