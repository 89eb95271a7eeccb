// SqliteStore: quota history and fleet jobs.
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

Status SqliteStore::AppendQuotaHistory(const std::vector<domain::QuotaHistoryEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  for (const auto& e : entries) {
    if ((e.value && std::isnan(*e.value)) || (e.previous_value && std::isnan(*e.previous_value)))
      return InvalidArgument("history value of " + e.quota_code + " is NaN", "entries");
  }
  return Write("AppendQuotaHistory", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    const std::string sql = "INSERT INTO quota_history (" +
                            sqlite_internal::InsertColumns<domain::QuotaHistoryEntry>() + ") VALUES (" +
                            sqlite_internal::InsertPlaceholders<domain::QuotaHistoryEntry>() + ")";
    for (const auto& e : entries) {
      Stmt s = c.Prepare(sql);
      sqlite_internal::Bind(*s, e);
      s->exec();
    }
    txn.Commit();
    return Status::Ok();
  });
}

Result<std::vector<domain::QuotaHistoryEntry>> SqliteStore::ListQuotaHistory(const QuotaHistoryFilter& f) {
  if (f.limit < 1 || f.limit > 10000) return InvalidArgument("limit must be between 1 and 10000", "limit");
  if (f.account_id.empty() || f.region.empty()) return InvalidArgument("account_id and region are required");
  return Read("ListQuotaHistory", [&](Connection& c) -> Result<std::vector<domain::QuotaHistoryEntry>> {
    sqlite_internal::WhereClause where;
    where.Add("account_id = ?", {f.account_id});
    where.Add("region = ?", {f.region});
    if (!f.quota_codes.empty()) {
      std::string in = "quota_code IN (";
      std::vector<sqlite_internal::WhereClause::Arg> args;
      for (size_t i = 0; i < f.quota_codes.size(); ++i) {
        in += i ? ", ?" : "?";
        args.emplace_back(f.quota_codes[i]);
      }
      where.Add(in + ")", std::move(args));
    }
    // The newest `limit` entries, then put back in ascending order.
    Stmt s = c.Prepare("SELECT * FROM (SELECT " + sqlite_internal::SelectColumns<domain::QuotaHistoryEntry>() +
                       " FROM quota_history" + where.sql() +
                       " ORDER BY at_ms DESC, seq DESC LIMIT ?) "
                       "ORDER BY at_ms ASC, seq ASC");
    int next = where.Bind(*s);
    s->bind(next, f.limit);
    std::vector<domain::QuotaHistoryEntry> out;
    while (s->executeStep()) out.push_back(sqlite_internal::Read<domain::QuotaHistoryEntry>(*s));
    return out;
  });
}

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
