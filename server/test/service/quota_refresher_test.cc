#include "service/quota_refresher.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <thread>

#include "fake_aws.h"
#include "latch.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

// Codes of the test catalogue's enabled defaults (test_env.h): Sonnet 4.5 V1 (4 codes) and Opus 4.5 (2).
constexpr const char* kSonnetTpm = "L-27C57EE8";
constexpr const char* kSonnetRpm = "L-DB84CE56";
constexpr const char* kSonnetTpm1m = "L-4B26E44A";
constexpr const char* kSonnetRpm1m = "L-C0D53EFB";
constexpr const char* kOpusTpm = "L-3ABF6ACC";
constexpr const char* kOpusRpm = "L-58424D95";

using testing::Latch;

// The options of one "instance": its id, a quick lease poll (real time; lease expiry follows the fake clock), and
// `busy` notified whenever its refresh finds the lease held by another instance.
RefreshOptions InstanceOptions(std::string id, Latch* busy = nullptr) {
  RefreshOptions o;
  o.instance_id = std::move(id);
  o.lease_poll = std::chrono::milliseconds(1);
  if (busy) o.on_lease_busy = [busy](const std::string&) { busy->Notify(); };
  return o;
}

class QuotaRefresherTest : public ::testing::Test {
 protected:
  QuotaRefresherTest()
      : pool(4),
        creds(*env.accounts, env.assumer, env.clock),
        refresher(*env.accounts, *env.quota_config, *env.quota, creds, quotas, *env.audit, *env.store, env.clock, pool,
                  InstanceOptions("instance-a")) {}

  void SetUp() override {
    auto req = env.AccessKeyAccount("123456789012", {"ops"});
    ASSERT_OK(env.accounts->Create(env.Admin(), req));
    for (const char* c : {kSonnetTpm, kSonnetRpm, kSonnetTpm1m, kSonnetRpm1m, kOpusTpm, kOpusRpm})
      quotas.Set(c, {1000.0, 500.0, Status::Ok()});
  }

  const domain::QuotaValue* Cached(const char* code) {
    auto s = env.quota->Snapshot("123456789012", "us-east-1");
    EXPECT_OK(s);
    snapshot_ = *s;
    return snapshot_->Find(code);
  }

  testing::TestEnv env;
  testing::FakeServiceQuotas quotas;
  testing::FakeSts& sts = env.sts;
  ThreadPool pool;
  AccountCredentials creds;
  QuotaRefresher refresher;
  std::shared_ptr<const domain::QuotaSnapshot> snapshot_;
};

TEST_F(QuotaRefresherTest, ReadsEveryConfiguredCodeIncludingRpmAndOneMillion) {
  quotas.Set(kSonnetRpm, {250.0, 100.0, Status::Ok()});
  auto report = refresher.Refresh(env.Admin(), "123456789012", "");
  ASSERT_OK(report);
  EXPECT_EQ(report->ok_count, 6);
  EXPECT_EQ(report->failed_count, 0);
  EXPECT_TRUE(report->cache_written);
  EXPECT_EQ(quotas.get_calls(), 6);
  EXPECT_EQ(quotas.last_key(), "AKIATEST123456789012");  // the account's own keys
  EXPECT_EQ(Cached(kSonnetRpm)->value, 250);
  EXPECT_EQ(Cached(kSonnetRpm1m)->state, domain::QuotaState::kOk);
  auto view = env.quota->Read("123456789012", "");
  ASSERT_OK(view);
  EXPECT_GT(view->last_updated_ms, 0);
}

TEST_F(QuotaRefresherTest, FallsBackToTheAwsDefaultWhenNothingIsApplied) {
  quotas.Set(kOpusTpm, {std::nullopt, 2000000.0, Status::Ok()});
  auto report = refresher.Refresh(env.Admin(), "123456789012", "");
  ASSERT_OK(report);
  // One default read for the code without an applied value, and one beside each of the 5 applied values (AWS's
  // default is read beside an applied value once a day: quota_explained_test.cc).
  EXPECT_EQ(quotas.default_calls(), 6);
  const domain::QuotaValue* v = Cached(kOpusTpm);
  EXPECT_EQ(v->value, 2000000);
  EXPECT_TRUE(v->is_default);
  EXPECT_FALSE(Cached(kOpusRpm)->is_default);
}

TEST_F(QuotaRefresherTest, PartialFailureKeepsTheLastGoodValueAsStale) {
  ASSERT_TRUE(refresher.Refresh(env.Admin(), "123456789012", "")->ok_count == 6);
  env.clock.Advance(std::chrono::minutes(5));
  quotas.Set(kSonnetTpm, {std::nullopt, std::nullopt, ResourceExhausted("ThrottlingException: Rate exceeded")});
  quotas.Set(kOpusTpm, {3000.0, 500.0, Status::Ok()});
  auto report = refresher.Refresh(env.Admin(), "123456789012", "");
  ASSERT_OK(report);
  EXPECT_EQ(report->ok_count, 5);
  EXPECT_EQ(report->failed_count, 1);
  const domain::QuotaValue* tpm = Cached(kSonnetTpm);
  EXPECT_EQ(tpm->value, 1000);  // the last good value, not 0
  EXPECT_EQ(tpm->state, domain::QuotaState::kStale);
  EXPECT_EQ(tpm->reason, "ThrottlingException: Rate exceeded");
  EXPECT_EQ(Cached(kOpusTpm)->value, 3000);
  // The raise is in the history and in the audit log as a system event.
  store::QuotaHistoryFilter f;
  f.account_id = "123456789012";
  f.region = "us-east-1";
  f.quota_codes = {kOpusTpm};
  auto history = env.store->ListQuotaHistory(f);
  ASSERT_OK(history);
  ASSERT_EQ(history->items.size(), 2u);
  EXPECT_EQ(history->items[1].event, domain::QuotaEvent::kChanged);
  store::AuditFilter af;
  af.action = "quota.changed";
  auto changed = env.store->ListAudit(af);
  ASSERT_OK(changed);
  ASSERT_EQ(changed->items.size(), 1u);
  EXPECT_EQ(changed->items[0].actor_id, "system");
  af.action = "quota.refresh";
  af.outcome = "partial";
  EXPECT_EQ(env.store->ListAudit(af)->items.size(), 1u);
}

// Issue 16 §1: a refresh that reads nothing still marks every value (the full case: failed_refresh_test.cc).
TEST_F(QuotaRefresherTest, NothingReadMarksEveryValueStaleKeepingItsValue) {
  ASSERT_OK(refresher.Refresh(env.Admin(), "123456789012", ""));
  auto before = env.store->GetQuotaSnapshot("123456789012", "us-east-1");
  ASSERT_OK(before);
  quotas.FailEverything(Unauthenticated("UnrecognizedClientException: The security token is invalid"));
  env.clock.Advance(std::chrono::minutes(1));
  auto report = refresher.Refresh(env.Admin(), "123456789012", "");
  ASSERT_OK(report);
  EXPECT_EQ(report->ok_count, 0);
  EXPECT_TRUE(report->cache_written);
  EXPECT_EQ(report->first_error, "UnrecognizedClientException: The security token is invalid");
  auto after = env.store->GetQuotaSnapshot("123456789012", "us-east-1");
  ASSERT_OK(after);
  ASSERT_EQ(after->values.size(), before->values.size());
  for (size_t i = 0; i < after->values.size(); ++i) {
    EXPECT_EQ(after->values[i].value, before->values[i].value);  // the last good value, never 0
    EXPECT_EQ(after->values[i].read_at_ms, before->values[i].read_at_ms);
    EXPECT_EQ(after->values[i].state, domain::QuotaState::kStale);
    EXPECT_EQ(after->values[i].reason, "UnrecognizedClientException: The security token is invalid");
  }
}

TEST_F(QuotaRefresherTest, NeverReadFailuresAreErrorsNotZero) {
  quotas.Set(kSonnetRpm1m, {std::nullopt, std::nullopt, PermissionDenied("AccessDeniedException: denied")});
  auto report = refresher.Refresh(env.Admin(), "123456789012", "");
  ASSERT_OK(report);
  const domain::QuotaValue* v = Cached(kSonnetRpm1m);
  ASSERT_NE(v, nullptr);
  EXPECT_FALSE(v->value.has_value());
  EXPECT_EQ(v->state, domain::QuotaState::kError);
}

TEST_F(QuotaRefresherTest, ConcurrentRefreshesCoalesceIntoOneSetOfCalls) {
  quotas.Hold();
  std::atomic<int> ok{0};
  std::atomic<int> answered{0};
  std::promise<void> all_answered;
  // RefreshAsync has started or joined the refresh by the time it returns: the first call starts it (its AWS
  // calls wait at the held fake), the seven others join that flight. No sleep is needed to let them join.
  for (int i = 0; i < 8; ++i) {
    refresher.RefreshAsync(env.Admin(), "123456789012", "us-east-1", [&](Result<RefreshReport> r) {
      ok += r.ok() && r->ok_count == 6;
      if (++answered == 8) all_answered.set_value();
    });
  }
  EXPECT_TRUE(refresher.InFlight("123456789012"));
  quotas.Release();
  all_answered.get_future().wait();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(quotas.get_calls(), 6);
  EXPECT_FALSE(refresher.InFlight("123456789012"));
}

// The StartGate is asked only by a call that would start AWS work; its token is held until the refresh ends and
// given back before anyone is answered; a refusal is the call's answer and no AWS call is made.
TEST_F(QuotaRefresherTest, TheStartGateIsAskedOnlyToStartARefreshAndHoldsItsTokenUntilTheEnd) {
  std::atomic<int> asked{0};
  std::weak_ptr<void> token_seen;
  QuotaRefresher::StartGate admit = [&]() -> Result<std::shared_ptr<void>> {
    ++asked;
    auto token = std::make_shared<int>(1);
    token_seen = token;
    return std::shared_ptr<void>(token);
  };
  quotas.Hold();
  std::promise<Result<RefreshReport>> first, second;
  std::atomic<bool> token_alive_at_answer{true};
  refresher.RefreshAsync(
      env.Admin(), "123456789012", "",
      [&](Result<RefreshReport> r) {
        token_alive_at_answer = !token_seen.expired();
        first.set_value(std::move(r));
      },
      admit);
  quotas.WaitForCalls(1);  // running
  EXPECT_FALSE(token_seen.expired());
  QuotaRefresher::StartGate refuse = [&]() -> Result<std::shared_ptr<void>> {
    ++asked;
    return ResourceExhausted("no place");
  };
  // Joining the running refresh does not ask the gate (it would refuse).
  refresher.RefreshAsync(
      env.Admin(), "123456789012", "", [&](Result<RefreshReport> r) { second.set_value(std::move(r)); }, refuse);
  quotas.Release();
  auto r1 = first.get_future().get();
  auto r2 = second.get_future().get();
  ASSERT_TRUE(r1.ok() && r2.ok());
  EXPECT_EQ(r2->ok_count, 6);
  EXPECT_EQ(asked.load(), 1);
  EXPECT_FALSE(token_alive_at_answer.load());
  EXPECT_TRUE(token_seen.expired());

  // A new refresh the gate refuses: that error, and no AWS call.
  int calls = quotas.get_calls();
  auto refused = std::make_shared<std::promise<Result<RefreshReport>>>();
  refresher.RefreshAsync(
      env.Admin(), "123456789012", "", [refused](Result<RefreshReport> r) { refused->set_value(std::move(r)); },
      refuse);
  auto r3 = refused->get_future().get();
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ(r3.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(quotas.get_calls(), calls);
  EXPECT_FALSE(refresher.InFlight("123456789012"));
}

// A second instance of the platform on the same store: its own worker pool, quota cache and refresher (with its
// own timer thread), calling AWS through `aws`. Accounts and the config come from the first instance's services
// (their caches are not what these tests are about).
struct OtherInstance {
  OtherInstance(testing::TestEnv& env, aws::ServiceQuotas& aws)
      : pool(4),
        quota(*env.store, env.clock, *env.accounts, *env.quota_config, std::chrono::seconds(5)),
        creds(*env.accounts, env.assumer, env.clock),
        refresher(*env.accounts, *env.quota_config, quota, creds, aws, *env.audit, *env.store, env.clock, pool,
                  InstanceOptions("instance-b", &busy)) {}
  Latch busy;
  ThreadPool pool;
  QuotaService quota;
  AccountCredentials creds;
  QuotaRefresher refresher;
};

QuotaRefresher::Done Into(std::promise<Result<RefreshReport>>& p) {
  return [&p](Result<RefreshReport> r) { p.set_value(std::move(r)); };
}

// Concurrent refreshes of one account through two instances: one set of AWS calls (the lease holder's); the other
// instance waits and answers from the snapshot the holder wrote, and its own cache shows it.
TEST_F(QuotaRefresherTest, TwoInstancesRefreshingOneAccountMakeOneSetOfAwsCalls) {
  OtherInstance b(env, quotas);  // the same fake AWS: both instances' calls are counted together
  ASSERT_OK(b.quota.Snapshot("123456789012", "us-east-1"));  // B caches "nothing read yet"
  quotas.Hold();
  std::promise<Result<RefreshReport>> on_a, on_b;
  refresher.RefreshAsync(env.Admin(), "123456789012", "", Into(on_a));
  quotas.WaitForCalls(1);  // A holds the lease and calls AWS
  b.refresher.RefreshAsync(env.Admin(), "123456789012", "", Into(on_b));
  b.busy.Wait();  // B found the lease held: it waits instead of calling AWS
  EXPECT_TRUE(b.refresher.InFlight("123456789012"));
  quotas.Release();
  auto a = on_a.get_future().get();
  auto r = on_b.get_future().get();
  ASSERT_OK(a);
  ASSERT_OK(r);
  EXPECT_EQ(quotas.get_calls(), 6);
  EXPECT_EQ(a->ok_count, 6);
  EXPECT_EQ(r->ok_count, 6);
  EXPECT_EQ(r->failed_count, 0);
  EXPECT_TRUE(r->cache_written);
  ASSERT_EQ(r->values.size(), a->values.size());
  for (size_t i = 0; i < r->values.size(); ++i) {
    EXPECT_EQ(r->values[i].quota_code, a->values[i].quota_code);
    EXPECT_EQ(r->values[i].value, a->values[i].value);
  }
  auto cached = b.quota.Snapshot("123456789012", "us-east-1");  // B's cache was updated from the store
  ASSERT_OK(cached);
  ASSERT_NE((*cached)->Find(kSonnetTpm), nullptr);
  EXPECT_EQ((*cached)->Find(kSonnetTpm)->value, 1000);
  // A released the lease once its snapshot was written.
  auto lease = env.store->GetLease("refresh/123456789012/us-east-1");
  ASSERT_OK(lease);
  EXPECT_EQ(lease->holder, "instance-a");
  EXPECT_EQ(lease->expires_at_ms, 0);
  // Only A's refresh is audited (B made no AWS call).
  store::AuditFilter af;
  af.action = "quota.refresh";
  EXPECT_EQ(env.store->ListAudit(af)->items.size(), 1u);
}

// The holder read nothing (it marked every value stale): the waiting instance reports the holder's failures instead
// of passing old values off as read.
TEST_F(QuotaRefresherTest, AWaitingInstanceReportsTheFailuresWhenTheHolderReadNothing) {
  ASSERT_OK(refresher.Refresh(env.Admin(), "123456789012", ""));
  env.clock.Advance(std::chrono::minutes(1));
  OtherInstance b(env, quotas);
  quotas.FailEverything(Unauthenticated("UnrecognizedClientException: The security token is invalid"));
  quotas.Hold();
  std::promise<Result<RefreshReport>> on_a, on_b;
  refresher.RefreshAsync(env.Admin(), "123456789012", "", Into(on_a));
  quotas.WaitForCalls(7);  // the first refresh made 6
  b.refresher.RefreshAsync(env.Admin(), "123456789012", "", Into(on_b));
  b.busy.Wait();
  quotas.Release();
  ASSERT_OK(on_a.get_future().get());
  auto r = on_b.get_future().get();
  ASSERT_OK(r);
  EXPECT_TRUE(r->cache_written);
  EXPECT_EQ(r->ok_count, 0);
  EXPECT_EQ(r->failed_count, 6);
  EXPECT_EQ(r->first_error, "UnrecognizedClientException: The security token is invalid");
  EXPECT_EQ(quotas.get_calls(), 12);
}

// The holder "dies" (its AWS calls never return, its lease is never released): the other instance waits, makes no
// AWS call, and once the lease has expired takes it over and refreshes by itself.
TEST_F(QuotaRefresherTest, AnInstanceTakesOverTheRefreshOfAHolderThatDiedAfterTheLeaseTtl) {
  testing::FakeServiceQuotas quotas_b;
  for (const char* c : {kSonnetTpm, kSonnetRpm, kSonnetTpm1m, kSonnetRpm1m, kOpusTpm, kOpusRpm})
    quotas_b.Set(c, {2000.0, 500.0, Status::Ok()});
  OtherInstance b(env, quotas_b);
  quotas.Hold();
  std::promise<Result<RefreshReport>> on_a, on_b;
  refresher.RefreshAsync(env.Admin(), "123456789012", "", Into(on_a));
  quotas.WaitForCalls(1);
  b.refresher.RefreshAsync(env.Admin(), "123456789012", "", Into(on_b));
  b.busy.Wait();
  EXPECT_EQ(quotas_b.get_calls(), 0);  // A's lease is live: B does not call AWS
  // A would renew after a third of the ttl in real time (20 s): not within this test.
  env.clock.Advance(RefreshOptions{}.lease_ttl + std::chrono::milliseconds(1));
  auto r = on_b.get_future().get();
  ASSERT_OK(r);
  EXPECT_EQ(r->ok_count, 6);
  EXPECT_TRUE(r->cache_written);
  EXPECT_EQ(quotas_b.get_calls(), 6);
  EXPECT_EQ(Cached(kSonnetTpm)->value, 2000);
  auto lease = env.store->GetLease("refresh/123456789012/us-east-1");
  ASSERT_OK(lease);
  EXPECT_EQ(lease->holder, "instance-b");
  EXPECT_EQ(lease->token, 2);
  quotas.Release();  // let the "dead" instance's calls end before the test does
  ASSERT_OK(on_a.get_future().get());
}

TEST_F(QuotaRefresherTest, RejectsUnknownAccountsRegionsAndInactiveAccounts) {
  EXPECT_EQ(refresher.Refresh(env.Admin(), "999999999999", "").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(refresher.Refresh(env.Admin(), "123456789012", "eu-west-1").status().field(), "region");
  ASSERT_OK(env.accounts->Delete(env.Admin(), "123456789012"));
  EXPECT_EQ(refresher.Refresh(env.Admin(), "123456789012", "").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(quotas.get_calls(), 0);
}

TEST_F(QuotaRefresherTest, AssumeRoleAccountsUseThePlatformIdentityAndTheExternalId) {
  auto req = env.AccessKeyAccount("222222222222");
  req.credentials = domain::Credentials{};
  req.credentials.type = domain::CredentialType::kAssumeRole;
  req.credentials.role_arn = "arn:aws:iam::222222222222:role/QuotaReader";
  req.credentials.external_id = "ext-42";
  sts.required_external_id = "ext-42";
  sts.assumed_account = "222222222222";
  ASSERT_OK(env.accounts->Create(env.Admin(), req));
  sts.assume_calls = 0;  // onboarding assumed the role once to verify it
  auto report = refresher.Refresh(env.Admin(), "222222222222", "");
  ASSERT_OK(report);
  EXPECT_EQ(report->ok_count, 6);
  EXPECT_EQ(quotas.last_key(), "ASIAASSUMED1");
  ASSERT_OK(refresher.Refresh(env.Admin(), "222222222222", ""));
  EXPECT_EQ(sts.assume_calls.load(), 1);  // cached until shortly before expiry
  sts.required_external_id = "other";
  creds.Forget("222222222222");
  report = refresher.Refresh(env.Admin(), "222222222222", "");
  ASSERT_OK(report);
  EXPECT_EQ(report->ok_count, 0);
  EXPECT_EQ(report->first_error, "AccessDenied: wrong external id");
}

}  // namespace
}  // namespace ap::service
