// Migration 17: quota increase requests (store/quota_increase_store.h) and the job fields of the bulk increase
// action (issue 14).
//
// increase_requests: one row per request, every field a column (value_at_request NULL when unknown: "missing is
// never zero"). Each list is served by an index in its order (created_at_ms DESC, request_id DESC), so a page reads
// limit + 1 rows:
//  - increase_requests_by_created: the fleet; increase_requests_by_status: the fleet in one status;
//  - increase_requests_by_account / _by_account_status: one account (in one status);
//  - increase_requests_open (partial: the open statuses) holds exactly the open requests: the tracker's list, and
//    leaving it is part of the UPDATE that closes a request; increase_requests_open_by_account (partial) serves an
//    account's open list, its count and the per-quota lookup (≤ 20 rows by AWS's limit).
//  - increase_requests_by_aws (UNIQUE): one request per (account_id, aws_request_id).
// The partial indexes' condition is kOpenCondition in sqlite_store_increases.cc: queries repeat it verbatim so that
// SQLite can use them.
//
// jobs.params and job_items.ref: rows written before read "" (refresh jobs have neither).
#include "store/sqlite/migrations.h"

namespace ap::store::sqlite_internal {

Migration IncreaseRequestsMigration() {
  return {17, "quota increase requests", R"sql(
CREATE TABLE increase_requests (
  request_id             TEXT PRIMARY KEY NOT NULL,
  account_id             TEXT NOT NULL,
  region                 TEXT NOT NULL,
  quota_code             TEXT NOT NULL,
  model_id               TEXT NOT NULL,
  dimension              TEXT NOT NULL,
  desired_value          REAL NOT NULL,
  value_at_request       REAL,
  reason                 TEXT NOT NULL,
  aws_request_id         TEXT NOT NULL,
  case_id                TEXT NOT NULL,
  status                 TEXT NOT NULL,
  source                 TEXT NOT NULL,
  requested_by           TEXT NOT NULL,
  aws_created_ms         INTEGER NOT NULL,
  aws_updated_ms         INTEGER NOT NULL,
  created_at_ms          INTEGER NOT NULL,
  checked_at_ms          INTEGER NOT NULL,
  check_error            TEXT NOT NULL,
  approved_refresh_at_ms INTEGER NOT NULL,
  version                INTEGER NOT NULL
);
CREATE UNIQUE INDEX increase_requests_by_aws ON increase_requests(account_id, aws_request_id);
CREATE INDEX increase_requests_by_created ON increase_requests(created_at_ms, request_id);
CREATE INDEX increase_requests_by_status ON increase_requests(status, created_at_ms, request_id);
CREATE INDEX increase_requests_by_account ON increase_requests(account_id, created_at_ms, request_id);
CREATE INDEX increase_requests_by_account_status ON increase_requests(account_id, status, created_at_ms, request_id);
CREATE INDEX increase_requests_open ON increase_requests(created_at_ms, request_id)
  WHERE status IN ('PENDING', 'CASE_OPENED');
CREATE INDEX increase_requests_open_by_account ON increase_requests(account_id, created_at_ms, request_id)
  WHERE status IN ('PENDING', 'CASE_OPENED');

ALTER TABLE jobs ADD COLUMN params TEXT NOT NULL DEFAULT '';
ALTER TABLE job_items ADD COLUMN ref TEXT NOT NULL DEFAULT '';
)sql"};
}

}  // namespace ap::store::sqlite_internal
