// Byte encodings shared by every module: hex, base64 (standard and url-safe), and percent-encoding helpers.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ap {

std::string HexEncode(std::span<const uint8_t> bytes);
inline std::string HexEncode(std::string_view bytes) {
  return HexEncode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}
// nullopt when `hex` has odd length or a non-hex character.
std::optional<std::vector<uint8_t>> HexDecode(std::string_view hex);

std::string Base64Encode(std::span<const uint8_t> bytes);
std::string Base64UrlEncode(std::span<const uint8_t> bytes);  // no padding
// Accepts standard base64 with or without padding; nullopt on any other character.
std::optional<std::vector<uint8_t>> Base64Decode(std::string_view text);

}  // namespace ap
