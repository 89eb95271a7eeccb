// Unicode case folding and the search terms of a name: the one definition of "case-insensitive" used to order
// and search accounts, so that every store backend orders and matches the same way.
//
// Folding is ICU's NFKC_Casefold: full case folding (ß → ss, final sigma → σ, ﬁ → fi), compatibility
// normalization (full-width Ａ → a) and removal of default-ignorable code points, with the default (not the
// Turkic) mappings: "I" → "i", "İ" (U+0130) → "i̇" (i + U+0307), dotless "ı" (U+0131) stays "ı". CJK text has no
// case and comes back unchanged (already NFKC). Ill-formed UTF-8 is folded best effort: each ill-formed sequence
// becomes U+FFFD first (as ToValidUtf8 does), so the result is always well-formed UTF-8.
//
// Thread safety: pure functions (ICU's normalizer singleton is thread-safe).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ap {

// `utf8` folded as described above. Two strings are equal ignoring case when their folds are equal; folded
// strings compare (byte-wise, which is code point order for UTF-8) in the order accounts are listed.
std::string FoldCase(std::string_view utf8);

// FoldCase(utf8) with every run of white space (Unicode White_Space) made one " " and none at either end:
// the form both a name's search terms and a search query take before they are compared.
std::string SearchKey(std::string_view utf8);

// The words of SearchKey(name): maximal runs of letters, digits and combining marks (Unicode alphanumerics and
// general category M); everything else (spaces, punctuation, symbols) separates words. "Prod-EU 2" → {"prod",
// "eu", "2"}. A run of CJK ideographs without separators is one word. In order of appearance, duplicates kept.
std::vector<std::string> SearchWords(std::string_view name);

// The search terms of a name: for each word of SearchWords(name), SearchKey(name) from the start of that word to
// the end ("Prod-EU 2" → {"prod-eu 2", "eu 2", "2"}), sorted and without duplicates. A query q matches the name
// when SearchKey(q) is a prefix of one of its terms: a word prefix ("eu"), or several words as they appear
// ("prod-eu", "eu 2").
std::vector<std::string> SearchTerms(std::string_view name);

// ---- Natural order of search terms ------------------------------------------------------------------------------
// Search results are ordered by the matched term, compared byte-wise (a store keeps terms as keys, and a query must
// select a contiguous key range per prefix). So that digit runs order as numbers ("bench-2" before "bench-10"),
// stores keep NaturalTermKey(term), not the term:
//  - every maximal run of ASCII digits becomes a length marker byte (0x01 + n - 1 for a run of n = 1..31 digits,
//    i.e. 0x01..0x1F) followed by the digits; a run longer than 31 is split into chunks of 31 (each with its
//    marker). So runs compare by digit count, then digit by digit: "2" < "10" < "100". Leading zeros count as
//    digits ("007" has three: "a8" < "a10" < "a007"; the list's CollationKey, which compares values, puts
//    "a007" before "a8": the two orders differ there). Runs longer than 31 digits compare chunk by chunk (not
//    numerically).
//  - every other byte is kept, so non-digit text (Latin, Han, ...) keeps its code point order (no pinyin order
//    inside a term), and a marker (< 0x20) sorts before any printable byte: digits still sort before letters.
//  - control bytes (< 0x20) cannot collide with markers: validated names never hold one
//    (domain::ValidateAccountName), account ids are digits, and NaturalTermKey turns any control byte of its input
//    into U+FFFD (EF BF BD), so a marker byte in a key is always a marker.
// The encoding is a prefix-preserving token map: the key of a term starts with the key of a prefix of it whose
// last digit run is complete (followed by a non-digit or the end of the term and not cut inside).
std::string NaturalTermKey(std::string_view term);

// The key prefixes a query matches: q = SearchKey(query) matches a term t (t starts with q) exactly when
// NaturalTermKey(t) starts with one of NaturalQueryPrefixes(q). Complete digit runs of q are encoded as above; a
// trailing digit run of k digits (it may be the start of a longer number) expands to one prefix per possible
// length of the term's run: with k = 31·c + r, the c full chunks, then for r > 0 marker(n) + the r digits for
// n = r..31 (31 - r + 1 prefixes); no trailing digits or r = 0: one prefix. So at most 31 prefixes, pairwise not
// prefixes of each other (their key ranges are disjoint), returned in byte order. A query holding a control byte
// (no term has one) or empty: no prefix (matches nothing).
std::vector<std::string> NaturalQueryPrefixes(std::string_view query_key);

// True when `key` starts with one of `prefixes`.
bool StartsWithAny(std::string_view key, const std::vector<std::string>& prefixes);

// Largest digit run one length marker covers.
inline constexpr size_t kMaxDigitRun = 31;

}  // namespace ap
