#include "common/encoding.h"

#include <sodium/utils.h>

namespace ap {
namespace {

// libsodium's codecs are constant-time and need no sodium_init(): they touch no random source or CPU dispatch.
std::string Base64With(std::span<const uint8_t> bytes, int variant) {
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');  // includes the terminating NUL
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.pop_back();
  return out;
}

}  // namespace

std::string HexEncode(std::span<const uint8_t> bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');  // + the terminating NUL sodium writes
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();
  return out;
}

std::optional<std::vector<uint8_t>> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  if (hex.empty()) return std::vector<uint8_t>{};  // libsodium's pointers must not be null (an empty vector's are)
  std::vector<uint8_t> out(hex.size() / 2);
  size_t len = 0;
  // No `ignore` characters and no end pointer: any non-hex character fails the whole decode.
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0) return std::nullopt;
  out.resize(len);
  return out;
}

std::string Base64Encode(std::span<const uint8_t> bytes) { return Base64With(bytes, sodium_base64_VARIANT_ORIGINAL); }
std::string Base64UrlEncode(std::span<const uint8_t> bytes) {
  return Base64With(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::optional<std::vector<uint8_t>> Base64Decode(std::string_view text) {
  // Padding is optional: drop it and decode unpadded, in whichever alphabet the text uses.
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  bool url_safe = text.find_first_of("-_") != std::string_view::npos;
  std::vector<uint8_t> out(text.size() * 3 / 4 + 1);
  size_t len = 0;
  if (sodium_base642bin(
          out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
          url_safe ? sodium_base64_VARIANT_URLSAFE_NO_PADDING : sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

}  // namespace ap
