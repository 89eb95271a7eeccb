// The usage reads on the wire (issue 13 §2): the quota read's usage blocks, GET /api/usage/headroom,
// GET /api/accounts/{id}/usage/history and the dashboard rows' usage_state / headroom. Status codes, 422 fields and
// the JSON shape, nulls included (docs/openapi.yaml).
#include <gtest/gtest.h>

#include "api/api.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::api {
namespace {

constexpr const char* kAccount = "123456789012";
constexpr const char* kSonnet = "claude-sonnet-4.5-v1";
constexpr const char* kGlobalSonnet = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";

class UsageApiTest : public ::testing::Test {
 protected:
  UsageApiTest() : api_(ServicesOf(*env.graph), ApiOptions{}) {
    env.clock.Set(TimePoint(std::chrono::seconds(int64_t{1'800'000'000})));  // 2027-01-15T08:00:00Z
  }

  void SetUp() override {
    ASSERT_OK(env.auth->BootstrapAdmin("admin@example.com", "admin-password"));
    admin_ = Login("admin@example.com", "admin-password");
    service::NewUser u;
    u.email = "user@example.com";
    u.password = "user-password-1";
    u.teams = {"team-a"};
    ASSERT_OK(env.auth->CreateUser(env.Admin(), u));
    user_ = Login("user@example.com", "user-password-1");
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(kAccount, {"team-a"})));
  }
  std::string Login(const std::string& email, const std::string& password) {
    auto login = env.auth->Login({}, email, password);
    EXPECT_OK(login);
    return login.ok() ? login->token : "";
  }

  http::Response Get(const std::string& path, const std::string& token) {
    http::Request r;
    r.method = "GET";
    auto q = path.find('?');
    r.path = path.substr(0, q);
    r.query = q == std::string::npos ? "" : path.substr(q + 1);
    r.target = path;
    r.headers.push_back({"Authorization", "Bearer " + token});
    r.remote_ip = "127.0.0.1";
    r.request_id = "rid-usage";
    return api_.HandleSync(r);
  }
  static json::object Body(const http::Response& r) { return json::parse(r.body).as_object(); }
  static std::string FieldOf(const http::Response& r) {
    return std::string(json::parse(r.body).at("error").at("field").as_string());
  }

  // A snapshot of the account with the Sonnet model at 24-hour TPM headroom `headroom` (peak 600 of 1000).
  void PutUsage(double headroom) {
    store::UsageSnapshot s;
    s.account_id = kAccount;
    s.region = "us-east-1";
    s.teams = {"team-a"};
    s.polled_at_ms = s.attempted_at_ms = env.clock.NowUnixMillis();
    domain::ModelUsage u;
    u.end = 1'800'000'000;
    u.output_token_burndown = 5;
    u.quotas.tpm = 1000;
    for (domain::UsageWindow w : domain::kAllUsageWindows) {
      domain::WindowUsage wu;
      wu.window = w;
      wu.end = u.end;
      wu.start = u.end - domain::UsageWindowSeconds(w);
      wu.weighted_tokens.peak = 600;
      wu.weighted_tokens.p95 = 500;
      wu.weighted_tokens.minutes_with_data = 3;
      wu.weighted_tokens.minutes_without_data = domain::UsageWindowSeconds(w) / 60 - 3;
      wu.requests.minutes_without_data = domain::UsageWindowSeconds(w) / 60;
      wu.headroom_tpm = headroom;
      wu.throttles = 4;
      u.windows.push_back(wu);
    }
    s.models.push_back({kSonnet, u});
    store::SeriesUsage series;
    series.series = kGlobalSonnet;
    series.scope = "global";
    series.model_id = kSonnet;
    series.counts_against_quota = true;
    series.usage = u;
    store::SeriesUsage unmatched;
    unmatched.series = "zzz.unknown-model";
    unmatched.scope = "unknown";
    unmatched.usage.output_token_burndown = 1;
    s.series = {series, unmatched};
    auto current = env.store->GetUsageSnapshot(kAccount, "us-east-1");
    ASSERT_OK(env.store->PutUsageSnapshot(s, current.ok() ? current->revision : 0));
    s.revision = current.ok() ? current->revision + 1 : 1;
    env.graph->usage->Publish(s);  // as the poller does
  }

  testing::TestEnv env;
  Api api_;
  std::string admin_, user_;
};

TEST_F(UsageApiTest, QuotaReadSaysNeverWithoutUsageAndNullsEverywhere) {
  auto r = Get(std::string("/api/accounts/") + kAccount + "/quota", admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  const auto& usage = body.at("usage").as_object();
  EXPECT_EQ(usage.at("state"), "never");
  EXPECT_TRUE(usage.at("polled_at").is_null());
  EXPECT_TRUE(usage.at("attempted_at").is_null());
  EXPECT_TRUE(usage.at("error_code").is_null());
  EXPECT_TRUE(usage.at("error_message").is_null());
  EXPECT_TRUE(body.at("usage_series").as_array().empty());
  for (const auto& m : body.at("models").as_array()) EXPECT_TRUE(m.at("usage").is_null());
}

TEST_F(UsageApiTest, QuotaReadCarriesUsageOnceItIsPolled) {
  // Cached "never" first: the published snapshot must replace it (and the serialised body with it).
  ASSERT_EQ(Get(std::string("/api/accounts/") + kAccount + "/quota", admin_).status, 200);
  PutUsage(0.4);
  auto body = Body(Get(std::string("/api/accounts/") + kAccount + "/quota", admin_));
  EXPECT_EQ(body.at("usage").at("state"), "ok");
  EXPECT_EQ(body.at("usage").at("polled_at"), "2027-01-15T08:00:00Z");
  const auto& series = body.at("usage_series").as_array();
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].at("series"), kGlobalSonnet);
  EXPECT_EQ(series[0].at("counts_against_quota"), true);
  EXPECT_EQ(series[1].at("model_id"), nullptr);  // unmatched: shown, never dropped
  json::object sonnet_usage;
  for (const auto& m : body.at("models").as_array()) {
    if (m.at("model_id") == kSonnet)
      sonnet_usage = m.at("usage").as_object();
    else
      EXPECT_TRUE(m.at("usage").is_null()) << m;
  }
  ASSERT_FALSE(sonnet_usage.empty());
  EXPECT_EQ(sonnet_usage.at("output_token_burndown"), 5);
  EXPECT_EQ(sonnet_usage.at("quota_tpm"), 1000);
  EXPECT_TRUE(sonnet_usage.at("quota_rpm").is_null());
  const auto& windows = sonnet_usage.at("windows").as_array();
  ASSERT_EQ(windows.size(), 3u);
  const auto& day = windows[1].as_object();
  EXPECT_EQ(day.at("window"), "24h");
  EXPECT_EQ(day.at("start"), "2027-01-14T08:00:00Z");
  EXPECT_EQ(day.at("end"), "2027-01-15T08:00:00Z");
  EXPECT_EQ(day.at("weighted_tokens").at("peak"), 600);
  EXPECT_EQ(day.at("weighted_tokens").at("minutes_with_data"), 3);
  EXPECT_TRUE(day.at("requests").at("peak").is_null());  // no data is null, never 0
  EXPECT_TRUE(day.at("requests").at("p95").is_null());
  EXPECT_EQ(day.at("requests").at("minutes_without_data"), 1440);
  EXPECT_DOUBLE_EQ(day.at("headroom_tpm").to_number<double>(), 0.4);
  EXPECT_TRUE(day.at("headroom_rpm").is_null());
  EXPECT_EQ(day.at("throttles"), 4);
  // A stale poll keeps the figures and says why.
  ASSERT_OK_AND_ASSIGN(store::UsageSnapshot stored, env.store->GetUsageSnapshot(kAccount, "us-east-1"));
  stored.state = store::UsageState::kStale;
  stored.error_code = "throttled";
  stored.error_message = "CloudWatch throttled the read";
  ASSERT_OK(env.store->PutUsageSnapshot(stored, stored.revision));
  stored.revision += 1;
  env.graph->usage->Publish(stored);
  body = Body(Get(std::string("/api/accounts/") + kAccount + "/quota", admin_));
  EXPECT_EQ(body.at("usage").at("state"), "stale");
  EXPECT_EQ(body.at("usage").at("error_code"), "throttled");
  EXPECT_EQ(body.at("usage_series").as_array().size(), 2u);
}

TEST_F(UsageApiTest, HeadroomListStatusesFieldsAndShape) {
  PutUsage(0.25);
  auto r = Get("/api/usage/headroom", admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_TRUE(body.at("team").is_null());
  EXPECT_TRUE(body.at("next").is_null());
  const auto& items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  const auto& e = items[0].as_object();
  EXPECT_EQ(e.at("account_id"), kAccount);
  EXPECT_EQ(e.at("account_name").as_string(), std::string("Account ") + kAccount);
  EXPECT_EQ(e.at("region"), "us-east-1");
  EXPECT_EQ(e.at("model_id"), kSonnet);
  EXPECT_FALSE(e.at("display_name").as_string().empty());
  EXPECT_DOUBLE_EQ(e.at("headroom").to_number<double>(), 0.25);
  EXPECT_DOUBLE_EQ(e.at("headroom_tpm").to_number<double>(), 0.25);
  EXPECT_TRUE(e.at("headroom_rpm").is_null());
  EXPECT_EQ(e.at("polled_at"), "2027-01-15T08:00:00Z");

  auto team = Get("/api/usage/headroom?team=team-a", user_);
  ASSERT_EQ(team.status, 200) << team.body;
  EXPECT_EQ(Body(team).at("team"), "team-a");
  EXPECT_EQ(Body(team).at("items").as_array().size(), 1u);

  auto no_team = Get("/api/usage/headroom", user_);
  EXPECT_EQ(no_team.status, 422);
  EXPECT_EQ(FieldOf(no_team), "team");
  EXPECT_EQ(Get("/api/usage/headroom?team=team-b", user_).status, 403);
  auto limit = Get("/api/usage/headroom?limit=201", admin_);
  EXPECT_EQ(limit.status, 422);
  EXPECT_EQ(FieldOf(limit), "limit");
  EXPECT_EQ(FieldOf(Get("/api/usage/headroom?limit=0", admin_)), "limit");
  auto cursor = Get("/api/usage/headroom?cursor=nope", admin_);
  EXPECT_EQ(cursor.status, 422);
  EXPECT_EQ(FieldOf(cursor), "cursor");
  EXPECT_EQ(Get("/api/usage/headroom", "not-a-token").status, 401);
}

TEST_F(UsageApiTest, HistoryStatusesFieldsAndShape) {
  PutUsage(0.5);
  const int64_t hour = 1'800'000'000 - 3600;
  store::UsageHour h;
  h.account_id = kAccount;
  h.region = "us-east-1";
  h.series = kGlobalSonnet;
  h.hour = hour;
  h.points = {{.minute = hour + 60, .invocations = 9, .input_tokens = 10, .output_tokens = 2}};
  h.expires_at = hour + store::kUsageHourRetentionSeconds;
  ASSERT_OK(env.store->PutUsageHours({h}));

  const std::string base = std::string("/api/accounts/") + kAccount + "/usage/history";
  auto r = Get(base + "?model_id=" + kSonnet + "&from=2027-01-15T06:30:00Z", user_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_EQ(body.at("account_id"), kAccount);
  EXPECT_EQ(body.at("region"), "us-east-1");
  EXPECT_EQ(body.at("model_id"), kSonnet);
  EXPECT_EQ(body.at("output_token_burndown"), 5);
  EXPECT_EQ(body.at("from"), "2027-01-15T06:00:00Z");
  EXPECT_EQ(body.at("to"), "2027-01-15T08:00:00Z");
  const auto& items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("minutes_with_data"), 0);
  EXPECT_TRUE(items[0].at("requests_peak").is_null());
  EXPECT_TRUE(items[0].at("weighted_tokens_peak").is_null());
  EXPECT_TRUE(items[0].at("throttles").is_null());
  EXPECT_EQ(items[1].at("hour"), "2027-01-15T07:00:00Z");
  EXPECT_EQ(items[1].at("minutes_with_data"), 1);
  EXPECT_EQ(items[1].at("requests_peak"), 9);
  EXPECT_EQ(items[1].at("weighted_tokens_peak"), 20);
  EXPECT_TRUE(items[1].at("throttles").is_null());

  EXPECT_EQ(Get(base + "?model_id=" + kSonnet, admin_).status, 200);
  EXPECT_EQ(FieldOf(Get(base, admin_)), "model_id");
  EXPECT_EQ(FieldOf(Get(base + "?model_id=claude-nope", admin_)), "model_id");
  EXPECT_EQ(FieldOf(Get(base + "?model_id=" + kSonnet + "&region=eu-west-3", admin_)), "region");
  EXPECT_EQ(FieldOf(Get(base + "?model_id=" + kSonnet + "&from=yesterday", admin_)), "from");
  EXPECT_EQ(FieldOf(Get(base + "?model_id=" + kSonnet + "&to=2027-13-01T00:00:00Z", admin_)), "to");
  EXPECT_EQ(FieldOf(Get(base + "?model_id=" + kSonnet + "&from=2027-01-01T00:00:00Z", admin_)), "from");
  EXPECT_EQ(Get("/api/accounts/999999999999/usage/history?model_id=x", admin_).status, 404);
}

TEST_F(UsageApiTest, DashboardRowsCarryUsageStateAndHeadroom) {
  auto before = Body(Get("/api/dashboard/stats", admin_));
  const auto& row0 = before.at("accounts").as_array()[0].as_object();
  EXPECT_EQ(row0.at("usage_state"), "never");
  EXPECT_TRUE(row0.at("headroom").as_object().empty());

  PutUsage(0.3);
  auto after = Body(Get("/api/dashboard/stats", admin_));
  const auto& row = after.at("accounts").as_array()[0].as_object();
  EXPECT_EQ(row.at("usage_state"), "ok");
  bool sonnet_on_dashboard = false;
  for (const auto& m : after.at("models").as_array()) sonnet_on_dashboard |= m.at("model_id") == kSonnet;
  if (!sonnet_on_dashboard) GTEST_SKIP() << "Sonnet is not a dashboard model in the test config";
  const auto& h = row.at("headroom").at(kSonnet).as_object();
  EXPECT_DOUBLE_EQ(h.at("headroom").to_number<double>(), 0.3);
  EXPECT_TRUE(h.at("headroom_rpm").is_null());
  EXPECT_EQ(h.at("throttles"), 4);
}

}  // namespace
}  // namespace ap::api
