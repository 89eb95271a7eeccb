// StoredChannelDirectory: the AlertChannelDirectory (alert_evaluator.h) over the channel store
// (store/alert_channel_store.h) and the secret sealer: Get reads the stored channel and opens its sealed URL and
// webhook secret.
//
// Sealing: a channel's URL and secret are sealed with SecretSealer::Seal(plaintext, ChannelSealBinding(id)) — the
// binding plays the part an account id plays for credentials (KMS encryption context and associated data), so a
// sealed string copied to another channel (or to an account) does not open. SealChannelSecret /
// OpenChannelSecret are the one place that spells this; the alert service seals with them before it writes.
//
// Thread safety: safe from many threads (the store and the sealer are). Get may block on the store and, with KMS,
// on KMS Decrypt: call it on a worker thread, never an HTTP I/O thread.
// Ownership: references only; the store and the sealer must outlive the directory.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/alert_channel.h"
#include "service/alert_evaluator.h"
#include "service/secret_sealer.h"
#include "store/alert_channel_store.h"

namespace ap::service {

// "alert-channel:<id>": what a channel's sealed strings are bound to.
std::string ChannelSealBinding(std::string_view channel_id);
// Seal / Open of one of channel `channel_id`'s secret strings ("" stays "": nothing to seal or open). Errors as
// SecretSealer's (Unavailable when KMS cannot be used now; Internal when a blob does not open).
Result<std::string> SealChannelSecret(SecretSealer& sealer, std::string_view plaintext, std::string_view channel_id);
Result<std::string> OpenChannelSecret(SecretSealer& sealer, std::string_view sealed, std::string_view channel_id);

// The domain channel of a stored one, its URL and secret opened. Errors as OpenChannelSecret.
Result<domain::AlertChannel> OpenStoredChannel(SecretSealer& sealer, const store::StoredAlertChannel& stored);

class StoredChannelDirectory final : public AlertChannelDirectory {
 public:
  StoredChannelDirectory(store::AlertChannelStore& store, SecretSealer& sealer) : store_(store), sealer_(sealer) {}

  // The channel with this id, opened. NotFound when the store has none; the store's errors; Unavailable /
  // Internal when its sealed strings cannot be opened (OpenChannelSecret) — the delivery is then retried by the
  // sweeper (Unavailable) or recorded as failed.
  Result<domain::AlertChannel> Get(const std::string& channel_id) override;

 private:
  store::AlertChannelStore& store_;
  SecretSealer& sealer_;
};

}  // namespace ap::service
