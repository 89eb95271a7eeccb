// SqliteStore: quota increase requests (store/quota_increase_store.h), the table of migration 17
// (migration_increases.cc). Every write is one IMMEDIATE transaction: the row and its index entries (the open
// index included) change together, and the UNIQUE index on (account_id, aws_request_id) is checked in it.
#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/cursor.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::Stmt;
using sqlite_internal::WhereClause;
using sqlite_internal::WriteTransaction;

namespace {

constexpr char kListCursor[] = "increase_requests";
constexpr char kOpenCursor[] = "increase_requests_open";
// The condition of the partial indexes of migration 17, verbatim (SQLite uses a partial index only for queries
// whose WHERE implies its condition, which it proves by matching the terms).
constexpr char kOpenCondition[] = "status IN ('PENDING', 'CASE_OPENED')";

constexpr char kColumns[] =
    "request_id, account_id, region, quota_code, model_id, dimension, desired_value, value_at_request, reason, "
    "aws_request_id, case_id, status, source, requested_by, aws_created_ms, aws_updated_ms, created_at_ms, "
    "checked_at_ms, check_error, approved_refresh_at_ms, version";

domain::QuotaIncreaseRequest ReadRequest(const SQLite::Statement& s) {
  domain::QuotaIncreaseRequest r;
  r.request_id = s.getColumn(0).getString();
  r.account_id = s.getColumn(1).getString();
  r.region = s.getColumn(2).getString();
  r.quota_code = s.getColumn(3).getString();
  r.model_id = s.getColumn(4).getString();
  r.dimension = s.getColumn(5).getString();
  r.desired_value = s.getColumn(6).getDouble();
  if (!s.getColumn(7).isNull()) r.value_at_request = s.getColumn(7).getDouble();
  r.reason = s.getColumn(8).getString();
  r.aws_request_id = s.getColumn(9).getString();
  r.case_id = s.getColumn(10).getString();
  auto status = domain::ParseIncreaseStatus(s.getColumn(11).getString());
  if (!status.ok()) throw sqlite_internal::CorruptRow("increase_requests.status: " + status.status().message());
  r.status = *status;
  auto source = domain::ParseIncreaseSource(s.getColumn(12).getString());
  if (!source.ok()) throw sqlite_internal::CorruptRow("increase_requests.source: " + source.status().message());
  r.source = *source;
  r.requested_by = s.getColumn(13).getString();
  r.aws_created_ms = s.getColumn(14).getInt64();
  r.aws_updated_ms = s.getColumn(15).getInt64();
  r.created_at_ms = s.getColumn(16).getInt64();
  r.checked_at_ms = s.getColumn(17).getInt64();
  r.check_error = s.getColumn(18).getString();
  r.approved_refresh_at_ms = s.getColumn(19).getInt64();
  r.version = s.getColumn(20).getInt64();
  return r;
}

// The created_at_ms of a cursor: InvalidArgument("cursor") unless decimal.
Result<int64_t> CursorTime(const std::string& field) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
  if (field.empty() || ec != std::errc() || ptr != field.data() + field.size())
    return InvalidArgument("malformed cursor", "cursor");
  return v;
}

// Adds "after the cursor" (in the lists' descending order) to `where`.
Status AddCursor(const std::string& cursor, const char* kind, WhereClause* where) {
  if (cursor.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(auto after, DecodeCursor(cursor, kind, 2));
  ASSIGN_OR_RETURN(int64_t created, CursorTime(after[0]));
  where->Add("(created_at_ms, request_id) < (?, ?)", {created, after[1]});
  return Status::Ok();
}

// Runs `sql` (ending in "LIMIT ?") with `where`'s arguments and limit + 1; fills a page.
IncreaseRequestPage RunPage(Connection& c, const std::string& sql, const WhereClause& where, int64_t limit,
                            const char* kind) {
  IncreaseRequestPage page;
  Stmt s = c.Prepare(sql);
  s->bind(where.Bind(*s), limit + 1);
  while (s->executeStep()) page.items.push_back(ReadRequest(*s));
  if (page.items.size() > static_cast<size_t>(limit)) {
    page.items.pop_back();
    const domain::QuotaIncreaseRequest& last = page.items.back();
    page.next = EncodeCursor(kind, {std::to_string(last.created_at_ms), last.request_id});
  }
  return page;
}

Result<domain::QuotaIncreaseRequest> SelectOne(Connection& c, const std::string& where_sql,
                                               const std::vector<std::string>& args, const std::string& missing) {
  Stmt s = c.Prepare(std::string("SELECT ") + kColumns + " FROM increase_requests WHERE " + where_sql);
  for (size_t i = 0; i < args.size(); ++i) s->bind(static_cast<int>(i + 1), args[i]);
  if (!s->executeStep()) return NotFound(missing);
  return ReadRequest(*s);
}

}  // namespace

Status SqliteStore::InsertIncreaseRequest(const domain::QuotaIncreaseRequest& req) {
  RETURN_IF_ERROR(domain::ValidateIncreaseRequest(req));
  return Write("InsertIncreaseRequest", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    {
      Stmt dup = c.Prepare("SELECT request_id FROM increase_requests WHERE account_id = ?1 AND aws_request_id = ?2");
      dup->bind(1, req.account_id);
      dup->bind(2, req.aws_request_id);
      if (dup->executeStep())
        return AlreadyExists("increase request " + dup->getColumn(0).getString() + " already records AWS request " +
                             req.aws_request_id);
    }
    if (sqlite_internal::Exists(c, "SELECT 1 FROM increase_requests WHERE request_id = ?1", req.request_id))
      return AlreadyExists("increase request " + req.request_id + " already exists");
    Stmt insert =
        c.Prepare(std::string("INSERT INTO increase_requests (") + kColumns +
                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
                  "?19, ?20, 1)");
    insert->bind(1, req.request_id);
    insert->bind(2, req.account_id);
    insert->bind(3, req.region);
    insert->bind(4, req.quota_code);
    insert->bind(5, req.model_id);
    insert->bind(6, req.dimension);
    insert->bind(7, req.desired_value);
    if (req.value_at_request) {
      insert->bind(8, *req.value_at_request);
    } else {
      insert->bind(8);  // NULL: unknown
    }
    insert->bind(9, req.reason);
    insert->bind(10, req.aws_request_id);
    insert->bind(11, req.case_id);
    insert->bind(12, std::string(domain::IncreaseStatusName(req.status)));
    insert->bind(13, std::string(domain::IncreaseSourceName(req.source)));
    insert->bind(14, req.requested_by);
    insert->bind(15, req.aws_created_ms);
    insert->bind(16, req.aws_updated_ms);
    insert->bind(17, req.created_at_ms);
    insert->bind(18, req.checked_at_ms);
    insert->bind(19, req.check_error);
    insert->bind(20, req.approved_refresh_at_ms);
    insert->exec();
    txn.Commit();
    return Status::Ok();
  });
}

Result<domain::QuotaIncreaseRequest> SqliteStore::GetIncreaseRequest(const std::string& request_id) {
  return Read("GetIncreaseRequest", [&](Connection& c) -> Result<domain::QuotaIncreaseRequest> {
    return SelectOne(c, "request_id = ?1", {request_id}, "increase request " + request_id + " not found");
  });
}

Result<domain::QuotaIncreaseRequest> SqliteStore::FindIncreaseRequestByAwsId(const std::string& account_id,
                                                                             const std::string& aws_request_id) {
  return Read("FindIncreaseRequestByAwsId", [&](Connection& c) -> Result<domain::QuotaIncreaseRequest> {
    return SelectOne(c, "account_id = ?1 AND aws_request_id = ?2", {account_id, aws_request_id},
                     "no increase request records AWS request " + aws_request_id + " of account " + account_id);
  });
}

Result<int64_t> SqliteStore::UpdateIncreaseRequest(const domain::QuotaIncreaseRequest& req, int64_t expected_version) {
  RETURN_IF_ERROR(domain::ValidateIncreaseUpdate(req));
  return Write("UpdateIncreaseRequest", [&](Connection& c) -> Result<int64_t> {
    WriteTransaction txn(c);
    {
      Stmt get = c.Prepare("SELECT version FROM increase_requests WHERE request_id = ?1");
      get->bind(1, req.request_id);
      if (!get->executeStep()) return NotFound("increase request " + req.request_id + " not found");
      const int64_t stored = get->getColumn(0).getInt64();
      if (stored != expected_version)
        return FailedPrecondition("increase request " + req.request_id + " was changed (version " +
                                  std::to_string(stored) + ", expected " + std::to_string(expected_version) + ")");
    }
    Stmt update = c.Prepare(
        "UPDATE increase_requests SET status = ?2, case_id = ?3, aws_updated_ms = ?4, checked_at_ms = ?5, "
        "check_error = ?6, approved_refresh_at_ms = ?7, version = ?8 WHERE request_id = ?1");
    update->bind(1, req.request_id);
    update->bind(2, std::string(domain::IncreaseStatusName(req.status)));
    update->bind(3, req.case_id);
    update->bind(4, req.aws_updated_ms);
    update->bind(5, req.checked_at_ms);
    update->bind(6, req.check_error);
    update->bind(7, req.approved_refresh_at_ms);
    update->bind(8, expected_version + 1);
    update->exec();
    txn.Commit();
    return expected_version + 1;
  });
}

Result<IncreaseRequestPage> SqliteStore::ListIncreaseRequests(const IncreaseRequestFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  if (filter.open_only && filter.status)
    return InvalidArgument("give either open_only or a status, not both", "status");
  WhereClause where;
  // Each combination is served by one index of migration 17 in the list's order (named where SQLite, without
  // statistics, might prefer another).
  std::string index;
  if (!filter.account_id.empty()) where.Add("account_id = ?", {filter.account_id});
  if (filter.open_only) {
    where.Add(kOpenCondition, {});
    index = filter.account_id.empty() ? "increase_requests_open" : "increase_requests_open_by_account";
  } else if (filter.status) {
    where.Add("status = ?", {std::string(domain::IncreaseStatusName(*filter.status))});
    index = filter.account_id.empty() ? "increase_requests_by_status" : "increase_requests_by_account_status";
  } else {
    index = filter.account_id.empty() ? "increase_requests_by_created" : "increase_requests_by_account";
  }
  RETURN_IF_ERROR(AddCursor(filter.cursor, kListCursor, &where));
  return Read("ListIncreaseRequests", [&](Connection& c) -> Result<IncreaseRequestPage> {
    return RunPage(c,
                   std::string("SELECT ") + kColumns + " FROM increase_requests INDEXED BY " + index + where.sql() +
                       " ORDER BY created_at_ms DESC, request_id DESC LIMIT ?",
                   where, filter.limit, kListCursor);
  });
}

Result<IncreaseRequestPage> SqliteStore::ListOpenIncreaseRequests(const std::string& cursor, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  WhereClause where;
  where.Add(kOpenCondition, {});
  RETURN_IF_ERROR(AddCursor(cursor, kOpenCursor, &where));
  return Read("ListOpenIncreaseRequests", [&](Connection& c) -> Result<IncreaseRequestPage> {
    return RunPage(c,
                   std::string("SELECT ") + kColumns + " FROM increase_requests INDEXED BY increase_requests_open" +
                       where.sql() + " ORDER BY created_at_ms DESC, request_id DESC LIMIT ?",
                   where, limit, kOpenCursor);
  });
}

Result<int64_t> SqliteStore::CountOpenIncreaseRequests(const std::string& account_id) {
  return Read("CountOpenIncreaseRequests", [&](Connection& c) -> Result<int64_t> {
    // The account's entries of the partial index: at most a few dozen (AWS allows 20 open per account).
    Stmt s =
        c.Prepare(std::string("SELECT count(*) FROM increase_requests INDEXED BY increase_requests_open_by_account "
                              "WHERE account_id = ?1 AND ") +
                  kOpenCondition);
    s->bind(1, account_id);
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
}

Result<std::optional<domain::QuotaIncreaseRequest>> SqliteStore::FindOpenIncreaseRequest(
    const std::string& account_id, const std::string& region, const std::string& quota_code) {
  return Read("FindOpenIncreaseRequest", [&](Connection& c) -> Result<std::optional<domain::QuotaIncreaseRequest>> {
    Stmt s = c.Prepare(std::string("SELECT ") + kColumns +
                       " FROM increase_requests INDEXED BY increase_requests_open_by_account "
                       "WHERE account_id = ?1 AND " +
                       kOpenCondition +
                       " AND region = ?2 AND quota_code = ?3 ORDER BY created_at_ms DESC, request_id DESC LIMIT 1");
    s->bind(1, account_id);
    s->bind(2, region);
    s->bind(3, quota_code);
    if (!s->executeStep()) return std::optional<domain::QuotaIncreaseRequest>();
    return std::optional<domain::QuotaIncreaseRequest>(ReadRequest(*s));
  });
}

}  // namespace ap::store
