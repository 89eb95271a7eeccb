// ExportService: the downloads of issue 14 §2 — the fleet grid, one account's quota history and the audit log —
// as CSV or JSON (service/table_writer.h), produced page by page so that a fleet of any size exports in O(page)
// memory: each call of Export::next reads one page (a page of accounts by cursor plus batch reads of their cached
// snapshots and usage snapshots; a page of history; a page of audit entries) and returns its rows. Served by the
// API under /api/exports/ (streamed, api/export_routes.cc) and by `account-platform export` (app/export_cli.h).
//
// Authorization is the matching view's: the fleet lists only the accounts the caller may see (a user: their
// teams' accounts), the history needs an account the caller may see, the audit log is for admins (the route says
// so; the service checks it too). Every export that opens is audited as export.<what> with its filters.
//
// Thread safety: Open*() are safe from any thread. An Export's `next` is called by one thread at a time (it keeps
// its cursor); it may outlive nothing it captured but the services, which outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "service/account_service.h"
#include "service/audit_service.h"
#include "service/context.h"
#include "service/quota_config_service.h"
#include "service/quota_service.h"
#include "service/table_writer.h"
#include "store/audit_store.h"
#include "store/quota_cache_store.h"
#include "store/quota_increase_store.h"
#include "store/usage_store.h"

namespace ap::service {

struct ExportOptions {
  ExportFormat format = ExportFormat::kCsv;
  bool bom = false;  // CSV only: InvalidArgument("bom") with JSON
};

// An opened export: where it should be saved and its producer.
struct Export {
  std::string filename;      // "fleet-20261206T150000Z.csv": what + the opening time (UTC) + the format
  std::string content_type;  // ExportContentType(format)
  // Appends the next piece (the header or "[" with the first page, then a page per call, then the end) to *chunk
  // and sets *done with the last one. Errors are the stores' (Unavailable, Internal); the caller stops then.
  std::function<Status(std::string* chunk, bool* done)> next;
};

// The fleet grid: one row per (account, region, model, dimension) — tpm, rpm, and tpm_1m, rpm_1m for models with
// the 1M context — of the active accounts the caller may see, in the account list's order, regions sorted.
struct FleetExportQuery {
  std::string team;      // only this team's accounts (empty = all visible)
  std::string region;    // only this region (empty = every region of each account); InvalidArgument if unknown
  std::string model_id;  // only this model (must be in the config); empty = the dashboard models
};

// One account's quota history in one region, newest first, optionally for one model's codes and a time range.
struct HistoryExportQuery {
  std::string account_id;  // required: InvalidArgument("account_id") when empty, NotFound when unknown,
                           // PermissionDenied when the caller may not see it
  std::string region;      // empty = the account's first region
  std::string model_id;    // empty = every code
  int64_t from_ms = 0;     // inclusive; 0 = unbounded
  int64_t to_ms = 0;       // exclusive; 0 = unbounded
};

// Quota increase requests (issue 14 §1), newest first: the whole fleet's (admins; one index query per page) or, for
// a user, those of the accounts they may see (their accounts page by page, then each account's requests).
struct IncreaseExportQuery {
  std::string account_id;  // only this account's (must be visible: PermissionDenied otherwise); empty = all
  std::string status;      // an AWS status (PENDING, CASE_OPENED, ...) or "open"; empty = any
  int64_t from_ms = 0;     // created at or after; 0 = unbounded
  int64_t to_ms = 0;       // created before; 0 = unbounded
};

class ExportService {
 public:
  // Collaborators are not owned and must outlive the service and every Export it opened. `usage` may be null
  // (the usage columns are then empty).
  ExportService(AccountService& accounts, QuotaConfigService& config, QuotaService& quota, AuditService& audit,
                store::QuotaCacheStore& cache, store::UsageStore* usage, const Clock& clock,
                store::QuotaIncreaseStore* increases = nullptr);

  // Columns: account_id, account_name, team (the account's teams joined by ';'), region, model_id, dimension,
  // value (empty/null when never read — never 0), state (ok|stale|error|never), source (applied|aws_default;
  // empty without a value), read_at (ISO 8601 UTC), stale_reason, usage_peak_24h (tpm: the peak quota-weighted
  // tokens per minute, rpm: the peak requests per minute; empty without usage data and for the 1M dimensions),
  // headroom_24h (the dimension's 24-hour headroom, 0..1; empty without usage data).
  // InvalidArgument("team"/"region"/"model_id"/"bom").
  Result<Export> OpenFleet(const RequestContext& ctx, const FleetExportQuery& query, const ExportOptions& options);
  // Columns: account_id, region, at (ISO 8601 UTC), quota_code, model_id, dimension, event (first_read|changed|
  // became_stale|recovered|failed), value, previous_value, state, source, reason.
  // InvalidArgument("account_id"/"region"/"model_id"/"from"/"to"/"bom"); NotFound for an unknown account,
  // PermissionDenied for one the caller may not see.
  Result<Export> OpenQuotaHistory(const RequestContext& ctx, const HistoryExportQuery& query,
                                  const ExportOptions& options);
  // Columns: at, audit_id, actor_id, actor_email, action, target_type, target_id, outcome, client_ip, user_agent,
  // request_id, count, last_at, detail; newest first. `filter.cursor` and `filter.limit` are ignored.
  // PermissionDenied for a non-admin; InvalidArgument("bom").
  Result<Export> OpenAuditLog(const RequestContext& ctx, store::AuditFilter filter, const ExportOptions& options);

  // Columns: request_id, account_id, region, quota_code, model_id, dimension, desired_value, value_at_request,
  // status, case_id, source (platform|external), requested_by, reason, aws_request_id, aws_created_at,
  // aws_updated_at, created_at, checked_at, check_error. InvalidArgument("status"/"from"/"bom"); NotFound for an
  // unknown account, PermissionDenied for one the caller may not see; Unavailable without an increase store.
  Result<Export> OpenQuotaIncreases(const RequestContext& ctx, const IncreaseExportQuery& query,
                                    const ExportOptions& options);

  // Accounts read per page of the fleet export (each page is one account list call and one batch read of
  // snapshots and of usage snapshots).
  static constexpr int64_t kAccountsPerPage = 25;

 private:
  // The opening time as "20261206T150000Z", for file names.
  std::string Stamp() const;
  void Audit(const RequestContext& ctx, std::string_view what, std::string_view detail);
  std::string FileName(std::string_view what, const ExportOptions& options) const;

  AccountService& accounts_;
  QuotaConfigService& config_;
  QuotaService& quota_;
  AuditService& audit_;
  store::QuotaCacheStore& cache_;
  store::UsageStore* const usage_;
  const Clock& clock_;
  store::QuotaIncreaseStore* const increases_;
};

// The producer of a table export: `page` appends one page of rows and clears *more after the last one. The
// writer's header comes with the first page and its end with the last. Shared by the exports (and hA's
// increase-requests export).
std::function<Status(std::string* chunk, bool* done)> TableProducer(
    std::shared_ptr<TableWriter> writer, std::function<Status(std::vector<Row>* rows, bool* more)> page);

}  // namespace ap::service
