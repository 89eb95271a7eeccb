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

}  // namespace ap
