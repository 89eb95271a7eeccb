#include "app/health_probe.h"

#include <gtest/gtest.h>

#include "aws/testing/fake_transport.h"
#include "status_matchers.h"

namespace ap::app {
namespace {

TEST(HealthUrlForListen, WildcardsProbeLoopback) {
  EXPECT_EQ(*HealthUrlForListen("0.0.0.0:8080"), "http://127.0.0.1:8080/health");
  EXPECT_EQ(*HealthUrlForListen(":8080"), "http://127.0.0.1:8080/health");
  EXPECT_EQ(*HealthUrlForListen("[::]:9000"), "http://[::1]:9000/health");
  EXPECT_EQ(*HealthUrlForListen("127.0.0.1:8080"), "http://127.0.0.1:8080/health");
  EXPECT_EQ(*HealthUrlForListen("[::1]:81"), "http://[::1]:81/health");
}

TEST(HealthUrlForListen, NoPortIsInvalid) {
  for (const char* listen : {"", "0.0.0.0", "host:", "host:http", "::1:80", "h:70000"}) {
    auto url = HealthUrlForListen(listen);
    ASSERT_FALSE(url.ok()) << listen;
    EXPECT_EQ(url.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(url.status().field(), "--listen");
  }
}

TEST(ProbeHealth, OkOnlyOn200) {
  aws::testing::FakeTransport transport;
  transport.PushResponse(200, R"({"status":"ok"})");
  EXPECT_OK(ProbeHealth(transport, "http://127.0.0.1:8080/health"));
  ASSERT_EQ(transport.requests().size(), 1u);
  const aws::HttpRequest sent = transport.requests()[0];
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.scheme, "http");
  EXPECT_EQ(sent.host, "127.0.0.1");
  EXPECT_EQ(sent.port, 8080);
  EXPECT_EQ(sent.path, "/health");

  transport.PushResponse(503, "draining");
  Status s = ProbeHealth(transport, "http://[::1]:81/health");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "GET http://[::1]:81/health: HTTP 503");
  EXPECT_EQ(transport.requests()[1].host, "::1");
}

TEST(ProbeHealth, TransportErrorsAreReturnedAsTheyAre) {
  aws::testing::FakeTransport transport;
  transport.PushError(Unavailable("connection refused calling GET http://127.0.0.1:1/health"));
  Status s = ProbeHealth(transport, "http://127.0.0.1:1/health");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "connection refused calling GET http://127.0.0.1:1/health");
}

TEST(ProbeHealth, DefaultPortsAndPaths) {
  aws::testing::FakeTransport transport;
  transport.PushResponse(200, "");
  transport.PushResponse(200, "");
  EXPECT_OK(ProbeHealth(transport, "https://platform.example.com"));
  EXPECT_OK(ProbeHealth(transport, "http://[::1]/health"));
  auto sent = transport.requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].scheme, "https");
  EXPECT_EQ(sent[0].host, "platform.example.com");
  EXPECT_EQ(sent[0].port, 0);
  EXPECT_EQ(sent[0].path, "/");
  EXPECT_EQ(sent[1].host, "::1");
  EXPECT_EQ(sent[1].port, 0);
}

TEST(ProbeHealth, MalformedUrlsAreInvalidArguments) {
  aws::testing::FakeTransport transport;
  for (const char* url : {"127.0.0.1:8080/health", "ftp://host/", "http:///health", "http://host:x/", "http://::1/"}) {
    Status s = ProbeHealth(transport, url);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << url;
    EXPECT_EQ(s.field(), "--url") << url;
  }
  EXPECT_TRUE(transport.requests().empty());
}

}  // namespace
}  // namespace ap::app
