// SqliteStore: installation settings (store/setting_store.h), the `settings` table of migration 10.
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::Stmt;

Result<std::string> SqliteStore::GetSetting(const std::string& name) {
  RETURN_IF_ERROR(CheckSetting(name, nullptr));
  return Read("GetSetting", [&](Connection& c) -> Result<std::string> {
    Stmt stmt = c.Prepare("SELECT value FROM settings WHERE name = ?1");
    stmt->bind(1, name);
    if (!stmt->executeStep()) return NotFound("setting " + name + " not found");
    return stmt->getColumn(0).getString();
  });
}

Status SqliteStore::PutSettingIfAbsent(const std::string& name, const std::string& value) {
  RETURN_IF_ERROR(CheckSetting(name, &value));
  return Write("PutSettingIfAbsent", [&](Connection& c) -> Status {
    Stmt insert = c.Prepare("INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING");
    insert->bind(1, name);
    insert->bind(2, value);
    if (insert->exec() == 0) return AlreadyExists("setting " + name + " exists");
    return Status::Ok();
  });
}

}  // namespace ap::store
