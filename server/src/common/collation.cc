#include "common/collation.h"

#include <unicode/ucol.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "common/text_fold.h"
#include "common/utf8.h"

namespace ap {
namespace {

struct CloseCollator {
  void operator()(UCollator* c) const { ucol_close(c); }
};
using CollatorPtr = std::unique_ptr<UCollator, CloseCollator>;

// The configured collator, opened once per process; nullptr when ICU's data is missing.
const UCollator* Prototype() {
  static const CollatorPtr kCollator = [] {
    UErrorCode err = U_ZERO_ERROR;
    CollatorPtr c(ucol_open("zh", &err));
    if (U_FAILURE(err) || c == nullptr) return CollatorPtr();
    const int32_t latin_first[] = {USCRIPT_LATIN};
    ucol_setReorderCodes(c.get(), latin_first, 1, &err);
    ucol_setAttribute(c.get(), UCOL_NUMERIC_COLLATION, UCOL_ON, &err);
    ucol_setAttribute(c.get(), UCOL_STRENGTH, UCOL_SECONDARY, &err);
    if (U_FAILURE(err)) return CollatorPtr();
    return c;
  }();
  return kCollator.get();
}

// This thread's clone of the prototype (nullptr when there is none).
UCollator* ThreadCollator() {
  thread_local const CollatorPtr kClone = []() -> CollatorPtr {
    const UCollator* proto = Prototype();
    if (proto == nullptr) return CollatorPtr();
    UErrorCode err = U_ZERO_ERROR;
    CollatorPtr c(ucol_clone(proto, &err));
    if (U_FAILURE(err)) return CollatorPtr();
    return c;
  }();
  return kClone.get();
}

std::string Hex(const uint8_t* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 0xF];
  }
  return out;
}

}  // namespace

std::string CollationKey(std::string_view utf8) {
  const icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(IsValidUtf8(utf8) ? std::string(utf8) : ToValidUtf8(utf8));
  UCollator* c = ThreadCollator();
  if (c == nullptr) {
    const std::string folded = FoldCase(utf8);
    const auto* p = reinterpret_cast<const uint8_t*>(folded.data());
    return Hex(p, std::min(folded.size(), kMaxCollationKeyBytes));
  }
  std::vector<uint8_t> key(64);
  int32_t n = ucol_getSortKey(c, text.getBuffer(), text.length(), key.data(), static_cast<int32_t>(key.size()));
  if (n > static_cast<int32_t>(key.size())) {
    key.resize(static_cast<size_t>(n));
    n = ucol_getSortKey(c, text.getBuffer(), text.length(), key.data(), static_cast<int32_t>(key.size()));
  }
  // n counts the terminating 0 byte, which no other byte of a sort key is: leave it out (it adds nothing to the
  // order).
  size_t len = n > 0 ? static_cast<size_t>(n) - 1 : 0;
  return Hex(key.data(), std::min(len, kMaxCollationKeyBytes));
}

int CompareNames(std::string_view a, std::string_view b) { return CollationKey(a).compare(CollationKey(b)); }

const std::string& CollationVersion() {
  static const std::string kVersion = [] {
    const UCollator* c = Prototype();
    if (c == nullptr) return std::string("1:fold");
    UVersionInfo v;
    ucol_getVersion(c, v);
    char buf[U_MAX_VERSION_STRING_LENGTH];
    u_versionToString(v, buf);
    return std::string("1:") + buf;
  }();
  return kVersion;
}

}  // namespace ap
