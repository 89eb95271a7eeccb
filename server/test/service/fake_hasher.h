// FakeHasher: a PasswordHasher for tests that counts verifications and can hold them at a gate, so that tests
// can assert "one verification per login" and fill the hash pool's queue without sleeps. Its "hash" of p is
// "fake:" + p.
//
// Thread safety: safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "call_gate.h"
#include "service/crypto.h"

namespace ap::testing {

class FakeHasher final : public service::PasswordHasher {
 public:
  Result<std::string> Hash(std::string_view password) override { return "fake:" + std::string(password); }
  bool Verify(std::string_view password, std::string_view encoded) override {
    gate_.Pass();
    return encoded == "fake:" + std::string(password);
  }

  int verifications() const { return gate_.calls(); }
  // Verifications wait at the gate until Open().
  void Close() { gate_.Hold(); }
  void Open() { gate_.Release(); }
  // Returns once `n` verifications have started (in total).
  void WaitForVerifications(int n) { gate_.WaitForCalls(n); }

 private:
  CallGate gate_;
};

}  // namespace ap::testing
