// The secrets wiring of app/: which SecretSealer (service/secret_sealer.h) seals account credentials — the local
// master key (`--secrets local`, the default) or a KMS key (`--secrets kms --kms-key-id K`) — and
// `account-platform secrets rewrap --to kms|local`, which moves the stored credentials from one to the other.
//
// Thread safety: the functions are safe from any thread. Ownership: see SecretsSetup.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "aws/aws_clients.h"
#include "aws/environment.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "service/crypto.h"
#include "service/secret_sealer.h"
#include "store/store.h"

namespace ap::app {

struct SecretsOptions {
  std::string mode = "local";  // "local" | "kms" (--secrets, AP_SECRETS)
  std::string kms_key_id;      // --kms-key-id, AP_KMS_KEY_ID: key id, key ARN or alias (required with kms)
  // Also open KMS envelopes in local mode without --kms-key-id (`secrets rewrap --to local`): Decrypt needs no
  // key id, the envelope names its key.
  bool read_kms = false;
  std::string master_key_env;  // AP_MASTER_KEY's value (empty when unset)
  std::string data_dir;        // where master.key is (or is created, local mode only)
};

// What seals the credentials, and what it calls. Members are destroyed sealer first. References the AwsClients,
// clock and random it was made with, which must outlive it.
struct SecretsSetup {
  std::unique_ptr<aws::Kms> kms;                  // null when KMS is not used
  std::unique_ptr<service::SecretSealer> sealer;  // seals with the configured target, opens both formats it can
  // The local master key when there is one (local mode always; kms mode when AP_MASTER_KEY is set or
  // <data-dir>/master.key exists — never created then): check the store's canary with it (master_key.h).
  std::optional<service::MasterKey> master_key;
  bool master_key_created = false;
};

// Builds the sealer:
//  - local: the master key (LoadOrCreateMasterKey: AP_MASTER_KEY, else <data-dir>/master.key, created on first
//    start); KMS envelopes also open when `kms_key_id` is set or `read_kms`.
//  - kms: a KmsSealer on `kms_key_id` in the region AWS_REGION (else AWS_DEFAULT_REGION) with the platform's own
//    credentials, checked by one GenerateDataKey + Decrypt round trip (context account_id "startup-check"); local
//    blobs also open when a master key exists (see SecretsSetup::master_key).
// Errors (one line each): InvalidArgument("--secrets") for another mode; InvalidArgument("--kms-key-id") when kms
// has no key id; InvalidArgument("AWS_REGION: ...") without a region; FailedPrecondition("KMS key K cannot seal
// credentials: <AWS code>: ...") when the round trip fails; the master key's errors (master_key.h).
Result<SecretsSetup> SetUpSecrets(const SecretsOptions& options, aws::AwsClients& aws, const aws::Environment& env,
                                  const Clock& clock, Random& random);

struct RewrapReport {
  int64_t rewrapped = 0;  // sealed anew for the target and stored
  int64_t already = 0;    // already in the target format (same KMS key), or without credentials
  int64_t failed = 0;     // could not be opened, sealed or stored (each named in a line of `out`)
  // The same for alert channels (their sealed URL and webhook secret: store/alert_channel_store.h).
  int64_t channels_rewrapped = 0;
  int64_t channels_already = 0;  // both strings already in the target format, or nothing sealed
  int64_t channels_failed = 0;
};

// Pages through every account (any status, `page_size` at a time); for each whose credentials `sealer` does not
// consider current (SecretSealer::IsCurrent), opens them (whichever format), seals them for the target and writes
// the account back with the version check; a concurrent change (FailedPrecondition) re-reads the account and
// tries again, `attempts` times in all. Writes a line per page and per failed account to `out`. Bumps the
// "accounts" epoch once when any was rewrapped, so that running servers drop their cached accounts. The store's
// error when a page cannot be listed; per-account failures only count (RewrapReport::failed).
// Then the alert channels (at most store::kMaxAlertChannels, read whole) the same way: each channel whose sealed
// URL or secret is not current is opened and sealed anew (bound to the channel, service/stored_channel_directory.h)
// and written back with its version check, retried on a concurrent change; one line for the channels, one per
// failed channel. The store's error when the channels cannot be listed.
Result<RewrapReport> RewrapSecrets(store::Store& store, service::SecretSealer& sealer, const Clock& clock,
                                   std::ostream& out, int attempts = 3, int64_t page_size = 100);

}  // namespace ap::app
