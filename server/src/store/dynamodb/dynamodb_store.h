// DynamoDbStore: the Store on Amazon DynamoDB, for several instances of the platform sharing one truth. Table
// design, item shapes and the access pattern of every operation: docs/dynamodb.md.
//
// No multi-item transactions (DynamoDB Local's stand-in for tests, dynalite, has none, and they cost double):
// every operation's commit point is one conditional single-item write of its *owner* record (an account, a
// snapshot, a job item, a user ...). The records derived from it (index entries, counters, maintained aggregates)
// are written right after, from an *intent* stored on the owner in the same commit write (intent.h): the intent
// is applied idempotently (puts and deletes are naturally so; counter ADDs carry a per-intent guard), then
// cleared. A writer that finds an intent on the owner it is about to change applies it first, so the derived
// writes of one owner happen in commit order; intents left by a crashed writer are found through the sparse
// `intents` index and applied by SweepIntents (run periodically by the server). So, relative to store.h's
// "atomic: all or nothing" clauses: the owner record is atomic; its derived records follow within the writer's
// next few requests (or the next sweep after a crash) and are never applied twice; a reader may briefly see
// them lag the owner. Everything else in store.h holds as written.
//
// Thread safety: safe from many threads and processes. Ownership: references `db`, `clock` and `random`, which
// must outlive the store.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aws/dynamodb.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "store/dynamodb/intent.h"
#include "store/store.h"
#include "store/value_sort_index.h"

namespace ap::store {

struct DynamoDbStoreOptions {
  // Prepended to every table name ("ap-" -> "ap-accounts"). Letters, digits, '_', '-', '.'; at most 200
  // characters. Default "ap-".
  std::string table_prefix = "ap-";
  // Reads that must see the latest write (GetItem, Query on the base table) ask for ConsistentRead. Default true.
  bool consistent_reads = true;
};

// The tables of one prefix (names without the prefix; docs/dynamodb.md describes each).
struct DynamoDbTables {
  std::string accounts;      // "accounts": pk account_id
  std::string quota_cache;   // "quota-cache": pk account_id, sk region
  std::string quota_config;  // "quota-config": pk config_id
  std::string audit;         // "audit": pk audit_id, one GSI per audit filter
  std::string main;          // "main": pk/sk, everything else (users, sessions, indexes, counters, jobs ...)
  static DynamoDbTables WithPrefix(const std::string& prefix);
  std::vector<std::string> all() const { return {accounts, quota_cache, quota_config, audit, main}; }
};

// OK when `prefix` may prefix table names (see DynamoDbStoreOptions::table_prefix); InvalidArgument otherwise.
Status ValidateTablePrefix(const std::string& prefix);

// Creates the tables of `prefix` that do not exist (with their indexes and the `expires_at` TTL attribute where
// the backend supports it) and waits until every table is ACTIVE (polling DescribeTable, at most `timeout`).
// Idempotent: existing tables are left as they are. InvalidArgument for a bad prefix; the DynamoDB error
// otherwise; DeadlineExceeded when a table is not active in time. `progress` (optional) is told each step.
// The tables of `prefix` as CreateDynamoDbTables creates them, for deployment tools (the CDK app builds its tables
// from this: deploy/cdk/generated/tables.json): {"table_prefix", "ttl_attribute": "expires_at", "tables": [{"suffix",
// "create_table": <the CreateTable request>, "time_to_live": <whether TTL is enabled on ttl_attribute>}]}, in the
// order accounts, quota-cache, quota-config, audit, main. Does not validate `prefix`.
boost::json::object DynamoDbTableDefinitions(const std::string& prefix);

Status CreateDynamoDbTables(aws::DynamoDb& db, const std::string& prefix, Duration timeout,
                            const std::function<void(const std::string&)>& progress = nullptr);

class DynamoDbStore final : public Store, public ValueSortIndex {
 public:
  // A store on the tables of options.table_prefix (which must exist: CreateDynamoDbTables). InvalidArgument for
  // a bad prefix. Does not contact DynamoDB (Ping does).
  static Result<std::unique_ptr<DynamoDbStore>> Open(aws::DynamoDb& db, const Clock& clock, Random& random,
                                                     const DynamoDbStoreOptions& options);
  ~DynamoDbStore() override;
  DynamoDbStore(const DynamoDbStore&) = delete;
  DynamoDbStore& operator=(const DynamoDbStore&) = delete;

  // ---- Store (contracts in store/*.h, with the intent clause of the file comment) ----
  // DescribeTable of the main table.
  Status Ping() override;

  // Users, teams, sessions (dynamodb_store_users.cc)
  Status CreateUser(const domain::User& user) override;
  Result<domain::User> GetUser(const std::string& user_id) override;
  Result<domain::User> GetUserByEmail(const std::string& email) override;
  Result<UserPage> ListUsers(const std::string& cursor, int64_t limit) override;
  Status UpdateUser(const domain::User& user) override;
  Status DeleteUser(const std::string& user_id) override;
  Result<int64_t> CountUsers() override;
  Result<int64_t> CountEnabledAdmins() override;
  Status PutTeam(const domain::Team& team) override;
  Status PutTeamIfAbsent(const domain::Team& team) override;
  Result<std::vector<domain::Team>> ListTeams() override;
  Status DeleteTeam(const std::string& team_id) override;
  Status CreateSession(const domain::Session& session, int max_sessions_per_user) override;
  Result<domain::Session> GetSession(const std::string& token_hash) override;
  Status DeleteSession(const std::string& token_hash) override;
  Status DeleteSessionsOfUser(const std::string& user_id) override;
  Status DeleteOtherSessionsOfUser(const std::string& user_id, const std::string& keep_token_hash) override;
  Result<int64_t> DeleteExpiredSessions(int64_t now_ms) override;

  // Accounts and contact information (dynamodb_store_accounts.cc)
  Status CreateAccount(const domain::Account& account) override;
  Result<domain::Account> GetAccount(const std::string& account_id) override;
  Result<std::vector<domain::Account>> GetAccounts(const std::vector<std::string>& account_ids) override;
  Result<AccountPage> ListAccounts(const AccountFilter& filter) override;
  Status UpdateAccount(const domain::Account& account, int64_t expected_version) override;
  Result<AccountCounts> CountAccounts() override;
  Result<domain::ContactInfo> GetContactInfo(const std::string& account_id) override;
  Status PutContactInfo(const std::string& account_id, const domain::ContactInfo& info) override;

  // Quota cache, aggregates, config (dynamodb_store_quota.cc, dynamodb_store_aggregates.cc)
  Result<domain::QuotaSnapshot> GetQuotaSnapshot(const std::string& account_id, const std::string& region) override;
  Result<std::vector<domain::QuotaSnapshot>> GetQuotaSnapshots(const std::vector<SnapshotKey>& keys) override;
  Status PutQuotaSnapshot(const domain::QuotaSnapshot& snapshot) override;
  Result<SnapshotPage> ListQuotaSnapshots(const std::string& cursor, int64_t limit) override;
  Result<ScopeAggregate> GetFleetAggregate() override;
  Result<std::vector<ScopeAggregate>> GetTeamAggregates(const std::vector<std::string>& teams) override;
  Result<domain::QuotaConfig> GetQuotaConfig() override;
  Status PutQuotaConfig(const domain::QuotaConfig& config, int64_t expected_version) override;

  // Quota history (dynamodb_store_history.cc)
  Status AppendQuotaHistory(const std::vector<domain::QuotaHistoryEntry>& entries) override;
  Result<QuotaHistoryPage> ListQuotaHistory(const QuotaHistoryFilter& filter) override;

  // Fleet jobs (dynamodb_store_jobs.cc)
  Status CreateJob(const domain::Job& job) override;
  Result<domain::Job> GetJob(const std::string& job_id) override;
  Result<JobPage> ListJobs(const JobFilter& filter) override;
  Status UpdateJobState(const std::string& job_id, const JobStateChange& change) override;
  Status AddJobItems(const std::string& job_id, const std::vector<domain::JobItem>& items) override;
  Status FinishJobItem(const std::string& job_id, int64_t seq, const JobItemResult& result) override;
  Result<JobItemPage> ListJobItems(const std::string& job_id, const JobItemFilter& filter) override;

  // Audit log (dynamodb_store_audit.cc). Durability::kSync is the same as kNormal: DynamoDB acknowledges a
  // write once it is durable in several availability zones.
  using Store::AppendAudit;
  Result<domain::AuditEntry> AppendAudit(const domain::AuditEntry& entry, Durability durability) override;
  Result<domain::AuditEntry> AppendAuditCoalesced(const domain::AuditEntry& entry, int64_t window_start_ms) override;
  Result<AuditPage> ListAudit(const AuditFilter& filter) override;
  Result<int64_t> DeleteAuditBefore(int64_t cutoff_ms, int64_t limit) override;

  // Login throttle (dynamodb_store_throttle.cc)
  Result<ThrottleDecision> CountLoginAttempt(const std::string& key, int64_t now_ms,
                                             const LoginThrottlePolicy& policy) override;
  Status RefundLoginAttempt(const std::string& key) override;
  Status ClearLoginFailures(const std::string& key) override;
  Result<LoginThrottle> GetLoginThrottle(const std::string& key, int64_t now_ms) override;
  Result<int64_t> DeleteExpiredLoginThrottles(int64_t now_ms) override;

  // Leases and epochs (dynamodb_store_coordination.cc)
  Result<Lease> AcquireLease(const std::string& name, const std::string& holder, int64_t now_ms,
                             int64_t ttl_ms) override;
  Result<Lease> RenewLease(const std::string& name, const std::string& holder, int64_t token, int64_t now_ms,
                           int64_t ttl_ms) override;
  Status ReleaseLease(const std::string& name, const std::string& holder, int64_t token) override;
  Result<Lease> GetLease(const std::string& name) override;
  Result<int64_t> BumpEpoch(const std::string& name) override;
  Result<int64_t> GetEpoch(const std::string& name) override;

  // Installation settings (dynamodb_store_settings.cc)
  Result<std::string> GetSetting(const std::string& name) override;
  Status PutSettingIfAbsent(const std::string& name, const std::string& value) override;

  // Usage against quota (dynamodb_store_usage.cc; items in docs/dynamodb.md "Usage"). DeleteExpiredUsageHours
  // returns 0: the TTL on expires_at removes hour records. DeleteAccountUsage deletes the hour records of the series
  // each snapshot names; hour records of other series (none named them) are left to the TTL.
  Status PutUsageHours(const std::vector<UsageHour>& hours) override;
  Result<std::vector<UsageHour>> ListUsageHours(const std::string& account_id, const std::string& region,
                                                const std::string& series, int64_t from_hour, int64_t to_hour) override;
  Result<int64_t> DeleteExpiredUsageHours(int64_t now, int64_t limit) override;
  Result<UsageSnapshot> GetUsageSnapshot(const std::string& account_id, const std::string& region) override;
  Result<std::vector<UsageSnapshot>> GetUsageSnapshots(const std::vector<UsageSnapshotKey>& keys) override;
  Result<int64_t> PutUsageSnapshot(const UsageSnapshot& snapshot, int64_t expected_revision) override;
  Status DeleteAccountUsage(const std::string& account_id, const std::vector<std::string>& regions) override;
  Result<HeadroomPage> ListHeadroom(const std::string& team, const std::string& cursor, int64_t limit) override;
  // Alert rules and alerts (dynamodb_store_alerts.cc; docs/dynamodb.md "Alerts"). Lists of alerts read the
  // eventually consistent gsi1 / gsi2 or the rule's derived index records: a write may show in them a moment late.
  Result<std::vector<domain::AlertRule>> ListAlertRules() override;
  Result<domain::AlertRule> GetAlertRule(const std::string& id) override;
  Status PutAlertRule(const domain::AlertRule& rule, int64_t expected_version) override;
  Status DeleteAlertRule(const std::string& id, int64_t expected_version) override;
  Result<domain::Alert> GetAlert(const std::string& key) override;
  Result<int64_t> PutAlert(const domain::Alert& alert, int64_t expected_revision) override;
  Result<AlertPage> ListAlerts(const AlertFilter& filter) override;
  Result<std::vector<domain::Alert>> ListPendingAlerts(int64_t before_ms, int64_t limit) override;
  // Alert channels (dynamodb_store_alert_channels.cc; docs/dynamodb.md "Alert channels"): one item each in the
  // main table, read with one Query.
  Result<std::vector<StoredAlertChannel>> ListAlertChannels() override;
  Result<StoredAlertChannel> GetAlertChannel(const std::string& id) override;
  Status PutAlertChannel(const StoredAlertChannel& channel, int64_t expected_version) override;
  Status DeleteAlertChannel(const std::string& id, int64_t expected_version) override;
  // Quota increase requests (dynamodb_store_increases.cc; docs/dynamodb.md "Quota increase
  // requests")).
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

  // ---- ValueSortIndex (dynamodb_store_sort_index.cc; items in docs/dynamodb.md "Value-sorted index") ----
  // The entries follow their snapshot (and, through its recount, their account) as the aggregates do: written by
  // the snapshot write's intent, so they may lag it briefly (until the next sweep after a crash), and the scopes'
  // pages are separate Queries, not one snapshot of the index.
  Result<ValueSortPage> ListRowsByValue(const ValueSortQuery& query) override;

  // ---- Maintenance, not part of Store ----
  // Finishes the intents committed at or before now - older_than by writers that stopped part-way (see the file
  // comment), at most `limit` of them, found through the sparse `intents` index of each owner table (never a
  // scan); returns how many it finished. An intent whose writer's claim has not expired is left alone (that writer
  // may still be working). Idempotent: several instances may run it at once. The server runs it every few seconds.
  // InvalidArgument("limit") below 1.
  Result<int64_t> SweepIntents(Duration older_than, int64_t limit);
  // Recomputes the maintained quota aggregates and account counts from the accounts and snapshots (a full walk,
  // O(fleet): for `serve --rebuild-aggregates` and `migrate`, never a request path) and rewrites the counter
  // items that differ; likewise the user counters from the users (ddb::RecountUserCounters); then RebuildSortIndex.
  // Returns how many counter items, user counters and value-sort entries were corrected (0: no drift).
  Result<int64_t> RebuildAggregates();
  // Makes the value-sorted index (ListRowsByValue) what the accounts and snapshots give: recounts each snapshot
  // whose recorded index state is not its account's (its intent moves its entries), then deletes the entries no
  // snapshot has and puts the missing ones (each re-checked against its snapshot as it is now). Scans of accounts,
  // quota-cache and the SORT# items of `main`: O(fleet), for RebuildAggregates (`serve --rebuild-aggregates`,
  // `migrate`) and EnsureAccountNameKeys, never a request path. Returns how many snapshots and entries it corrected.
  Result<int64_t> RebuildSortIndex();
  // Makes every account list and search entry on `main` the one AccountIndexEntries gives now (name_key =
  // CollationKey of the name): deletes the entries of each index partition that no account has (re-reading the
  // account first, so that a concurrent write's entry is kept) and puts the missing ones. A Scan of `accounts` and a
  // Query of every index partition: O(fleet), for EnsureAccountNameKeys, `serve --rebuild-aggregates` and
  // `migrate`, never a request path. Returns how many entries it put or deleted.
  Result<int64_t> RebuildAccountIndex();
  // Startup check (app/platform.cc): OK at once when the setting ddb::NameKeySetting() (this binary's
  // CollationVersion() and search-term scheme ddb::kTermScheme) exists. Otherwise the instance that takes the lease
  // "account-name-keys" runs RebuildAccountIndex and then records the setting; an instance that finds the lease held
  // waits (polling once a second) until the setting appears or the lease frees (then it takes it itself), at most
  // `max_wait`, after which it returns OK and serves anyway (lists skip entries whose key is not the account's current
  // one, so accounts whose entries are not rebuilt yet are missing from lists until the holder finishes). Errors of the
  // store calls are returned.
  Status EnsureAccountNameKeys(Duration max_wait);

  const DynamoDbTables& tables() const { return tables_; }

 private:
  DynamoDbStore(aws::DynamoDb& db, const Clock& clock, Random& random, DynamoDbStoreOptions options);

  // Runs a follow-up instruction of an intent (intent.h), e.g. "recount <account_id> <region>"
  // (dynamodb_store_quota.cc). Idempotent.
  Status RunFollowUp(const std::string& instruction);

  // Area helpers keep their private functions in their own .cc files (anonymous namespaces) or in
  // store/dynamodb/<area>_internal.h, taking the members below as arguments, so that areas do not edit this header.
  aws::DynamoDb& db_;
  const Clock& clock_;
  Random& random_;
  const DynamoDbStoreOptions options_;
  const DynamoDbTables tables_;
  ddb::IntentRunner intents_;  // its follow-ups call RunFollowUp
};

}  // namespace ap::store
