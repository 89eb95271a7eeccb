#include "common/utf8.h"

#include <cstdint>

namespace ap {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the well-formed sequence starting at s[i], or 0 when it is ill-formed; then *bad is set to the
// length of its maximal subpart (at least 1), the bytes one U+FFFD replaces. Table 3-7 of the Unicode standard.
size_t SequenceLength(std::string_view s, size_t i, size_t* bad) {
  auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t c = b(i);
  if (c < 0x80) return 1;
  size_t need;
  uint8_t lo = 0x80, hi = 0xBF;  // range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    need = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    *bad = 1;  // 80–C1 (continuation or overlong lead) and F5–FF never start a sequence
    return 0;
  }
  for (size_t k = 1; k < need; ++k) {
    if (i + k >= s.size()) {
      *bad = k;
      return 0;
    }
    uint8_t x = b(i + k);
    uint8_t min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;
    if (x < min || x > max) {
      *bad = k;
      return 0;
    }
  }
  return need;
}

// Index of the first ill-formed byte, or s.size().
size_t FirstInvalid(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<uint8_t>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t bad = 0;
    size_t n = SequenceLength(s, i, &bad);
    if (n == 0) return i;
    i += n;
  }
  return s.size();
}

}  // namespace

bool IsValidUtf8(std::string_view s) { return FirstInvalid(s) == s.size(); }

void AppendValidUtf8(std::string* out, std::string_view s) {
  size_t i = FirstInvalid(s);
  out->append(s.substr(0, i));
  while (i < s.size()) {
    size_t bad = 0;
    size_t n = SequenceLength(s, i, &bad);
    if (n == 0) {
      out->append(kReplacement);
      i += bad;
    } else {
      out->append(s.substr(i, n));
      i += n;
    }
  }
}

std::string ToValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  AppendValidUtf8(&out, s);
  return out;
}

std::string_view Utf8Prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  // Step back over continuation bytes to the start of the sequence the cut falls in, then keep that sequence
  // only if it ends before the cut.
  size_t start = end;
  while (start > 0 && (static_cast<uint8_t>(s[start]) & 0xC0) == 0x80 && end - start < 4) --start;
  return s.substr(0, start);
}

}  // namespace ap
