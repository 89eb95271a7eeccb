// StreamedResponse: the api's side of http::BodyStream (downloads produced on the blocking pool).
#include <atomic>
#include <memory>
#include <utility>

#include "api/api.h"

namespace ap::api {

http::Response StreamedResponse(Services& s, std::string content_type, std::string_view filename,
                                std::function<Status(std::string* chunk, bool* done)> next) {
  http::Response r;
  r.status = 200;
  r.content_type = std::move(content_type);
  r.AddHeader("Content-Disposition", "attachment; filename=\"" + std::string(filename) + "\"");
  r.AddHeader("Cache-Control", "no-store");
  auto body = std::make_shared<http::BodyStream>();
  body->next = std::move(next);
  if (ThreadPool* pool = s.blocking_pool) {
    size_t max_queued = s.aws_admission ? s.aws_admission->options().max_queued : SIZE_MAX;
    // Only the session calls `run`, one piece at a time, so a plain flag tells the first piece from the others.
    body->run = [pool, max_queued, first = std::make_shared<bool>(true)](std::function<void()> task) {
      if (*first) {
        *first = false;
        return pool->TrySubmit(std::move(task), max_queued);
      }
      pool->Submit(std::move(task));
      return true;
    };
  }
  r.stream = std::move(body);
  return r;
}

}  // namespace ap::api
