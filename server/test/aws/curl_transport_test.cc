// CurlTransport against a loopback HTTP server: connection reuse, timeouts, size limit, error mapping, headers.
#include "aws/curl_transport.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "child_process.h"
#include "loopback_http_server.h"
#include "status_matchers.h"

namespace ap::aws {
namespace {

using testing::LoopbackHttpServer;
using testing::Reply;

HttpRequest Get(const LoopbackHttpServer& server, std::string path = "/") {
  HttpRequest r;
  r.scheme = "http";
  r.host = "127.0.0.1";
  r.port = server.port();
  r.path = std::move(path);
  return r;
}

std::unique_ptr<CurlTransport> Make(CurlTransportOptions o = {}) {
  auto t = CurlTransport::Create(std::move(o));
  EXPECT_OK(t);
  return std::move(t).value();
}

TEST(CurlTransport, SendsHeadersAndBodyAndReadsResponse) {
  LoopbackHttpServer server([](const auto& req) {
    Reply r;
    r.status = 201;
    r.headers = {{"X-Amzn-RequestId", "abc"}, {"Content-Type", "application/json"}};
    r.body = "echo:" + req.body;
    return r;
  });
  auto t = Make();
  HttpRequest req = Get(server, "/getContactInformation");
  req.method = "POST";
  req.query = {{"a", "b c"}};
  req.headers = {{"Host", "127.0.0.1:" + std::to_string(server.port())}, {"X-Amz-Target", "Svc.Op"}, {"X-Empty", ""}};
  req.body = "{\"k\":1}";
  auto resp = t->Send(req);
  ASSERT_OK(resp);
  EXPECT_EQ(resp->status, 201);
  EXPECT_EQ(resp->body, "echo:{\"k\":1}");
  ASSERT_NE(resp->FindHeader("x-amzn-requestid"), nullptr);
  EXPECT_EQ(*resp->FindHeader("X-Amzn-RequestId"), "abc");
  auto got = server.requests().at(0);
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/getContactInformation?a=b%20c");
  EXPECT_EQ(got.headers["x-amz-target"], "Svc.Op");
  EXPECT_EQ(got.headers["host"], "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(got.headers.count("x-empty"), 1u);
  EXPECT_EQ(got.headers.count("expect"), 0u);
  EXPECT_EQ(got.headers.count("content-type"), 0u);  // libcurl's form default suppressed
}

TEST(CurlTransport, PutWithEmptyBodySendsContentLengthZero) {
  LoopbackHttpServer server([](const auto&) { return Reply{200, {}, "token"}; });
  auto t = Make();
  HttpRequest req = Get(server, "/latest/api/token");
  req.method = "PUT";
  auto resp = t->Send(req);
  ASSERT_OK(resp);
  EXPECT_EQ(server.requests().at(0).method, "PUT");
  EXPECT_EQ(server.requests().at(0).headers["content-length"], "0");
}

TEST(CurlTransport, ReusesConnections) {
  LoopbackHttpServer server([](const auto&) { return Reply{200, {}, "ok"}; });
  auto t = Make();
  for (int i = 0; i < 5; ++i) ASSERT_OK(t->Send(Get(server)));
  EXPECT_EQ(server.connections(), 1);

  CurlTransportOptions fresh;
  fresh.reuse_connections = false;
  auto t2 = Make(fresh);
  for (int i = 0; i < 5; ++i) ASSERT_OK(t2->Send(Get(server)));
  EXPECT_EQ(server.connections(), 6);
}

TEST(CurlTransport, TimesOutAsDeadlineExceeded) {
  LoopbackHttpServer server([](const auto&) {
    Reply r;
    r.hang = true;
    return r;
  });
  CurlTransportOptions o;
  o.total_timeout = std::chrono::milliseconds(300);
  auto t = Make(o);
  auto resp = t->Send(Get(server));
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), StatusCode::kDeadlineExceeded) << resp.status().ToString();
}

TEST(CurlTransport, ConnectionFailuresAreUnavailable) {
  uint16_t closed_port;
  {
    LoopbackHttpServer gone([](const auto&) { return Reply{}; });
    closed_port = gone.port();
  }
  auto t = Make();
  HttpRequest req;
  req.scheme = "http";
  req.host = "127.0.0.1";
  req.port = closed_port;
  auto refused = t->Send(req);
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable) << refused.status().ToString();

  LoopbackHttpServer closer([](const auto&) {
    Reply r;
    r.close = true;
    return r;
  });
  auto reset = t->Send(Get(closer));
  EXPECT_EQ(reset.status().code(), StatusCode::kUnavailable) << reset.status().ToString();
}

// TLS verification is on: a self-signed certificate (openssl s_server on loopback) is refused unless its CA is
// configured. Skipped when the openssl CLI is missing.
TEST(CurlTransport, VerifiesTlsCertificates) {
  if (std::system("openssl version > /dev/null 2>&1") != 0) GTEST_SKIP() << "openssl CLI not available";
  char dir_tmpl[] = "/tmp/aws-tls-XXXXXX";
  std::string dir = mkdtemp(dir_tmpl);
  std::string key = dir + "/key.pem";
  std::string cert = dir + "/cert.pem";
  std::string gen = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + key +
                    " -out " + cert + " -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 " +
                    "> /dev/null 2>&1";
  ASSERT_EQ(std::system(gen.c_str()), 0);
  testing::ChildProcess server;
  auto line =
      server.Start({"openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", cert, "-key", key, "-www"}, "ACCEPT");
  ASSERT_OK(line);
  uint16_t port = static_cast<uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));

  HttpRequest req;
  req.host = "127.0.0.1";
  req.port = port;
  auto untrusted = Make()->Send(req);
  EXPECT_EQ(untrusted.status().code(), StatusCode::kUnavailable) << untrusted.status().ToString();

  CurlTransportOptions trusted;
  trusted.ca_file = cert;
  auto ok = Make(trusted)->Send(req);
  ASSERT_OK(ok);
  EXPECT_EQ(ok->status, 200);
  std::filesystem::remove_all(dir);
}

TEST(CurlTransport, RefusesOversizedResponses) {
  LoopbackHttpServer server([](const auto& req) {
    Reply r;
    r.body = std::string(2 * 1024 * 1024, 'x');
    r.chunked = req.target == "/chunked";
    return r;
  });
  CurlTransportOptions o;
  o.max_response_bytes = 1024 * 1024;
  auto t = Make(o);
  auto with_length = t->Send(Get(server, "/"));
  EXPECT_EQ(with_length.status().code(), StatusCode::kInternal);
  EXPECT_NE(with_length.status().message().find("larger than"), std::string::npos);
  auto chunked = t->Send(Get(server, "/chunked"));
  EXPECT_EQ(chunked.status().code(), StatusCode::kInternal);
  EXPECT_NE(chunked.status().message().find("larger than"), std::string::npos) << chunked.status().ToString();
  // The handle is still usable afterwards.
  o.max_response_bytes = 10 * 1024 * 1024;
  EXPECT_OK(Make(o)->Send(Get(server, "/chunked")));
}

TEST(CurlTransport, RefusesPlainHttpToNonLoopbackAndHeaderInjection) {
  auto t = Make();
  HttpRequest req;
  req.scheme = "http";
  req.host = "10.1.2.3";
  EXPECT_EQ(t->Send(req).status().code(), StatusCode::kInvalidArgument);
  req.host = "127.0.0.1";
  req.port = 9;
  req.headers = {{"X-Bad", "a\r\nInjected: yes"}};
  EXPECT_EQ(t->Send(req).status().code(), StatusCode::kInvalidArgument);
}

TEST(CurlTransport, ConcurrentSendsFromManyThreads) {
  LoopbackHttpServer server([](const auto& req) { return Reply{200, {}, req.target}; });
  auto t = Make();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < 20; ++j) {
        auto r = t->Send(Get(server, "/t" + std::to_string(i)));
        ok += r.ok() && r->body == "/t" + std::to_string(i);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 160);
  EXPECT_LE(server.connections(), 8);
}

}  // namespace
}  // namespace ap::aws
