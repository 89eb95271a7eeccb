// Migration 7: job items as their own rows. Up to version 6 a job was one row whose `items` column held every
// (account, region) of the job (row_codec's list encoding of 7-field lists), rewritten as the job progressed. From
// version 7 the header row keeps counters (total, ok, partial, failed) and each item is a row of job_items keyed by
// (job_id, seq), seq being the item's position in the old list (its processing order).
//
// The data step moves every job: the header keeps its id, state and times; the items keep their account, region,
// outcome, values, error and finish time; the counters are computed from the moved items. No job is dropped: a row
// whose items cannot be decoded fails the migration (rolled back, the database stays at version 6) rather than
// losing the job silently.
#include <charconv>
#include <string>
#include <vector>

#include "domain/job.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/row_codec.h"

namespace ap::store::sqlite_internal {
namespace {

// The old `jobs` table is renamed out of the way (its index first: index names are global), the new tables are
// made, the data step copies, and the old table goes.
constexpr const char* kSql = R"sql(
DROP INDEX IF EXISTS jobs_by_created;
ALTER TABLE jobs RENAME TO jobs_v6;

-- The header: one row per job; the counters are maintained by the writes that add and finish items.
CREATE TABLE jobs (
  job_id         TEXT PRIMARY KEY NOT NULL,
  kind           TEXT NOT NULL,
  state          TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  team_filter    TEXT NOT NULL,
  region_filter  TEXT NOT NULL,
  created_at_ms  INTEGER NOT NULL,
  updated_at_ms  INTEGER NOT NULL,
  finished_at_ms INTEGER NOT NULL,
  total          INTEGER NOT NULL,
  ok             INTEGER NOT NULL,
  partial        INTEGER NOT NULL,
  failed         INTEGER NOT NULL
);
-- ListJobs (newest first) and ListJobs by state (e.g. the running jobs at start) page through these.
CREATE INDEX jobs_by_created ON jobs(created_at_ms, job_id);
CREATE INDEX jobs_by_state ON jobs(state, created_at_ms, job_id);

-- One row per (account, region) of a job, in processing order.
CREATE TABLE job_items (
  job_id         TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  account_id     TEXT NOT NULL,
  region         TEXT NOT NULL,
  outcome        TEXT NOT NULL,
  values_ok      INTEGER NOT NULL,
  values_failed  INTEGER NOT NULL,
  error          TEXT NOT NULL,
  finished_at_ms INTEGER NOT NULL,
  PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
-- ListJobItems with an outcome (the pending items a resume reads, the failed ones a person reads).
CREATE INDEX job_items_by_outcome ON job_items(job_id, outcome, seq);
)sql";

int64_t Number(const std::string& text) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
    throw CorruptRow("malformed job item number");
  return v;
}

// The items of a version-6 row: a list of (account_id, region, outcome, values_ok, values_failed, error,
// finished_at_ms) lists. Throws CorruptRow.
std::vector<domain::JobItem> DecodeV6Items(const std::string& text) {
  std::vector<domain::JobItem> items;
  for (const std::string& e : DecodeList(text)) {
    std::vector<std::string> f = DecodeList(e);
    if (f.size() != 7) throw CorruptRow("malformed job item");
    domain::JobItem item;
    item.seq = static_cast<int64_t>(items.size());
    item.account_id = f[0];
    item.region = f[1];
    auto outcome = domain::ParseJobItemOutcome(f[2]);
    if (!outcome.ok()) throw CorruptRow(outcome.status().message());
    item.outcome = *outcome;
    item.values_ok = Number(f[3]);
    item.values_failed = Number(f[4]);
    item.error = f[5];
    item.finished_at_ms = Number(f[6]);
    items.push_back(std::move(item));
  }
  return items;
}

void MoveJobs(Connection& c) {
  const std::string header_sql =
      "INSERT INTO jobs (" + InsertColumns<domain::Job>() + ") VALUES (" + InsertPlaceholders<domain::Job>() + ")";
  const std::string item_sql = "INSERT INTO job_items (job_id, " + InsertColumns<domain::JobItem>() + ") VALUES (?1, " +
                               InsertPlaceholders<domain::JobItem>() + ")";
  {
    Stmt old = c.Prepare(
        "SELECT job_id, kind, state, created_by, team_filter, region_filter, created_at_ms, updated_at_ms, "
        "finished_at_ms, items FROM jobs_v6");
    while (old->executeStep()) {
      domain::Job job;
      job.job_id = old->getColumn(0).getString();
      job.kind = old->getColumn(1).getString();
      auto state = domain::ParseJobState(old->getColumn(2).getString());
      if (!state.ok()) throw CorruptRow("job " + job.job_id + ": " + state.status().message());
      job.state = *state;
      job.created_by = old->getColumn(3).getString();
      job.team_filter = old->getColumn(4).getString();
      job.region_filter = old->getColumn(5).getString();
      job.created_at_ms = old->getColumn(6).getInt64();
      job.updated_at_ms = old->getColumn(7).getInt64();
      job.finished_at_ms = old->getColumn(8).getInt64();
      const std::vector<domain::JobItem> items = DecodeV6Items(old->getColumn(9).getString());
      job.counters.total = static_cast<int64_t>(items.size());
      for (const domain::JobItem& item : items) job.counters.Add(item.outcome);
      {
        Stmt insert = c.Prepare(header_sql);
        Bind(*insert, job);
        insert->exec();
      }
      for (const domain::JobItem& item : items) {
        Stmt insert = c.Prepare(item_sql);
        insert->bind(1, job.job_id);
        Bind(*insert, item);
        insert->exec();
      }
    }
  }  // the SELECT is reset here: a table being read cannot be dropped
  c.Exec("DROP TABLE jobs_v6");
}

}  // namespace

Migration JobItemsMigration() { return {7, "job items as their own rows", kSql, MoveJobs}; }

}  // namespace ap::store::sqlite_internal
