// Migration 10: installation settings (store/setting_store.h), one row per setting.
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration SettingsMigration() {
  return {10, "installation settings", R"sql(
CREATE TABLE settings (
  name  TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);
)sql"};
}

}  // namespace ap::store::sqlite_internal
