// Migration 14: alert channels (store/alert_channel_store.h).
//
// One JSON document per channel (alert_channel_records.h) beside its version, as alert rules: channels are few
// (at most kMaxAlertChannels) and read whole, and nothing queries them by field. The sealed URL and secret are
// inside the document (base64), opaque to the store.
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration AlertChannelsMigration() {
  return {14, "alert channels", R"sql(
CREATE TABLE alert_channels (
  channel_id TEXT PRIMARY KEY NOT NULL,
  version    INTEGER NOT NULL,
  doc        TEXT NOT NULL
);
)sql"};
}

}  // namespace ap::store::sqlite_internal
