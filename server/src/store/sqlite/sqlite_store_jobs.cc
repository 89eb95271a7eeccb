// SqliteStore: fleet jobs.
#include <cmath>
#include <string>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::ReadTransaction;
using sqlite_internal::Stmt;
using sqlite_internal::WriteTransaction;

Status SqliteStore::PutJob(const domain::Job& job) {
  return Write("PutJob", [&](Connection& c) -> Status {
    Stmt s = c.Prepare("INSERT OR REPLACE INTO jobs (" + sqlite_internal::InsertColumns<domain::Job>() + ") VALUES (" +
                       sqlite_internal::InsertPlaceholders<domain::Job>() + ")");
    sqlite_internal::Bind(*s, job);
    s->exec();
    return Status::Ok();
  });
}

Result<domain::Job> SqliteStore::GetJob(const std::string& job_id) {
  return Read("GetJob", [&](Connection& c) -> Result<domain::Job> {
    Stmt s = c.Prepare("SELECT " + sqlite_internal::SelectColumns<domain::Job>() + " FROM jobs WHERE job_id = ?1");
    s->bind(1, job_id);
    if (!s->executeStep()) return NotFound("job " + job_id + " not found");
    return sqlite_internal::Read<domain::Job>(*s);
  });
}

Result<std::vector<domain::Job>> SqliteStore::ListJobs(int64_t limit) {
  if (limit < 1 || limit > 1000) return InvalidArgument("limit must be between 1 and 1000", "limit");
  return Read("ListJobs", [&](Connection& c) -> Result<std::vector<domain::Job>> {
    Stmt s = c.Prepare("SELECT " + sqlite_internal::SelectColumns<domain::Job>() +
                       " FROM jobs ORDER BY created_at_ms DESC, job_id ASC LIMIT ?1");
    s->bind(1, limit);
    std::vector<domain::Job> out;
    while (s->executeStep()) out.push_back(sqlite_internal::Read<domain::Job>(*s));
    return out;
  });
}

}  // namespace ap::store
