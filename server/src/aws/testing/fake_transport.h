// FakeTransport: a scripted Transport for unit tests (no sockets). Responses and errors are queued and returned
// in order; when the queue is empty, an optional handler answers; otherwise Send() returns Internal. Every request
// is recorded (after signing, exactly as a real transport would have sent it).
//
// Thread safety: safe from many threads (one mutex). Header-only so that service/ tests can use it too.
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "aws/transport.h"
#include "common/mutex.h"

namespace ap::aws::testing {

class FakeTransport final : public Transport {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  void Push(Result<HttpResponse> next) {
    MutexLock lock(mu_);
    script_.push_back(std::move(next));
  }
  void PushResponse(int status, std::string body, HeaderList headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    Push(std::move(r));
  }
  void PushError(Status status) { Push(std::move(status)); }
  // Answers requests once the script is exhausted.
  void SetHandler(Handler handler) {
    MutexLock lock(mu_);
    handler_ = std::move(handler);
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    Handler handler;
    {
      MutexLock lock(mu_);
      requests_.push_back(request);
      if (!script_.empty()) {
        Result<HttpResponse> next = std::move(script_.front());
        script_.pop_front();
        return next;
      }
      handler = handler_;
    }
    if (handler) return handler(request);
    return Internal("FakeTransport: no scripted response for " + request.method + " " + request.Url());
  }

  std::vector<HttpRequest> requests() const {
    MutexLock lock(mu_);
    return requests_;
  }
  size_t request_count() const {
    MutexLock lock(mu_);
    return requests_.size();
  }
  size_t remaining() const {
    MutexLock lock(mu_);
    return script_.size();
  }

 private:
  mutable Mutex mu_;
  std::deque<Result<HttpResponse>> script_ GUARDED_BY(mu_);
  Handler handler_ GUARDED_BY(mu_);
  std::vector<HttpRequest> requests_ GUARDED_BY(mu_);
};

}  // namespace ap::aws::testing
