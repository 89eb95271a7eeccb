// Streamed response bodies (BodyStream) through the real Server on 127.0.0.1:0 (ctest label "integration").
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "common/random.h"
#include "common/thread_pool.h"
#include "http/server.h"
#include "status_matchers.h"
#include "test_client.h"

namespace ap::http {
namespace {
using std::chrono::milliseconds;
using testing::MakeRequest;
using testing::TestClient;

template <class F>
bool Eventually(F cond, milliseconds timeout = milliseconds(10000)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return cond();
}

// Sets a flag when destroyed: captured by a producer, it tells when the server let go of the stream.
struct DropFlag {
  explicit DropFlag(std::atomic<bool>* f) : flag(f) {}
  ~DropFlag() { flag->store(true); }
  std::atomic<bool>* flag;
};

class StreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pool_ = std::make_unique<ThreadPool>(2);
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 2;
    server_ = std::make_unique<Server>(
        options, [this](Request r, Responder done) { done(Handle(r)); }, random_);
    ASSERT_OK(server_->Start());
    port_ = server_->port();
    thread_ = std::thread([this] {
      server_->Run();
      run_returned_ = true;
    });
  }

  void TearDown() override {
    server_->Shutdown();
    ASSERT_TRUE(Eventually([&] { return run_returned_.load(); }, milliseconds(20000)));
    thread_.join();
    pool_.reset();  // finishes producer tasks, which post to the (stopped) event loop: before the server goes
    server_.reset();
  }

  // /api/pieces?n=N: N pieces "piece-i\n"; /api/fail-first, /api/unavailable-first: error on the first call;
  // /api/fail-third: two pieces then an error; /api/big: 1024 pieces of 64 KiB; /api/endless: never done.
  Response Handle(const Request& r) {
    auto body = std::make_shared<BodyStream>();
    body->run = [this](std::function<void()> task) { return pool_->TrySubmit(std::move(task), 64); };
    auto calls = std::make_shared<int>(0);
    auto drop = std::make_shared<DropFlag>(&dropped_);
    if (r.path == "/api/pieces") {
      int n = std::stoi(r.QueryParam("n"));
      body->next = [calls, n, drop](std::string* chunk, bool* done) {
        ++calls_total();
        *chunk = "piece-" + std::to_string((*calls)++) + "\n";
        *done = *calls == n;
        return Status();
      };
    } else if (r.path == "/api/fail-first" || r.path == "/api/unavailable-first") {
      bool unavailable = r.path == "/api/unavailable-first";
      body->next = [unavailable](std::string*, bool*) {
        return unavailable ? Unavailable("store busy") : Internal("secret detail");
      };
    } else if (r.path == "/api/fail-third") {
      body->next = [calls](std::string* chunk, bool*) {
        if ((*calls)++ == 2) return Internal("page 3 failed");
        *chunk = "row\n";
        return Status();
      };
    } else if (r.path == "/api/big" || r.path == "/api/endless") {
      bool endless = r.path == "/api/endless";
      body->next = [this, calls, endless, drop](std::string* chunk, bool* done) {
        ++calls_total();
        chunk->assign(size_t{64} * 1024, static_cast<char>('a' + *calls % 26));
        produced_ += chunk->size();
        lead_max_ = std::max<int64_t>(lead_max_.load(), produced_.load() - consumed_.load());
        *done = !endless && ++*calls == 1024;
        if (endless) ++*calls;
        return Status();
      };
    } else {
      return ErrorResponse(404, "not_found", "no", r.request_id);
    }
    Response resp;
    resp.content_type = "text/csv; charset=utf-8";
    resp.AddHeader("Content-Disposition", "attachment; filename=\"x.csv\"");
    resp.stream = std::move(body);
    return resp;
  }

  static std::atomic<int>& calls_total() {
    static std::atomic<int> n{0};
    return n;
  }

  FakeRandom random_{3};
  std::unique_ptr<ThreadPool> pool_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::atomic<bool> run_returned_{false};
  uint16_t port_ = 0;
  std::atomic<bool> dropped_{false};
  std::atomic<int64_t> produced_{0};
  std::atomic<int64_t> consumed_{0};
  std::atomic<int64_t> lead_max_{0};
};

TEST_F(StreamTest, SendsChunkedBodyAndKeepsTheConnection) {
  TestClient c(port_);
  auto r = c.RoundTrip(MakeRequest("GET", "/api/pieces?n=3"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("transfer-encoding"), "chunked");
  EXPECT_FALSE(r->Has("content-length"));
  EXPECT_EQ(r->Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r->Header("content-disposition"), "attachment; filename=\"x.csv\"");
  EXPECT_TRUE(r->complete);
  EXPECT_EQ(r->body, "piece-0\npiece-1\npiece-2\n");
  EXPECT_TRUE(Eventually([&] { return dropped_.load(); }));
  // Keep-alive: the next request on the same connection is served.
  r = c.RoundTrip(MakeRequest("GET", "/api/pieces?n=1"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "piece-0\n");
}

TEST_F(StreamTest, ErrorBeforeTheHeaderIsAStatus) {
  TestClient c(port_);
  auto r = c.RoundTrip(MakeRequest("GET", "/api/fail-first"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_NE(r->body.find("\"code\":\"internal\""), std::string::npos);
  EXPECT_EQ(r->body.find("secret"), std::string::npos);
  r = c.RoundTrip(MakeRequest("GET", "/api/unavailable-first"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
}

TEST_F(StreamTest, ErrorAfterTheHeaderTruncatesAndCloses) {
  TestClient c(port_);
  auto r = c.RoundTrip(MakeRequest("GET", "/api/fail-third"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);  // never a second status
  EXPECT_FALSE(r->complete);
  EXPECT_EQ(r->body, "row\nrow\n");
  EXPECT_TRUE(c.WaitForClose(milliseconds(5000)));
}

TEST_F(StreamTest, HeadSendsTheHeaderOnlyAndNeverProduces) {
  TestClient c(port_);
  int before = calls_total().load();
  auto r = c.RoundTrip(MakeRequest("HEAD", "/api/pieces?n=3"), /*head=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("transfer-encoding"), "chunked");
  EXPECT_EQ(calls_total().load(), before);
  r = c.RoundTrip(MakeRequest("GET", "/api/pieces?n=2"));  // nothing was left on the connection
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "piece-0\npiece-1\n");
}

TEST_F(StreamTest, Http10GetsAnUnframedBodyEndedByClose) {
  TestClient c(port_);
  ASSERT_TRUE(c.Send("GET /api/pieces?n=2 HTTP/1.0\r\n\r\n"));
  auto head = c.ReadHead();
  ASSERT_TRUE(head);
  EXPECT_FALSE(head->Has("transfer-encoding"));
  EXPECT_EQ(head->Header("connection"), "close");
  std::string body;
  while (c.ReadSome(&body, 1 << 16)) {
  }
  EXPECT_EQ(body, "piece-0\npiece-1\n");
}

TEST_F(StreamTest, LargeBodyIsProducedOnlyAsFastAsTheClientReads) {
  TestClient c(port_);
  ASSERT_TRUE(c.Send(MakeRequest("GET", "/api/big")));
  auto head = c.ReadHead();
  ASSERT_TRUE(head);
  std::string buf;
  // Read 1 MiB, then stop reading: the producer must stall once the socket buffers are full.
  while (consumed_.load() < (1 << 20)) {
    buf.clear();
    ASSERT_TRUE(c.ReadSome(&buf, 1 << 16));
    consumed_ += static_cast<int64_t>(buf.size());
  }
  int64_t last = -1;
  ASSERT_TRUE(Eventually([&] {
    int64_t now = produced_.load();
    bool stalled = now == last;
    last = now;
    if (!stalled) std::this_thread::sleep_for(milliseconds(100));
    return stalled;
  }));
  // 64 MiB in total, but never more than the socket buffers plus a piece ahead of the reader.
  EXPECT_LT(produced_.load() - consumed_.load(), int64_t{24} << 20);
  // The rest: 1024 chunks of "10000\r\n" + 64 KiB + "\r\n", then the last chunk "0\r\n\r\n".
  const int64_t framed = int64_t{1024} * (7 + 65536 + 2) + 5 + 0;
  while (consumed_.load() < framed) {
    buf.clear();
    ASSERT_TRUE(c.ReadSome(&buf, 1 << 16));
    consumed_ += static_cast<int64_t>(buf.size());
  }
  EXPECT_EQ(consumed_.load(), framed);
  EXPECT_EQ(buf.substr(buf.size() - 5), "0\r\n\r\n");
  EXPECT_EQ(produced_.load(), int64_t{64} << 20);
  EXPECT_LT(lead_max_.load(), int64_t{24} << 20);
  EXPECT_TRUE(Eventually([&] { return dropped_.load(); }));
}

TEST_F(StreamTest, ClientLeavingMidwayStopsTheProducer) {
  {
    TestClient c(port_);
    ASSERT_TRUE(c.Send(MakeRequest("GET", "/api/endless")));
    auto head = c.ReadHead();
    ASSERT_TRUE(head);
    std::string buf;
    ASSERT_TRUE(c.ReadSome(&buf, 1000));
    c.Close();  // unread data: the kernel answers the server's next writes with a reset
  }
  // The producer (endless) is destroyed, so it is never called again; it got at most the socket buffers' worth.
  ASSERT_TRUE(Eventually([&] { return dropped_.load(); }));
  EXPECT_LT(produced_.load(), int64_t{64} << 20);
}

}  // namespace
}  // namespace ap::http
