// Sort keys that start with a number (a time, a seq) for store/dynamodb: the number is written as 16 zero-padded
// decimal digits so that keys sort as strings in numeric order ("0000000000001000#a_1"). Private to this folder.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace ap::store::ddb {

// The largest number Padded can write (16 digits).
inline constexpr int64_t kMaxPadded = 9'999'999'999'999'999;

// `n` as 16 zero-padded decimal digits. REQUIRES: 0 <= n <= kMaxPadded (callers refuse other numbers first).
inline std::string Padded(int64_t n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016lld", static_cast<long long>(n));
  return buf;
}

// True for 0 <= n <= kMaxPadded.
inline bool Paddable(int64_t n) { return n >= 0 && n <= kMaxPadded; }

// True when `key` is 16 decimal digits, followed (with_rest) by '#' and at least one more character, or
// (!with_rest) by nothing: the keys Padded builds. Used to refuse cursors this store did not make.
inline bool IsPaddedKey(std::string_view key, bool with_rest) {
  if (key.size() < 16) return false;
  for (size_t i = 0; i < 16; ++i)
    if (key[i] < '0' || key[i] > '9') return false;
  if (!with_rest) return key.size() == 16;
  return key.size() > 17 && key[16] == '#';
}

}  // namespace ap::store::ddb
