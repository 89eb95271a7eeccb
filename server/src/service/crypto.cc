#include "service/crypto.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>

#include "common/encoding.h"

namespace ap::service {

Result<MasterKey> ParseMasterKey(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  MasterKey key{};
  if (text.size() == 2 * kMasterKeyBytes) {
    if (auto bytes = HexDecode(text)) {
      std::memcpy(key.data(), bytes->data(), kMasterKeyBytes);
      return key;
    }
  }
  if (auto bytes = Base64Decode(text); bytes && bytes->size() == kMasterKeyBytes) {
    std::memcpy(key.data(), bytes->data(), kMasterKeyBytes);
    return key;
  }
  return InvalidArgument("the master key must be 32 bytes, given as 64 hex characters or base64");
}

CredentialVault::CredentialVault(const MasterKey& key) : key_(key) {
  if (sodium_init() < 0) std::abort();
}

CredentialVault::~CredentialVault() { sodium_memzero(key_.data(), key_.size()); }

std::string CredentialVault::Seal(std::string_view plaintext, std::string_view associated, Random& random) const {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string out(kNonce + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* nonce = reinterpret_cast<uint8_t*>(out.data());
  random.Fill(std::span<uint8_t>(nonce, kNonce));
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + kNonce, &written, reinterpret_cast<const uint8_t*>(plaintext.data()), plaintext.size(),
      reinterpret_cast<const uint8_t*>(associated.data()), associated.size(), nullptr, nonce, key_.data());
  out.resize(kNonce + written);
  return out;
}

Result<std::string> CredentialVault::Open(std::string_view sealed, std::string_view associated) const {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (sealed.size() < kNonce + crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return Internal("credentials cannot be decrypted");
  const auto* nonce = reinterpret_cast<const uint8_t*>(sealed.data());
  std::string out(sealed.size() - kNonce - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<uint8_t*>(out.data()), &written, nullptr, nonce + kNonce, sealed.size() - kNonce,
          reinterpret_cast<const uint8_t*>(associated.data()), associated.size(), nonce, key_.data()) != 0) {
    return Internal("credentials cannot be decrypted");
  }
  out.resize(written);
  return out;
}

Result<std::string> HashPassword(std::string_view password, const PasswordHashOptions& options) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), options.ops_limit, options.mem_limit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("password hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  std::string copy(encoded);  // crypto_pwhash_str_verify wants a NUL-terminated string
  return crypto_pwhash_str_verify(copy.c_str(), password.data(), password.size()) == 0;
}

std::string Sha256Hex(std::string_view data) {
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const uint8_t*>(data.data()), data.size());
  return HexEncode(std::span<const uint8_t>(digest, sizeof digest));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace ap::service
