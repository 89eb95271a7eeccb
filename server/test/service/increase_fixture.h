// A QuotaIncreaseService on the TestEnv (in-memory SQLite store) with a scripted FakeServiceQuotas: one account
// (kAccount, team "ops", region us-east-1) whose Sonnet 4.5 TPM value is cached at 1000. The test catalogue says
// Opus 4.5's RPM code is not adjustable (test_env.h). Approvals (on_approved) are counted in `approvals`.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "fake_aws.h"
#include "service/quota_increase_service.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::testing {

class IncreaseFixture : public ::testing::Test {
 protected:
  static constexpr const char* kAccount = "123456789012";
  static constexpr const char* kSonnetTpm = "L-27C57EE8";
  static constexpr const char* kSonnetRpm = "L-DB84CE56";

  struct Setup {
    bool users_may_request = false;
    int64_t max_open = 20;
  };

  IncreaseFixture() : creds(*env.accounts, env.assumer, env.clock) { Build({}); }

  void Build(Setup setup) {
    svc.reset();
    service::AuthorizerOptions ao;
    ao.users_may_request = setup.users_may_request;
    authorizer = std::make_unique<service::Authorizer>(*env.accounts, ao);
    service::IncreaseOptions io;
    io.max_open_per_account = setup.max_open;
    io.on_approved = [this](const std::string&, const std::string&) { ++approvals; };
    svc =
        std::make_unique<service::QuotaIncreaseService>(*env.accounts, *env.quota_config, *env.quota, creds, quotas,
                                                        *env.store, *authorizer, *env.audit, env.clock, env.random, io);
  }

  void SetUp() override {
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(kAccount, {"ops"})));
    SetCached("us-east-1", kSonnetTpm, 1000);
  }

  // Caches `value` (state ok) for one code of kAccount, keeping the other cached values.
  void SetCached(const std::string& region, const std::string& code, double value) {
    auto current = env.quota->Snapshot(kAccount, region);
    ASSERT_OK(current);
    domain::QuotaSnapshot s = current.ok() && *current ? **current : domain::QuotaSnapshot{};
    s.account_id = kAccount;
    s.region = region;
    domain::QuotaValue v;
    v.quota_code = code;
    v.value = value;
    v.state = domain::QuotaState::kOk;
    v.read_at_ms = v.attempted_at_ms = env.clock.NowUnixMillis();
    std::erase_if(s.values, [&](const domain::QuotaValue& x) { return x.quota_code == code; });
    s.values.push_back(v);
    std::sort(s.values.begin(), s.values.end(),
              [](const domain::QuotaValue& a, const domain::QuotaValue& b) { return a.quota_code < b.quota_code; });
    ASSERT_OK(env.quota->PutSnapshot(s));
  }

  static service::IncreaseSpec Spec(std::string dimension, double desired) {
    service::IncreaseSpec s;
    s.model_id = "claude-sonnet-4.5-v1";
    s.dimension = std::move(dimension);
    s.desired_value = desired;
    return s;
  }

  TestEnv env;
  FakeServiceQuotas quotas;
  service::AccountCredentials creds;
  std::unique_ptr<service::Authorizer> authorizer;
  std::atomic<int> approvals{0};
  std::unique_ptr<service::QuotaIncreaseService> svc;
};

}  // namespace ap::testing
