// SqliteStore: fleet jobs.
#include <charconv>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "store/cursor.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::Exists;
using sqlite_internal::ReadTransaction;
using sqlite_internal::Stmt;
using sqlite_internal::WhereClause;
using sqlite_internal::WriteTransaction;

namespace {

const std::string kSelectJob = "SELECT " + sqlite_internal::SelectColumns<domain::Job>() + " FROM jobs";

// A cursor field that must be a decimal int64: InvalidArgument("cursor") otherwise.
Result<int64_t> CursorNumber(const std::string& field) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
  if (field.empty() || ec != std::errc() || ptr != field.data() + field.size())
    return InvalidArgument("malformed cursor", "cursor");
  return v;
}

// The header's column counting items that ended with `o` (never kPending).
const char* CounterColumn(domain::JobItemOutcome o) {
  switch (o) {
    case domain::JobItemOutcome::kOk:
      return "ok";
    case domain::JobItemOutcome::kPartial:
      return "partial";
    case domain::JobItemOutcome::kFailed:
    case domain::JobItemOutcome::kPending:
      break;
  }
  return "failed";
}

}  // namespace

Status SqliteStore::CreateJob(const domain::Job& job) {
  if (!(job.counters == domain::JobCounters{}))
    return InvalidArgument("a new job's counters must be 0: they count the items added later", "counters");
  if (job.fence < 0) return InvalidArgument("must not be negative", "fence");
  if (job.params.size() > domain::kMaxJobParamsBytes)
    return InvalidArgument("at most " + std::to_string(domain::kMaxJobParamsBytes) + " bytes", "params");
  return Write("CreateJob", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    if (Exists(c, "SELECT 1 FROM jobs WHERE job_id = ?1", job.job_id))
      return AlreadyExists("job " + job.job_id + " already exists");
    Stmt insert = c.Prepare("INSERT INTO jobs (" + sqlite_internal::InsertColumns<domain::Job>() + ") VALUES (" +
                            sqlite_internal::InsertPlaceholders<domain::Job>() + ")");
    sqlite_internal::Bind(*insert, job);
    insert->exec();
    if (job.fence != 0 || job.include_usage || !job.params.empty()) {
      // Not in the row codec's insert (see row_codec.cc): set in the same transaction.
      Stmt extra = c.Prepare("UPDATE jobs SET fence = ?2, include_usage = ?3, params = ?4 WHERE job_id = ?1");
      extra->bind(1, job.job_id);
      extra->bind(2, job.fence);
      extra->bind(3, job.include_usage ? 1 : 0);
      extra->bind(4, job.params);
      extra->exec();
    }
    txn.Commit();
    return Status::Ok();
  });
}

Result<domain::Job> SqliteStore::GetJob(const std::string& job_id) {
  return Read("GetJob", [&](Connection& c) -> Result<domain::Job> {
    Stmt s = c.Prepare(kSelectJob + " WHERE job_id = ?1");
    s->bind(1, job_id);
    if (!s->executeStep()) return NotFound("job " + job_id + " not found");
    return sqlite_internal::Read<domain::Job>(*s);
  });
}

Result<JobPage> SqliteStore::ListJobs(const JobFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  WhereClause where;
  if (filter.state) where.Add("state = ?", {std::string(domain::JobStateName(*filter.state))});
  if (!filter.cursor.empty()) {
    ASSIGN_OR_RETURN(auto after, DecodeCursor(filter.cursor, "jobs", 2));
    ASSIGN_OR_RETURN(int64_t created, CursorNumber(after[0]));
    where.Add("(created_at_ms, job_id) < (?, ?)", {created, after[1]});
  }
  return Read("ListJobs", [&](Connection& c) -> Result<JobPage> {
    JobPage page;
    // jobs_by_created / jobs_by_state serve this order, so a page reads `limit` + 1 rows.
    Stmt s = c.Prepare(kSelectJob + where.sql() + " ORDER BY created_at_ms DESC, job_id DESC LIMIT ?");
    s->bind(where.Bind(*s), filter.limit + 1);
    while (s->executeStep()) page.items.push_back(sqlite_internal::Read<domain::Job>(*s));
    if (page.items.size() > static_cast<size_t>(filter.limit)) {
      page.items.pop_back();
      const domain::Job& last = page.items.back();
      page.next = EncodeCursor("jobs", {std::to_string(last.created_at_ms), last.job_id});
    }
    return page;
  });
}

Status SqliteStore::UpdateJobState(const std::string& job_id, const JobStateChange& change) {
  if (change.fence < 0) return InvalidArgument("must not be negative", "fence");
  return Write("UpdateJobState", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    {
      Stmt current = c.Prepare("SELECT state, fence FROM jobs WHERE job_id = ?1");
      current->bind(1, job_id);
      if (!current->executeStep()) return NotFound("job " + job_id + " not found");
      const std::string stored = current->getColumn(0).getString();
      if (stored != domain::JobStateName(change.expected))
        return FailedPrecondition("job " + job_id + " is " + stored + ", not " +
                                  std::string(domain::JobStateName(change.expected)));
      if (change.fence > 0 && current->getColumn(1).getInt64() > change.fence)
        return FailedPrecondition("job " + job_id + " is fenced by a newer lease holder (token " +
                                  std::to_string(current->getColumn(1).getInt64()) + " > " +
                                  std::to_string(change.fence) + ")");
    }
    // fence = max(fence, ?4) keeps the stored fence for an unfenced change (?4 = 0) and records a fenced one
    // (checked above: stored <= ?4).
    Stmt update =
        c.Prepare(domain::IsFinalJobState(change.state)
                      ? "UPDATE jobs SET state = ?2, updated_at_ms = ?3, finished_at_ms = ?3, fence = max(fence, ?4) "
                        "WHERE job_id = ?1"
                      : "UPDATE jobs SET state = ?2, updated_at_ms = ?3, fence = max(fence, ?4) WHERE job_id = ?1");
    update->bind(1, job_id);
    update->bind(2, std::string(domain::JobStateName(change.state)));
    update->bind(3, change.at_ms);
    update->bind(4, change.fence);
    update->exec();
    txn.Commit();
    return Status::Ok();
  });
}

Status SqliteStore::AddJobItems(const std::string& job_id, const std::vector<domain::JobItem>& items) {
  if (static_cast<int64_t>(items.size()) > kMaxJobItemsPerAdd)
    return InvalidArgument("at most " + std::to_string(kMaxJobItemsPerAdd) + " items per call", "items");
  std::set<int64_t> seqs;
  for (const domain::JobItem& item : items) {
    if (item.seq < 0 || !seqs.insert(item.seq).second)
      return InvalidArgument("item seq " + std::to_string(item.seq) + " is negative or repeated", "items");
    if (item.outcome != domain::JobItemOutcome::kPending || item.values_ok != 0 || item.values_failed != 0 ||
        !item.error.empty() || item.finished_at_ms != 0)
      return InvalidArgument("a new item must be pending", "items");
    if (item.ref.size() > domain::kMaxJobItemRefBytes)
      return InvalidArgument("an item's ref is at most " + std::to_string(domain::kMaxJobItemRefBytes) + " bytes",
                             "items");
  }
  if (items.empty()) return Status::Ok();
  return Write("AddJobItems", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    if (!Exists(c, "SELECT 1 FROM jobs WHERE job_id = ?1", job_id)) return NotFound("job " + job_id + " not found");
    const std::string sql = "INSERT INTO job_items (job_id, " + sqlite_internal::InsertColumns<domain::JobItem>() +
                            ") VALUES (?1, " + sqlite_internal::InsertPlaceholders<domain::JobItem>() + ")";
    for (const domain::JobItem& item : items) {
      Stmt exists = c.Prepare("SELECT 1 FROM job_items WHERE job_id = ?1 AND seq = ?2");
      exists->bind(1, job_id);
      exists->bind(2, item.seq);
      if (exists->executeStep())
        return AlreadyExists("job " + job_id + " already has item " + std::to_string(item.seq));
      Stmt insert = c.Prepare(sql);
      insert->bind(1, job_id);
      sqlite_internal::Bind(*insert, item);
      insert->exec();
      if (!item.ref.empty()) {
        // Not in the row codec's insert (migration 7 inserts items without it): set in the same transaction.
        Stmt ref = c.Prepare("UPDATE job_items SET ref = ?3 WHERE job_id = ?1 AND seq = ?2");
        ref->bind(1, job_id);
        ref->bind(2, item.seq);
        ref->bind(3, item.ref);
        ref->exec();
      }
    }
    Stmt total = c.Prepare("UPDATE jobs SET total = total + ?2 WHERE job_id = ?1");
    total->bind(1, job_id);
    total->bind(2, static_cast<int64_t>(items.size()));
    total->exec();
    txn.Commit();
    return Status::Ok();
  });
}

Status SqliteStore::FinishJobItem(const std::string& job_id, int64_t seq, const JobItemResult& result) {
  if (result.outcome == domain::JobItemOutcome::kPending)
    return InvalidArgument("a finished item cannot be pending", "outcome");
  if (result.values_ok < 0 || result.values_failed < 0) return InvalidArgument("must not be negative", "values");
  if (result.ref.size() > domain::kMaxJobItemRefBytes)
    return InvalidArgument("at most " + std::to_string(domain::kMaxJobItemRefBytes) + " bytes", "ref");
  return Write("FinishJobItem", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    {
      Stmt current = c.Prepare("SELECT outcome FROM job_items WHERE job_id = ?1 AND seq = ?2");
      current->bind(1, job_id);
      current->bind(2, seq);
      if (!current->executeStep())
        return NotFound("job " + job_id + " has no item " + std::to_string(seq) + " (or does not exist)");
      const std::string outcome = current->getColumn(0).getString();
      if (outcome != domain::JobItemOutcomeName(domain::JobItemOutcome::kPending))
        return FailedPrecondition("item " + std::to_string(seq) + " of job " + job_id + " already finished (" +
                                  outcome + ")");
    }
    {
      Stmt item = c.Prepare(
          "UPDATE job_items SET outcome = ?3, values_ok = ?4, values_failed = ?5, error = ?6, finished_at_ms = ?7, "
          "usage_state = ?8, usage_error = ?9, ref = CASE WHEN ?10 = '' THEN ref ELSE ?10 END "
          "WHERE job_id = ?1 AND seq = ?2");
      item->bind(1, job_id);
      item->bind(2, seq);
      item->bind(3, std::string(domain::JobItemOutcomeName(result.outcome)));
      item->bind(4, result.values_ok);
      item->bind(5, result.values_failed);
      item->bind(6, result.error);
      item->bind(7, result.finished_at_ms);
      item->bind(8, std::string(domain::JobUsageStateName(result.usage_state)));
      item->bind(9, result.usage_error);
      item->bind(10, result.ref);
      item->exec();
    }
    const std::string column = CounterColumn(result.outcome);
    Stmt header = c.Prepare("UPDATE jobs SET " + column + " = " + column +
                            " + 1, usage_failed = usage_failed + ?3, updated_at_ms = max(updated_at_ms, ?2) "
                            "WHERE job_id = ?1");
    header->bind(1, job_id);
    header->bind(2, result.finished_at_ms);
    header->bind(3, result.usage_state == domain::JobUsageState::kStale ? 1 : 0);
    header->exec();
    txn.Commit();
    return Status::Ok();
  });
}

Result<JobItemPage> SqliteStore::ListJobItems(const std::string& job_id, const JobItemFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  WhereClause where;
  where.Add("job_id = ?", {job_id});
  if (filter.outcome) where.Add("outcome = ?", {std::string(domain::JobItemOutcomeName(*filter.outcome))});
  if (!filter.cursor.empty()) {
    ASSIGN_OR_RETURN(auto after, DecodeCursor(filter.cursor, "job_items", 1));
    ASSIGN_OR_RETURN(int64_t seq, CursorNumber(after[0]));
    where.Add("seq > ?", {seq});
  }
  return Read("ListJobItems", [&](Connection& c) -> Result<JobItemPage> {
    ReadTransaction txn(c);  // the header and the items from one snapshot
    if (!Exists(c, "SELECT 1 FROM jobs WHERE job_id = ?1", job_id)) return NotFound("job " + job_id + " not found");
    JobItemPage page;
    // The primary key (job_id, seq), or job_items_by_outcome (job_id, outcome, seq) for one outcome: named, since
    // without statistics SQLite prefers the primary key and filters, which reads every item of the job that
    // precedes the page when the outcome is rare (a few failed items among 100,000).
    Stmt s =
        c.Prepare("SELECT " + sqlite_internal::SelectColumns<domain::JobItem>() + " FROM job_items" +
                  (filter.outcome ? " INDEXED BY job_items_by_outcome" : "") + where.sql() + " ORDER BY seq LIMIT ?");
    s->bind(where.Bind(*s), filter.limit + 1);
    while (s->executeStep()) page.items.push_back(sqlite_internal::Read<domain::JobItem>(*s));
    if (page.items.size() > static_cast<size_t>(filter.limit)) {
      page.items.pop_back();
      page.next = EncodeCursor("job_items", {std::to_string(page.items.back().seq)});
    }
    return page;
  });
}

}  // namespace ap::store
