// What both AlertChannelStore backends share (alert_channel_store.h): the checks of a write and the JSON text a
// channel is stored as.
//
// Stored JSON: every field by name, the kind by its domain name, the sealed strings base64 (they are bytes).
// Unknown members are ignored (a newer writer's fields).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/alert_channel_store.h"

namespace ap::store {

// The checks of PutAlertChannel before anything is read: InvalidArgument("id") for an empty id or one with '|',
// ("name") for an empty name, ("version") unless channel.version == expected_version + 1 and
// expected_version >= 0.
Status CheckAlertChannelWrite(const StoredAlertChannel& channel, int64_t expected_version);

std::string AlertChannelToJson(const StoredAlertChannel& channel);
// Internal when `json` is not a channel this code wrote.
Result<StoredAlertChannel> AlertChannelFromJson(std::string_view json);

}  // namespace ap::store
