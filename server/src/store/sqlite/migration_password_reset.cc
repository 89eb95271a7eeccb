// Migration 20: a user may be required to set a new password at their next login (an admin's forced reset,
// domain::User::must_change_password). Existing users are not.
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration PasswordResetMigration() {
  return {20, "forced password reset", R"sql(
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
)sql"};
}

}  // namespace ap::store::sqlite_internal
