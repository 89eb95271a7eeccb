// /api/exports/... on the test graph (no sockets): authentication and authorization, 422 fields, the download
// headers, and the streamed body drained piece by piece (no blocking pool in tests: pieces run inline).
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "api/api.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::api {
namespace {

constexpr char kAccountA[] = "111111111111";  // team-a
constexpr char kAccountB[] = "222222222222";  // team-b

class ExportApiTest : public ::testing::Test {
 protected:
  ExportApiTest() : api_(ServicesOf(*env.graph), ApiOptions{}) {}

  void SetUp() override {
    ASSERT_OK(env.auth->BootstrapAdmin("admin@example.com", "admin-password"));
    ASSERT_OK_AND_ASSIGN(auto admin, env.auth->Login({}, "admin@example.com", "admin-password"));
    admin_ = admin.token;
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(kAccountA, {"team-a"})).status());
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(kAccountB, {"team-b"})).status());
    service::NewUser u;
    u.email = "user@example.com";
    u.password = "user-password";
    u.teams = {"team-a"};
    ASSERT_OK(env.auth->CreateUser(env.Admin(), u).status());
    ASSERT_OK_AND_ASSIGN(auto user, env.auth->Login({}, "user@example.com", "user-password"));
    user_ = user.token;
    domain::QuotaSnapshot s;
    s.account_id = kAccountA;
    s.region = "us-east-1";
    domain::QuotaValue v;
    v.quota_code = "L-27C57EE8";  // Sonnet 4.5 tpm
    v.value = 400000;
    v.state = domain::QuotaState::kOk;
    v.read_at_ms = 1'764'318'041'000;
    v.is_default = true;
    domain::QuotaValue zero = v;
    zero.quota_code = "L-3ABF6ACC";  // Opus tpm: a real zero
    zero.value = 0;
    zero.is_default = false;
    s.values = {v, zero};
    ASSERT_OK(env.quota->PutSnapshot(s));
  }

  http::Response Get(const std::string& path, const std::string* token) {
    http::Request r;
    r.method = "GET";
    auto q = path.find('?');
    r.path = path.substr(0, q);
    r.query = q == std::string::npos ? "" : path.substr(q + 1);
    r.target = path;
    if (token != nullptr) r.headers.push_back({"Authorization", "Bearer " + *token});
    r.remote_ip = "127.0.0.1";
    r.request_id = "rid-1";
    return api_.HandleSync(r);
  }
  http::Response Admin(const std::string& path) { return Get(path, &admin_); }
  http::Response User(const std::string& path) { return Get(path, &user_); }

  // The whole body of a streamed response, as the server would send it.
  static std::string Drain(const http::Response& r) {
    EXPECT_TRUE(r.stream) << r.body;
    if (!r.stream) return r.body;
    std::string out;
    for (int i = 0; i < 10000; ++i) {
      std::string chunk;
      bool done = false;
      Status s = r.stream->next(&chunk, &done);
      EXPECT_OK(s);
      out += chunk;
      if (done || !s.ok()) return out;
    }
    ADD_FAILURE() << "the stream never ended";
    return out;
  }
  static std::vector<std::string> Lines(const std::string& csv) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < csv.size()) {
      size_t end = csv.find("\r\n", pos);
      if (end == std::string::npos) end = csv.size();
      out.push_back(csv.substr(pos, end - pos));
      pos = end + 2;
    }
    return out;
  }
  static std::string Header(const http::Response& r, const std::string& name) {
    for (const auto& h : r.headers) {
      if (h.name == name) return h.value;
    }
    return "";
  }
  static std::string Field(const http::Response& r) {
    auto b = json::parse(r.body).as_object();
    const json::value* f = b.at("error").as_object().if_contains("field");
    return f ? std::string(f->as_string()) : "";
  }
  std::string AllAudit() {
    store::AuditFilter f;
    f.limit = 1000;
    auto page = env.store->ListAudit(f);
    EXPECT_OK(page.status());
    std::string out;
    if (page.ok())
      for (const auto& e : page->items) out += e.action + " " + e.outcome + " " + e.detail + "\n";
    return out;
  }

  testing::TestEnv env;
  Api api_;
  std::string admin_, user_;
};

TEST_F(ExportApiTest, NeedsALogin) {
  for (const char* p : {"/api/exports/fleet", "/api/exports/quota-history?account_id=111111111111",
                        "/api/exports/audit-log", "/api/exports/quota-increases"}) {
    EXPECT_EQ(Get(p, nullptr).status, 401) << p;
  }
}

TEST_F(ExportApiTest, FleetCsvHasOneRowPerAccountRegionModelDimension) {
  auto r = Admin("/api/exports/fleet");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(Header(r, "Content-Disposition").rfind("attachment; filename=\"fleet-", 0), 0u);
  EXPECT_NE(Header(r, "Content-Disposition").find(".csv\""), std::string::npos);
  EXPECT_EQ(Header(r, "Cache-Control"), "no-store");
  auto lines = Lines(Drain(r));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0],
            "account_id,account_name,team,region,model_id,dimension,value,state,source,read_at,stale_reason,"
            "usage_peak_24h,headroom_24h");
  // The dashboard models of the test config: Sonnet 4.5 (tpm, rpm, tpm_1m, rpm_1m) and Opus 4.5 (tpm, rpm) — 6
  // rows per (account, region); two accounts in one region each.
  EXPECT_EQ(lines.size(), 1u + 2 * 6) << Drain(Admin("/api/exports/fleet"));
  auto has = [&](const std::string& line) { return std::find(lines.begin(), lines.end(), line) != lines.end(); };
  EXPECT_TRUE(
      has("111111111111,Account 111111111111,team-a,us-east-1,claude-sonnet-4.5-v1,tpm,400000,ok,"
          "aws_default,2025-11-28T08:20:41Z,,,"));
  // Never read: empty value, never 0; a real zero stays 0.
  EXPECT_TRUE(has("111111111111,Account 111111111111,team-a,us-east-1,claude-sonnet-4.5-v1,rpm,,never,,,,,"));
  EXPECT_TRUE(
      has("111111111111,Account 111111111111,team-a,us-east-1,claude-opus-4.5,tpm,0,ok,applied,"
          "2025-11-28T08:20:41Z,,,"));
  EXPECT_NE(AllAudit().find("export.fleet success"), std::string::npos);
}

TEST_F(ExportApiTest, UserSeesOnlyTheirTeamsAccounts) {
  auto body = Drain(User("/api/exports/fleet"));
  EXPECT_NE(body.find(kAccountA), std::string::npos);
  EXPECT_EQ(body.find(kAccountB), std::string::npos);
  // Asking for another team finds nothing rather than that team's accounts.
  auto other = Drain(User("/api/exports/fleet?team=team-b"));
  EXPECT_EQ(Lines(other).size(), 1u);
  // The history of an account they may not see is refused, as its own views are.
  EXPECT_EQ(User(std::string("/api/exports/quota-history?account_id=") + kAccountB).status, 403);
  EXPECT_EQ(User(std::string("/api/exports/quota-increases?account_id=") + kAccountB).status, 403);
  EXPECT_EQ(User("/api/exports/audit-log").status, 403);
  auto inc = Drain(User("/api/exports/quota-increases"));
  EXPECT_EQ(Lines(inc).size(), 1u);  // the header: no requests yet
}

TEST_F(ExportApiTest, FiltersAndJson) {
  auto r = Admin("/api/exports/fleet?format=json&model_id=claude-opus-4.5&region=us-east-1&team=team-a");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  auto doc = json::parse(Drain(r));
  ASSERT_TRUE(doc.is_array());
  ASSERT_EQ(doc.as_array().size(), 2u);  // account A, Opus: tpm and rpm
  const auto& row = doc.as_array()[0].as_object();
  EXPECT_EQ(row.at("account_id"), kAccountA);
  EXPECT_EQ(row.at("value"), 0);
  EXPECT_TRUE(doc.as_array()[1].as_object().at("value").is_null());
  auto bom = Drain(Admin("/api/exports/fleet?bom=true"));
  EXPECT_EQ(bom.rfind("\xEF\xBB\xBF"
                      "account_id,",
                      0),
            0u);
}

TEST_F(ExportApiTest, BadFiltersAre422NamingTheField) {
  struct Case {
    const char* path;
    const char* field;
  } cases[] = {
      {"/api/exports/fleet?format=xlsx", "format"},
      {"/api/exports/fleet?bom=yes", "bom"},
      {"/api/exports/fleet?format=json&bom=true", "bom"},
      {"/api/exports/fleet?region=mars-1", "region"},
      {"/api/exports/fleet?model_id=nope", "model_id"},
      {"/api/exports/fleet?team=Bad%20Team", "team"},
      {"/api/exports/quota-history", "account_id"},
      {"/api/exports/quota-history?account_id=111111111111&from=yesterday", "from"},
      {"/api/exports/quota-history?account_id=111111111111&region=eu-west-1", "region"},
      {"/api/exports/audit-log?to=soon", "to"},
      {"/api/exports/quota-increases?status=MAYBE", "status"},
  };
  for (const Case& c : cases) {
    auto r = Admin(c.path);
    EXPECT_EQ(r.status, 422) << c.path << " " << r.body;
    if (r.status == 422) {
      EXPECT_EQ(Field(r), c.field) << c.path;
    }
  }
  EXPECT_EQ(Admin("/api/exports/quota-history?account_id=999999999999").status, 404);
}

TEST_F(ExportApiTest, HistoryAndAuditLog) {
  auto h = Admin(std::string("/api/exports/quota-history?account_id=") + kAccountA);
  ASSERT_EQ(h.status, 200) << h.body;
  auto lines = Lines(Drain(h));
  ASSERT_GE(lines.size(), 1u);  // the header (PutSnapshot records no history: the refresh engine does)
  EXPECT_EQ(lines[0],
            "account_id,region,at,quota_code,model_id,dimension,event,value,previous_value,state,source,"
            "reason");
  auto a = Admin("/api/exports/audit-log?format=json&action=export.");
  ASSERT_EQ(a.status, 200) << a.body;
  auto doc = json::parse(Drain(a)).as_array();
  ASSERT_EQ(doc.size(), 2u);  // newest first: this export's own entry (written when it opened), then the history's
  EXPECT_EQ(doc[0].as_object().at("action"), "export.audit_log");
  EXPECT_EQ(doc[1].as_object().at("action"), "export.quota_history");
}

}  // namespace
}  // namespace ap::api
