// Scripted fakes of the AWS client interfaces for service unit tests (no sockets). Each quota code answers
// with a value, "no applied value" (NotFound, then the default), or an error; calls are counted.
#pragma once

#include <atomic>
#include <map>
#include <mutex>

#include "aws/clients.h"
#include "call_gate.h"

namespace ap::testing {

class FakeServiceQuotas : public aws::ServiceQuotas {
 public:
  struct Answer {
    std::optional<double> applied;  // nullopt: NotFound (no applied value)
    std::optional<double> aws_default;
    Status error;  // non-OK: GetServiceQuota fails with it
  };

  void Set(const std::string& code, Answer a) {
    std::lock_guard lock(mu_);
    answers_[code] = std::move(a);
  }
  void FailEverything(Status s) {
    std::lock_guard lock(mu_);
    fail_all_ = std::move(s);
  }
  // Calls block until Release() while held (to test coalescing of concurrent refreshes).
  void Hold() { gate_.Hold(); }
  void Release() { gate_.Release(); }
  int get_calls() const { return get_calls_; }
  // Blocks until `n` GetServiceQuota calls have started (e.g. to know a held refresh is under way).
  void WaitForCalls(int n) { gate_.WaitForCalls(n); }
  int default_calls() const { return default_calls_; }

  Result<aws::ServiceQuota> GetServiceQuota(const aws::Credentials& creds, const std::string& region,
                                            const std::string& service_code, const std::string& code) override {
    ++get_calls_;
    gate_.Pass();
    std::lock_guard lock(mu_);
    last_key_ = creds.access_key_id;
    if (!fail_all_.ok()) return fail_all_;
    auto it = answers_.find(code);
    if (it == answers_.end()) return NotFound("NoSuchResourceException: unknown code " + code);
    if (!it->second.error.ok()) return it->second.error;
    if (!it->second.applied) return NotFound("NoSuchResourceException: no applied value");
    return Quota(region, service_code, code, *it->second.applied);
  }
  Result<aws::ServiceQuota> GetAWSDefaultServiceQuota(const aws::Credentials&, const std::string& region,
                                                      const std::string& service_code,
                                                      const std::string& code) override {
    ++default_calls_;
    std::lock_guard lock(mu_);
    auto it = answers_.find(code);
    if (it == answers_.end() || !it->second.aws_default) return NotFound("NoSuchResourceException: " + code);
    return Quota(region, service_code, code, *it->second.aws_default);
  }
  // Listed quotas: (code, name) pairs; applied ones are those with an `applied` answer.
  void SetNames(std::map<std::string, std::string> names) {
    std::lock_guard lock(mu_);
    names_ = std::move(names);
  }
  std::atomic<int> list_calls{0};
  Result<std::vector<aws::ServiceQuota>> ListServiceQuotas(const aws::Credentials&, const std::string& region,
                                                           const std::string& service) override {
    ++list_calls;
    std::lock_guard lock(mu_);
    if (!fail_all_.ok()) return fail_all_;
    std::vector<aws::ServiceQuota> out;
    for (const auto& [code, name] : names_) {
      auto it = answers_.find(code);
      if (it == answers_.end() || !it->second.applied) continue;
      out.push_back(Quota(region, service, code, *it->second.applied));
      out.back().quota_name = name;
    }
    return out;
  }
  Result<std::vector<aws::ServiceQuota>> ListAWSDefaultServiceQuotas(const aws::Credentials&, const std::string& region,
                                                                     const std::string& service) override {
    std::lock_guard lock(mu_);
    if (!fail_all_.ok()) return fail_all_;
    std::vector<aws::ServiceQuota> out;
    for (const auto& [code, name] : names_) {
      out.push_back(Quota(region, service, code, 1));
      out.back().quota_name = name;
    }
    return out;
  }
  // Increase requests: a scripted AWS side. RequestServiceQuotaIncrease fails with `request_error` when set,
  // else stores a PENDING request with id "req-<n>"; GetRequestedServiceQuotaChange answers the stored request
  // (tests move it with SetChangeStatus); the history lists the stored requests of (region, code).
  struct StoredChange {
    std::string region;
    aws::RequestedQuotaChange change;
  };
  Status request_error;
  Status get_change_error;
  std::atomic<int> request_calls{0}, get_change_calls{0}, history_calls{0};
  Result<aws::RequestedQuotaChange> RequestServiceQuotaIncrease(const aws::Credentials&, const std::string& region,
                                                                const std::string& service, const std::string& code,
                                                                double desired) override {
    ++request_calls;
    std::lock_guard lock(mu_);
    if (!request_error.ok()) return request_error;
    aws::RequestedQuotaChange c;
    c.id = "req-" + std::to_string(++change_seq_);
    c.service_code = service;
    c.quota_code = code;
    c.desired_value = desired;
    c.status = "PENDING";
    c.created = c.last_updated = TimePoint(std::chrono::seconds(1764318041));
    changes_[c.id] = {region, c};
    return c;
  }
  // Adds a request "made outside the platform" (returns its id).
  std::string AddExternalChange(const std::string& region, const std::string& code, double desired,
                                const std::string& status) {
    std::lock_guard lock(mu_);
    aws::RequestedQuotaChange c;
    c.id = "ext-" + std::to_string(++change_seq_);
    c.service_code = "bedrock";
    c.quota_code = code;
    c.desired_value = desired;
    c.status = status;
    c.created = c.last_updated = TimePoint(std::chrono::seconds(1764318041));
    changes_[c.id] = {region, c};
    return c.id;
  }
  void SetChangeStatus(const std::string& id, const std::string& status, const std::string& case_id = "") {
    std::lock_guard lock(mu_);
    changes_[id].change.status = status;
    if (!case_id.empty()) changes_[id].change.case_id = case_id;
  }
  Result<std::vector<aws::RequestedQuotaChange>> ListRequestedServiceQuotaChangeHistoryByQuota(
      const aws::Credentials&, const std::string& region, const std::string&, const std::string& code) override {
    ++history_calls;
    std::lock_guard lock(mu_);
    if (!fail_all_.ok()) return fail_all_;
    std::vector<aws::RequestedQuotaChange> out;
    for (const auto& [id, c] : changes_) {
      if (c.region == region && c.change.quota_code == code) out.push_back(c.change);
    }
    return out;
  }
  Result<aws::RequestedQuotaChange> GetRequestedServiceQuotaChange(const aws::Credentials&, const std::string&,
                                                                   const std::string& id) override {
    ++get_change_calls;
    std::lock_guard lock(mu_);
    if (!get_change_error.ok()) return get_change_error;
    auto it = changes_.find(id);
    if (it == changes_.end()) return NotFound("NoSuchResourceException: no request " + id);
    return it->second.change;
  }
  std::string last_key() {
    std::lock_guard lock(mu_);
    return last_key_;
  }

 private:
  static aws::ServiceQuota Quota(const std::string& region, const std::string& service, const std::string& code,
                                 double v) {
    aws::ServiceQuota q;
    q.service_code = service;
    q.quota_code = code;
    q.quota_arn = "arn:aws:servicequotas:" + region + ":123456789012:" + service + "/" + code;
    q.value = v;
    return q;
  }
  CallGate gate_;
  std::mutex mu_;
  Status fail_all_;
  std::map<std::string, Answer> answers_;
  std::map<std::string, std::string> names_;
  std::string last_key_;
  std::atomic<int> get_calls_{0}, default_calls_{0};
  std::map<std::string, StoredChange> changes_;
  int change_seq_ = 0;
};

class FakeSts : public aws::Sts {
 public:
  // The account a key belongs to: "AKIATEST<12 digits>" keys belong to those digits (TestEnv makes such keys);
  // any other key belongs to `account`.
  std::string account = "123456789012";
  std::atomic<int> identity_calls{0};
  std::string AccountOf(const aws::Credentials& creds) const {
    const std::string& k = creds.access_key_id;
    if (k.size() == 20 && k.rfind("AKIATEST", 0) == 0) return k.substr(8);
    if (k.rfind("ASIAASSUMED", 0) == 0 && !assumed_account.empty()) return assumed_account;
    return account;
  }
  std::string assumed_account;  // account of assumed-role credentials (default: `account`)
  std::string required_external_id;
  std::atomic<int> assume_calls{0};
  Status reject;  // non-OK: every call fails with it

  Result<aws::CallerIdentity> GetCallerIdentity(const aws::Credentials& creds, const std::string&) override {
    ++identity_calls;
    if (!reject.ok()) return reject;
    aws::CallerIdentity id;
    id.account = AccountOf(creds);
    id.arn = "arn:aws:iam::" + id.account + ":user/" + creds.access_key_id;
    id.user_id = creds.access_key_id;
    return id;
  }
  Result<aws::Credentials> AssumeRole(const aws::Credentials&, const std::string&,
                                      const aws::AssumeRoleRequest& r) override {
    ++assume_calls;
    if (!reject.ok()) return reject;
    if (r.external_id != required_external_id) return PermissionDenied("AccessDenied: wrong external id");
    aws::Credentials c;
    c.access_key_id = "ASIAASSUMED" + std::to_string(assume_calls.load());
    c.secret_access_key = "assumed-secret-assumed-secret";
    c.session_token = "token";
    c.expiration = TimePoint(std::chrono::seconds(1'700'003'600));
    return c;
  }
};

class FakeIdentity : public aws::CredentialsProvider {
 public:
  Result<aws::Credentials> Get() override {
    aws::Credentials c;
    c.access_key_id = "AKIAPLATFORMIDENTITY";
    c.secret_access_key = "platform-secret-platform-secret";
    return c;
  }
};

}  // namespace ap::testing
