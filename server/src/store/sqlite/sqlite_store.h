// SqliteStore: the embedded default backend of the Store interface, one SQLite file (WAL mode).
//
// Thread safety: safe to call from many threads at once. Writes are serialised on one write connection under a
// mutex; reads use a small pool of read-only connections, which WAL lets run alongside the writer and each
// other. Every method either finishes its transaction or rolls it back; no exception leaves the class.
//
// Ownership: the store owns its connections and closes them on destruction. REQUIRES: no call is in flight
// when the store is destroyed.
//
// Files: the database and its -wal and -shm files are readable by their owner only (0600), whatever the umask
// and the directory's mode: Open creates the database file 0600 before SQLite opens it (SQLite gives -wal and
// -shm the database file's mode) and tightens an existing database, -wal or -shm file to 0600 (a warning is
// logged when it cannot, e.g. another user owns the file).
//
// Storage notes that callers may rely on (beyond store.h):
//  - Users' and accounts' team lists and accounts' regions come back sorted and de-duplicated.
//  - Case-insensitive account search and ordering fold ASCII letters only (SQLite's NOCASE / lower()).
//  - A quota value of NaN is rejected (InvalidArgument): SQLite would store it as NULL, i.e. as "absent".
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "common/status.h"
#include "store/store.h"
#include "store/value_sort_index.h"

namespace ap::store {

namespace sqlite_internal {
class Connection;
}

struct SqliteStoreOptions {
  // The database file; created (with its directory NOT created) if it does not exist. ":memory:" opens a
  // private in-memory database that disappears with the store (tests). No default: must be set.
  std::string path;
  // How long a statement waits for a lock held by another connection or process before failing with
  // Unavailable. Default 5 s. Must be >= 0.
  std::chrono::milliseconds busy_timeout{5000};
  // Read-only connections used for queries, 0..64. Default 4. 0 means reads share the write connection (and
  // its mutex). Ignored for ":memory:", where every connection would see a different database, so reads
  // always share the write connection.
  int read_connections = 4;
};

class SqliteStore final : public Store, public ValueSortIndex {
 public:
  // Opens (creating if needed) the database at options.path, sets WAL journaling, synchronous=NORMAL and
  // foreign keys, and applies pending schema migrations. Returns the store, or:
  //  - InvalidArgument if the options are out of range (empty path, negative timeout, read_connections);
  //  - Unavailable "cannot open database <path>: <reason>" if the file cannot be opened or created, or is not
  //    a SQLite database;
  //  - FailedPrecondition if the file's schema version is newer than this binary knows.
  static Result<std::unique_ptr<SqliteStore>> Open(const SqliteStoreOptions& options);

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // The schema version this binary creates and understands (also the number of rows in schema_migrations of
  // a fully migrated file).
  static int SchemaVersion();

  // ---- Store (contracts in store/store.h) ----
  Status Ping() override;

  Status CreateUser(const domain::User& user) override;
  Result<domain::User> GetUser(const std::string& user_id) override;
  Result<domain::User> GetUserByEmail(const std::string& email) override;
  Result<UserPage> ListUsers(const std::string& cursor, int64_t limit) override;
  Status UpdateUser(const domain::User& user) override;
  // The sessions of the user go too (the schema's ON DELETE CASCADE, kept as a harmless backstop).
  Status DeleteUser(const std::string& user_id) override;
  Result<int64_t> CountUsers() override;
  Result<int64_t> CountEnabledAdmins() override;

  // Also NotFound if session.user_id names no user.
  Status CreateSession(const domain::Session& session, int max_sessions_per_user) override;
  Result<domain::Session> GetSession(const std::string& token_hash) override;
  Status DeleteSession(const std::string& token_hash) override;
  Status DeleteSessionsOfUser(const std::string& user_id) override;
  Status DeleteOtherSessionsOfUser(const std::string& user_id, const std::string& keep_token_hash) override;
  Result<int64_t> DeleteExpiredSessions(int64_t now_ms) override;

  // Renaming keeps the team's original created_at_ms.
  Status PutTeam(const domain::Team& team) override;
  Status PutTeamIfAbsent(const domain::Team& team) override;
  Result<std::vector<domain::Team>> ListTeams() override;
  Status DeleteTeam(const std::string& team_id) override;

  Status CreateAccount(const domain::Account& account) override;
  Result<domain::Account> GetAccount(const std::string& account_id) override;
  Result<std::vector<domain::Account>> GetAccounts(const std::vector<std::string>& account_ids) override;
  // Also InvalidArgument if filter.limit is outside 1..1000 or filter.offset is negative.
  Result<AccountPage> ListAccounts(const AccountFilter& filter) override;
  Status UpdateAccount(const domain::Account& account, int64_t expected_version) override;
  Result<AccountCounts> CountAccounts() override;

  Result<domain::ContactInfo> GetContactInfo(const std::string& account_id) override;
  Status PutContactInfo(const std::string& account_id, const domain::ContactInfo& info) override;

  Result<domain::QuotaSnapshot> GetQuotaSnapshot(const std::string& account_id, const std::string& region) override;
  // Also InvalidArgument if two values share a quota_code or a value is NaN (nothing is stored).
  Status PutQuotaSnapshot(const domain::QuotaSnapshot& snapshot) override;
  Result<std::vector<domain::QuotaSnapshot>> GetQuotaSnapshots(const std::vector<SnapshotKey>& keys) override;
  // Ordered by account_id, then region.
  Result<SnapshotPage> ListQuotaSnapshots(const std::string& cursor, int64_t limit) override;
  Result<ScopeAggregate> GetFleetAggregate() override;
  Result<std::vector<ScopeAggregate>> GetTeamAggregates(const std::vector<std::string>& teams) override;
  // ValueSortIndex (value_sort_index.h; sqlite_store_sort_index.cc, table quota_sort_rows, migration 19).
  Result<ValueSortPage> ListRowsByValue(const ValueSortQuery& query) override;
  // Maintenance, not part of Store: recomputes the maintained quota aggregates (and the value-sorted index) from the
  // accounts and cached values, all or nothing, in one write transaction. O(fleet). For a database edited by hand
  // (sqlite3) or restored in part; `serve --rebuild-aggregates` calls it before serving.
  Status RebuildAggregates();

  Result<domain::QuotaConfig> GetQuotaConfig() override;
  // Also InvalidArgument if config.version != expected_version + 1 (nothing is stored).
  Status PutQuotaConfig(const domain::QuotaConfig& config, int64_t expected_version) override;

  // Quota history (sqlite_store_history.cc). The entries of one call are written in one transaction.
  Status AppendQuotaHistory(const std::vector<domain::QuotaHistoryEntry>& entries) override;
  Result<QuotaHistoryPage> ListQuotaHistory(const QuotaHistoryFilter& filter) override;
  Status CreateJob(const domain::Job& job) override;
  Result<domain::Job> GetJob(const std::string& job_id) override;
  Result<JobPage> ListJobs(const JobFilter& filter) override;
  Status UpdateJobState(const std::string& job_id, const JobStateChange& change) override;
  Status AddJobItems(const std::string& job_id, const std::vector<domain::JobItem>& items) override;
  Status FinishJobItem(const std::string& job_id, int64_t seq, const JobItemResult& result) override;
  Result<JobItemPage> ListJobItems(const std::string& job_id, const JobItemFilter& filter) override;

  using Store::AppendAudit;
  // kSync runs this one write with synchronous=FULL (the WAL is synced at its commit).
  Result<domain::AuditEntry> AppendAudit(const domain::AuditEntry& entry, Durability durability) override;
  Result<domain::AuditEntry> AppendAuditCoalesced(const domain::AuditEntry& entry, int64_t window_start_ms) override;
  Result<AuditPage> ListAudit(const AuditFilter& filter) override;
  Result<int64_t> DeleteAuditBefore(int64_t cutoff_ms, int64_t limit) override;

  // Login throttle (sqlite_store_throttle.cc). CountLoginAttempt reads and writes the key in one IMMEDIATE
  // transaction, so it is atomic across processes sharing the file as well.
  Result<ThrottleDecision> CountLoginAttempt(const std::string& key, int64_t now_ms,
                                             const LoginThrottlePolicy& policy) override;
  Status RefundLoginAttempt(const std::string& key) override;
  Status ClearLoginFailures(const std::string& key) override;
  Result<LoginThrottle> GetLoginThrottle(const std::string& key, int64_t now_ms) override;
  Result<int64_t> DeleteExpiredLoginThrottles(int64_t now_ms) override;

  // Leases and epochs (sqlite_store_coordination.cc): each call is one IMMEDIATE transaction, so it is atomic
  // across processes sharing the file too.
  Result<Lease> AcquireLease(const std::string& name, const std::string& holder, int64_t now_ms,
                             int64_t ttl_ms) override;
  Result<Lease> RenewLease(const std::string& name, const std::string& holder, int64_t token, int64_t now_ms,
                           int64_t ttl_ms) override;
  Status ReleaseLease(const std::string& name, const std::string& holder, int64_t token) override;
  Result<Lease> GetLease(const std::string& name) override;
  Result<int64_t> BumpEpoch(const std::string& name) override;
  Result<int64_t> GetEpoch(const std::string& name) override;

  // Installation settings (sqlite_store_settings.cc)
  Result<std::string> GetSetting(const std::string& name) override;
  Status PutSettingIfAbsent(const std::string& name, const std::string& value) override;

  // Usage against quota (sqlite_store_usage.cc; tables in migration_usage.cc). PutUsageSnapshot checks the
  // revision and replaces the snapshot and its index entries in one IMMEDIATE transaction. DeleteExpiredUsageHours
  // deletes (by the expires_at index). DeleteAccountUsage deletes every hour record of the account's regions in
  // `regions`, named in a snapshot or not.
  Status PutUsageHours(const std::vector<UsageHour>& hours) override;
  Result<std::vector<UsageHour>> ListUsageHours(const std::string& account_id, const std::string& region,
                                                const std::string& series, int64_t from_hour, int64_t to_hour) override;
  Result<int64_t> DeleteExpiredUsageHours(int64_t now, int64_t limit) override;
  Result<UsageSnapshot> GetUsageSnapshot(const std::string& account_id, const std::string& region) override;
  Result<std::vector<UsageSnapshot>> GetUsageSnapshots(const std::vector<UsageSnapshotKey>& keys) override;
  Result<int64_t> PutUsageSnapshot(const UsageSnapshot& snapshot, int64_t expected_revision) override;
  Status DeleteAccountUsage(const std::string& account_id, const std::vector<std::string>& regions) override;
  Result<HeadroomPage> ListHeadroom(const std::string& team, const std::string& cursor, int64_t limit) override;
  // Alert rules and alerts (sqlite_store_alerts.cc, migration_alerts.cc). Each write is one IMMEDIATE
  // transaction: the rule cap is exact; DeleteAlertRule deletes the rule and its alerts together.
  Result<std::vector<domain::AlertRule>> ListAlertRules() override;
  Result<domain::AlertRule> GetAlertRule(const std::string& id) override;
  Status PutAlertRule(const domain::AlertRule& rule, int64_t expected_version) override;
  Status DeleteAlertRule(const std::string& id, int64_t expected_version) override;
  Result<domain::Alert> GetAlert(const std::string& key) override;
  Result<int64_t> PutAlert(const domain::Alert& alert, int64_t expected_revision) override;
  Result<AlertPage> ListAlerts(const AlertFilter& filter) override;
  Result<std::vector<domain::Alert>> ListPendingAlerts(int64_t before_ms, int64_t limit) override;
  // Alert channels (sqlite_store_alert_channels.cc, migration_alert_channels.cc): one IMMEDIATE transaction per
  // write, so the channel cap is exact.
  Result<std::vector<StoredAlertChannel>> ListAlertChannels() override;
  Result<StoredAlertChannel> GetAlertChannel(const std::string& id) override;
  Status PutAlertChannel(const StoredAlertChannel& channel, int64_t expected_version) override;
  Status DeleteAlertChannel(const std::string& id, int64_t expected_version) override;
  // Quota increase requests (sqlite_store_increases.cc, migration_increases.cc: every write one IMMEDIATE
  // transaction, so the record, its indexes and its uniqueness are exact).
  Status InsertIncreaseRequest(const domain::QuotaIncreaseRequest& req) override;
  Result<domain::QuotaIncreaseRequest> GetIncreaseRequest(const std::string& request_id) override;
  Result<domain::QuotaIncreaseRequest> FindIncreaseRequestByAwsId(const std::string& account_id,
                                                                  const std::string& aws_request_id) override;
  Result<int64_t> UpdateIncreaseRequest(const domain::QuotaIncreaseRequest& req, int64_t expected_version) override;
  Result<IncreaseRequestPage> ListIncreaseRequests(const IncreaseRequestFilter& filter) override;
  Result<IncreaseRequestPage> ListOpenIncreaseRequests(const std::string& cursor, int64_t limit) override;
  Result<int64_t> CountOpenIncreaseRequests(const std::string& account_id) override;
  Result<std::optional<domain::QuotaIncreaseRequest>> FindOpenIncreaseRequest(const std::string& account_id,
                                                                              const std::string& region,
                                                                              const std::string& quota_code) override;

 private:
  class ReadLease;

  SqliteStore(std::unique_ptr<sqlite_internal::Connection> writer,
              std::vector<std::unique_ptr<sqlite_internal::Connection>> readers);

  // Runs fn(Connection&) on the write connection under write_mu_, converting exceptions to Status.
  template <typename Fn>
  auto Write(const char* op, Fn&& fn) -> decltype(fn(std::declval<sqlite_internal::Connection&>()));
  // Runs fn(Connection&) on a pooled read connection (or the writer when there is no pool).
  template <typename Fn>
  auto Read(const char* op, Fn&& fn) -> decltype(fn(std::declval<sqlite_internal::Connection&>()));

  Mutex write_mu_;  // guards the write connection (and, without a read pool, every use of it)
  std::unique_ptr<sqlite_internal::Connection> writer_ PT_GUARDED_BY(write_mu_);

  Mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<sqlite_internal::Connection>> readers_;    // owned; fixed after construction
  std::vector<sqlite_internal::Connection*> idle_ GUARDED_BY(pool_mu_);  // readers not lent out
};

}  // namespace ap::store
