#include "service/quota_service.h"

#include <gtest/gtest.h>

#include "status_matchers.h"
#include "test_env.h"

namespace ap::service {
namespace {

class QuotaServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto req = env.AccessKeyAccount("123456789012", {"ops"});
    req.regions = std::vector<std::string>{"us-east-1", "us-west-2"};
    ASSERT_OK(env.accounts->Create(env.Admin(), req));
  }
  domain::QuotaValue Value(std::string code, std::optional<double> v, domain::QuotaState s, int64_t read_at = 1000) {
    domain::QuotaValue q;
    q.quota_code = std::move(code);
    q.value = v;
    q.state = s;
    q.read_at_ms = v ? read_at : 0;
    q.attempted_at_ms = 2000;
    if (s == domain::QuotaState::kStale || s == domain::QuotaState::kError) q.reason = "ThrottlingException";
    return q;
  }
  const DimensionView& Dim(const QuotaView& v, std::string_view model, domain::QuotaDimension d) {
    for (const auto& m : v.models)
      if (m.model->model_id == model)
        for (const auto& dv : m.dimensions)
          if (dv.dimension == d) return dv;
    ADD_FAILURE() << "no " << model;
    static DimensionView none;
    return none;
  }
  testing::TestEnv env;
};

TEST_F(QuotaServiceTest, NeverReadValuesAreAbsentNotZero) {
  auto view = env.quota->Read("123456789012", "");
  ASSERT_OK(view);
  EXPECT_EQ(view->region, "us-east-1");
  EXPECT_EQ(view->last_updated_ms, 0);
  ASSERT_EQ(view->models.size(), 2u);  // the enabled defaults of the test catalogue
  for (const auto& m : view->models)
    for (const auto& d : m.dimensions) {
      EXPECT_FALSE(d.value.value.has_value());
      EXPECT_EQ(d.value.state, domain::QuotaState::kNever);
    }
}

TEST_F(QuotaServiceTest, ComposesCachedValuesWithTheConfig) {
  domain::QuotaSnapshot s;
  s.account_id = "123456789012";
  s.region = "us-west-2";
  s.values = {Value("L-27C57EE8", 400000, domain::QuotaState::kOk, 5000),
              Value("L-DB84CE56", 200, domain::QuotaState::kStale, 3000),
              Value("L-4B26E44A", std::nullopt, domain::QuotaState::kError)};
  ASSERT_OK(env.quota->PutSnapshot(s));
  auto view = env.quota->Read("123456789012", "us-west-2");
  ASSERT_OK(view);
  EXPECT_EQ(view->last_updated_ms, 5000);
  EXPECT_EQ(Dim(*view, "claude-sonnet-4.5-v1", domain::QuotaDimension::kTpm).value.value, 400000);
  const auto& rpm = Dim(*view, "claude-sonnet-4.5-v1", domain::QuotaDimension::kRpm);
  EXPECT_EQ(rpm.value.value, 200);
  EXPECT_EQ(rpm.value.state, domain::QuotaState::kStale);
  EXPECT_EQ(rpm.value.reason, "ThrottlingException");
  const auto& tpm1m = Dim(*view, "claude-sonnet-4.5-v1", domain::QuotaDimension::kTpm1m);
  EXPECT_FALSE(tpm1m.value.value.has_value());
  EXPECT_EQ(tpm1m.value.state, domain::QuotaState::kError);
  EXPECT_EQ(Dim(*view, "claude-sonnet-4.5-v1", domain::QuotaDimension::kRpm1m).value.state, domain::QuotaState::kNever);
  // The other region is untouched.
  EXPECT_EQ(Dim(*env.quota->Read("123456789012", "us-east-1"), "claude-sonnet-4.5-v1", domain::QuotaDimension::kTpm)
                .value.state,
            domain::QuotaState::kNever);
}

TEST_F(QuotaServiceTest, RejectsRegionsTheAccountDoesNotUse) {
  EXPECT_EQ(env.quota->Read("123456789012", "eu-west-1").status().field(), "region");
  EXPECT_EQ(env.quota->Read("999999999999", "").status().code(), StatusCode::kNotFound);
}

TEST_F(QuotaServiceTest, FollowsTheQuotaConfig) {
  auto config = env.quota_config->Get();
  ASSERT_OK(config);
  domain::QuotaConfig next = **config;
  for (auto& m : next.models) {
    m.enabled = m.model_id == "claude-opus-4.5";
    m.show_in_dashboard = m.show_in_dashboard && m.enabled;  // a disabled model cannot be shown (issue 16 §3)
  }
  ASSERT_OK(env.quota_config->Put(env.Admin(), next, (*config)->version));
  auto view = env.quota->Read("123456789012", "");
  ASSERT_OK(view);
  ASSERT_EQ(view->models.size(), 1u);
  EXPECT_EQ(view->models[0].model->model_id, "claude-opus-4.5");
  // A stale version changes nothing.
  next.models[0].enabled = true;
  EXPECT_EQ(env.quota_config->Put(env.Admin(), next, (*config)->version).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(env.quota->Read("123456789012", "")->models.size(), 1u);
}

// Two instances on one store: a quota config written on A is seen by B once B's clock has passed epoch_poll (B's
// config cache alone would keep the old document for cache_ttl, 5 s).
TEST_F(QuotaServiceTest, AConfigChangeOnOneInstanceReachesAnotherWithinTheEpochPoll) {
  const auto epoch_poll = std::chrono::seconds(1);
  QuotaConfigService other(*env.store, env.clock, *env.audit, testing::TestCatalogue(), std::chrono::seconds(5),
                           epoch_poll);
  auto before = other.Get();  // cached on B
  ASSERT_OK(before);
  domain::QuotaConfig changed = **before;
  changed.models[0].enabled = !changed.models[0].enabled;
  changed.models[0].show_in_dashboard = changed.models[0].show_in_dashboard && changed.models[0].enabled;
  auto written = env.quota_config->Put(env.Admin(), changed, (*before)->version);
  ASSERT_OK(written);
  env.clock.Advance(epoch_poll);
  auto after = other.Get();
  ASSERT_OK(after);
  EXPECT_EQ((*after)->version, written->version);
  EXPECT_EQ((*after)->models[0].enabled, changed.models[0].enabled);
}

}  // namespace
}  // namespace ap::service
