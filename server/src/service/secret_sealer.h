// SecretSealer: how an account's credentials are sealed before they reach the store, and opened again. The blob
// is bound to the account id: a blob copied to another account does not open.
//
// Two formats:
//  - local (LocalSealer): CredentialVault's blob under the master key — nonce (24) || XChaCha20-Poly1305
//    ciphertext+tag, the account id as associated data. Unchanged from before KMS, so existing stores open.
//  - KMS envelope (KmsSealer): a data key from AWS KMS GenerateDataKey (KeySpec AES_256, encryption context
//    {"account_id": <id>}) seals the secret with XChaCha20-Poly1305, the account id as associated data:
//      "APK" 0x01 | u8 n | key ARN (n bytes) | u16 m (big-endian) | encrypted data key (m bytes) | nonce (24) |
//      ciphertext+tag
//    Open calls KMS Decrypt with the same context and the ARN as KeyId. A local blob is told apart by the marker
//    and a consistent structure (a local blob's random nonce matches both by chance with odds below 2^-40).
// DualSealer seals with one and opens both, so that a store half-way through `secrets rewrap` keeps working.
//
// Thread safety: implementations are safe from any thread. Seal and Open of KmsSealer may block on KMS: never call
// them on an HTTP I/O thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "aws/clients.h"
#include "common/clock.h"
#include "common/mutex.h"
#include "common/random.h"
#include "common/status.h"
#include "service/crypto.h"

namespace ap::service {

class SecretSealer {
 public:
  virtual ~SecretSealer() = default;
  // The blob of `plaintext` bound to `account_id`. Unavailable when the key service cannot be used now (KMS
  // unreachable, throttled, the key disabled or not allowed): nothing should be stored then.
  virtual Result<std::string> Seal(std::string_view plaintext, const std::string& account_id) = 0;
  // The plaintext. Internal("credentials cannot be decrypted ...") when the blob was tampered with, belongs to
  // another account or key, or is in a format this sealer does not read; Unavailable when the key service cannot
  // be used now.
  virtual Result<std::string> Open(std::string_view sealed, const std::string& account_id) = 0;
  // True when this sealer reads the format of `sealed` (not whether it opens).
  virtual bool Reads(std::string_view sealed) const = 0;
  // True when `sealed` is already what Seal makes now: the same format and, for KMS, the same key (rewrap skips
  // those).
  virtual bool IsCurrent(std::string_view sealed) const = 0;
};

// True when `sealed` has the KMS envelope's marker and structure.
bool IsKmsEnvelope(std::string_view sealed);
// The KMS key ARN of a KMS envelope; empty for anything else.
std::string KmsEnvelopeKeyArn(std::string_view sealed);

// The local format, under the master key. Seal never fails. Reads every blob that is not a KMS envelope.
class LocalSealer final : public SecretSealer {
 public:
  // `random` is referenced (nonces) and must outlive the sealer.
  LocalSealer(const MasterKey& key, Random& random) : vault_(key), random_(random) {}
  Result<std::string> Seal(std::string_view plaintext, const std::string& account_id) override;
  Result<std::string> Open(std::string_view sealed, const std::string& account_id) override;
  bool Reads(std::string_view sealed) const override { return !IsKmsEnvelope(sealed); }
  bool IsCurrent(std::string_view sealed) const override { return !IsKmsEnvelope(sealed); }

 private:
  const CredentialVault vault_;
  Random& random_;
};

struct KmsSealerOptions {
  // How long a data key is kept in memory, both kinds (see KmsSealer). Default 5 min.
  Duration data_key_ttl = std::chrono::minutes(5);
  // At most this many data keys of each kind are kept; beyond, expired ones and then the soonest to expire go.
  // Default 1024 (64 KiB of keys).
  size_t max_cached_keys = 1024;
};

// The KMS envelope under the KMS key `key_id` (an id, key ARN or alias).
//
// Data keys are cached briefly, so that a burst of seals and opens costs few KMS calls: the data key generated
// for an account is reused for that account's seals for `data_key_ttl` after it was made; a decrypted data key is
// kept, by (account id, encrypted data key), for `data_key_ttl` after it was decrypted. Both caches hold at most
// `max_cached_keys` entries; keys are wiped (sodium_memzero) when they expire, are evicted, and on destruction.
// Stale by at most the TTL: a key disabled in KMS still opens and seals what is cached for up to `data_key_ttl`.
//
// Thread safety: safe from any thread (one mutex around the caches, never held during a KMS call). Ownership:
// references `kms`, `clock` and `random`, which must outlive it.
class KmsSealer final : public SecretSealer {
 public:
  KmsSealer(aws::Kms& kms, std::string key_id, const Clock& clock, Random& random, KmsSealerOptions options = {});
  ~KmsSealer() override;
  KmsSealer(const KmsSealer&) = delete;
  KmsSealer& operator=(const KmsSealer&) = delete;

  // Seal: GenerateDataKey (unless a cached data key of the account is still fresh), then XChaCha20-Poly1305.
  // Unavailable (message "KMS key <key_id>: <AWS code>: ...") when KMS refuses or cannot be reached.
  Result<std::string> Seal(std::string_view plaintext, const std::string& account_id) override;
  // Open: Decrypt of the envelope's data key (unless cached) with context {"account_id": account_id}.
  // Internal for a blob that is not an envelope, does not open for this account (KMS InvalidCiphertextException,
  // or the AEAD check), or names a key KMS does not know; Unavailable when KMS refuses or cannot be reached.
  Result<std::string> Open(std::string_view sealed, const std::string& account_id) override;
  bool Reads(std::string_view sealed) const override { return IsKmsEnvelope(sealed); }
  // An envelope made under the configured key: its ARN equals the one KMS reported for `key_id` (known after the
  // first GenerateDataKey, e.g. CheckRoundTrip), or equals `key_id` itself when that is an ARN.
  bool IsCurrent(std::string_view sealed) const override;

  // One GenerateDataKey and Decrypt with context {"account_id": "startup-check"}, bypassing the caches: OK when
  // the key can seal and open now. The KMS error otherwise (message starts with the AWS error code).
  Status CheckRoundTrip();

  const std::string& key_id() const { return key_id_; }

 private:
  using Key = std::array<uint8_t, 32>;
  struct Entry {
    Key key{};
    std::string encrypted;  // the encrypted data key (generated keys only)
    std::string key_arn;    // the KMS key that made it (generated keys only)
    TimePoint expires;
  };
  using Cache = std::map<std::string, Entry, std::less<>>;

  // Drops expired entries, then the soonest to expire until there is room for one more (wiping each).
  void MakeRoomLocked(Cache& cache, TimePoint now) REQUIRES(mu_);
  static void Wipe(Entry& e);
  Status KmsError(const Status& s, std::string_view what) const;

  aws::Kms& kms_;
  const std::string key_id_;
  const Clock& clock_;
  Random& random_;
  const KmsSealerOptions options_;
  mutable Mutex mu_;
  std::string key_arn_ GUARDED_BY(mu_);  // learned from GenerateDataKey
  Cache generated_ GUARDED_BY(mu_);      // by account id
  Cache decrypted_ GUARDED_BY(mu_);      // by account id + '\n' + encrypted data key
};

// Seals with `target`; opens with whichever of `target` and `other` reads the blob's format (`other` may be null:
// then only the target's format opens). IsCurrent is the target's.
//
// Thread safety: as its parts. Ownership: owns both.
class DualSealer final : public SecretSealer {
 public:
  DualSealer(std::unique_ptr<SecretSealer> target, std::unique_ptr<SecretSealer> other)
      : target_(std::move(target)), other_(std::move(other)) {}
  Result<std::string> Seal(std::string_view plaintext, const std::string& account_id) override {
    return target_->Seal(plaintext, account_id);
  }
  // Internal("credentials cannot be decrypted: ... sealed with <format> ...") when neither reads the format.
  Result<std::string> Open(std::string_view sealed, const std::string& account_id) override;
  bool Reads(std::string_view sealed) const override {
    return target_->Reads(sealed) || (other_ != nullptr && other_->Reads(sealed));
  }
  bool IsCurrent(std::string_view sealed) const override { return target_->IsCurrent(sealed); }

  SecretSealer& target() { return *target_; }

 private:
  std::unique_ptr<SecretSealer> target_;
  std::unique_ptr<SecretSealer> other_;
};

}  // namespace ap::service
