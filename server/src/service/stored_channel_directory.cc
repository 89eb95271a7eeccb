#include "service/stored_channel_directory.h"

#include <string>
#include <utility>

namespace ap::service {

std::string ChannelSealBinding(std::string_view channel_id) { return "alert-channel:" + std::string(channel_id); }

Result<std::string> SealChannelSecret(SecretSealer& sealer, std::string_view plaintext, std::string_view channel_id) {
  if (plaintext.empty()) return std::string();
  return sealer.Seal(plaintext, ChannelSealBinding(channel_id));
}

Result<std::string> OpenChannelSecret(SecretSealer& sealer, std::string_view sealed, std::string_view channel_id) {
  if (sealed.empty()) return std::string();
  return sealer.Open(sealed, ChannelSealBinding(channel_id));
}

Result<domain::AlertChannel> OpenStoredChannel(SecretSealer& sealer, const store::StoredAlertChannel& stored) {
  domain::AlertChannel channel;
  channel.id = stored.id;
  channel.kind = stored.kind;
  channel.name = stored.name;
  channel.enabled = stored.enabled;
  channel.topic_arn = stored.topic_arn;
  channel.region = stored.region;
  ASSIGN_OR_RETURN(channel.url, OpenChannelSecret(sealer, stored.sealed_url, stored.id));
  ASSIGN_OR_RETURN(channel.secret, OpenChannelSecret(sealer, stored.sealed_secret, stored.id));
  return channel;
}

Result<domain::AlertChannel> StoredChannelDirectory::Get(const std::string& channel_id) {
  ASSIGN_OR_RETURN(store::StoredAlertChannel stored, store_.GetAlertChannel(channel_id));
  return OpenStoredChannel(sealer_, stored);
}

}  // namespace ap::service
