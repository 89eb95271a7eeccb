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
  for (auto& m : next.models) m.enabled = m.model_id == "claude-opus-4.5";
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

TEST_F(QuotaServiceTest, DashboardCountsFreshValuesOnly) {
  auto other = env.AccessKeyAccount("222222222222", {"other"});
  ASSERT_OK(env.accounts->Create(env.Admin(), other));
  domain::QuotaSnapshot a;
  a.account_id = "123456789012";
  a.region = "us-east-1";
  a.values = {Value("L-3ABF6ACC", 100000, domain::QuotaState::kOk)};
  domain::QuotaSnapshot b;
  b.account_id = "222222222222";
  b.region = "us-east-1";
  b.values = {Value("L-3ABF6ACC", 50000, domain::QuotaState::kOk), Value("L-58424D95", 10, domain::QuotaState::kStale)};
  ASSERT_OK(env.quota->PutSnapshot(a));
  ASSERT_OK(env.quota->PutSnapshot(b));
  auto stats = env.dashboard->Stats(env.Admin());
  ASSERT_OK(stats);
  EXPECT_EQ(stats->active_accounts, 2);
  EXPECT_EQ(stats->account_regions, 3);  // 1234... uses two regions
  const ModelTotals* opus = nullptr;
  for (const auto& m : stats->models)
    if (m.model.model_id == "claude-opus-4.5") opus = &m;
  ASSERT_NE(opus, nullptr);
  EXPECT_EQ(opus->dimensions[0].total, 150000);
  EXPECT_EQ(opus->dimensions[0].fresh, 2);
  EXPECT_EQ(opus->dimensions[0].missing, 1);
  EXPECT_FALSE(opus->dimensions[1].total.has_value());  // the only RPM value is stale: no total, not 0
  EXPECT_EQ(opus->dimensions[1].stale, 1);
  EXPECT_EQ(opus->dimensions[1].missing, 2);
  // The grid: one row per (account, region), values as cached (absent stays absent), paginated.
  ASSERT_EQ(stats->rows.size(), 3u);
  const DashboardRow* b_row = nullptr;
  for (const auto& r : stats->rows)
    if (r.account_id == "222222222222") b_row = &r;
  ASSERT_NE(b_row, nullptr);
  size_t opus_index = opus - &stats->models[0];
  ASSERT_EQ(b_row->models[opus_index].model_id, "claude-opus-4.5");
  EXPECT_EQ(b_row->models[opus_index].values[0].dimension, domain::QuotaDimension::kTpm);
  EXPECT_EQ(b_row->models[opus_index].values[0].value.value, 50000);
  EXPECT_EQ(b_row->models[opus_index].values[1].value.state, domain::QuotaState::kStale);
  auto page2 = env.dashboard->Stats(env.Admin(), 2, 2);
  ASSERT_OK(page2);
  EXPECT_EQ(page2->rows.size(), 1u);
  EXPECT_EQ(env.dashboard->Stats(env.Admin(), 0, 2).status().field(), "page");
  // A user of team "other" sees only their account.
  auto user_stats = env.dashboard->Stats(env.UserOf({"other"}));
  ASSERT_OK(user_stats);
  EXPECT_EQ(user_stats->active_accounts, 1);
}

}  // namespace
}  // namespace ap::service
