#include "common/random.h"

#include <sodium.h>

#include <cstdlib>
#include <vector>

#include "common/encoding.h"

namespace ap {

std::string Random::HexString(size_t n) {
  std::vector<uint8_t> bytes(n);
  Fill(bytes);
  return HexEncode(bytes);
}

std::string Random::Base64UrlString(size_t n) {
  std::vector<uint8_t> bytes(n);
  Fill(bytes);
  return Base64UrlEncode(bytes);
}

SecureRandom::SecureRandom() {
  // sodium_init is idempotent and thread-safe; it fails only when the OS has no entropy source at all.
  if (sodium_init() < 0) std::abort();
}

void SecureRandom::Fill(std::span<uint8_t> out) { randombytes_buf(out.data(), out.size()); }

uint64_t SecureRandom::Uniform(uint64_t bound) {
  if (bound <= UINT32_MAX) return randombytes_uniform(static_cast<uint32_t>(bound));
  uint64_t v;
  randombytes_buf(&v, sizeof v);
  return v % bound;  // bias is negligible for the bounds we use (jitter in milliseconds)
}

uint64_t FakeRandom::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void FakeRandom::Fill(std::span<uint8_t> out) {
  for (auto& b : out) b = static_cast<uint8_t>(Next());
}

}  // namespace ap
