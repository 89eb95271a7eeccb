#include "api/api.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <sstream>

#include "common/thread_pool.h"
#include "fake_hasher.h"
#include "test_env.h"

namespace ap::api {
namespace {

class ApiTest : public ::testing::Test {
 protected:
  ApiTest()
      : api_(Services{*env.auth, *env.accounts, *env.quota, *env.quota_config, *env.dashboard, *env.audit,
                      *env.authorizer, env.clock},
             ApiOptions{{"10.0.0.1"}, "ap_session", false, "", 3600}) {}

  void SetUp() override {
    ASSERT_TRUE(env.auth->BootstrapAdmin("admin@example.com", "admin-password").ok());
    auto login = env.auth->Login({}, "admin@example.com", "admin-password");
    ASSERT_TRUE(login.ok());
    token_ = login->token;
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
  ASSERT_TRUE(env.quota->PutSnapshot(s).ok());
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
  http::Request r;
  r.method = "POST";
  r.path = r.target = "/api/auth/login";
  r.body = R"({"email":"admin@example.com","password":"wrong-password"})";
  r.remote_ip = "10.0.0.1";
  r.headers = {{"X-Forwarded-For", "203.0.113.9, 10.0.0.1"}, {"Content-Type", "application/json"}};
  api_.HandleSync(r);
  r.remote_ip = "192.0.2.5";  // not a trusted proxy: its header is ignored
  api_.HandleSync(r);
  store::AuditFilter f;
  f.action = "auth.login";
  f.outcome = "failure";
  auto page = env.store->ListAudit(f);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[1].client_ip, "203.0.113.9");
  EXPECT_EQ(page->items[0].client_ip, "192.0.2.5");
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
  http::Request r;
  r.method = "POST";
  r.path = r.target = "/api/auth/login";
  r.body = R"({"email":"admin@example.com","password":"wrong-password"})";
  r.remote_ip = "10.0.0.1";
  r.headers = {{"User-Agent", "agent \xFF\xFE"}, {"X-Forwarded-For", "203.0.113.9\xC0"},
               {"Content-Type", "application/json"}};
  api_.HandleSync(r);
  store::AuditFilter f;
  f.action = "auth.login";
  f.outcome = "failure";
  auto page = env.store->ListAudit(f);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].user_agent, "agent \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(page->items[0].client_ip, "203.0.113.9\xEF\xBF\xBD");
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
  Services s{*env.auth, *env.accounts, *env.quota, *env.quota_config, *env.dashboard, *env.audit,
             *env.authorizer, env.clock};
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
  ASSERT_TRUE(auth.CreateUser(service::RequestContext::System(), nu).ok());
  Api api(Services{auth, *env.accounts, *env.quota, *env.quota_config, *env.dashboard, audit, *env.authorizer,
                   env.clock},
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
  hasher.WaitForVerifications(1);  // the pool's one thread is busy with the first login
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
    EXPECT_TRUE(path && path->as_object().contains(method)) << route.method << " " << route.pattern << " is not in docs/openapi.yaml";
  }
}

}  // namespace
}  // namespace ap::api
