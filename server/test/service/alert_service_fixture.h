// The fixture of the AlertService tests (alert_service_test.cc, alert_service_channels_test.cc): the test graph
// with two accounts (team-a, team-b), an AlertService over it whose ChannelSender posts through a scripted poster.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "aws/testing/fake_sleeper.h"
#include "service/alert_service.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service::alert_service_test {

using domain::AlertChannelKind;
using domain::AlertCondition;
using domain::AlertRule;
using domain::AlertScope;

constexpr char kAccountA[] = "111111111111";  // team-a
constexpr char kAccountB[] = "222222222222";  // team-b
constexpr char kSecret[] = "whsec_0123456789abcdef";

class ScriptedPoster final : public WebhookPoster {
 public:
  Result<WebhookResponse> Post(const WebhookRequest& request) override {
    sent.push_back(request);
    if (statuses.empty()) return Unavailable("connection refused");
    WebhookResponse r{statuses.front(), std::nullopt};
    statuses.pop_front();
    return r;
  }
  std::vector<WebhookRequest> sent;
  std::deque<int> statuses;
};

class UnusedSns final : public aws::Sns {
 public:
  Result<std::string> Publish(const aws::Credentials&, const std::string&, const std::string&, const std::string&,
                              const std::string&) override {
    return Unavailable("not in this test");
  }
};

class AlertServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(kAccountA, {"team-a"})).status());
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(kAccountB, {"team-b"})).status());
    sender = std::make_unique<ChannelSender>(poster, sns, env.identity, env.clock, env.random, sleeper);
    alerts = std::make_unique<AlertService>(*env.store, env.clock, env.random, *env.sealer, *env.audit, *env.auth,
                                            *env.accounts, *env.quota_config, *env.authorizer, sender.get());
  }

  AlertRule HeadroomRule(std::vector<std::string> channels = {}) {
    AlertRule r;
    r.name = "TPM headroom below 20 %";
    r.condition = AlertCondition::kHeadroomBelow;
    r.threshold = 0.2;
    r.window = domain::UsageWindow::k24h;
    r.channel_ids = std::move(channels);
    return r;
  }
  AlertChannelInput WebhookInput(std::string url = "http://127.0.0.1:9/hook?token=t0ps3cret") {
    AlertChannelInput in;
    in.kind = AlertChannelKind::kWebhook;
    in.name = "ops hook";
    in.url = std::move(url);
    in.secret = kSecret;
    return in;
  }
  // Stores an alert of rule `rule_id` on `account` directly (the evaluator's job).
  domain::Alert PutAlert(const std::string& rule_id, const std::string& account,
                         domain::AlertState state = domain::AlertState::kFiring) {
    domain::Alert a;
    a.rule_id = rule_id;
    a.target = {account, "us-east-1", "claude"};
    a.key = domain::AlertKey(rule_id, a.target);
    a.state = state;
    a.started_at_ms = env.clock.NowUnixMillis();
    if (state == domain::AlertState::kResolved) a.resolved_at_ms = a.started_at_ms;
    a.summary = "TPM headroom 12 %";
    Result<int64_t> rev = env.store->PutAlert(a, 0);
    EXPECT_OK(rev.status());
    a.revision = rev.ok() ? *rev : 0;
    return a;
  }
  std::vector<domain::AuditEntry> Audit(const std::string& action) {
    store::AuditFilter f;
    f.action = action;
    auto page = env.store->ListAudit(f);
    EXPECT_OK(page.status());
    return page.ok() ? page->items : std::vector<domain::AuditEntry>{};
  }

  testing::TestEnv env;
  ScriptedPoster poster;
  UnusedSns sns;
  aws::testing::FakeSleeper sleeper{&env.clock};
  std::unique_ptr<ChannelSender> sender;
  std::unique_ptr<AlertService> alerts;
};

}  // namespace ap::service::alert_service_test
