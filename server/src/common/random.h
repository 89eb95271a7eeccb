// Random: the injected source of randomness (tokens, ids, jitter). Tests use a seeded FakeRandom so that
// "random" output is reproducible.
//
// Thread safety: SecureRandom is safe from any thread; FakeRandom is not (tests own one per thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace ap {

class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(std::span<uint8_t> out) = 0;
  // Uniform in [0, bound). REQUIRES: bound > 0.
  virtual uint64_t Uniform(uint64_t bound) = 0;

  // `n` random bytes, lower-case hex encoded (2n characters).
  std::string HexString(size_t n);
  // `n` random bytes, base64url without padding.
  std::string Base64UrlString(size_t n);
};

// Cryptographically secure (libsodium randombytes).
class SecureRandom final : public Random {
 public:
  SecureRandom();
  void Fill(std::span<uint8_t> out) override;
  uint64_t Uniform(uint64_t bound) override;
};

// Deterministic (splitmix64) — for tests only.
class FakeRandom final : public Random {
 public:
  explicit FakeRandom(uint64_t seed = 42) : state_(seed) {}
  void Fill(std::span<uint8_t> out) override;
  uint64_t Uniform(uint64_t bound) override { return Next() % bound; }

 private:
  uint64_t Next();
  uint64_t state_;
};

}  // namespace ap
