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
using sqlite_internal::CorruptRow;
using sqlite_internal::DecodeList;
using sqlite_internal::EncodeList;
using sqlite_internal::ReadTransaction;
using sqlite_internal::Stmt;
using sqlite_internal::WriteTransaction;

namespace {

void BindOptionalDouble(SQLite::Statement& s, int index, const std::optional<double>& v) {
  if (v)
    s.bind(index, *v);
  else
    s.bind(index);
}

std::optional<double> ReadOptionalDouble(const SQLite::Statement& s, int index) {
  SQLite::Column c = s.getColumn(index);
  if (c.isNull()) return std::nullopt;
  return c.getDouble();
}

std::string EncodeItems(const std::vector<domain::JobItem>& items) {
  std::vector<std::string> encoded;
  encoded.reserve(items.size());
  for (const domain::JobItem& i : items) {
    encoded.push_back(EncodeList({i.account_id, i.region, i.outcome, std::to_string(i.values_ok),
                                  std::to_string(i.values_failed), i.error, std::to_string(i.finished_at_ms)}));
  }
  return EncodeList(encoded);
}

std::vector<domain::JobItem> DecodeItems(std::string_view text) {
  std::vector<domain::JobItem> items;
  for (const std::string& e : DecodeList(text)) {
    std::vector<std::string> f = DecodeList(e);
    if (f.size() != 7) throw CorruptRow("malformed job item");
    domain::JobItem i;
    i.account_id = f[0];
    i.region = f[1];
    i.outcome = f[2];
    try {
      i.values_ok = std::stoll(f[3]);
      i.values_failed = std::stoll(f[4]);
      i.finished_at_ms = std::stoll(f[6]);
    } catch (const std::exception&) {
      throw CorruptRow("malformed job item number");
    }
    i.error = f[5];
    items.push_back(std::move(i));
  }
  return items;
}

constexpr const char* kJobColumns =
    "job_id, kind, state, created_by, team_filter, region_filter, created_at_ms, updated_at_ms, finished_at_ms, items";

domain::Job ReadJob(const SQLite::Statement& s) {
  domain::Job j;
  j.job_id = s.getColumn(0).getString();
  j.kind = s.getColumn(1).getString();
  auto state = domain::ParseJobState(s.getColumn(2).getString());
  if (!state.ok()) throw CorruptRow("unknown job state");
  j.state = *state;
  j.created_by = s.getColumn(3).getString();
  j.team_filter = s.getColumn(4).getString();
  j.region_filter = s.getColumn(5).getString();
  j.created_at_ms = s.getColumn(6).getInt64();
  j.updated_at_ms = s.getColumn(7).getInt64();
  j.finished_at_ms = s.getColumn(8).getInt64();
  j.items = DecodeItems(s.getColumn(9).getString());
  return j;
}

}  // namespace

Status SqliteStore::AppendQuotaHistory(const std::vector<domain::QuotaHistoryEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  for (const auto& e : entries) {
    if ((e.value && std::isnan(*e.value)) || (e.previous_value && std::isnan(*e.previous_value)))
      return InvalidArgument("history value of " + e.quota_code + " is NaN", "entries");
  }
  return Write("AppendQuotaHistory", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    for (const auto& e : entries) {
      Stmt s = c.Prepare(
          "INSERT INTO quota_history (account_id, region, quota_code, at_ms, event, value, previous_value, state, "
          "is_default, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
      s->bind(1, e.account_id);
      s->bind(2, e.region);
      s->bind(3, e.quota_code);
      s->bind(4, e.at_ms);
      s->bind(5, std::string(domain::QuotaEventName(e.event)));
      BindOptionalDouble(*s, 6, e.value);
      BindOptionalDouble(*s, 7, e.previous_value);
      s->bind(8, std::string(domain::QuotaStateName(e.state)));
      s->bind(9, e.is_default ? 1 : 0);
      s->bind(10, e.reason);
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
    Stmt s = c.Prepare(
        "SELECT * FROM (SELECT seq, account_id, region, quota_code, at_ms, event, value, previous_value, state, "
        "is_default, reason FROM quota_history" +
        where.sql() +
        " ORDER BY at_ms DESC, seq DESC LIMIT ?) "
        "ORDER BY at_ms ASC, seq ASC");
    int next = where.Bind(*s);
    s->bind(next, f.limit);
    std::vector<domain::QuotaHistoryEntry> out;
    while (s->executeStep()) {
      domain::QuotaHistoryEntry e;
      e.seq = s->getColumn(0).getInt64();
      e.account_id = s->getColumn(1).getString();
      e.region = s->getColumn(2).getString();
      e.quota_code = s->getColumn(3).getString();
      e.at_ms = s->getColumn(4).getInt64();
      auto event = domain::ParseQuotaEvent(s->getColumn(5).getString());
      auto state = domain::ParseQuotaState(s->getColumn(8).getString());
      if (!event.ok() || !state.ok()) throw CorruptRow("unknown history event or state");
      e.event = *event;
      e.value = ReadOptionalDouble(*s, 6);
      e.previous_value = ReadOptionalDouble(*s, 7);
      e.state = *state;
      e.is_default = s->getColumn(9).getInt() != 0;
      e.reason = s->getColumn(10).getString();
      out.push_back(std::move(e));
    }
    return out;
  });
}

Status SqliteStore::PutJob(const domain::Job& job) {
  return Write("PutJob", [&](Connection& c) -> Status {
    Stmt s = c.Prepare(std::string("INSERT OR REPLACE INTO jobs (") + kJobColumns +
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    s->bind(1, job.job_id);
    s->bind(2, job.kind);
    s->bind(3, std::string(domain::JobStateName(job.state)));
    s->bind(4, job.created_by);
    s->bind(5, job.team_filter);
    s->bind(6, job.region_filter);
    s->bind(7, job.created_at_ms);
    s->bind(8, job.updated_at_ms);
    s->bind(9, job.finished_at_ms);
    s->bind(10, EncodeItems(job.items));
    s->exec();
    return Status::Ok();
  });
}

Result<domain::Job> SqliteStore::GetJob(const std::string& job_id) {
  return Read("GetJob", [&](Connection& c) -> Result<domain::Job> {
    Stmt s = c.Prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE job_id = ?1");
    s->bind(1, job_id);
    if (!s->executeStep()) return NotFound("job " + job_id + " not found");
    return ReadJob(*s);
  });
}

Result<std::vector<domain::Job>> SqliteStore::ListJobs(int64_t limit) {
  if (limit < 1 || limit > 1000) return InvalidArgument("limit must be between 1 and 1000", "limit");
  return Read("ListJobs", [&](Connection& c) -> Result<std::vector<domain::Job>> {
    Stmt s =
        c.Prepare(std::string("SELECT ") + kJobColumns + " FROM jobs ORDER BY created_at_ms DESC, job_id ASC LIMIT ?1");
    s->bind(1, limit);
    std::vector<domain::Job> out;
    while (s->executeStep()) out.push_back(ReadJob(*s));
    return out;
  });
}

}  // namespace ap::store
