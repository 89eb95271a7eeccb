// A scripted fake of the AWS Account API for service and api unit tests (no sockets): GetContactInformation
// answers a fixed contact (SetCity changes it) or the error set by Fail(), counts its calls and can be held until
// Release() to test callers that arrive while a call is in flight.
#pragma once

#include <atomic>
#include <mutex>

#include "aws/clients.h"
#include "call_gate.h"

namespace ap::testing {

class FakeAccountApi : public aws::AccountApi {
 public:
  FakeAccountApi() {
    contact_.full_name = "Jane Doe";
    contact_.city = "Seattle";
    contact_.country_code = "US";
  }

  void SetCity(std::string city) {
    std::lock_guard lock(mu_);
    contact_.city = std::move(city);
  }
  void Fail(Status s) {
    std::lock_guard lock(mu_);
    error_ = std::move(s);
  }
  // While held, GetContactInformation blocks (after counting the call) until Release().
  void Hold() { gate_.Hold(); }
  void Release() { gate_.Release(); }
  // Blocks until `n` calls have started (for tests that must know a call is in flight).
  void WaitForCalls(int n) { gate_.WaitForCalls(n); }

  std::atomic<int> calls{0};

  Result<aws::ContactInformation> GetContactInformation(const aws::Credentials&, const std::string&) override {
    ++calls;
    gate_.Pass();
    std::lock_guard lock(mu_);
    if (!error_.ok()) return error_;
    return contact_;
  }
  Status PutContactInformation(const aws::Credentials&, const std::string&, const aws::ContactInformation&) override {
    return Unavailable("not scripted");
  }

 private:
  CallGate gate_;
  std::mutex mu_;  // guards the two below
  aws::ContactInformation contact_;
  Status error_;
};

}  // namespace ap::testing
