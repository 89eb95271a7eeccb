#include "api/api.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <limits>
#include <sstream>

#include "common/thread_pool.h"
#include "fake_account_api.h"
#include "fake_hasher.h"
#include "status_matchers.h"
#include "store/cursor.h"
#include "test_env.h"
#include "usage_fakes.h"

namespace ap::api {
namespace {

// Trusted proxies: one address and two CIDR blocks.
ApiOptions TestApiOptions() {
  ApiOptions o{{}, "ap_session", false, "", 3600};
  auto proxies = http::AddressSet::Parse({"10.0.0.1", "10.1.0.0/16", "fd00::/8"}, "--trusted-proxy");
  EXPECT_TRUE(proxies.ok());
  if (proxies.ok()) o.trusted_proxies = *std::move(proxies);
  return o;
}

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() : api_(ServicesOf(*env.graph), TestApiOptions()) {}

  void SetUp() override {
    ASSERT_OK(env.auth->BootstrapAdmin("admin@example.com", "admin-password"));
    auto login = env.auth->Login({}, "admin@example.com", "admin-password");
    ASSERT_OK(login);
    token_ = login->token;
  }

  // A login with the wrong password from TCP peer `remote_ip` with extra `headers` (JSON body declared).
  void WrongPasswordLogin(std::string remote_ip, std::vector<http::Header> headers) {
    http::Request r;
    r.method = "POST";
    r.path = r.target = "/api/auth/login";
    r.body = R"({"email":"admin@example.com","password":"wrong-password"})";
    r.remote_ip = std::move(remote_ip);
    r.headers = std::move(headers);
    r.headers.push_back({"Content-Type", "application/json"});
    api_.HandleSync(r);
  }
  // The audit log's failed logins, newest first.
  std::vector<domain::AuditEntry> FailedLoginAudit() {
    store::AuditFilter f;
    f.action = "auth.login";
    f.outcome = "failure";
    auto page = env.store->ListAudit(f);
    EXPECT_OK(page);
    return page.ok() ? page->items : std::vector<domain::AuditEntry>{};
  }

  http::Response Call(std::string method, std::string path, std::string body = {},
                      std::vector<http::Header> headers = {}, bool auth = true) {
    http::Request r;
    r.method = std::move(method);
    auto q = path.find('?');
    r.path = path.substr(0, q);
    r.query = q == std::string::npos ? "" : path.substr(q + 1);
    r.target = path;
    r.body = std::move(body);
    r.headers = std::move(headers);
    bool typed = false;
    for (const auto& h : r.headers) typed |= h.name == "Content-Type";
    if (!r.body.empty() && !typed) r.headers.push_back({"Content-Type", "application/json"});
    if (auth) r.headers.push_back({"Authorization", "Bearer " + token_});
    r.remote_ip = "127.0.0.1";
    r.request_id = "rid-1";
    return api_.HandleSync(r);
  }

  static json::object Body(const http::Response& r) { return json::parse(r.body).as_object(); }

  testing::TestEnv env;
  Api api_;
  std::string token_;
};

TEST_F(ApiTest, ErrorBodiesHaveOneShape) {
  auto r = Call("POST", "/api/accounts", "{not json");
  EXPECT_EQ(r.status, 400);
  auto e = Body(r).at("error").as_object();
  EXPECT_EQ(e.at("code"), "bad_request");
  EXPECT_EQ(e.at("request_id"), "rid-1");
  EXPECT_FALSE(e.contains("field"));

  r = Call("POST", "/api/accounts", R"({"account_name":"x","account_id":"1","credentials":{"type":"access_key",
      "access_key_id":"AKIAIOSFODNN7EXAMPLE","secret_access_key":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Body(r).at("error").at("field"), "account_id");

  r = Call("POST", "/api/accounts", R"({"account_name":5})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Body(r).at("error").at("field"), "account_name");

  r = Call("GET", "/api/accounts/999999999999");
  EXPECT_EQ(r.status, 404);
  r = Call("GET", "/api/accounts", "", {}, false);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Body(r).at("error").at("code"), "unauthenticated");
  r = Call("PUT", "/api/accounts");
  EXPECT_EQ(r.status, 405);
  bool has_allow = false;
  for (const auto& h : r.headers) has_allow |= h.name == "Allow" && h.value == "GET, POST";
  EXPECT_TRUE(has_allow);
  r = Call("GET", "/api/nope");
  EXPECT_EQ(r.status, 404);
}

TEST_F(ApiTest, QuotaReadUsesTheWireFieldNames) {
  auto r = Call("POST", "/api/accounts",
                R"({"account_name":"Prod","account_id":"123456789012","credentials":{"type":"access_key",
                    "access_key_id":"AKIAIOSFODNN7EXAMPLE","secret_access_key":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.body.find("wJalr"), std::string::npos);
  domain::QuotaSnapshot s;
  s.account_id = "123456789012";
  s.region = "us-east-1";
  domain::QuotaValue v;
  v.quota_code = "L-27C57EE8";
  v.value = 400000;
  v.state = domain::QuotaState::kOk;
  v.read_at_ms = 1'764'318'041'000;
  v.is_default = true;
  s.values = {v};
  ASSERT_OK(env.quota->PutSnapshot(s));
  r = Call("GET", "/api/accounts/123456789012/quota");
  ASSERT_EQ(r.status, 200);
  auto body = Body(r);
  EXPECT_EQ(body.at("claude_sonnet_45_v1_tpm"), 400000);
  EXPECT_TRUE(body.at("claude_sonnet_45_v1_tpm").is_int64());  // an integer on the wire, not 4E5
  EXPECT_TRUE(body.at("claude_sonnet_45_v1_rpm").is_null());
  EXPECT_TRUE(body.at("claude_sonnet_45_v1_1m_tpm").is_null());
  EXPECT_TRUE(body.at("claude_sonnet_45_v1_1m_rpm").is_null());
  EXPECT_TRUE(body.at("claude_opus_45_tpm").is_null());
  EXPECT_FALSE(body.contains("claude_opus_45_1m_tpm"));
  EXPECT_EQ(body.at("last_updated"), "2025-11-28T08:20:41Z");
  const auto& sonnet = body.at("models").as_array()[1].as_object();
  EXPECT_EQ(sonnet.at("model_id"), "claude-sonnet-4.5-v1");
  EXPECT_EQ(sonnet.at("tpm").at("source"), "aws_default");
  EXPECT_EQ(sonnet.at("rpm").at("state"), "never");
  EXPECT_EQ(sonnet.at("status"), "never");
}

// output_token_burndown on the quota-config wire: always in responses, optional in a PUT (absent → 5), an
// integer in 1..100 or 422 naming the model's field (checked before narrowing, so a huge value cannot wrap).
TEST_F(ApiTest, QuotaConfigCarriesTheOutputTokenBurndown) {
  auto r = Call("GET", "/api/admin/quota-config");
  ASSERT_EQ(r.status, 200) << r.body;
  json::object config = Body(r);
  json::array& models = config.at("models").as_array();
  ASSERT_GE(models.size(), 2u);
  for (const json::value& m : models) EXPECT_EQ(m.at("output_token_burndown"), 5) << json::serialize(m);

  models[0].as_object()["output_token_burndown"] = 1;
  models[1].as_object()["output_token_burndown"] = 100;
  r = Call("PUT", "/api/admin/quota-config", json::serialize(config));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("models").at(0).at("output_token_burndown"), 1);
  r = Call("GET", "/api/admin/quota-config");
  ASSERT_EQ(r.status, 200);
  config = Body(r);
  EXPECT_EQ(config.at("models").at(0).at("output_token_burndown"), 1);
  EXPECT_EQ(config.at("models").at(1).at("output_token_burndown"), 100);
  ASSERT_OK(env.quota_config->Get());
  EXPECT_EQ((*env.quota_config->Get())->models[1].output_token_burndown, 100);

  // Absent (an older client) or null: the default, 5.
  config.at("models").as_array()[0].as_object().erase("output_token_burndown");
  config.at("models").as_array()[1].as_object()["output_token_burndown"] = nullptr;
  r = Call("PUT", "/api/admin/quota-config", json::serialize(config));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("models").at(0).at("output_token_burndown"), 5);
  EXPECT_EQ(Body(r).at("models").at(1).at("output_token_burndown"), 5);

  config = Body(r);
  const int64_t version = config.at("version").as_int64();
  for (const char* bad : {"0", "101", "-1", "\"5\"", "2.5", "true", "4294967301", "18446744073709551615"}) {
    json::object body = config;
    body.at("models").as_array()[1].as_object()["output_token_burndown"] = json::parse(bad);
    r = Call("PUT", "/api/admin/quota-config", json::serialize(body));
    EXPECT_EQ(r.status, 422) << bad << " " << r.body;
    EXPECT_EQ(Body(r).at("error").at("field"), "models[1].output_token_burndown") << bad;
  }
  auto unchanged = env.quota_config->Get();
  ASSERT_OK(unchanged);
  EXPECT_EQ((*unchanged)->version, version);
  EXPECT_EQ((*unchanged)->models[1].output_token_burndown, 5);
}

TEST_F(ApiTest, CookieWritesNeedTheCsrfHeader) {
  std::vector<http::Header> cookie = {{"Cookie", "theme=dark; ap_session=" + token_}};
  auto r = Call("GET", "/api/auth/me", "", cookie, false);
  EXPECT_EQ(r.status, 200);
  r = Call("POST", "/api/admin/teams", R"({"team_id":"ops"})", cookie, false);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Body(r).at("error").at("code"), "csrf");
  cookie.push_back({"X-Requested-With", "account-platform"});
  r = Call("POST", "/api/admin/teams", R"({"team_id":"ops"})", cookie, false);
  EXPECT_EQ(r.status, 201);
}

TEST_F(ApiTest, ClientIpComesFromTrustedProxiesOnly) {
  WrongPasswordLogin("10.0.0.1", {{"X-Forwarded-For", "203.0.113.9, 10.0.0.1"}});
  WrongPasswordLogin("192.0.2.5", {{"X-Forwarded-For", "203.0.113.9, 10.0.0.1"}});  // not a trusted proxy
  auto entries = FailedLoginAudit();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].client_ip, "203.0.113.9");
  EXPECT_EQ(entries[0].client_ip, "192.0.2.5");
}

// Behind a load balancer the proxies' addresses change: a CIDR block trusts each of them, and hops inside it are
// skipped when looking for the client.
TEST_F(ApiTest, ClientIpComesThroughTrustedProxyBlocks) {
  WrongPasswordLogin("10.1.255.254", {{"X-Forwarded-For", "203.0.113.9, 10.1.0.7"}});
  WrongPasswordLogin("10.2.0.1", {{"X-Forwarded-For", "203.0.113.10"}});  // outside 10.1.0.0/16
  WrongPasswordLogin("fd12::1", {{"X-Forwarded-For", "2001:db8::5"}});
  WrongPasswordLogin("::ffff:10.1.0.9", {{"X-Forwarded-For", "198.51.100.7"}});  // a dual-stack socket's peer
  auto entries = FailedLoginAudit();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[3].client_ip, "203.0.113.9");
  EXPECT_EQ(entries[2].client_ip, "10.2.0.1");
  EXPECT_EQ(entries[1].client_ip, "2001:db8::5");
  EXPECT_EQ(entries[0].client_ip, "198.51.100.7");
}

// Finding 10: a body that is not declared JSON is 415 before anything else runs (a cross-site form can send
// text/plain, never application/json, so this is what stops login CSRF).
TEST_F(ApiTest, BodiesMustBeDeclaredJson) {
  const std::string login = R"({"email":"admin@example.com","password":"admin-password"})";
  for (std::string type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                           "application/jsonx", ""}) {
    auto r = Call("POST", "/api/auth/login", login, {{"Content-Type", type}}, false);
    EXPECT_EQ(r.status, 415) << type;
    EXPECT_EQ(Body(r).at("error").at("code"), "unsupported_media_type") << type;
    for (const auto& h : r.headers) EXPECT_NE(h.name, "Set-Cookie") << type;
  }
  for (std::string type : {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8",
                           " application/json "}) {
    auto r = Call("POST", "/api/auth/login", login, {{"Content-Type", type}}, false);
    EXPECT_EQ(r.status, 200) << type;
  }
  // No body, no rule: a POST without one is judged by its handler.
  auto r = Call("POST", "/api/auth/logout", "", {}, true);
  EXPECT_NE(r.status, 415);
  // Unknown routes stay 404 whatever the body.
  r = Call("POST", "/api/nope", "x", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(r.status, 404);
}

// Finding 8: header text the app keeps is valid UTF-8 (audit rows are served back as JSON).
TEST_F(ApiTest, KeptHeaderTextIsValidUtf8) {
  WrongPasswordLogin("10.0.0.1", {{"User-Agent", "agent \xFF\xFE"}, {"X-Forwarded-For", "203.0.113.9\xC0"}});
  auto entries = FailedLoginAudit();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].user_agent, "agent \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(entries[0].client_ip, "203.0.113.9\xEF\xBF\xBD");
}

TEST_F(ApiTest, MethodNotAllowedMessageIsBounded) {
  std::string method = "M";
  method.append(5000, 'X');
  auto r = Call(method, "/api/accounts");
  EXPECT_EQ(r.status, 405);
  EXPECT_LT(r.body.size(), 300u) << r.body;
}

// Finding 1: only the router's methods become metrics labels.
TEST(Router, MethodLabelIsAKnownMethodOrOther) {
  Router router;
  router.Add(Route{.method = "GET", .pattern = "/a"});
  router.Add(Route{.method = "POST", .pattern = "/a"});
  EXPECT_EQ(router.MethodLabel("GET"), "GET");
  EXPECT_EQ(router.MethodLabel("HEAD"), "HEAD");  // GET routes answer HEAD
  EXPECT_EQ(router.MethodLabel("POST"), "POST");
  EXPECT_EQ(router.MethodLabel("DELETE"), "other");
  EXPECT_EQ(router.MethodLabel("get"), "other");
  EXPECT_EQ(router.MethodLabel("M" + std::string(16 * 1024, 'x')), "other");
}

TEST_F(ApiTest, RandomMethodsDoNotGrowTheMetrics) {
  MetricsRegistry registry;
  Services s = ServicesOf(*env.graph);
  s.metrics = &registry;
  Api api(s, ApiOptions{});
  auto call = [&](std::string method) {
    http::Request r;
    r.method = std::move(method);
    r.path = r.target = "/api/accounts";
    r.request_id = "rid";
    return api.HandleSync(r);
  };
  call("GET");
  call("BREW");
  auto lines = [](const std::string& text) { return std::count(text.begin(), text.end(), '\n'); };
  auto before = lines(registry.Render());
  for (int i = 0; i < 1000; ++i) {
    std::string method = "M";  // (built by appends: GCC 12 warns falsely about "M" + ..., -Wrestrict)
    method += std::to_string(i);
    method.append(200, 'x');
    call(method);
  }
  std::string after = registry.Render();
  EXPECT_EQ(lines(after), before) << after;  // the same series, only their counts moved
  EXPECT_NE(after.find("method=\"other\""), std::string::npos);
  EXPECT_EQ(after.find("M17"), std::string::npos);
}

TEST_F(ApiTest, InternalErrorsDoNotLeakText) {
  http::Response r = ErrorFromStatus(Internal("sqlite: disk I/O error at /var/secret"), "rid-9");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("sqlite"), std::string::npos);
  EXPECT_NE(r.body.find("rid-9"), std::string::npos);
}

// Page arithmetic (issue 8, finding 11): a page whose offset would overflow is refused naming "page", on every
// paged list; it never wraps to another page, and never names an internal field such as "offset".
TEST_F(ApiTest, PagesBeyondAnyPossibleRowAreRefusedNamingPage) {
  for (std::string list : {"/api/accounts", "/api/dashboard/stats"}) {
    for (std::string query : {"page=4611686018427387905&page_size=4", "page=9223372036854775807"}) {
      auto r = Call("GET", list + "?" + query);
      EXPECT_EQ(r.status, 422) << list << "?" << query << ": " << r.body;
      if (r.status == 422) {
        EXPECT_EQ(Body(r).at("error").at("field"), "page") << list << "?" << query;
      }
    }
    auto past = Call("GET", list + "?page=9223372036854775808");  // not even an int64
    EXPECT_EQ(past.status, 422) << list;
  }
}

// The dashboard's rows page by cursor: `next` until the last page, no `page`; `total` is the number of rows.
TEST_F(ApiTest, DashboardRowsPageByCursor) {
  for (std::string id : {"100000000001", "100000000002", "100000000003"})
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(id)));
  auto r = Call("GET", "/api/dashboard/stats?page_size=2");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_EQ(body.at("total"), 3);
  EXPECT_EQ(body.at("page_size"), 2);
  EXPECT_FALSE(body.contains("page"));
  ASSERT_EQ(body.at("accounts").as_array().size(), 2u);
  ASSERT_TRUE(body.at("next").is_string());
  r = Call("GET", "/api/dashboard/stats?page_size=2&cursor=" + std::string(body.at("next").as_string()));
  ASSERT_EQ(r.status, 200) << r.body;
  body = Body(r);
  ASSERT_EQ(body.at("accounts").as_array().size(), 1u);
  EXPECT_EQ(body.at("accounts").as_array()[0].at("account_id"), "100000000003");
  EXPECT_TRUE(body.at("next").is_null());
  r = Call("GET", "/api/dashboard/stats?cursor=bogus");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Body(r).at("error").at("field"), "cursor");
  r = Call("GET", "/api/dashboard/stats?page_size=201");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Body(r).at("error").at("field"), "page_size");
  r = Call("GET", "/api/dashboard/stats?page=2");  // offset pages are gone: refused, not served as page 1
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Body(r).at("error").at("field"), "page");
}

class ApiCursorTest : public ApiTest {
 protected:
  // Follows a list's `next` cursors from `first` (a path with a query); the `key` of its items, in order.
  std::vector<std::string> FollowCursors(const std::string& first, const std::string& key, int* pages) {
    std::vector<std::string> ids;
    std::string path = first;
    for (*pages = 1; *pages <= 100; ++*pages) {
      auto r = Call("GET", path);
      EXPECT_EQ(r.status, 200) << path << ": " << r.body;
      if (r.status != 200) break;
      auto body = Body(r);
      for (const auto& item : body.at("items").as_array()) ids.emplace_back(item.at(key).as_string());
      if (body.at("next").is_null()) break;
      path = first + "&cursor=" + std::string(body.at("next").as_string());
    }
    return ids;
  }
};

TEST_F(ApiCursorTest, AuditLogPagesByCursorNewestFirstAndRefusesABadCursor) {
  for (int i = 1; i <= 5; ++i) {
    domain::AuditEntry e{.audit_id = "a_t" + std::to_string(i),
                         .at_ms = 1000 * i,
                         .actor_id = "u_x",
                         .action = "test.event",
                         .outcome = "success"};
    ASSERT_OK(env.store->AppendAudit(e));
  }
  int pages = 0;
  EXPECT_EQ(FollowCursors("/api/admin/audit-log?action=test.&page_size=2", "audit_id", &pages),
            (std::vector<std::string>{"a_t5", "a_t4", "a_t3", "a_t2", "a_t1"}));
  EXPECT_EQ(pages, 3);
  auto first = Body(Call("GET", "/api/admin/audit-log?action=test.&page_size=2"));
  EXPECT_FALSE(first.contains("total"));
  EXPECT_FALSE(first.at("items").as_array().at(0).as_object().contains("seq"));
  auto bad = Call("GET", "/api/admin/audit-log?cursor=garbage");
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(Body(bad).at("error").at("field"), "cursor");
  auto size = Call("GET", "/api/admin/audit-log?page_size=1001");
  ASSERT_EQ(size.status, 422) << size.body;
  EXPECT_EQ(Body(size).at("error").at("field"), "page_size");
}

TEST_F(ApiCursorTest, UsersListPagesByEmailWithTheTotal) {
  for (std::string email : {"c@example.com", "b@example.com", "d@example.com"}) {
    service::NewUser u;
    u.email = email;
    ASSERT_OK(env.auth->CreateUser(env.Admin(), u));
  }
  int pages = 0;
  EXPECT_EQ(FollowCursors("/api/admin/users?page_size=2", "email", &pages),
            (std::vector<std::string>{"admin@example.com", "b@example.com", "c@example.com", "d@example.com"}));
  EXPECT_EQ(pages, 2);
  auto body = Body(Call("GET", "/api/admin/users?page_size=2"));
  EXPECT_EQ(body.at("total"), 4);
  EXPECT_EQ(body.at("items").as_array().size(), 2u);
  auto bad = Call("GET", "/api/admin/users?cursor=garbage");
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(Body(bad).at("error").at("field"), "cursor");
}

TEST_F(ApiTest, AccountsArePagedByCursorWithTheMaintainedTotal) {
  for (std::string id : {"100000000001", "100000000002", "100000000003"})
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount(id, {"red"})));
  auto r = Call("GET", "/api/accounts?page_size=2");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_EQ(body.at("total"), 3);  // an admin's list without team or search: the maintained count
  EXPECT_EQ(body.at("page_size"), 2);
  EXPECT_FALSE(body.contains("page"));
  ASSERT_EQ(body.at("items").as_array().size(), 2u);
  ASSERT_TRUE(body.at("next").is_string());
  std::string next(body.at("next").as_string());

  r = Call("GET", "/api/accounts?page_size=2&cursor=" + next);
  ASSERT_EQ(r.status, 200) << r.body;
  body = Body(r);
  ASSERT_EQ(body.at("items").as_array().size(), 1u);
  EXPECT_EQ(body.at("items").as_array()[0].at("account_id"), "100000000003");
  EXPECT_TRUE(body.at("next").is_null());

  r = Call("GET", "/api/accounts?team=red&page_size=2");  // filtered lists have no total
  EXPECT_FALSE(Body(r).contains("total"));
  r = Call("GET", "/api/accounts?search=1000");
  EXPECT_FALSE(Body(r).contains("total"));
  EXPECT_EQ(Body(r).at("items").as_array().size(), 3u);
}

TEST_F(ApiCursorTest, AccountsAreListedInNaturalLocaleAwareOrderAcrossPages) {
  const std::vector<std::pair<std::string, std::string>> accounts = {
      {"100000000001", "bench-10"}, {"100000000002", "bench-2"}, {"100000000003", "Bench-100"},
      {"100000000004", "上海"},     {"100000000005", "北京"},    {"100000000006", "bench-1"}};
  for (const auto& [id, name] : accounts) {
    service::NewAccount a = env.AccessKeyAccount(id, {"red"});
    a.account_name = name;
    ASSERT_OK(env.accounts->Create(env.Admin(), a));
  }
  const std::vector<std::string> natural = {"bench-1", "bench-2", "bench-10", "Bench-100", "北京", "上海"};
  int pages = 0;
  EXPECT_EQ(FollowCursors("/api/accounts?page_size=4", "account_name", &pages), natural);
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(FollowCursors("/api/accounts?team=red&page_size=1", "account_name", &pages), natural);
  EXPECT_EQ(pages, 6);
  // A cursor from before natural order (kind "accounts", folded name key) is refused like any foreign cursor.
  auto r = Call("GET", "/api/accounts?cursor=" + store::EncodeCursor("accounts", {"bench-10", "100000000001"}));
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Body(r).at("error").at("field"), "cursor");
  // Search results too: natural across matched terms; a trailing number matches longer numbers it starts.
  EXPECT_EQ(FollowCursors("/api/accounts?search=bench&page_size=1", "account_name", &pages),
            (std::vector<std::string>{"bench-1", "bench-2", "bench-10", "Bench-100"}));
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(FollowCursors("/api/accounts?search=BENCH-1&team=red&page_size=2", "account_name", &pages),
            (std::vector<std::string>{"bench-1", "bench-10", "Bench-100"}));
  // A search cursor of the plain-term order (kind "account-search.n") is refused the same way.
  r = Call("GET", "/api/accounts?search=bench&cursor=" +
                      store::EncodeCursor("account-search.n", {"bench-1", "x", "100000000006"}));
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Body(r).at("error").at("field"), "cursor");
}

TEST_F(ApiTest, AccountListRefusesOffsetPagesAndForeignCursors) {
  auto r = Call("GET", "/api/accounts?page=1");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Body(r).at("error").at("field"), "page");
  r = Call("GET", "/api/accounts?cursor=not-a-cursor");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Body(r).at("error").at("field"), "cursor");
  for (std::string size : {"0", "201"}) {
    r = Call("GET", "/api/accounts?page_size=" + size);
    EXPECT_EQ(r.status, 422) << size;
    EXPECT_EQ(Body(r).at("error").at("field"), "page_size") << size;
  }
}

// The AWS work of client requests (issue 8, finding 14): a worker pool, admission, a contact reader with a
// scripted Account API and a quota refresher with scripted Service Quotas.
class ApiAwsWorkTest : public ApiTest {
 protected:
  ApiAwsWorkTest()
      : creds_(*env.accounts, env.assumer, env.clock),
        reader_(*env.accounts, creds_, account_api_, env.clock),
        admission_(AdmissionOptions()),
        pool_(std::make_unique<ThreadPool>(1)),
        refresher_(*env.accounts, *env.quota_config, *env.quota, creds_, quotas_, *env.audit, *env.store, env.clock,
                   *pool_, service::RefreshOptions{}),
        usage_poller_(*env.accounts, *env.quota_config, *env.quota, creds_, cloudwatch_, *env.store, *env.store,
                      env.clock, *pool_, UsageOptions()),
        aws_api_(AwsServices(), ApiOptions{}) {}
  ~ApiAwsWorkTest() override { pool_.reset(); }  // drains the queue while everything its tasks use is alive

  // The env's services plus this fixture's AWS work (no fleet, no model discovery).
  Services AwsServices() {
    Services s = ServicesOf(*env.graph);
    s.refresher = &refresher_;
    s.blocking_pool = pool_.get();
    s.contact_reader = &reader_;
    s.metrics = &metrics_;
    s.aws_admission = &admission_;
    s.usage_poller = &usage_poller_;
    return s;
  }

  // As ServiceGraph wires it: what a poll writes is published to the usage reads' cache.
  service::UsagePollOptions UsageOptions() {
    service::UsagePollOptions o;
    o.on_snapshot = [usage = env.graph->usage.get()](const store::UsageSnapshot& s) { usage->Publish(s); };
    return o;
  }

  static service::AwsWorkAdmissionOptions AdmissionOptions() {
    service::AwsWorkAdmissionOptions o;
    o.per_user = 2;
    o.total = 3;
    o.max_queued = 1;
    o.retry_after_seconds = 7;
    return o;
  }

  void SetUp() override {
    ApiTest::SetUp();
    ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("123456789012")));
    auto principal = env.auth->Authenticate(token_);
    ASSERT_OK(principal);
    admin_id_ = principal->user_id;
    for (const char* code : {"L-27C57EE8", "L-DB84CE56", "L-4B26E44A", "L-C0D53EFB", "L-3ABF6ACC", "L-58424D95"})
      quotas_.Set(code, {1000.0, 500.0, Status::Ok()});
  }

  http::Request Request(std::string method, std::string path) {
    http::Request r;
    r.method = std::move(method);
    auto q = path.find('?');
    r.path = path.substr(0, q);
    r.query = q == std::string::npos ? "" : path.substr(q + 1);
    r.target = path;
    r.headers.push_back({"Authorization", "Bearer " + token_});
    r.remote_ip = "127.0.0.1";
    r.request_id = "rid-aws";
    return r;
  }
  http::Response Send(const http::Request& r) { return aws_api_.HandleSync(r); }
  // Starts a request without waiting for its response.
  std::future<http::Response> Start(const http::Request& r) {
    auto promise = std::make_shared<std::promise<http::Response>>();
    auto future = promise->get_future();
    aws_api_.Handle(r, [promise](http::Response resp) { promise->set_value(std::move(resp)); });
    return future;
  }
  static std::string HeaderOf(const http::Response& r, std::string_view name) {
    for (const auto& h : r.headers)
      if (h.name == name) return h.value;
    return {};
  }

  testing::FakeAccountApi account_api_;
  testing::FakeServiceQuotas quotas_;
  service::AccountCredentials creds_;
  service::ContactReader reader_;
  service::AwsWorkAdmission admission_;
  MetricsRegistry metrics_;
  std::unique_ptr<ThreadPool> pool_;
  service::QuotaRefresher refresher_;
  testing::FakeCloudWatch cloudwatch_;
  service::UsagePoller usage_poller_;
  Api aws_api_;
  std::string admin_id_;
};

TEST_F(ApiAwsWorkTest, ContactReadsFromAwsAreCachedAndReleaseTheirPlace) {
  for (int i = 0; i < 3; ++i) {
    auto r = Send(Request("GET", "/api/accounts/123456789012/billing?source=aws"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Body(r).at("city"), "Seattle");
  }
  EXPECT_EQ(account_api_.calls.load(), 1);
  EXPECT_EQ(admission_.in_flight(), 0u);
}

TEST_F(ApiAwsWorkTest, AUserBeyondItsShareGets429WithRetryAfter) {
  auto a = admission_.Admit(admin_id_);
  auto b = admission_.Admit(admin_id_);
  ASSERT_TRUE(a.ok() && b.ok());
  for (std::string_view route :
       {"GET /api/accounts/123456789012/billing?source=aws", "POST /api/accounts/123456789012/quota/refresh"}) {
    size_t sp = route.find(' ');
    auto r = Send(Request(std::string(route.substr(0, sp)), std::string(route.substr(sp + 1))));
    EXPECT_EQ(r.status, 429) << route << ": " << r.body;
    EXPECT_EQ(Body(r).at("error").at("code"), "rate_limited");
    EXPECT_EQ(HeaderOf(r, "Retry-After"), "7");
  }
  EXPECT_EQ(account_api_.calls.load(), 0);
  EXPECT_EQ(quotas_.get_calls(), 0);
  // Routes that do not use the AWS workers are not limited.
  EXPECT_EQ(Send(Request("GET", "/api/accounts/123456789012")).status, 200);
  a->Release();
  EXPECT_EQ(Send(Request("GET", "/api/accounts/123456789012/billing?source=aws")).status, 200);
  auto refreshed = Send(Request("POST", "/api/accounts/123456789012/quota/refresh"));
  EXPECT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_EQ(admission_.in_flight(admin_id_), 1u);  // only `b`: finished work gave its place back
}

TEST_F(ApiAwsWorkTest, UsageRefreshPollsEveryRegionAndReportsEach) {
  service::AccountPatch p;
  p.regions = std::vector<std::string>{"us-east-1", "us-west-2"};
  ASSERT_OK(env.accounts->Update(env.Admin(), "123456789012", p));
  auto r = Send(Request("POST", "/api/accounts/123456789012/usage/refresh"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_EQ(body.at("account_id"), "123456789012");
  const auto& regions = body.at("regions").as_array();
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0].at("region"), "us-east-1");
  EXPECT_EQ(regions[1].at("region"), "us-west-2");
  EXPECT_EQ(regions[0].at("state"), "ok");
  EXPECT_TRUE(regions[0].at("error_code").is_null());
  EXPECT_EQ(cloudwatch_.list_calls(), 2);
  EXPECT_OK(env.store->GetUsageSnapshot("123456789012", "us-west-2"));
  EXPECT_EQ(admission_.in_flight(), 0u);
  // AWS failing: 200 with the region stale and a safe message, never the AWS text.
  cloudwatch_.FailListMetrics(Unavailable("boom: secret detail"));
  auto stale = Send(Request("POST", "/api/accounts/123456789012/usage/refresh"));
  ASSERT_EQ(stale.status, 200) << stale.body;
  EXPECT_EQ(stale.body.find("secret detail"), std::string::npos);
  auto stale_body = Body(stale);
  for (const auto& region : stale_body.at("regions").as_array()) {
    EXPECT_EQ(region.at("state"), "stale");
    EXPECT_EQ(region.at("error_code"), "unavailable");
    EXPECT_FALSE(region.at("error_message").as_string().empty());
  }
  // Unknown account: 404 and no AWS call.
  const int calls = cloudwatch_.list_calls();
  EXPECT_EQ(Send(Request("POST", "/api/accounts/999999999999/usage/refresh")).status, 404);
  EXPECT_EQ(cloudwatch_.list_calls(), calls);
}

// A poll on this instance shows in the next quota read at once, although that read's usage ("never") was cached.
TEST_F(ApiAwsWorkTest, AUsagePollShowsInTheQuotaReadAtOnce) {
  ASSERT_EQ(Send(Request("POST", "/api/accounts/123456789012/quota/refresh")).status, 200);
  auto before = Send(Request("GET", "/api/accounts/123456789012/quota"));
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(Body(before).at("usage").at("state"), "never");
  const std::string id = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
  const int64_t minute = env.clock.NowUnixMillis() / 1000 / 60 * 60 - 120;
  cloudwatch_.SetModelIds({id});
  cloudwatch_.SetPoint(id, "Invocations", minute, 10);
  cloudwatch_.SetPoint(id, "InputTokenCount", minute, 100);
  cloudwatch_.SetPoint(id, "OutputTokenCount", minute, 20);
  ASSERT_EQ(Send(Request("POST", "/api/accounts/123456789012/usage/refresh")).status, 200);
  auto after = Body(Send(Request("GET", "/api/accounts/123456789012/quota")));
  EXPECT_EQ(after.at("usage").at("state"), "ok");
  ASSERT_EQ(after.at("usage_series").as_array().size(), 1u);
  for (const auto& m : after.at("models").as_array()) {
    if (m.at("model_id") != "claude-sonnet-4.5-v1") continue;
    const auto& hour = m.at("usage").at("windows").as_array()[0];
    EXPECT_EQ(hour.at("requests").at("peak"), 10);
    EXPECT_EQ(hour.at("weighted_tokens").at("peak"), 100 + 20 * 5);
    const double rpm = m.at("rpm").at("value").to_number<double>();
    EXPECT_EQ(m.at("usage").at("quota_rpm").to_number<double>(), rpm);
    EXPECT_DOUBLE_EQ(hour.at("headroom_rpm").to_number<double>(), 1 - 10.0 / rpm);
  }
}

// A refresh holds a place while its AWS work runs; a request that joins it costs no worker and is not counted.
TEST_F(ApiAwsWorkTest, ARefreshHoldsAPlaceUntilItEndsButJoiningItIsFree) {
  quotas_.Hold();
  auto first = Start(Request("POST", "/api/accounts/123456789012/quota/refresh"));
  // The refresh has started (its place is taken) when its first read reaches AWS.
  quotas_.WaitForCalls(1);
  EXPECT_EQ(admission_.in_flight(admin_id_), 1u);
  auto b = admission_.Admit(admin_id_);  // the user's whole share (2) is now taken
  ASSERT_OK(b);
  auto joined = Start(Request("POST", "/api/accounts/123456789012/quota/refresh"));
  // Another account would need a new refresh: refused.
  ASSERT_OK(env.accounts->Create(env.Admin(), env.AccessKeyAccount("210987654321")));
  auto other = Send(Request("POST", "/api/accounts/210987654321/quota/refresh"));
  EXPECT_EQ(other.status, 429) << other.body;
  quotas_.Release();
  auto r1 = first.get();
  auto r2 = joined.get();
  EXPECT_EQ(r1.status, 200) << r1.body;
  EXPECT_EQ(r2.status, 200) << r2.body;
  EXPECT_EQ(quotas_.get_calls(), 6);               // one refresh's reads for both requests
  EXPECT_EQ(admission_.in_flight(admin_id_), 1u);  // only `b`
}

TEST_F(ApiAwsWorkTest, AllPlacesTakenGives503WithRetryAfter) {
  std::vector<service::AwsWorkAdmission::Ticket> others;
  for (std::string user : {"u1", "u2", "u3"}) others.push_back(std::move(admission_.Admit(user)).value());
  auto r = Send(Request("GET", "/api/accounts/123456789012/billing?source=aws"));
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(HeaderOf(r, "Retry-After"), "7");
  EXPECT_EQ(account_api_.calls.load(), 0);
}

TEST_F(ApiAwsWorkTest, AFullWorkerQueueGives503AndReleasesThePlace) {
  // The one worker is busy and one task waits: the queue is at max_queued (1).
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  pool_->Submit([released] { released.wait(); });
  pool_->Submit([] {});
  auto r = Send(Request("GET", "/api/accounts/123456789012/billing?source=aws"));
  release.set_value();
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(HeaderOf(r, "Retry-After"), "7");
  EXPECT_EQ(admission_.in_flight(), 0u);
  EXPECT_NE(metrics_.Render().find("ap_aws_work_refused_total{reason=\"queue_full\"} 1"), std::string::npos);
}

TEST_F(ApiAwsWorkTest, QueuedWorkOfAClientThatLeftIsSkipped) {
  http::Request r = Request("GET", "/api/accounts/123456789012/billing?source=aws");
  auto gone = std::make_shared<std::atomic<bool>>(true);
  r.client_gone = gone;
  auto resp = Send(r);
  EXPECT_EQ(resp.status, 499);
  EXPECT_EQ(account_api_.calls.load(), 0);  // no AWS call for nobody
  EXPECT_EQ(admission_.in_flight(), 0u);
  EXPECT_NE(metrics_.Render().find("ap_aws_work_dropped_total 1"), std::string::npos) << metrics_.Render();
  gone->store(false);
  EXPECT_EQ(Send(r).status, 200);
  EXPECT_EQ(account_api_.calls.load(), 1);
}

std::string HeaderOf(const http::Response& r, std::string_view name) {
  for (const auto& h : r.headers)
    if (h.name == name) return h.value;
  return {};
}

TEST_F(ApiTest, ThrottledLoginAnswers429WithRetryAfter) {
  const std::string body = R"({"email":"admin@example.com","password":"wrong-password"})";
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Call("POST", "/api/auth/login", body, {}, false).status, 401);
  auto r = Call("POST", "/api/auth/login", R"({"email":"admin@example.com","password":"admin-password"})", {}, false);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(Body(r).at("error").at("code"), "rate_limited");
  EXPECT_EQ(HeaderOf(r, "Retry-After"), "1");
}

TEST_F(ApiTest, LoginIsAnsweredFromTheHashPoolAndRefusedBeyondItsQueue) {
  testing::FakeHasher hasher;
  SecureRandom random;
  service::AuditService audit(*env.store, env.clock, random);
  ThreadPool pool(1);
  service::AuthOptions ao;
  ao.hasher = &hasher;
  ao.hash_pool = &pool;
  ao.hash_queue_limit = 1;
  service::AuthService auth(*env.store, env.clock, random, audit, ao);
  service::NewUser nu;
  nu.email = "pool@example.com";
  nu.password = "pool-password";
  ASSERT_OK(auth.CreateUser(service::RequestContext::System(), nu));
  Api api(Services{.auth = auth,
                   .accounts = *env.accounts,
                   .quota = *env.quota,
                   .quota_config = *env.quota_config,
                   .dashboard = *env.dashboard,
                   .audit = audit,
                   .authorizer = *env.authorizer,
                   .clock = env.clock},
          ApiOptions{});
  auto login = [&](std::string ip) {
    http::Request r;
    r.method = "POST";
    r.path = r.target = "/api/auth/login";
    r.body = R"({"email":"pool@example.com","password":"pool-password"})";
    r.headers = {{"Content-Type", "application/json"}};
    r.remote_ip = std::move(ip);
    r.request_id = "rid-pool";
    auto answered = std::make_shared<std::promise<http::Response>>();
    auto future = answered->get_future();
    api.Handle(r, [answered](http::Response resp) { answered->set_value(std::move(resp)); });
    return future;
  };
  hasher.Close();
  auto first = login("192.0.2.1");
  hasher.WaitForVerifications(1);    // the pool's one thread is busy with the first login
  auto second = login("192.0.2.2");  // waits in the queue (bound 1)
  auto third = login("192.0.2.3");   // over the bound: answered at once
  ASSERT_EQ(third.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  http::Response refused = third.get();
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(Body(refused).at("error").at("code"), "unavailable");
  EXPECT_EQ(Body(refused).at("error").at("request_id"), "rid-pool");
  EXPECT_EQ(HeaderOf(refused, "Retry-After"), "1");
  hasher.Open();
  http::Response a = first.get(), b = second.get();
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(b.status, 200) << b.body;
  EXPECT_FALSE(HeaderOf(a, "Set-Cookie").empty());
  EXPECT_EQ(a.route, "/api/auth/login");
}

// Every route of the router is described in docs/openapi.yaml (built into openapi.json).
TEST_F(ApiTest, EveryRouteIsDocumented) {
  std::ifstream in(AP_OPENAPI_JSON_PATH);
  ASSERT_TRUE(in) << "missing " << AP_OPENAPI_JSON_PATH;
  std::stringstream text;
  text << in.rdbuf();
  auto doc = json::parse(text.str()).as_object();
  const auto& paths = doc.at("paths").as_object();
  for (const Route& route : api_.router().routes()) {
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const json::value* path = paths.if_contains(route.pattern);
    EXPECT_TRUE(path && path->as_object().contains(method))
        << route.method << " " << route.pattern << " is not in docs/openapi.yaml";
  }
}

}  // namespace
}  // namespace ap::api
