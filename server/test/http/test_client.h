// A small blocking HTTP/1.1 client over plain sockets for the server tests: it sends exactly the bytes a test
// wants (malformed or partial requests included) and parses Content-Length framed responses.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ap::http::testing {

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; a repeated header keeps its last value
  std::string body;
  // A chunked body: false when the connection ended before its last chunk (a truncated stream).
  bool complete = true;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool Has(const std::string& lower_name) const { return headers.count(lower_name) > 0; }
};

class TestClient {
 public:
  // Connects to 127.0.0.1:port; connected() tells whether it worked. Reads and writes time out after 5 s so that
  // a broken server fails a test instead of hanging it.
  explicit TestClient(uint16_t port);
  // Connects from the local address `source_ip` (e.g. "127.0.0.2": any 127/8 address is loopback on Linux), so
  // that a test can speak as several client addresses.
  TestClient(uint16_t port, const char* source_ip);
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  bool connected() const { return fd_ >= 0; }

  // Sends all of `data`; false when the connection fails first (the server may close on purpose).
  bool Send(std::string_view data);
  // Reads one response. `head`: the request was HEAD, so no body follows. nullopt on EOF, error or timeout.
  std::optional<ClientResponse> Read(bool head = false);
  // Reads one response's status line and headers only (the body is left to ReadSome).
  std::optional<ClientResponse> ReadHead();
  // Appends up to `max` raw bytes (buffered first, then one recv) to *out; false on EOF/error/timeout.
  bool ReadSome(std::string* out, size_t max);
  // Sends `request` and reads its response.
  std::optional<ClientResponse> RoundTrip(std::string_view request, bool head = false);
  // True when the server closes the connection (EOF or reset) within `timeout`; data received meanwhile is
  // discarded.
  bool WaitForClose(std::chrono::milliseconds timeout);
  // Closes the connection (the server sees EOF).
  void Close();

 private:
  bool Fill();  // reads more into buffer_; false on EOF/error/timeout
  int fd_ = -1;
  std::string buffer_;
};

// "GET /path HTTP/1.1\r\nHost: test\r\n<extra>\r\n" with optional body (Content-Length added when non-empty).
std::string MakeRequest(std::string_view method, std::string_view target, std::string_view extra_headers = {},
                        std::string_view body = {});

// True when something is listening on 127.0.0.1:port.
bool CanConnect(uint16_t port);

}  // namespace ap::http::testing
