// AWS "standard" retry mode (AWS SDKs and Tools reference, "Retry behavior"): up to max_attempts attempts
// (default 3, AWS_MAX_ATTEMPTS), exponential backoff with full jitter, and a client-wide retry quota (token bucket)
// that stops retrying when most recent calls needed retries.
//
//   delay before retry k (k = 1 for the first retry) = min(rand[0,1) × base × 2^(k-1), max_backoff)
//   base = 1 s, max_backoff = 20 s (the standard mode in force today; the "2026" update, opt-in in the SDKs via
//   AWS_NEW_RETRIES_2026, lowers the transient base to 50 ms and changes the quota costs — set transient_base,
//   retry_cost, … in RetryOptions to get it).
//   retry quota: 500 tokens; a retry costs 5 (10 after a client-side timeout); a call that succeeds at once puts 1
//   back, one that succeeds after retries puts back what its last retry cost; an empty quota means "fail now".
//
// Thread safety: RetryStrategy and RetryQuota are safe from many threads (one mutex around the token count).
// Ownership: RetryStrategy keeps references to the Random and Sleeper, which must outlive it.
#pragma once

#include <functional>
#include <mutex>
#include <optional>

#include "aws/aws_error.h"
#include "aws/environment.h"
#include "aws/http_request.h"
#include "aws/sleeper.h"
#include "common/clock.h"
#include "common/mutex.h"
#include "common/random.h"
#include "common/status.h"

namespace ap::aws {

struct RetryOptions {
  int max_attempts = 3;                                // attempts in all, >= 1 (1 = no retries)
  Duration transient_base = std::chrono::seconds(1);   // backoff base for 5xx/connection/timeouts
  Duration throttling_base = std::chrono::seconds(1);  // backoff base for throttling errors
  Duration max_backoff = std::chrono::seconds(20);     // cap on one delay
  int quota_capacity = 500;                            // retry quota tokens (0 disables the quota)
  int retry_cost = 5;                                  // tokens one retry takes
  int timeout_retry_cost = 10;                         // … after a client-side timeout
  int no_retry_increment = 1;                          // tokens a first-attempt success returns
};

// `defaults` with max_attempts from AWS_MAX_ATTEMPTS when set. InvalidArgument when it is not an integer >= 1.
Result<RetryOptions> RetryOptionsFromEnvironment(const Environment& env, RetryOptions defaults = {});

class RetryQuota {
 public:
  explicit RetryQuota(const RetryOptions& options);
  // Takes the cost of one retry after an error of `kind`; false (nothing taken) when the quota cannot cover it.
  bool TryAcquire(RetryKind kind, int* cost);
  // Returns `amount` tokens (capped at the capacity).
  void Release(int amount);
  int available() const;

 private:
  const RetryOptions options_;
  mutable Mutex mu_;
  int available_ GUARDED_BY(mu_);
};

class RetryStrategy {
 public:
  // One attempt's outcome: `response` on success (2xx), otherwise `error`.
  struct Attempt {
    std::optional<HttpResponse> response;
    AwsError error;
  };

  RetryStrategy(RetryOptions options, Random& random, Sleeper& sleeper);

  // Calls attempt(n) for n = 1, 2, … until it returns a response, returns a non-retryable error, max_attempts is
  // reached or the retry quota is empty; sleeps the backoff between attempts. Returns the response, or
  // ToStatus(last error) (ResourceExhausted when still throttled, Unavailable / DeadlineExceeded after transient
  // failures, the error's own mapping otherwise). *last_error (when not null) gets the last error seen.
  Result<HttpResponse> Run(const std::function<Attempt(int attempt)>& attempt, AwsError* last_error = nullptr);

  // The jittered delay before retry number `retry` (1-based) after an error of `kind`.
  Duration Backoff(int retry, RetryKind kind);

  const RetryOptions& options() const { return options_; }
  RetryQuota& quota() { return quota_; }

 private:
  const RetryOptions options_;
  Random& random_ GUARDED_BY(random_mu_);
  Mutex random_mu_;  // Random implementations are not all thread-safe (FakeRandom)
  Sleeper& sleeper_;
  RetryQuota quota_;
};

}  // namespace ap::aws
