// AwsWorkAdmission: who may make this server's AWS workers wait, and how much. Client requests that run on
// the AWS worker pool (Route::blocking handlers) or start work there (on-demand quota refresh) must hold a
// Ticket for as long as they wait for or use a worker:
//   - at most `per_user` tickets per user at once: one user's flood is refused (ResourceExhausted → 429 with
//     Retry-After) instead of queueing ahead of everyone else's work;
//   - at most `total` tickets of all users at once, set below the number of workers so that some workers are
//     always left for refreshes and fleet jobs (Unavailable → 503 with Retry-After).
// The queue of the pool itself is bounded for client work too: the api submits with
// ThreadPool::TrySubmit(task, max_queued()) and answers 503 with Retry-After when it is full.
//
// The counts are per process: they share out this process's workers (each instance has its own pool).
//
// Thread safety: all methods are safe from any thread; a Ticket may be released on any thread.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/metrics.h"
#include "common/mutex.h"
#include "common/status.h"

namespace ap::service {

struct AwsWorkAdmissionOptions {
  // Requests of one user that may wait for or use AWS workers at once (beyond: 429). >= 1.
  size_t per_user = 8;
  // Requests of all users that may wait for or use AWS workers at once (beyond: 503). >= 1; keep it below the
  // number of workers so that server-initiated work (refreshes, fleet jobs) always finds some.
  size_t total = 64;
  // Tasks that may wait in the AWS worker queue when a client's blocking work is submitted (beyond: 503).
  size_t max_queued = 1024;
  // Seconds a refused client is told to wait (Retry-After).
  int retry_after_seconds = 1;
  // Counts refusals in ap_aws_work_refused_total{reason="user_share"|"busy"}; null: none.
  MetricsRegistry* metrics = nullptr;
};

class AwsWorkAdmission {
 public:
  // A claim on one of the user's (and the server's) places. Releases it when destroyed or on Release().
  // Move-only. REQUIRES: the AwsWorkAdmission outlives its tickets.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept;
    Ticket& operator=(Ticket&& other) noexcept;
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket() { Release(); }
    // Gives the place back (idempotent). Not to be called concurrently on one ticket.
    void Release();
    bool held() const { return owner_ != nullptr; }

   private:
    friend class AwsWorkAdmission;
    Ticket(AwsWorkAdmission* owner, std::string user) : owner_(owner), user_(std::move(user)) {}
    AwsWorkAdmission* owner_ = nullptr;
    std::string user_;
  };

  explicit AwsWorkAdmission(AwsWorkAdmissionOptions options = {});
  AwsWorkAdmission(const AwsWorkAdmission&) = delete;
  AwsWorkAdmission& operator=(const AwsWorkAdmission&) = delete;

  // A ticket for one request of `user` (a user id, or any stable key of an anonymous caller). ResourceExhausted
  // when `user` already holds per_user tickets; Unavailable when all users together hold `total`.
  Result<Ticket> Admit(const std::string& user);

  // Tickets held now, by everyone / by `user` (for tests and metrics).
  size_t in_flight() const;
  size_t in_flight(const std::string& user) const;

  const AwsWorkAdmissionOptions& options() const { return options_; }

 private:
  void Release(const std::string& user);

  const AwsWorkAdmissionOptions options_;
  Counter* refused_user_ = nullptr;
  Counter* refused_busy_ = nullptr;
  mutable Mutex mu_;
  size_t total_ GUARDED_BY(mu_) = 0;                                 // guarded by mu_
  std::unordered_map<std::string, size_t> by_user_ GUARDED_BY(mu_);  // users with tickets only; guarded by mu_
};

}  // namespace ap::service
