// AlertChannelStore: where alert notifications go (issue 13 §3 "Channels"; domain/alert_channel.h has the channel
// kinds and their rules).
//
// Secret material never reaches the store in the clear: the service seals a channel's URL (a Slack URL is its
// secret) and a webhook's signing secret with service::SecretSealer before it writes them, and the store keeps the
// sealed bytes as opaque strings (service/stored_channel_directory.h opens them). What answers may show is stored
// beside them in the clear: `url_shown` (a webhook's URL, a Slack URL masked).
//
// Records: one per channel, at most kMaxAlertChannels, read whole (the channel list is small and bounded; nothing
// queries channels by field). Each write is conditioned on the stored version (optimistic concurrency, as rules).
//
// Thread safety: safe to call concurrently from many threads.
// The contracts common to every store interface are in store/store.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/alert_channel.h"

namespace ap::store {

inline constexpr size_t kMaxAlertChannels = 100;

// One channel as stored. The domain channel (domain::AlertChannel) is this with `url` and `secret` opened.
struct StoredAlertChannel {
  std::string id;  // non-empty, no '|' (time-ordered, domain/ids.h, when the service makes it)
  domain::AlertChannelKind kind = domain::AlertChannelKind::kWebhook;
  std::string name;
  bool enabled = true;
  std::string url_shown;      // what answers show: a webhook's URL, a Slack URL masked; "" for sns
  std::string sealed_url;     // opaque (sealed by the service); "" for sns
  std::string sealed_secret;  // opaque; "" = no secret (slack and sns never have one)
  std::string topic_arn;      // sns only
  std::string region;         // sns only
  int64_t version = 0;        // 1 on create, +1 per write
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::string updated_by;

  bool operator==(const StoredAlertChannel&) const = default;
};

class AlertChannelStore {
 public:
  virtual ~AlertChannelStore() = default;

  // Every channel, sorted by id (at most kMaxAlertChannels).
  virtual Result<std::vector<StoredAlertChannel>> ListAlertChannels() = 0;
  // NotFound when no channel has this id.
  virtual Result<StoredAlertChannel> GetAlertChannel(const std::string& id) = 0;
  // Creates (expected_version 0: the id must be new, AlreadyExists otherwise) or replaces the channel only if its
  // stored version equals expected_version; channel.version must be expected_version + 1 (InvalidArgument
  // ("version") otherwise). FailedPrecondition on a version mismatch (also when replacing an absent channel), or
  // when creating a channel beyond kMaxAlertChannels. InvalidArgument("id") for an empty id or one containing '|',
  // ("name") for an empty name. The sealed strings are stored byte for byte (any bytes). Nothing changes on any
  // error. The cap is checked by a bounded count before the create: on DynamoDB creates racing each other may
  // pass it together (as PutAlertRule).
  virtual Status PutAlertChannel(const StoredAlertChannel& channel, int64_t expected_version) = 0;
  // Deletes the channel only if its version equals expected_version (FailedPrecondition otherwise, nothing
  // deleted). NotFound when no channel has this id. Rules that list the channel are not touched (the service
  // refuses to delete a channel a rule uses; a channel deleted anyway resolves as NotFound at delivery).
  virtual Status DeleteAlertChannel(const std::string& id, int64_t expected_version) = 0;
};

}  // namespace ap::store
