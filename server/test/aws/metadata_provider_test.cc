// Container and IMDS credential providers against a loopback fake of the metadata endpoints, over CurlTransport.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "aws/aws_clients.h"
#include "aws/metadata_credentials_provider.h"
#include "loopback_http_server.h"
#include "status_matchers.h"

namespace ap::aws {
namespace {

using testing::LoopbackHttpServer;
using testing::ReceivedRequest;
using testing::Reply;

constexpr const char* kCreds =
    R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAMETA","SecretAccessKey":"sec","Token":"tok","Expiration":"2031-01-01T00:00:00Z"})";

std::shared_ptr<Transport> MetadataTransport() { return CurlTransport::Create(MetadataTransportOptions()).value(); }

Reply Json(int status, std::string body) {
  return Reply{status, {{"Content-Type", "application/json"}}, std::move(body)};
}

// IMDSv2 fake: token required for the GETs when `require_token`.
Reply Imds(const ReceivedRequest& req, bool token_supported) {
  if (req.method == "PUT" && req.target == "/latest/api/token") {
    if (!token_supported) return Reply{405, {}, ""};
    if (req.headers.count("x-aws-ec2-metadata-token-ttl-seconds") == 0) return Reply{400, {}, ""};
    return Reply{200, {}, "imds-token"};
  }
  if (token_supported) {
    auto it = req.headers.find("x-aws-ec2-metadata-token");
    if (it == req.headers.end() || it->second != "imds-token") return Reply{401, {}, ""};
  }
  if (req.target == "/latest/meta-data/iam/security-credentials/") return Reply{200, {}, "platform-role\n"};
  if (req.target == "/latest/meta-data/iam/security-credentials/platform-role") return Json(200, kCreds);
  return Reply{404, {}, ""};
}

TEST(ContainerCredentials, RelativeUriWithTokenFile) {
  LoopbackHttpServer server([](const ReceivedRequest& req) {
    if (req.target != "/v2/credentials/task-1") return Reply{404, {}, ""};
    if (req.headers.count("authorization") == 0 || req.headers.at("authorization") != "token-from-file") {
      return Reply{401, {}, ""};
    }
    return Json(200, kCreds);
  });
  char path[] = "/tmp/aws-token-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path) << "token-from-file\n";
  auto transport = MetadataTransport();
  ContainerCredentialsProvider p(*transport,
                                 {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/task-1"},
                                  {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-file-set"},
                                  {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", path}},
                                 server.url());
  auto c = p.Get();
  ::unlink(path);
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "ASIAMETA");
  EXPECT_EQ(c->session_token, "tok");
  ASSERT_TRUE(c->expiration.has_value());
}

TEST(ContainerCredentials, FullUriAndErrors) {
  LoopbackHttpServer server([](const ReceivedRequest& req) {
    if (req.target == "/creds") return Json(200, kCreds);
    if (req.target == "/garbage") return Json(200, "<html>");
    return Reply{500, {}, "boom"};
  });
  auto transport = MetadataTransport();
  auto full =
      ContainerCredentialsProvider(*transport, {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds"}});
  ASSERT_OK(full.Get());
  auto err = ContainerCredentialsProvider(*transport, {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/x"}});
  EXPECT_EQ(err.Get().status().code(), StatusCode::kUnavailable);
  auto garbage =
      ContainerCredentialsProvider(*transport, {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/garbage"}});
  EXPECT_EQ(garbage.Get().status().code(), StatusCode::kUnavailable);
}

TEST(InstanceProfileCredentials, ImdsV2TokenFlow) {
  LoopbackHttpServer server([](const ReceivedRequest& req) { return Imds(req, true); });
  auto transport = MetadataTransport();
  ImdsOptions o;
  o.endpoint = server.url();
  InstanceProfileCredentialsProvider p(*transport, {}, o);
  auto c = p.Get();
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "ASIAMETA");
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].headers["x-aws-ec2-metadata-token-ttl-seconds"], "21600");
  EXPECT_EQ(reqs[2].target, "/latest/meta-data/iam/security-credentials/platform-role");
}

TEST(InstanceProfileCredentials, EndpointFromEnvironmentAndV1Fallback) {
  LoopbackHttpServer server([](const ReceivedRequest& req) { return Imds(req, false); });
  auto transport = MetadataTransport();
  InstanceProfileCredentialsProvider v1(*transport, {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url()}});
  ASSERT_OK(v1.Get());
  InstanceProfileCredentialsProvider v1_off(
      *transport, {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url()}, {"AWS_EC2_METADATA_V1_DISABLED", "true"}});
  EXPECT_EQ(v1_off.Get().status().code(), StatusCode::kUnavailable);
}

TEST(InstanceProfileCredentials, RefusedNoRoleAndUnreachable) {
  LoopbackHttpServer refusing([](const ReceivedRequest&) { return Reply{403, {}, ""}; });
  auto transport = MetadataTransport();
  ImdsOptions o;
  o.endpoint = refusing.url();
  EXPECT_EQ(InstanceProfileCredentialsProvider(*transport, {}, o).Get().status().code(), StatusCode::kUnauthenticated);

  LoopbackHttpServer no_role([](const ReceivedRequest& req) {
    if (req.method == "PUT") return Reply{200, {}, "t"};
    return Reply{404, {}, ""};
  });
  o.endpoint = no_role.url();
  auto none = InstanceProfileCredentialsProvider(*transport, {}, o).Get();
  EXPECT_EQ(none.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(none.status().message().find("no IAM role"), std::string::npos);

  uint16_t closed;
  {
    LoopbackHttpServer gone([](const ReceivedRequest&) { return Reply{}; });
    closed = gone.port();
  }
  o.endpoint = "http://127.0.0.1:" + std::to_string(closed);
  EXPECT_EQ(InstanceProfileCredentialsProvider(*transport, {}, o).Get().status().code(), StatusCode::kUnavailable);
}

TEST(DefaultChain, FallsBackToImdsAndCachesUntilRefreshWindow) {
  LoopbackHttpServer server([](const ReceivedRequest& req) { return Imds(req, true); });
  FakeClock clock;  // 2023: the credentials expire in 2031
  auto chain = MakeDefaultCredentialsChain({{"HOME", "/nonexistent"}}, MetadataTransport(), clock,
                                           "http://169.254.170.2", ImdsOptions{server.url()});
  for (int i = 0; i < 3; ++i) {
    auto c = chain->Get();
    ASSERT_OK(c);
    EXPECT_EQ(c->access_key_id, "ASIAMETA");
  }
  EXPECT_EQ(server.requests().size(), 3u);  // one fetch (token, role, credentials)
}

}  // namespace
}  // namespace ap::aws
