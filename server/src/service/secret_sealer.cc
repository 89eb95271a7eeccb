#include "service/secret_sealer.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace ap::service {
namespace {

constexpr std::string_view kMarker("APK\x01", 4);
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr char kStartupCheckAccount[] = "startup-check";

// The parts of a KMS envelope (views into the blob); false when `sealed` is not one.
struct Envelope {
  std::string_view key_arn;
  std::string_view encrypted_key;
  std::string_view vault_blob;  // nonce || ciphertext+tag: CredentialVault's format under the data key
};

bool ParseEnvelope(std::string_view sealed, Envelope* out) {
  if (!sealed.starts_with(kMarker)) return false;
  std::string_view rest = sealed.substr(kMarker.size());
  if (rest.empty()) return false;
  const size_t n = static_cast<uint8_t>(rest[0]);
  rest.remove_prefix(1);
  // An ARN ("arn:aws:kms:...") always; a random nonce that passed the marker almost never.
  if (n < 8 || rest.size() < n + 2 || !rest.starts_with("arn:")) return false;
  out->key_arn = rest.substr(0, n);
  rest.remove_prefix(n);
  const size_t m = (size_t{static_cast<uint8_t>(rest[0])} << 8) | static_cast<uint8_t>(rest[1]);
  rest.remove_prefix(2);
  if (m == 0 || rest.size() < m + kNonceBytes + kTagBytes) return false;
  out->encrypted_key = rest.substr(0, m);
  out->vault_blob = rest.substr(m);
  return true;
}

aws::EncryptionContext ContextOf(const std::string& account_id) { return {{"account_id", account_id}}; }

MasterKey KeyFrom(std::string_view bytes) {
  MasterKey k{};
  std::memcpy(k.data(), bytes.data(), std::min(bytes.size(), k.size()));
  return k;
}

void WipeString(std::string& s) {
  sodium_memzero(s.data(), s.size());
  s.clear();
}

}  // namespace

bool IsKmsEnvelope(std::string_view sealed) {
  Envelope e;
  return ParseEnvelope(sealed, &e);
}

std::string KmsEnvelopeKeyArn(std::string_view sealed) {
  Envelope e;
  return ParseEnvelope(sealed, &e) ? std::string(e.key_arn) : std::string();
}

// ---------------------------------------------------------------------------------------------------------------
// LocalSealer

Result<std::string> LocalSealer::Seal(std::string_view plaintext, const std::string& account_id) {
  return vault_.Seal(plaintext, account_id, random_);
}

Result<std::string> LocalSealer::Open(std::string_view sealed, const std::string& account_id) {
  if (IsKmsEnvelope(sealed))
    return Internal("credentials cannot be decrypted: they are sealed with KMS and no KMS key is configured");
  return vault_.Open(sealed, account_id);
}

// ---------------------------------------------------------------------------------------------------------------
// KmsSealer

KmsSealer::KmsSealer(aws::Kms& kms, std::string key_id, const Clock& clock, Random& random, KmsSealerOptions options)
    : kms_(kms), key_id_(std::move(key_id)), clock_(clock), random_(random), options_(options) {
  if (sodium_init() < 0) std::abort();
}

KmsSealer::~KmsSealer() {
  MutexLock lock(mu_);
  for (auto& [name, e] : generated_) Wipe(e);
  for (auto& [name, e] : decrypted_) Wipe(e);
}

void KmsSealer::Wipe(Entry& e) { sodium_memzero(e.key.data(), e.key.size()); }

void KmsSealer::MakeRoomLocked(Cache& cache, TimePoint now) {
  for (auto it = cache.begin(); it != cache.end();) {
    if (it->second.expires <= now) {
      Wipe(it->second);
      it = cache.erase(it);
    } else {
      ++it;
    }
  }
  while (!cache.empty() && cache.size() >= options_.max_cached_keys) {
    auto soonest = std::min_element(cache.begin(), cache.end(),
                                    [](const auto& a, const auto& b) { return a.second.expires < b.second.expires; });
    Wipe(soonest->second);
    cache.erase(soonest);
  }
}

Status KmsSealer::KmsError(const Status& s, std::string_view what) const {
  // Whatever KMS says on Seal (down, throttled, key disabled or not allowed), the request cannot be served now and
  // an operator may have to act; the AWS code stays in the message for the logs.
  return Unavailable("KMS key " + key_id_ + ": " + std::string(what) + ": " + s.message());
}

Result<std::string> KmsSealer::Seal(std::string_view plaintext, const std::string& account_id) {
  Entry use;
  bool hit = false;
  {
    MutexLock lock(mu_);
    auto it = generated_.find(account_id);
    if (it != generated_.end() && it->second.expires > clock_.Now()) {
      use = it->second;
      hit = true;
    }
  }
  if (!hit) {
    Result<aws::DataKey> made = kms_.GenerateDataKey(key_id_, ContextOf(account_id));
    if (!made.ok()) return KmsError(made.status(), "GenerateDataKey");
    if (made->plaintext.size() != use.key.size() || made->ciphertext_blob.empty() ||
        made->ciphertext_blob.size() > 0xffff || made->key_id.empty() || made->key_id.size() > 0xff) {
      WipeString(made->plaintext);
      return Internal("KMS key " + key_id_ + ": GenerateDataKey answered an unusable data key");
    }
    std::memcpy(use.key.data(), made->plaintext.data(), use.key.size());
    WipeString(made->plaintext);
    use.encrypted = std::move(made->ciphertext_blob);
    use.key_arn = std::move(made->key_id);
    const TimePoint now = clock_.Now();
    use.expires = now + options_.data_key_ttl;
    MutexLock lock(mu_);
    key_arn_ = use.key_arn;
    MakeRoomLocked(generated_, now);
    generated_[account_id] = use;
    // The account's next Open of what is sealed now needs no Decrypt.
    MakeRoomLocked(decrypted_, now);
    Entry opened;
    opened.key = use.key;
    opened.expires = use.expires;
    decrypted_[account_id + "\n" + use.encrypted] = opened;
    Wipe(opened);
  }
  MasterKey data_key = KeyFrom(std::string_view(reinterpret_cast<const char*>(use.key.data()), use.key.size()));
  Wipe(use);
  const CredentialVault vault(data_key);
  sodium_memzero(data_key.data(), data_key.size());
  std::string out;
  out.reserve(kMarker.size() + 1 + use.key_arn.size() + 2 + use.encrypted.size() + kNonceBytes + plaintext.size() +
              kTagBytes);
  out.append(kMarker);
  out.push_back(static_cast<char>(use.key_arn.size()));
  out.append(use.key_arn);
  out.push_back(static_cast<char>((use.encrypted.size() >> 8) & 0xff));
  out.push_back(static_cast<char>(use.encrypted.size() & 0xff));
  out.append(use.encrypted);
  out.append(vault.Seal(plaintext, account_id, random_));
  return out;
}

Result<std::string> KmsSealer::Open(std::string_view sealed, const std::string& account_id) {
  Envelope env;
  if (!ParseEnvelope(sealed, &env)) return Internal("credentials cannot be decrypted: not a KMS envelope");
  std::string cache_key = account_id;
  cache_key.push_back('\n');
  cache_key.append(env.encrypted_key);
  MasterKey data_key{};
  bool hit = false;
  {
    MutexLock lock(mu_);
    auto it = decrypted_.find(cache_key);
    if (it != decrypted_.end() && it->second.expires > clock_.Now()) {
      data_key = it->second.key;
      hit = true;
    }
  }
  if (!hit) {
    Result<std::string> plain =
        kms_.Decrypt(std::string(env.encrypted_key), ContextOf(account_id), std::string(env.key_arn));
    if (!plain.ok()) {
      // A ciphertext that does not open for this account (or under this key) is the data's fault, not KMS's.
      if (plain.status().code() == StatusCode::kInvalidArgument)
        return Internal("credentials cannot be decrypted: " + plain.status().message());
      return KmsError(plain.status(), "Decrypt");
    }
    if (plain->size() != data_key.size()) {
      WipeString(*plain);
      return Internal("credentials cannot be decrypted: KMS answered a data key of the wrong size");
    }
    data_key = KeyFrom(*plain);
    WipeString(*plain);
    const TimePoint now = clock_.Now();
    MutexLock lock(mu_);
    MakeRoomLocked(decrypted_, now);
    Entry e;
    e.key = data_key;
    e.expires = now + options_.data_key_ttl;
    decrypted_[std::move(cache_key)] = e;
    Wipe(e);
  }
  const CredentialVault vault(data_key);
  sodium_memzero(data_key.data(), data_key.size());
  return vault.Open(env.vault_blob, account_id);
}

bool KmsSealer::IsCurrent(std::string_view sealed) const {
  const std::string arn = KmsEnvelopeKeyArn(sealed);
  if (arn.empty()) return false;
  MutexLock lock(mu_);
  return arn == (key_arn_.empty() ? key_id_ : key_arn_);
}

Status KmsSealer::CheckRoundTrip() {
  Result<aws::DataKey> made = kms_.GenerateDataKey(key_id_, ContextOf(kStartupCheckAccount));
  if (!made.ok()) return made.status();
  Result<std::string> opened = kms_.Decrypt(made->ciphertext_blob, ContextOf(kStartupCheckAccount), made->key_id);
  const bool same = opened.ok() && *opened == made->plaintext;
  WipeString(made->plaintext);
  if (opened.ok()) WipeString(*opened);
  if (!opened.ok()) return opened.status();
  if (!same) return Internal("KMS Decrypt answered another data key than GenerateDataKey made");
  MutexLock lock(mu_);
  key_arn_ = made->key_id;
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------------------------
// DualSealer

Result<std::string> DualSealer::Open(std::string_view sealed, const std::string& account_id) {
  if (target_->Reads(sealed)) return target_->Open(sealed, account_id);
  if (other_ != nullptr && other_->Reads(sealed)) return other_->Open(sealed, account_id);
  return Internal(IsKmsEnvelope(sealed)
                      ? "credentials cannot be decrypted: they are sealed with KMS and no KMS key is configured"
                      : "credentials cannot be decrypted: they are sealed with the local master key, which is not "
                        "available (set AP_MASTER_KEY)");
}

}  // namespace ap::service
