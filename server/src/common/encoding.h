// Byte encodings shared by every module: hex and base64 (standard and url-safe), on libsodium's constant-time
// codecs (they need no sodium_init()). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ap {

// Lower-case hex.
std::string HexEncode(std::span<const uint8_t> bytes);
inline std::string HexEncode(std::string_view bytes) {
  return HexEncode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}
// Accepts upper and lower case; nullopt when `hex` has odd length or a non-hex character.
std::optional<std::vector<uint8_t>> HexDecode(std::string_view hex);

std::string Base64Encode(std::span<const uint8_t> bytes);     // standard alphabet, padded
std::string Base64UrlEncode(std::span<const uint8_t> bytes);  // no padding
// Accepts base64 in the standard or the url-safe alphabet (not both in one text), with or without '=' padding;
// nullopt on any other character, a truncated final group, or non-zero unused bits in the last character.
std::optional<std::vector<uint8_t>> Base64Decode(std::string_view text);

}  // namespace ap
