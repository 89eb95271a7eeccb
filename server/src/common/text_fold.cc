#include "common/text_fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>

#include "common/utf8.h"

namespace ap {
namespace {

bool IsWordChar(UChar32 c) { return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0; }

// Calls fn(start, end, is_word) for each code point of well-formed `s`, in order.
template <class Fn>
void ForEachCodePoint(std::string_view s, Fn&& fn) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < n) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(p, i, n, c);
    fn(static_cast<size_t>(start), static_cast<size_t>(i), c);
  }
}

}  // namespace

std::string FoldCase(std::string_view utf8) {
  // fromUTF8 would replace ill-formed sequences too, but ToValidUtf8 documents exactly how.
  std::string valid = IsValidUtf8(utf8) ? std::string(utf8) : ToValidUtf8(utf8);
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(err);
  if (U_FAILURE(err) || nfkc_cf == nullptr) return valid;  // ICU data missing: no folding rather than no text
  icu::UnicodeString folded = nfkc_cf->normalize(icu::UnicodeString::fromUTF8(valid), err);
  if (U_FAILURE(err)) return valid;
  std::string out;
  folded.toUTF8String(out);
  return out;
}

std::string SearchKey(std::string_view utf8) {
  const std::string folded = FoldCase(utf8);
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  ForEachCodePoint(folded, [&](size_t start, size_t end, UChar32 c) {
    if (u_isUWhiteSpace(c)) {
      pending_space = !out.empty();
      return;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out.append(folded, start, end - start);
  });
  return out;
}

namespace {

// The byte offsets in `key` where a word starts, and the words themselves.
void Words(const std::string& key, std::vector<size_t>* starts, std::vector<std::string>* words) {
  bool in_word = false;
  ForEachCodePoint(key, [&](size_t start, size_t end, UChar32 c) {
    const bool word = IsWordChar(c);
    if (word && !in_word) {
      if (starts) starts->push_back(start);
      if (words) words->emplace_back();
    }
    if (word && words) words->back().append(key, start, end - start);
    in_word = word;
  });
}

}  // namespace

std::vector<std::string> SearchWords(std::string_view name) {
  std::vector<std::string> words;
  Words(SearchKey(name), nullptr, &words);
  return words;
}

std::vector<std::string> SearchTerms(std::string_view name) {
  const std::string key = SearchKey(name);
  std::vector<size_t> starts;
  Words(key, &starts, nullptr);
  std::vector<std::string> terms;
  terms.reserve(starts.size());
  for (size_t s : starts) terms.push_back(key.substr(s));
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

namespace {

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsControl(char c) { return static_cast<unsigned char>(c) < 0x20; }
char Marker(size_t n) { return static_cast<char>(n); }  // 1..kMaxDigitRun -> 0x01..0x1F

// Appends the encoded digit run `digits` (non-empty).
void AppendRun(std::string_view digits, std::string* out) {
  while (!digits.empty()) {
    const size_t n = std::min(digits.size(), kMaxDigitRun);
    *out += Marker(n);
    out->append(digits.substr(0, n));
    digits.remove_prefix(n);
  }
}

}  // namespace

std::string NaturalTermKey(std::string_view term) {
  std::string out;
  out.reserve(term.size() + 4);
  size_t i = 0;
  while (i < term.size()) {
    if (IsAsciiDigit(term[i])) {
      size_t j = i;
      while (j < term.size() && IsAsciiDigit(term[j])) ++j;
      AppendRun(term.substr(i, j - i), &out);
      i = j;
    } else if (IsControl(term[i])) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out += term[i++];
    }
  }
  return out;
}

std::vector<std::string> NaturalQueryPrefixes(std::string_view query_key) {
  if (query_key.empty() || std::any_of(query_key.begin(), query_key.end(), IsControl)) return {};
  size_t tail = query_key.size();
  while (tail > 0 && IsAsciiDigit(query_key[tail - 1])) --tail;
  std::string_view digits = query_key.substr(tail);
  std::string base = NaturalTermKey(query_key.substr(0, tail));
  const size_t full = digits.size() / kMaxDigitRun * kMaxDigitRun;
  if (full > 0) AppendRun(digits.substr(0, full), &base);
  digits.remove_prefix(full);
  if (digits.empty()) return {base};
  std::vector<std::string> out;
  for (size_t n = digits.size(); n <= kMaxDigitRun; ++n) {
    std::string p = base;
    p += Marker(n);
    p.append(digits);
    out.push_back(std::move(p));
  }
  return out;  // markers grow with n, so the prefixes are in byte order
}

bool StartsWithAny(std::string_view key, const std::vector<std::string>& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return key.starts_with(p); });
}

}  // namespace ap
