// RecordingStore: a Store that forwards every call to another store, records how audit entries were appended,
// counts account listings and can fail durable audit appends. For service tests that check what a use case asks of the
// store.
//
// Thread safety: as the wrapped store for forwarded calls; the recording itself is guarded by a mutex.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

namespace ap::testing {

class RecordingStore final : public store::Store {
 public:
  struct AuditWrite {
    std::string action;
    store::Durability durability = store::Durability::kNormal;
    bool coalesced = false;
  };

  explicit RecordingStore(store::Store& inner) : inner_(inner) {}

  // When true, AppendAudit with Durability::kSync fails with Unavailable and stores nothing.
  void FailDurableAppends(bool fail) {
    std::lock_guard lock(mu_);
    fail_durable_ = fail;
  }
  std::vector<AuditWrite> audit_writes() const {
    std::lock_guard lock(mu_);
    return writes_;
  }

  // The deletions of users and of their sessions that reached the store, in call order ("DeleteUser <id>",
  // "DeleteSessionsOfUser <id>"): the store cascades nothing, so a service must ask for both.
  std::vector<std::string> deletions() const {
    std::lock_guard lock(mu_);
    return deletions_;
  }

  // How many ListAccounts calls reached the store.
  int list_accounts_calls() const {
    std::lock_guard lock(mu_);
    return list_accounts_calls_;
  }
  Result<store::AccountPage> ListAccounts(const store::AccountFilter& f) override {
    {
      std::lock_guard lock(mu_);
      ++list_accounts_calls_;
    }
    return inner_.ListAccounts(f);
  }

  using store::Store::AppendAudit;
  Result<domain::AuditEntry> AppendAudit(const domain::AuditEntry& entry, store::Durability durability) override {
    {
      std::lock_guard lock(mu_);
      writes_.push_back({entry.action, durability, false});
      if (fail_durable_ && durability == store::Durability::kSync) return Unavailable("injected: fsync failed");
    }
    return inner_.AppendAudit(entry, durability);
  }
  Result<domain::AuditEntry> AppendAuditCoalesced(const domain::AuditEntry& entry, int64_t window_start_ms) override {
    {
      std::lock_guard lock(mu_);
      writes_.push_back({entry.action, store::Durability::kNormal, true});
    }
    return inner_.AppendAuditCoalesced(entry, window_start_ms);
  }

  // ---- forwarded as is ----
  Status Ping() override { return inner_.Ping(); }
  Status CreateUser(const domain::User& u) override { return inner_.CreateUser(u); }
  Result<domain::User> GetUser(const std::string& id) override { return inner_.GetUser(id); }
  Result<domain::User> GetUserByEmail(const std::string& e) override { return inner_.GetUserByEmail(e); }
  Result<store::UserPage> ListUsers(const std::string& cursor, int64_t limit) override {
    return inner_.ListUsers(cursor, limit);
  }
  Status UpdateUser(const domain::User& u) override { return inner_.UpdateUser(u); }
  Status DeleteUser(const std::string& id) override {
    Note("DeleteUser " + id);
    return inner_.DeleteUser(id);
  }
  Result<int64_t> CountUsers() override { return inner_.CountUsers(); }
  Result<int64_t> CountEnabledAdmins() override { return inner_.CountEnabledAdmins(); }
  Status CreateSession(const domain::Session& s, int max) override { return inner_.CreateSession(s, max); }
  Result<domain::Session> GetSession(const std::string& h) override { return inner_.GetSession(h); }
  Status DeleteSession(const std::string& h) override { return inner_.DeleteSession(h); }
  Status DeleteSessionsOfUser(const std::string& id) override {
    Note("DeleteSessionsOfUser " + id);
    return inner_.DeleteSessionsOfUser(id);
  }
  Result<int64_t> DeleteExpiredSessions(int64_t now_ms) override { return inner_.DeleteExpiredSessions(now_ms); }
  Status PutTeam(const domain::Team& t) override { return inner_.PutTeam(t); }
  Status PutTeamIfAbsent(const domain::Team& t) override { return inner_.PutTeamIfAbsent(t); }
  Result<std::vector<domain::Team>> ListTeams() override { return inner_.ListTeams(); }
  Status DeleteTeam(const std::string& id) override { return inner_.DeleteTeam(id); }
  Status CreateAccount(const domain::Account& a) override { return inner_.CreateAccount(a); }
  Result<domain::Account> GetAccount(const std::string& id) override { return inner_.GetAccount(id); }
  Status UpdateAccount(const domain::Account& a, int64_t v) override { return inner_.UpdateAccount(a, v); }
  Result<store::AccountCounts> CountAccounts() override { return inner_.CountAccounts(); }
  Result<domain::ContactInfo> GetContactInfo(const std::string& id) override { return inner_.GetContactInfo(id); }
  Status PutContactInfo(const std::string& id, const domain::ContactInfo& c) override {
    return inner_.PutContactInfo(id, c);
  }
  Result<domain::QuotaSnapshot> GetQuotaSnapshot(const std::string& id, const std::string& r) override {
    return inner_.GetQuotaSnapshot(id, r);
  }
  Status PutQuotaSnapshot(const domain::QuotaSnapshot& s) override { return inner_.PutQuotaSnapshot(s); }
  Result<std::vector<domain::QuotaSnapshot>> GetQuotaSnapshots(const std::vector<store::SnapshotKey>& k) override {
    return inner_.GetQuotaSnapshots(k);
  }
  Result<store::SnapshotPage> ListQuotaSnapshots(const std::string& cursor, int64_t limit) override {
    return inner_.ListQuotaSnapshots(cursor, limit);
  }
  Result<store::ScopeAggregate> GetFleetAggregate() override { return inner_.GetFleetAggregate(); }
  Result<std::vector<store::ScopeAggregate>> GetTeamAggregates(const std::vector<std::string>& teams) override {
    return inner_.GetTeamAggregates(teams);
  }
  Result<domain::QuotaConfig> GetQuotaConfig() override { return inner_.GetQuotaConfig(); }
  Status PutQuotaConfig(const domain::QuotaConfig& c, int64_t v) override { return inner_.PutQuotaConfig(c, v); }
  Status AppendQuotaHistory(const std::vector<domain::QuotaHistoryEntry>& e) override {
    return inner_.AppendQuotaHistory(e);
  }
  Result<store::QuotaHistoryPage> ListQuotaHistory(const store::QuotaHistoryFilter& f) override {
    return inner_.ListQuotaHistory(f);
  }
  Status CreateJob(const domain::Job& j) override { return inner_.CreateJob(j); }
  Result<domain::Job> GetJob(const std::string& id) override { return inner_.GetJob(id); }
  Result<store::JobPage> ListJobs(const store::JobFilter& f) override { return inner_.ListJobs(f); }
  Status UpdateJobState(const std::string& id, const store::JobStateChange& c) override {
    return inner_.UpdateJobState(id, c);
  }
  Status AddJobItems(const std::string& id, const std::vector<domain::JobItem>& items) override {
    return inner_.AddJobItems(id, items);
  }
  Status FinishJobItem(const std::string& id, int64_t seq, const store::JobItemResult& r) override {
    return inner_.FinishJobItem(id, seq, r);
  }
  Result<store::JobItemPage> ListJobItems(const std::string& id, const store::JobItemFilter& f) override {
    return inner_.ListJobItems(id, f);
  }
  Result<store::AuditPage> ListAudit(const store::AuditFilter& f) override { return inner_.ListAudit(f); }
  Result<int64_t> DeleteAuditBefore(int64_t cutoff_ms, int64_t limit) override {
    return inner_.DeleteAuditBefore(cutoff_ms, limit);
  }
  Result<store::ThrottleDecision> CountLoginAttempt(const std::string& key, int64_t now_ms,
                                                    const store::LoginThrottlePolicy& policy) override {
    return inner_.CountLoginAttempt(key, now_ms, policy);
  }
  Status RefundLoginAttempt(const std::string& key) override { return inner_.RefundLoginAttempt(key); }
  Status ClearLoginFailures(const std::string& key) override { return inner_.ClearLoginFailures(key); }
  Result<store::LoginThrottle> GetLoginThrottle(const std::string& key, int64_t now_ms) override {
    return inner_.GetLoginThrottle(key, now_ms);
  }
  Result<int64_t> DeleteExpiredLoginThrottles(int64_t now_ms) override {
    return inner_.DeleteExpiredLoginThrottles(now_ms);
  }
  Result<store::Lease> AcquireLease(const std::string& name, const std::string& holder, int64_t now_ms,
                                    int64_t ttl_ms) override {
    return inner_.AcquireLease(name, holder, now_ms, ttl_ms);
  }
  Result<store::Lease> RenewLease(const std::string& name, const std::string& holder, int64_t token, int64_t now_ms,
                                  int64_t ttl_ms) override {
    return inner_.RenewLease(name, holder, token, now_ms, ttl_ms);
  }
  Status ReleaseLease(const std::string& name, const std::string& holder, int64_t token) override {
    return inner_.ReleaseLease(name, holder, token);
  }
  Result<store::Lease> GetLease(const std::string& name) override { return inner_.GetLease(name); }
  Result<int64_t> BumpEpoch(const std::string& name) override { return inner_.BumpEpoch(name); }
  Result<int64_t> GetEpoch(const std::string& name) override { return inner_.GetEpoch(name); }
  Result<std::string> GetSetting(const std::string& name) override { return inner_.GetSetting(name); }
  Status PutSettingIfAbsent(const std::string& name, const std::string& value) override {
    return inner_.PutSettingIfAbsent(name, value);
  }

  Status PutUsageHours(const std::vector<store::UsageHour>& hours) override { return inner_.PutUsageHours(hours); }
  Result<std::vector<store::UsageHour>> ListUsageHours(const std::string& account_id, const std::string& region,
                                                       const std::string& series, int64_t from_hour,
                                                       int64_t to_hour) override {
    return inner_.ListUsageHours(account_id, region, series, from_hour, to_hour);
  }
  Result<int64_t> DeleteExpiredUsageHours(int64_t now, int64_t limit) override {
    return inner_.DeleteExpiredUsageHours(now, limit);
  }
  Result<store::UsageSnapshot> GetUsageSnapshot(const std::string& account_id, const std::string& region) override {
    return inner_.GetUsageSnapshot(account_id, region);
  }
  Result<std::vector<store::UsageSnapshot>> GetUsageSnapshots(const std::vector<store::UsageSnapshotKey>& k) override {
    return inner_.GetUsageSnapshots(k);
  }
  Result<int64_t> PutUsageSnapshot(const store::UsageSnapshot& snapshot, int64_t expected_revision) override {
    return inner_.PutUsageSnapshot(snapshot, expected_revision);
  }
  Status DeleteAccountUsage(const std::string& account_id, const std::vector<std::string>& regions) override {
    return inner_.DeleteAccountUsage(account_id, regions);
  }
  Result<store::HeadroomPage> ListHeadroom(const std::string& team, const std::string& cursor, int64_t limit) override {
    return inner_.ListHeadroom(team, cursor, limit);
  }
  Result<std::vector<domain::AlertRule>> ListAlertRules() override { return inner_.ListAlertRules(); }
  Result<domain::AlertRule> GetAlertRule(const std::string& id) override { return inner_.GetAlertRule(id); }
  Status PutAlertRule(const domain::AlertRule& rule, int64_t expected_version) override {
    return inner_.PutAlertRule(rule, expected_version);
  }
  Status DeleteAlertRule(const std::string& id, int64_t expected_version) override {
    return inner_.DeleteAlertRule(id, expected_version);
  }
  Result<domain::Alert> GetAlert(const std::string& key) override { return inner_.GetAlert(key); }
  Result<int64_t> PutAlert(const domain::Alert& alert, int64_t expected_revision) override {
    return inner_.PutAlert(alert, expected_revision);
  }
  Result<store::AlertPage> ListAlerts(const store::AlertFilter& filter) override { return inner_.ListAlerts(filter); }
  Result<std::vector<domain::Alert>> ListPendingAlerts(int64_t before_ms, int64_t limit) override {
    return inner_.ListPendingAlerts(before_ms, limit);
  }
  Result<std::vector<store::StoredAlertChannel>> ListAlertChannels() override { return inner_.ListAlertChannels(); }
  Result<store::StoredAlertChannel> GetAlertChannel(const std::string& id) override {
    return inner_.GetAlertChannel(id);
  }
  Status PutAlertChannel(const store::StoredAlertChannel& channel, int64_t expected_version) override {
    return inner_.PutAlertChannel(channel, expected_version);
  }
  Status DeleteAlertChannel(const std::string& id, int64_t expected_version) override {
    return inner_.DeleteAlertChannel(id, expected_version);
  }
  Status InsertIncreaseRequest(const domain::QuotaIncreaseRequest& req) override {
    return inner_.InsertIncreaseRequest(req);
  }
  Result<domain::QuotaIncreaseRequest> GetIncreaseRequest(const std::string& request_id) override {
    return inner_.GetIncreaseRequest(request_id);
  }
  Result<domain::QuotaIncreaseRequest> FindIncreaseRequestByAwsId(const std::string& account_id,
                                                                  const std::string& aws_request_id) override {
    return inner_.FindIncreaseRequestByAwsId(account_id, aws_request_id);
  }
  Result<int64_t> UpdateIncreaseRequest(const domain::QuotaIncreaseRequest& req, int64_t expected_version) override {
    return inner_.UpdateIncreaseRequest(req, expected_version);
  }
  Result<store::IncreaseRequestPage> ListIncreaseRequests(const store::IncreaseRequestFilter& filter) override {
    return inner_.ListIncreaseRequests(filter);
  }
  Result<store::IncreaseRequestPage> ListOpenIncreaseRequests(const std::string& cursor, int64_t limit) override {
    return inner_.ListOpenIncreaseRequests(cursor, limit);
  }
  Result<int64_t> CountOpenIncreaseRequests(const std::string& account_id) override {
    return inner_.CountOpenIncreaseRequests(account_id);
  }
  Result<std::optional<domain::QuotaIncreaseRequest>> FindOpenIncreaseRequest(const std::string& account_id,
                                                                              const std::string& region,
                                                                              const std::string& quota_code) override {
    return inner_.FindOpenIncreaseRequest(account_id, region, quota_code);
  }

 private:
  void Note(std::string call) {
    std::lock_guard lock(mu_);
    deletions_.push_back(std::move(call));
  }

  store::Store& inner_;
  mutable std::mutex mu_;
  bool fail_durable_ = false;
  int list_accounts_calls_ = 0;
  std::vector<AuditWrite> writes_;
  std::vector<std::string> deletions_;
};

}  // namespace ap::testing
