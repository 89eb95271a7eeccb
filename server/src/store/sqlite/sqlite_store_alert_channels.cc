// SqliteStore: alert channels (store/alert_channel_store.h), the table of migration 14 (migration_alert_channels.cc).
#include <string>
#include <utility>
#include <vector>

#include "store/alert_channel_records.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::Stmt;
using sqlite_internal::WriteTransaction;

Result<std::vector<StoredAlertChannel>> SqliteStore::ListAlertChannels() {
  return Read("ListAlertChannels", [&](Connection& c) -> Result<std::vector<StoredAlertChannel>> {
    Stmt s = c.Prepare("SELECT doc FROM alert_channels ORDER BY channel_id");
    std::vector<StoredAlertChannel> channels;
    while (s->executeStep()) {
      ASSIGN_OR_RETURN(StoredAlertChannel channel, AlertChannelFromJson(s->getColumn(0).getString()));
      channels.push_back(std::move(channel));
    }
    return channels;
  });
}

Result<StoredAlertChannel> SqliteStore::GetAlertChannel(const std::string& id) {
  return Read("GetAlertChannel", [&](Connection& c) -> Result<StoredAlertChannel> {
    Stmt s = c.Prepare("SELECT doc FROM alert_channels WHERE channel_id = ?1");
    s->bind(1, id);
    if (!s->executeStep()) return NotFound("alert channel " + id + " not found");
    return AlertChannelFromJson(s->getColumn(0).getString());
  });
}

Status SqliteStore::PutAlertChannel(const StoredAlertChannel& channel, int64_t expected_version) {
  RETURN_IF_ERROR(CheckAlertChannelWrite(channel, expected_version));
  return Write("PutAlertChannel", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    Stmt get = c.Prepare("SELECT version FROM alert_channels WHERE channel_id = ?1");
    get->bind(1, channel.id);
    const bool exists = get->executeStep();
    if (expected_version == 0) {
      if (exists) return AlreadyExists("alert channel " + channel.id + " already exists");
      // Bounded: the table never holds more than kMaxAlertChannels rows.
      Stmt count = c.Prepare("SELECT count(*) FROM alert_channels");
      count->executeStep();
      if (count->getColumn(0).getInt64() >= static_cast<int64_t>(kMaxAlertChannels))
        return FailedPrecondition("at most " + std::to_string(kMaxAlertChannels) + " alert channels");
    } else if (!exists || get->getColumn(0).getInt64() != expected_version) {
      return FailedPrecondition("alert channel " + channel.id + " is not at version " +
                                std::to_string(expected_version));
    }
    Stmt put = c.Prepare(
        "INSERT INTO alert_channels (channel_id, version, doc) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (channel_id) DO UPDATE SET version = excluded.version, doc = excluded.doc");
    put->bind(1, channel.id);
    put->bind(2, channel.version);
    put->bind(3, AlertChannelToJson(channel));
    put->exec();
    txn.Commit();
    return Status::Ok();
  });
}

Status SqliteStore::DeleteAlertChannel(const std::string& id, int64_t expected_version) {
  return Write("DeleteAlertChannel", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    Stmt get = c.Prepare("SELECT version FROM alert_channels WHERE channel_id = ?1");
    get->bind(1, id);
    if (!get->executeStep()) return NotFound("alert channel " + id + " not found");
    if (get->getColumn(0).getInt64() != expected_version)
      return FailedPrecondition("alert channel " + id + " is not at version " + std::to_string(expected_version));
    Stmt del = c.Prepare("DELETE FROM alert_channels WHERE channel_id = ?1");
    del->bind(1, id);
    del->exec();
    txn.Commit();
    return Status::Ok();
  });
}

}  // namespace ap::store
