// UTF-8 validation and repair: the one helper the edge uses so that every response body and log line is valid
// UTF-8 (strict JSON decoders such as `new TextDecoder('utf-8', {fatal: true})` reject anything else).
//
// "Valid" is RFC 3629 / Unicode well-formed UTF-8: no overlong forms, no surrogates (U+D800–U+DFFF), nothing
// above U+10FFFF, no truncated sequence. U+0000 is valid (JSON escapes it).
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace ap {

// True when `s` is well-formed UTF-8 (the empty string is).
bool IsValidUtf8(std::string_view s);

// `s` with every ill-formed sequence replaced by U+FFFD (EF BF BD), one replacement per maximal subpart of an
// ill-formed sequence (Unicode's "best practice", as WHATWG's decoder does): "a\xffb" → "a\uFFFDb",
// "\xe2\x82" (truncated) → one U+FFFD. Valid input is returned unchanged.
std::string ToValidUtf8(std::string_view s);

// Appends ToValidUtf8(s) to *out (no copy of `s` when it is valid).
void AppendValidUtf8(std::string* out, std::string_view s);

// The longest prefix of `s` of at most `max_bytes` bytes that does not end inside a multi-byte sequence. For
// truncating text that is already valid UTF-8 without making it invalid.
std::string_view Utf8Prefix(std::string_view s, size_t max_bytes);

}  // namespace ap
