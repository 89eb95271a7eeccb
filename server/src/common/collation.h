// The order in which the server lists things by a human name: natural (runs of digits compare as numbers, so
// "bench-2" < "bench-10") and locale-aware (accents after their base letter, Chinese by pinyin), the same on every
// store backend because it is reduced to a key that compares byte-wise.
//
// The collator is ICU's "zh" collation (CLDR's default for Chinese is pinyin) with:
//  - scripts reordered to Latin first (CLDR's zh puts Han first; the UI is English and Chinese, and a mostly Latin
//    fleet reads better with Latin names first): digits/punctuation < Latin < Greek, Cyrillic … < Han (pinyin);
//  - UCOL_NUMERIC_COLLATION on: a run of decimal digits compares as its number ("Account 9" < "account 10");
//  - strength secondary: base letters and accents count, case does not ("Prod" and "prod" get the same key, and
//    sort next to each other; the tie is broken by the record id where a key is stored); punctuation and spaces
//    are not ignored ("bench-2" and "bench 2" differ).
// Root would order Latin the same but Han by radical-stroke, which nobody reading Chinese expects; "zh" gives
// pinyin (北京 bei < 上海 shang < 深圳 shen) and, with the reordering, the root order for everything else.
//
// Thread safety: pure functions. Each thread clones the collator once (ICU collators are not documented as safe
// to share between threads for writes of their internal buffers), so concurrent calls never share one.
#pragma once

#include <string>
#include <string_view>

namespace ap {

// The largest number of sort key bytes CollationKey keeps (it returns at most twice as many hex digits): bounds
// the store keys built from it (a DynamoDB sort key is at most 1024 bytes). Names whose sort keys share their first
// kMaxCollationKeyBytes bytes compare equal (the id then orders them); a 128-character name rarely gets there.
inline constexpr size_t kMaxCollationKeyBytes = 160;

// The collation key of `utf8` as lowercase hex: for any names a and b, CollationKey(a) < CollationKey(b)
// (byte-wise, i.e. std::string / SQLite BINARY / DynamoDB string order) only when a sorts before b as described
// above, and equal keys mean equal names at secondary strength (or a shared first kMaxCollationKeyBytes bytes).
// Ill-formed UTF-8 is repaired first (ToValidUtf8: each ill-formed sequence becomes U+FFFD). "" gets the smallest
// key ("01", ICU's level separator alone). If ICU cannot open the collator (missing data), falls back to hex of
// FoldCase(utf8), still a total order, and CollationVersion() says so.
std::string CollationKey(std::string_view utf8);

// Compares a and b in the order of CollationKey (negative, 0, positive), for lists sorted in memory.
int CompareNames(std::string_view a, std::string_view b);

// An identifier of the key function: "<scheme>:<ICU collator version>" (e.g. "1:153.120.42.0"). Keys made by
// binaries reporting different versions may order differently, so a store that persists keys records this and
// rebuilds its keys when it changes.
const std::string& CollationVersion();

}  // namespace ap
