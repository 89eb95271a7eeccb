// Shared fixtures for the aws unit tests: a FakeTransport-backed caller with a fake clock, sleeper and random.
#pragma once

#include <memory>

#include "aws/aws_caller.h"
#include "aws/endpoints.h"
#include "aws/rate_limiter.h"
#include "aws/retry.h"
#include "aws/sigv4_signer.h"
#include "aws/testing/fake_sleeper.h"
#include "aws/testing/fake_transport.h"
#include "common/random.h"

namespace ap::aws::testing {

inline const Credentials kTestCreds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}};

struct CallerHarness {
  explicit CallerHarness(RetryOptions retry_options = {}, bool rate_limits = false)
      : signer(clock), endpoints(EndpointResolver::Create({}).value()), retry(retry_options, random, sleeper) {
    if (rate_limits) limiter = std::make_unique<RateLimiter>(clock, sleeper);
  }
  AwsCaller caller() { return AwsCaller(transport, signer, endpoints, retry, limiter.get()); }

  FakeClock clock;
  FakeSleeper sleeper{&clock};
  FakeRandom random{7};
  FakeTransport transport;
  SigV4Signer signer;
  EndpointResolver endpoints;
  RetryStrategy retry;
  std::unique_ptr<RateLimiter> limiter;
};

inline HeaderList JsonHeaders() {
  return {{"content-type", "application/x-amz-json-1.1"}, {"x-amzn-requestid", "rid"}};
}

}  // namespace ap::aws::testing
