// The real Server on 127.0.0.1:0, driven over loopback sockets (ctest label "integration").
#include "http/server.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "common/random.h"
#include "test_client.h"

namespace ap::http {
namespace {
namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::ClientResponse;
using testing::MakeRequest;
using testing::TestClient;

bool IsHex32(const std::string& s) {
  if (s.size() != 32) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Polls `cond` until it holds or `timeout` passes (no fixed sleeps in tests).
template <class F>
bool Eventually(F cond, milliseconds timeout = milliseconds(5000)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return cond();
}

class ServerTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (server_) StopServer();
    {
      std::lock_guard<std::mutex> lock(mu_);
      worker_stop_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
    if (!base_.empty()) fs::remove_all(base_);
  }

  void StartServer(ServerOptions options = {}, bool handle_signals = false) {
    options.listen = "127.0.0.1:0";
    if (options.threads == 0) options.threads = 2;
    server_ = std::make_unique<Server>(options, [this](Request r, Responder done) { Handle(std::move(r), done); },
                                       random_);
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
    port_ = server_->port();
    ASSERT_NE(port_, 0);
    if (handle_signals) server_->HandleSignals();
    run_returned_ = false;
    thread_ = std::thread([this] {
      server_->Run();
      run_returned_ = true;
    });
  }

  // Shuts down and joins; fails (instead of hanging) when Run() does not return in time.
  void StopServer() {
    server_->Shutdown();
    if (!Eventually([&] { return run_returned_.load(); }, milliseconds(20000))) {
      ADD_FAILURE() << "Run() did not return after Shutdown()";
      std::abort();
    }
    thread_.join();
    held_.reset();  // a Responder must not outlive the server
    server_.reset();
  }

  std::string MakeWebRoot() {
    char tmpl[] = "/tmp/ap_http_test_XXXXXX";
    EXPECT_NE(mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    fs::path root = base_ / "www";
    fs::create_directories(root / "assets");
    auto write = [](const fs::path& p, const std::string& s) { std::ofstream(p) << s; };
    write(root / "index.html", "<!doctype html><title>app</title>");
    write(root / "assets" / "app-1a2b.js", "console.log('app')");
    write(root / "assets" / "app-1a2b.js.gz", "GZIPPED");
    write(root / "assets" / "style-9f.css", "body{}");
    write(root / "logo.svg", "<svg/>");
    write(root / "manifest.webmanifest", "{}");
    write(base_ / "secret.txt", "TOP SECRET");
    fs::create_symlink(base_ / "secret.txt", root / "link.txt");
    return root.string();
  }

  // The application under test: behaviour chosen by path.
  void Handle(Request r, Responder done) {
    if (r.path == "/api/async") {
      std::lock_guard<std::mutex> lock(mu_);
      if (!worker_.joinable()) worker_ = std::thread([this] { Work(); });
      queue_.push_back({std::move(r), std::move(done)});
      cv_.notify_all();
      return;
    }
    if (r.path == "/api/throw") throw std::runtime_error("boom: secret detail");
    if (r.path == "/api/drop") return;
    if (r.path == "/api/hold") {
      held_ = std::make_unique<Responder>(std::move(done));
      held_promise_.set_value();
      return;
    }
    Response resp;
    if (r.path == "/api/items/7") {
      resp.route = "/api/items/{id}";
      resp.user_id = "u-1";
    }
    if (r.path == "/api/headers") {
      resp.AddHeader("Set-Cookie", "sid=1; HttpOnly");
      resp.AddHeader("X-Bad", "a\r\nInjected: 1");
      resp.AddHeader("Content-Length", "999");
    }
    resp.body = "{\"method\":\"" + r.method + "\",\"path\":\"" + r.path + "\",\"query\":\"" + r.query +
                "\",\"id\":\"" + r.request_id + "\",\"body\":" + std::to_string(r.body.size()) + "}";
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_request_id_ = r.request_id;
    }
    done(std::move(resp));
  }

  std::string LastRequestId() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_request_id_;
  }

  void Work() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      cv_.wait(lock, [&] { return worker_stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      auto [req, done] = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      Response resp;
      resp.body = "async " + req.path + " on worker";
      done(std::move(resp));
      lock.lock();
    }
  }

  FakeRandom random_{7};
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::atomic<bool> run_returned_{false};
  uint16_t port_ = 0;
  fs::path base_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<Request, Responder>> queue_;
  bool worker_stop_ = false;
  std::thread worker_;

  std::unique_ptr<Responder> held_;
  std::promise<void> held_promise_;
  std::string last_request_id_;
};

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  TestClient c(port_);
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 5; ++i) {
    auto r = c.RoundTrip(MakeRequest("GET", "/api/echo?i=" + std::to_string(i)));
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body.find("\"query\":\"i=" + std::to_string(i) + "\""), r->body.find("\"query\""));
    EXPECT_EQ(r->Header("server"), "account-platform");
    EXPECT_EQ(r->Header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r->Header("content-type"), "application/json");
    EXPECT_NE(r->Header("connection"), "close");
  }
  auto r = c.RoundTrip(MakeRequest("POST", "/api/echo", "Content-Type: application/json\r\n", "{\"a\":1}"));
  ASSERT_TRUE(r);
  EXPECT_NE(r->body.find("\"method\":\"POST\""), std::string::npos);
  EXPECT_NE(r->body.find("\"body\":7"), std::string::npos);

  // Pipelined: three requests in one write, three responses in order.
  ASSERT_TRUE(c.Send(MakeRequest("GET", "/api/a") + MakeRequest("GET", "/api/b") + MakeRequest("GET", "/api/c")));
  for (const char* p : {"/api/a", "/api/b", "/api/c"}) {
    auto pr = c.Read();
    ASSERT_TRUE(pr) << p;
    EXPECT_NE(pr->body.find(std::string("\"path\":\"") + p + "\""), std::string::npos) << pr->body;
  }
}

TEST_F(ServerTest, DecodesPathAndRoutesByPrefix) {
  StartServer();
  TestClient c(port_);
  auto r = c.RoundTrip(MakeRequest("GET", "/api/a%20b?x=%20"));
  ASSERT_TRUE(r);
  EXPECT_NE(r->body.find("\"path\":\"/api/a b\",\"query\":\"x=%20\""), std::string::npos) << r->body;
  r = c.RoundTrip(MakeRequest("GET", "/health"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  // No web root: everything that is not the application is 404.
  r = c.RoundTrip(MakeRequest("GET", "/healthz"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("\"code\":\"not_found\""), std::string::npos);
}

TEST_F(ServerTest, HandlerMayAnswerFromAnotherThread) {
  StartServer();
  TestClient c(port_);
  for (int i = 0; i < 3; ++i) {
    auto r = c.RoundTrip(MakeRequest("GET", "/api/async"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "async /api/async on worker");
    EXPECT_TRUE(IsHex32(r->Header("x-request-id")));
  }
}

TEST_F(ServerTest, EchoesValidRequestIdAndGeneratesOtherwise) {
  StartServer();
  TestClient c(port_);
  auto r = c.RoundTrip(MakeRequest("GET", "/api/echo", "X-Request-Id: client-42.a:b_c\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("x-request-id"), "client-42.a:b_c");
  EXPECT_EQ(LastRequestId(), "client-42.a:b_c");

  r = c.RoundTrip(MakeRequest("GET", "/api/echo"));
  ASSERT_TRUE(r);
  std::string first = r->Header("x-request-id");
  EXPECT_TRUE(IsHex32(first)) << first;
  EXPECT_EQ(LastRequestId(), first);

  r = c.RoundTrip(MakeRequest("GET", "/api/echo", "X-Request-Id: has space\r\n"));
  ASSERT_TRUE(r);
  EXPECT_TRUE(IsHex32(r->Header("x-request-id")));
  EXPECT_NE(r->Header("x-request-id"), first);

  r = c.RoundTrip(MakeRequest("GET", "/api/echo", "X-Request-Id: " + std::string(129, 'a') + "\r\n"));
  ASSERT_TRUE(r);
  EXPECT_TRUE(IsHex32(r->Header("x-request-id")));
}

TEST_F(ServerTest, RejectsOversizedBodyWith413) {
  StartServer();
  TestClient c(port_);
  std::string body(2 * 1024 * 1024, 'x');
  // The server answers as soon as it sees Content-Length and then drains, so the whole send completes.
  c.Send(MakeRequest("POST", "/api/echo", "X-Request-Id: big-1\r\n", body));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->Header("content-type"), "application/json");
  EXPECT_EQ(r->Header("connection"), "close");
  EXPECT_EQ(r->body,
            "{\"error\":{\"code\":\"payload_too_large\",\"message\":\"the request body is larger than 1048576 "
            "bytes\",\"request_id\":\"big-1\"}}");
  EXPECT_TRUE(c.WaitForClose(milliseconds(5000)));
}

TEST_F(ServerTest, RejectsOversizedChunkedBodyWith413) {
  StartServer();
  TestClient c(port_);
  ASSERT_TRUE(c.Send("POST /api/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
  std::string chunk = "10000\r\n" + std::string(0x10000, 'y') + "\r\n";
  for (int i = 0; i < 32; ++i) {
    if (!c.Send(chunk)) break;  // the server may stop reading once the limit trips
  }
  c.Send("0\r\n\r\n");
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(r->body.find("\"code\":\"payload_too_large\""), std::string::npos);
}

TEST_F(ServerTest, AcceptsBodyAtTheLimitAndHonoursExpectContinue) {
  StartServer();
  TestClient c(port_);
  std::string body(1024 * 1024, 'z');
  auto r = c.RoundTrip(MakeRequest("PUT", "/api/echo", "", body));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("\"body\":1048576"), std::string::npos);

  ASSERT_TRUE(c.Send("POST /api/echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"));
  auto cont = c.Read();
  ASSERT_TRUE(cont);
  EXPECT_EQ(cont->status, 100);
  r = c.RoundTrip("abc");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("\"body\":3"), std::string::npos);
}

TEST_F(ServerTest, RejectsHugeHeadersWith431) {
  StartServer();
  TestClient c(port_);
  auto r = c.RoundTrip(MakeRequest("GET", "/api/echo", "X-Big: " + std::string(20 * 1024, 'h') + "\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_NE(r->body.find("\"code\":\"headers_too_large\""), std::string::npos);
  EXPECT_TRUE(IsHex32(r->Header("x-request-id")));
  EXPECT_TRUE(c.WaitForClose(milliseconds(5000)));
}

TEST_F(ServerTest, RejectsMalformedRequestsWith400) {
  StartServer();
  for (std::string bad : {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/1.1\r\nNoColonHere\r\n\r\n"),
                          std::string("GET / HTTP/9.9\r\n\r\n")}) {
    TestClient c(port_);
    auto r = c.RoundTrip(bad);
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_EQ(r->Header("content-type"), "application/json");
    EXPECT_NE(r->body.find("\"code\":\"bad_request\""), std::string::npos);
    EXPECT_NE(r->body.find("\"request_id\":\"" + r->Header("x-request-id") + "\""), std::string::npos);
  }
  TestClient c(port_);
  auto r = c.RoundTrip(MakeRequest("GET", "/api/%zz"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  r = c.RoundTrip(MakeRequest("GET", "http://example.com/api/x"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST_F(ServerTest, DisconnectsSilentClientAfterHeaderTimeout) {
  ServerOptions o;
  o.header_timeout = seconds(1);
  StartServer(o);
  TestClient silent(port_);
  TestClient partial(port_);
  ASSERT_TRUE(partial.Send("GET /api/echo HTTP/1.1\r\nHost: t\r\n"));
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.WaitForClose(milliseconds(5000)));
  EXPECT_TRUE(partial.WaitForClose(milliseconds(5000)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(900));
}

TEST_F(ServerTest, ClosesIdleKeepAliveConnectionAfterIdleTimeout) {
  ServerOptions o;
  o.idle_timeout = seconds(1);
  StartServer(o);
  TestClient c(port_);
  ASSERT_TRUE(c.RoundTrip(MakeRequest("GET", "/api/echo")));
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.WaitForClose(milliseconds(5000)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(900));
}

TEST_F(ServerTest, HandlerThatThrowsOrDropsTheResponderYields500) {
  StartServer();
  TestClient c(port_);
  for (const char* path : {"/api/throw", "/api/drop"}) {
    auto r = c.RoundTrip(MakeRequest("GET", path, "X-Request-Id: r1\r\n"));
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 500);
    EXPECT_EQ(r->body, R"({"error":{"code":"internal","message":"internal server error","request_id":"r1"}})");
  }
  auto r = c.RoundTrip(MakeRequest("GET", "/api/echo"));  // the connection survives
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, DropsResponseHeadersThatCouldSplitTheResponse) {
  StartServer();
  TestClient c(port_);
  auto r = c.RoundTrip(MakeRequest("GET", "/api/headers"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("set-cookie"), "sid=1; HttpOnly");
  EXPECT_FALSE(r->Has("x-bad"));
  EXPECT_FALSE(r->Has("injected"));
  EXPECT_EQ(r->Header("content-length"), std::to_string(r->body.size()));
  ASSERT_TRUE(c.RoundTrip(MakeRequest("GET", "/api/echo")));
}

TEST_F(ServerTest, HeadToTheApplicationSendsNoBody) {
  StartServer();
  TestClient c(port_);
  auto r = c.RoundTrip(MakeRequest("HEAD", "/api/echo"), /*head=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->Header("content-length"), "0");
  r = c.RoundTrip(MakeRequest("GET", "/api/echo"));  // framing intact
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("\"method\":\"GET\""), std::string::npos);
}

TEST_F(ServerTest, Http10WithoutKeepAliveIsClosedAfterTheResponse) {
  StartServer();
  TestClient c(port_);
  auto r = c.RoundTrip("GET /api/echo HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(c.WaitForClose(milliseconds(5000)));
}

TEST_F(ServerTest, ServesStaticFilesWithTypesAndCachePolicy) {
  ServerOptions o;
  o.web_root = MakeWebRoot();
  StartServer(o);
  TestClient c(port_);
  struct Case {
    const char* path;
    const char* type;
    const char* cache;
  };
  for (const Case& k : {Case{"/assets/app-1a2b.js", "text/javascript; charset=utf-8",
                             "public, max-age=31536000, immutable"},
                        Case{"/assets/style-9f.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
                        Case{"/logo.svg", "image/svg+xml", "no-cache"},
                        Case{"/manifest.webmanifest", "application/manifest+json", "no-cache"},
                        Case{"/index.html", "text/html; charset=utf-8", "no-cache"}}) {
    auto r = c.RoundTrip(MakeRequest("GET", k.path));
    ASSERT_TRUE(r) << k.path;
    EXPECT_EQ(r->status, 200) << k.path;
    EXPECT_EQ(r->Header("content-type"), k.type) << k.path;
    EXPECT_EQ(r->Header("cache-control"), k.cache) << k.path;
    EXPECT_EQ(r->Header("x-content-type-options"), "nosniff");
    EXPECT_TRUE(IsHex32(r->Header("x-request-id")));
  }
}

TEST_F(ServerTest, FallsBackToIndexHtmlButNotForMissingAssets) {
  ServerOptions o;
  o.web_root = MakeWebRoot();
  StartServer(o);
  TestClient c(port_);
  for (const char* path : {"/", "/accounts/42", "/settings?tab=1", "/assets/"}) {
    auto r = c.RoundTrip(MakeRequest("GET", path));
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->body, "<!doctype html><title>app</title>") << path;
    EXPECT_EQ(r->Header("cache-control"), "no-cache") << path;
  }
  auto r = c.RoundTrip(MakeRequest("GET", "/assets/missing-123.js"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->Header("content-type"), "application/json");
  EXPECT_NE(r->body.find("\"code\":\"not_found\""), std::string::npos);
}

TEST_F(ServerTest, StaticPathsNeverEscapeTheRoot) {
  ServerOptions o;
  o.web_root = MakeWebRoot();
  StartServer(o);
  for (const char* target : {"/../etc/passwd", "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/etc/passwd",
                             "/assets/..%2f..%2fsecret.txt", "/assets/../../secret.txt", "/link.txt",
                             "/..%5csecret.txt", "/a%00b", "/assets/%2e%2e/%2e%2e/secret.txt"}) {
    TestClient c(port_);
    auto r = c.RoundTrip(MakeRequest("GET", target));
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 404) << target;
    EXPECT_EQ(r->body.find("TOP SECRET"), std::string::npos) << target;
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << target;
  }
}

TEST_F(ServerTest, StaticPathsAllowOnlyGetAndHead) {
  ServerOptions o;
  o.web_root = MakeWebRoot();
  StartServer(o);
  {
    TestClient c(port_);
    auto r = c.RoundTrip(MakeRequest("POST", "/index.html", "", "x=1"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 405);
    EXPECT_EQ(r->Header("allow"), "GET, HEAD");
    EXPECT_NE(r->body.find("\"code\":\"method_not_allowed\""), std::string::npos);
  }
  TestClient c(port_);
  auto r = c.RoundTrip(MakeRequest("HEAD", "/assets/app-1a2b.js"), /*head=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("content-length"), "18");
  r = c.RoundTrip(MakeRequest("GET", "/assets/app-1a2b.js"));  // framing intact after HEAD
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "console.log('app')");
}

TEST_F(ServerTest, ServesGzipSiblingAndNotModified) {
  ServerOptions o;
  o.web_root = MakeWebRoot();
  StartServer(o);
  TestClient c(port_);
  auto r = c.RoundTrip(MakeRequest("GET", "/assets/app-1a2b.js", "Accept-Encoding: gzip, deflate, br\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("content-encoding"), "gzip");
  EXPECT_EQ(r->Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(r->Header("vary"), "Accept-Encoding");
  EXPECT_EQ(r->body, "GZIPPED");

  r = c.RoundTrip(MakeRequest("GET", "/"));
  ASSERT_TRUE(r);
  std::string etag = r->Header("etag");
  ASSERT_FALSE(etag.empty());
  r = c.RoundTrip(MakeRequest("GET", "/", "If-None-Match: " + etag + "\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 304);
  EXPECT_EQ(r->body, "");
  r = c.RoundTrip(MakeRequest("GET", "/logo.svg"));  // framing intact after 304
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "<svg/>");
}

TEST_F(ServerTest, StartReportsPortInUseAndBadOptions) {
  StartServer();
  FakeRandom random;
  ServerOptions o;
  o.listen = "127.0.0.1:" + std::to_string(port_);
  Server second(o, [](Request, Responder done) { done(Response{}); }, random);
  Status s = second.Start();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "address 127.0.0.1:" + std::to_string(port_) + " is in use");
  second.Run();  // returns at once: not started

  ServerOptions bad;
  bad.listen = "not-an-address";
  EXPECT_EQ(Server(bad, nullptr, random).Start().code(), StatusCode::kInvalidArgument);
  ServerOptions no_root;
  no_root.listen = "127.0.0.1:0";
  no_root.web_root = "/nonexistent/web/root";
  EXPECT_EQ(Server(no_root, nullptr, random).Start().code(), StatusCode::kInvalidArgument);
}

TEST_F(ServerTest, ShutdownLetsInFlightRequestFinishAndClosesIdleConnections) {
  StartServer();
  TestClient idle(port_);
  ASSERT_TRUE(idle.RoundTrip(MakeRequest("GET", "/api/echo")));

  TestClient busy(port_);
  auto held = held_promise_.get_future();
  ASSERT_TRUE(busy.Send(MakeRequest("GET", "/api/hold")));
  ASSERT_EQ(held.wait_for(seconds(5)), std::future_status::ready);

  server_->Shutdown();
  EXPECT_TRUE(idle.WaitForClose(milliseconds(5000)));
  EXPECT_TRUE(Eventually([&] { return !testing::CanConnect(port_); }));
  EXPECT_FALSE(run_returned_.load());  // still waiting for the held request

  Response late;
  late.body = "finished late";
  (*held_)(std::move(late));
  auto r = busy.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "finished late");
  EXPECT_EQ(r->Header("connection"), "close");
  EXPECT_TRUE(busy.WaitForClose(milliseconds(5000)));
  EXPECT_TRUE(Eventually([&] { return run_returned_.load(); }));
}

TEST_F(ServerTest, ShutdownGiveUpOnStuckRequestsAfterGrace) {
  ServerOptions o;
  o.shutdown_grace = seconds(1);
  StartServer(o);
  TestClient busy(port_);
  auto held = held_promise_.get_future();
  ASSERT_TRUE(busy.Send(MakeRequest("GET", "/api/hold")));
  ASSERT_EQ(held.wait_for(seconds(5)), std::future_status::ready);
  auto start = std::chrono::steady_clock::now();
  server_->Shutdown();
  EXPECT_TRUE(Eventually([&] { return run_returned_.load(); }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(900));
}

TEST_F(ServerTest, SigtermShutsDownGracefully) {
  StartServer({}, /*handle_signals=*/true);
  TestClient idle(port_);
  ASSERT_TRUE(idle.RoundTrip(MakeRequest("GET", "/api/echo")));
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  EXPECT_TRUE(idle.WaitForClose(milliseconds(5000)));
  EXPECT_TRUE(Eventually([&] { return run_returned_.load(); }));
}

TEST_F(ServerTest, ClosesConnectionsBeyondMaxConnections) {
  ServerOptions o;
  o.max_connections = 1;
  StartServer(o);
  TestClient first(port_);
  ASSERT_TRUE(first.RoundTrip(MakeRequest("GET", "/api/echo")));
  TestClient second(port_);
  EXPECT_TRUE(second.WaitForClose(milliseconds(5000)));
  auto r = first.RoundTrip(MakeRequest("GET", "/api/echo"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, WritesOneAccessLogLinePerRequest) {
  StartServer();
  ::testing::internal::CaptureStderr();
  {
    TestClient c(port_);
    ASSERT_TRUE(c.RoundTrip(MakeRequest("GET", "/api/items/7", "X-Request-Id: log-1\r\n")));
    ASSERT_TRUE(c.RoundTrip(MakeRequest("GET", "/nothing-here", "X-Request-Id: log-2\r\n")));
  }
  StopServer();  // every line is written once Run() has returned
  std::string err = ::testing::internal::GetCapturedStderr();
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < err.size()) {
    size_t eol = err.find('\n', pos);
    std::string line = err.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    if (line.find("\"msg\":\"http_request\"") != std::string::npos) lines.push_back(line);
    if (eol == std::string::npos) break;
    pos = eol + 1;
  }
  ASSERT_EQ(lines.size(), 2u) << err;
  EXPECT_NE(lines[0].find("\"method\":\"GET\",\"route\":\"/api/items/{id}\",\"status\":200,\"duration_ms\":"),
            std::string::npos)
      << lines[0];
  EXPECT_NE(lines[0].find("\"request_id\":\"log-1\",\"user_id\":\"u-1\",\"remote_ip\":\"127.0.0.1\",\"bytes\":"),
            std::string::npos)
      << lines[0];
  EXPECT_NE(lines[1].find("\"route\":\"/nothing-here\",\"status\":404"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("\"request_id\":\"log-2\",\"user_id\":\"\""), std::string::npos) << lines[1];
}

}  // namespace
}  // namespace ap::http
