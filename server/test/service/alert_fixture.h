// The alert tests' fixture: a real in-memory SqliteStore with a fake clock, a thread-safe scripted webhook poster,
// an in-memory channel directory (AlertChannelDirectory) and two evaluating instances. Shared by
// alert_evaluator_test.cc, alert_backoff_test.cc and alert_runner_test.cc.
#pragma once

#include "service/alert_evaluator.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "aws/testing/fake_sleeper.h"
#include "latch.h"
#include "status_matchers.h"
#include "store/sqlite/sqlite_store.h"

namespace ap::service::testing_alerts {

using domain::Alert;
using domain::AlertNotice;
using domain::AlertRule;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kAccount[] = "123456789012";
constexpr char kRegion[] = "us-east-1";
constexpr char kModel[] = "anthropic.claude-sonnet-4-5";

class Poster final : public WebhookPoster {
 public:
  Result<WebhookResponse> Post(const WebhookRequest& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    sent_.push_back(request);
    if (script_.empty()) return WebhookResponse{200, std::nullopt};
    Result<WebhookResponse> next = std::move(script_.front());
    script_.pop_front();
    return next;
  }
  void Answer(int status, std::optional<std::string> retry_after = std::nullopt) {
    std::lock_guard<std::mutex> lock(mu_);
    script_.emplace_back(WebhookResponse{status, std::move(retry_after)});
  }
  std::vector<WebhookRequest> Sent() {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_;
  }

 private:
  std::mutex mu_;
  std::vector<WebhookRequest> sent_;
  std::deque<Result<WebhookResponse>> script_;
};

class NoSns final : public aws::Sns {
 public:
  Result<std::string> Publish(const aws::Credentials&, const std::string&, const std::string&, const std::string&,
                              const std::string&) override {
    return Internal("not used");
  }
};

class NoCredentials final : public aws::CredentialsProvider {
 public:
  Result<aws::Credentials> Get() override { return Unavailable("not used"); }
};

class InMemoryChannels final : public AlertChannelDirectory {
 public:
  Result<domain::AlertChannel> Get(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = channels_.find(id);
    if (it == channels_.end()) return NotFound("no channel " + id);
    return it->second;
  }
  void Put(domain::AlertChannel c) {
    std::lock_guard<std::mutex> lock(mu_);
    channels_[c.id] = std::move(c);
  }

 private:
  std::mutex mu_;
  std::map<std::string, domain::AlertChannel> channels_;
};

inline std::string HeaderOf(const WebhookRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

// One evaluating instance: its own sender (Random is not thread-safe) over the shared poster and store.
struct Instance {
  Instance(store::Store& store, AlertChannelDirectory& channels, Poster& poster, FakeClock& clock, std::string id,
           uint64_t seed, AlertEvaluatorOptions options = {})
      : random(seed),
        sleeper(&clock),
        sender(poster, sns, creds, clock, random, sleeper, Options()),
        evaluator(store, channels, sender, clock, WithId(std::move(options), std::move(id))) {}
  static AlertEvaluatorOptions WithId(AlertEvaluatorOptions o, std::string id) {
    o.instance_id = std::move(id);
    return o;
  }
  static DeliveryOptions Options() {
    DeliveryOptions o;
    o.max_attempts = 1;
    o.jitter = 0;
    return o;
  }
  NoSns sns;
  NoCredentials creds;
  FakeRandom random;
  aws::testing::FakeSleeper sleeper;
  ChannelSender sender;
  AlertEvaluator evaluator;
};

class AlertEvaluatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::SqliteStoreOptions so;
    so.path = ":memory:";
    auto opened = store::SqliteStore::Open(so);
    ASSERT_OK(opened.status());
    store_ = std::move(opened).value();

    domain::Account a;
    a.account_id = kAccount;
    a.account_name = "Test";
    a.regions = {kRegion};
    a.created_at_ms = clock_.NowUnixMillis() - 3'600'000;
    a.updated_at_ms = a.created_at_ms;
    a.created_by = "u_admin";
    a.access_key_id_masked = "AKIA****TEST";
    a.sealed_credentials = "sealed";
    ASSERT_OK(store_->CreateAccount(a));

    domain::AlertChannel ch;
    ch.id = "ch1";
    ch.kind = domain::AlertChannelKind::kWebhook;
    ch.name = "ops";
    ch.url = "https://hooks.example.com/ap";
    channels_.Put(ch);

    a_ = std::make_unique<Instance>(*store_, channels_, poster_, clock_, "instance-a", 1);
    b_ = std::make_unique<Instance>(*store_, channels_, poster_, clock_, "instance-b", 2);
  }

  void PutRule(int64_t renotify_ms = 0) {
    rule_.id = "ru_1";
    rule_.name = "TPM low";
    rule_.condition = domain::AlertCondition::kHeadroomBelow;
    rule_.threshold = 0.2;
    rule_.window = domain::UsageWindow::k1h;
    rule_.channel_ids = {"ch1"};
    rule_.renotify_ms = renotify_ms;
    rule_.version = 1;
    ASSERT_OK(store_->PutAlertRule(rule_, 0));
  }

  // A usage snapshot whose model used `tokens` of a 1000 TPM quota at its peak minute (headroom 1 - tokens/1000).
  void PutUsage(int64_t tokens, store::UsageState state = store::UsageState::kOk) {
    const int64_t now = clock_.NowUnixSeconds();
    domain::UsagePoint p;
    p.minute = (now / 60) * 60 - 120;
    p.invocations = 1;
    p.input_tokens = tokens;
    p.output_tokens = 0;
    p.throttles = 0;
    auto usage = domain::SummarizeUsage({p}, now, 5, domain::UsageQuotas{1000.0, 100.0});
    ASSERT_OK(usage.status());
    store::UsageSnapshot s;
    s.account_id = kAccount;
    s.region = kRegion;
    s.state = state;
    s.polled_at_ms = clock_.NowUnixMillis();
    s.attempted_at_ms = s.polled_at_ms;
    if (state != store::UsageState::kOk) {
      s.error_code = "throttled";
      s.error_message = "throttled";
    }
    s.models.push_back(store::ModelUsageEntry{kModel, *usage});
    int64_t revision = 0;
    if (auto old = store_->GetUsageSnapshot(kAccount, kRegion); old.ok()) revision = old->revision;
    ASSERT_OK(store_->PutUsageSnapshot(s, revision).status());
  }

  std::string Key() const { return domain::AlertKey("ru_1", domain::AlertTarget{kAccount, kRegion, kModel}); }
  Result<Alert> Stored() { return store_->GetAlert(Key()); }
  Result<AlertEvaluation> Evaluate(Instance& i) { return i.evaluator.EvaluateAccountRegion(kAccount, kRegion); }

  FakeClock clock_;
  std::unique_ptr<store::SqliteStore> store_;
  InMemoryChannels channels_;
  Poster poster_;
  AlertRule rule_;
  std::unique_ptr<Instance> a_;
  std::unique_ptr<Instance> b_;
};

}  // namespace ap::service::testing_alerts
