// Issue 16 §2 at the API: GET /api/dashboard/stats?sort=&order=&team=&region= — the rows sorted by a model × dimension
// (missing last), the echo of sort / order / filters / scope, and 422 naming the field (403 for a team a user is not
// in).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "api/api.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::api {
namespace {

class DashboardSortApiTest : public ::testing::Test {
 protected:
  DashboardSortApiTest() : api_(ServicesOf(*env.graph), ApiOptions{}) {}

  void SetUp() override {
    ASSERT_OK(env.auth->BootstrapAdmin("admin@example.com", "admin-password"));
    auto login = env.auth->Login({}, "admin@example.com", "admin-password");
    ASSERT_OK(login);
    token_ = login->token;
    const std::vector<std::pair<std::string, double>> accounts = {
        {"111111111111", 1e6}, {"222222222222", 4e6}, {"333333333333", 0.0}};
    for (const auto& [id, tpm] : accounts) {
      ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(id)));
      if (tpm == 0) continue;  // never read: missing
      domain::QuotaSnapshot s;
      s.account_id = id;
      s.region = "us-east-1";
      domain::QuotaValue v;
      v.quota_code = "L-27C57EE8";
      v.value = tpm;
      v.state = domain::QuotaState::kOk;
      v.read_at_ms = 1000;
      s.values = {v};
      ASSERT_OK(env.quota->PutSnapshot(s));
    }
  }

  http::Response Send(const std::string& path) {
    http::Request r;
    r.method = "GET";
    auto q = path.find('?');
    r.path = path.substr(0, q);
    r.query = q == std::string::npos ? "" : path.substr(q + 1);
    r.target = path;
    r.headers.push_back({"Authorization", "Bearer " + token_});
    r.remote_ip = "127.0.0.1";
    r.request_id = "rid-dashboard-sort";
    return api_.HandleSync(r);
  }
  static json::object Body(const http::Response& r) { return json::parse(r.body).as_object(); }
  std::string FieldOf(const std::string& path, int status = 422) {
    http::Response r = Send(path);
    EXPECT_EQ(r.status, status) << path << " " << r.body;
    const json::object body = Body(r);  // kept: `e` refers into it
    const json::object& e = body.at("error").as_object();
    return e.contains("field") ? std::string(e.at("field").as_string()) : "";
  }

  testing::TestEnv env;
  Api api_;
  std::string token_;
};

TEST_F(DashboardSortApiTest, SortsByAModelDimensionWithMissingLastAndEchoesTheQuery) {
  http::Response r = Send("/api/dashboard/stats?sort=claude-sonnet-4.5-v1:tpm");
  ASSERT_EQ(r.status, 200) << r.body;
  json::object body = Body(r);
  std::vector<std::string> ids;
  for (const auto& row : body.at("accounts").as_array()) ids.emplace_back(row.at("account_id").as_string());
  EXPECT_EQ(ids, (std::vector<std::string>{"222222222222", "111111111111", "333333333333"}));
  EXPECT_EQ(body.at("sort").as_string(), "claude-sonnet-4.5-v1:tpm");
  EXPECT_EQ(body.at("order").as_string(), "desc");
  EXPECT_EQ(body.at("scope").as_string(), "all");
  EXPECT_TRUE(body.at("team").is_null());
  EXPECT_TRUE(body.at("region").is_null());
  EXPECT_TRUE(
      body.at("accounts").as_array()[2].at("values").at("claude-sonnet-4.5-v1").at("tpm").at("value").is_null());

  r = Send("/api/dashboard/stats?sort=claude-sonnet-4.5-v1:tpm&order=asc&region=us-east-1");
  ASSERT_EQ(r.status, 200) << r.body;
  body = Body(r);
  ids.clear();
  for (const auto& row : body.at("accounts").as_array()) ids.emplace_back(row.at("account_id").as_string());
  EXPECT_EQ(ids, (std::vector<std::string>{"111111111111", "222222222222", "333333333333"}));  // missing still last
  EXPECT_EQ(body.at("region").as_string(), "us-east-1");
}

TEST_F(DashboardSortApiTest, NamesTheFieldOfABadSortOrderRegionTeamOrCursor) {
  EXPECT_EQ(FieldOf("/api/dashboard/stats?sort=nope:tpm"), "sort");
  EXPECT_EQ(FieldOf("/api/dashboard/stats?sort=claude-sonnet-4.5-v1:xpm"), "sort");
  EXPECT_EQ(FieldOf("/api/dashboard/stats?order=sideways"), "order");
  EXPECT_EQ(FieldOf("/api/dashboard/stats?order=desc"), "order");
  EXPECT_EQ(FieldOf("/api/dashboard/stats?region=mars-north-1"), "region");
  EXPECT_EQ(FieldOf("/api/dashboard/stats?team=Bad%20Team"), "team");
  http::Response first = Send("/api/dashboard/stats?sort=claude-sonnet-4.5-v1:tpm&page_size=1");
  ASSERT_EQ(first.status, 200);
  const std::string next(Body(first).at("next").as_string());
  EXPECT_EQ(FieldOf("/api/dashboard/stats?sort=claude-sonnet-4.5-v1:rpm&cursor=" + next), "cursor");
  EXPECT_EQ(FieldOf("/api/dashboard/stats?cursor=" + next), "cursor");
}

}  // namespace
}  // namespace ap::api
