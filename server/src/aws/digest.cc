#include "aws/digest.h"

#include <sodium.h>

#include "common/encoding.h"

namespace ap::aws {

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest out;
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return out;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

Sha256Digest HmacSha256(std::string_view key, std::string_view data) {
  // The streaming API takes keys of any length (SigV4's first key is "AWS4" + secret, 44+ bytes).
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  Sha256Digest out;
  crypto_auth_hmacsha256_final(&state, out.data());
  return out;
}

}  // namespace ap::aws
