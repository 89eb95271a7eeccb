#include "test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace ap::http::testing {
namespace {

int Connect(uint16_t port, const char* source_ip = nullptr) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (source_ip != nullptr) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    if (::inet_pton(AF_INET, source_ip, &local.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      ::close(fd);
      return -1;
    }
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace

TestClient::TestClient(uint16_t port) : fd_(Connect(port)) {}

TestClient::TestClient(uint16_t port, const char* source_ip) : fd_(Connect(port, source_ip)) {}

void TestClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

TestClient::~TestClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool TestClient::Send(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool TestClient::Fill() {
  char buf[16384];
  while (true) {
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<size_t>(n));
    return true;
  }
}

std::optional<ClientResponse> TestClient::ReadHead() {
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill()) return std::nullopt;
  }
  std::string head_block = buffer_.substr(0, end + 2);
  buffer_.erase(0, end + 4);

  ClientResponse r;
  size_t line_end = head_block.find("\r\n");
  std::string status_line = head_block.substr(0, line_end);
  if (status_line.size() < 12 || status_line.compare(0, 5, "HTTP/") != 0) return std::nullopt;
  r.status = std::atoi(status_line.c_str() + 9);
  size_t pos = line_end + 2;
  while (pos < head_block.size()) {
    size_t eol = head_block.find("\r\n", pos);
    std::string line = head_block.substr(pos, eol - pos);
    pos = eol + 2;
    size_t colon = line.find(':');
    if (colon == std::string::npos) return std::nullopt;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers[Lower(line.substr(0, colon))] = value;
  }
  return r;
}

bool TestClient::ReadSome(std::string* out, size_t max) {
  if (buffer_.empty() && !Fill()) return false;
  size_t n = std::min(max, buffer_.size());
  out->append(buffer_, 0, n);
  buffer_.erase(0, n);
  return true;
}

std::optional<ClientResponse> TestClient::Read(bool head) {
  std::optional<ClientResponse> parsed = ReadHead();
  if (!parsed) return std::nullopt;
  ClientResponse r = std::move(*parsed);
  bool no_body = head || r.status / 100 == 1 || r.status == 204 || r.status == 304;
  if (no_body) return r;
  if (Lower(r.Header("transfer-encoding")) == "chunked") {
    // size-line CRLF data CRLF ... 0 CRLF CRLF; EOF before the last chunk leaves complete = false.
    while (true) {
      size_t eol;
      while ((eol = buffer_.find("\r\n")) == std::string::npos) {
        if (!Fill()) {
          r.complete = false;
          return r;
        }
      }
      size_t size = std::strtoull(buffer_.substr(0, eol).c_str(), nullptr, 16);
      while (buffer_.size() < eol + 2 + size + 2) {
        if (!Fill()) {
          r.complete = false;
          return r;
        }
      }
      r.body.append(buffer_, eol + 2, size);
      buffer_.erase(0, eol + 2 + size + 2);
      if (size == 0) return r;
    }
  }
  if (!r.Has("content-length")) return std::nullopt;  // the server always frames with Content-Length
  size_t length = std::strtoull(r.Header("content-length").c_str(), nullptr, 10);
  while (buffer_.size() < length) {
    if (!Fill()) return std::nullopt;
  }
  r.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return r;
}

std::optional<ClientResponse> TestClient::RoundTrip(std::string_view request, bool head) {
  if (!Send(request)) return std::nullopt;
  return Read(head);
}

bool TestClient::WaitForClose(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) return false;
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n == 0) return true;
    if (n < 0 && errno != EINTR && errno != EAGAIN) return true;  // reset counts as closed
  }
}

std::string MakeRequest(std::string_view method, std::string_view target, std::string_view extra_headers,
                        std::string_view body) {
  std::string r;
  r.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: test\r\n");
  r.append(extra_headers);
  if (!body.empty()) r.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  r.append("\r\n");
  r.append(body);
  return r;
}

bool CanConnect(uint16_t port) {
  int fd = Connect(port);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

}  // namespace ap::http::testing
