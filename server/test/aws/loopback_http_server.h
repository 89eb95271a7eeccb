// A tiny HTTP/1.1 server on 127.0.0.1:<ephemeral> for integration tests of the transport and the metadata
// credential providers. One thread accepts; each connection gets a thread that reads requests (keep-alive) and
// answers with the handler's Reply. Records every request and counts connections.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ap::aws::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;                          // path?query
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
};

struct Reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool chunked = false;  // send the body with chunked encoding (no Content-Length)
  bool hang = false;     // send nothing; wait until the client gives up
  bool close = false;    // close the connection without answering
};

class LoopbackHttpServer {
 public:
  using Handler = std::function<Reply(const ReceivedRequest&)>;

  explicit LoopbackHttpServer(Handler handler);
  ~LoopbackHttpServer();

  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_.load(); }
  std::vector<ReceivedRequest> requests() const;

 private:
  void AcceptLoop();
  void Serve(int fd);

  Handler handler_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<int> open_fds_;
  std::vector<ReceivedRequest> requests_;
};

}  // namespace ap::aws::testing
