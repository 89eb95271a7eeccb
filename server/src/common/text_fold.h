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

}  // namespace ap
