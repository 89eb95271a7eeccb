// Secrets at rest and passwords: thin wrappers over libsodium with the product's contracts.
//
// CredentialVault seals an account's credentials with XChaCha20-Poly1305 (IETF AEAD) under the master key, with
// the account id as associated data, so a sealed blob copied to another account fails to open.
// Passwords are hashed with argon2id (crypto_pwhash_str). Session tokens are stored as SHA-256 hex.
//
// Thread safety: all functions and CredentialVault's const methods are safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/random.h"
#include "common/status.h"

namespace ap::service {

inline constexpr size_t kMasterKeyBytes = 32;
using MasterKey = std::array<uint8_t, kMasterKeyBytes>;

// Parses a master key given as 64 hex characters or as base64 of 32 bytes. InvalidArgument otherwise.
Result<MasterKey> ParseMasterKey(std::string_view text);

class CredentialVault {
 public:
  explicit CredentialVault(const MasterKey& key);
  ~CredentialVault();
  CredentialVault(const CredentialVault&) = delete;
  CredentialVault& operator=(const CredentialVault&) = delete;

  // nonce (24 bytes, from `random`) || ciphertext+tag. `associated` binds the blob to its owner (account id).
  std::string Seal(std::string_view plaintext, std::string_view associated, Random& random) const;
  // The plaintext; Internal("credentials cannot be decrypted") if the blob was tampered with, is bound to
  // another owner, or was sealed under another key.
  Result<std::string> Open(std::string_view sealed, std::string_view associated) const;

 private:
  MasterKey key_;
};

struct PasswordHashOptions {
  // argon2id cost; defaults follow OWASP's argon2id recommendation (2 passes, 19 MiB), which keeps a login's
  // memory spike small beside the server's working set.
  uint64_t ops_limit = 2;
  size_t mem_limit = size_t{19} * 1024 * 1024;
};

// argon2id encoded hash ("$argon2id$v=19$m=...") of `password`. Internal if libsodium runs out of memory.
Result<std::string> HashPassword(std::string_view password, const PasswordHashOptions& options);
// True when `password` matches `encoded`. False for a malformed hash.
bool VerifyPassword(std::string_view password, std::string_view encoded);

// The password-hash work of logins and user changes, behind an interface so that its cost can be moved off the
// I/O threads as a unit and tests can count and gate it.
//
// Thread safety: implementations are safe from any thread.
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  // An encoded hash of `password` (see HashPassword). Internal on failure.
  virtual Result<std::string> Hash(std::string_view password) = 0;
  // True when `password` matches `encoded` (see VerifyPassword). Costs one full hash whatever the outcome,
  // except for a malformed `encoded`.
  virtual bool Verify(std::string_view password, std::string_view encoded) = 0;
};

// PasswordHasher with argon2id at the given cost (HashPassword / VerifyPassword).
class Argon2idPasswordHasher final : public PasswordHasher {
 public:
  explicit Argon2idPasswordHasher(PasswordHashOptions options) : options_(options) {}
  Result<std::string> Hash(std::string_view password) override { return HashPassword(password, options_); }
  bool Verify(std::string_view password, std::string_view encoded) override {
    return VerifyPassword(password, encoded);
  }

 private:
  const PasswordHashOptions options_;
};

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Constant-time comparison of equal-length strings (false on differing lengths).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace ap::service
