// The alerts API on the test graph (no sockets): status codes, the 422 fields in wire names, 409s, what answers and
// the audit log never contain (Slack URLs, webhook secrets), and the access rules of alerts for users.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/api.h"
#include "service/alert_service.h"
#include "status_matchers.h"
#include "test_env.h"

namespace ap::api {
namespace {

constexpr char kAccountA[] = "111111111111";  // team-a
constexpr char kAccountB[] = "222222222222";  // team-b
constexpr char kSlackUrl[] = "https://hooks.slack.com/services/T0/B0/SLACKSECRETPART";
constexpr char kSecret[] = "whsec_0123456789abcdef-SECRET";

class AlertApiTest : public ::testing::Test {
 protected:
  AlertApiTest() : api_(ServicesOf(*env.graph), ApiOptions{}) {}

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
  }

  http::Response Call(std::string method, std::string path, std::string body = {}, const std::string* token = nullptr) {
    http::Request r;
    r.method = std::move(method);
    auto q = path.find('?');
    r.path = path.substr(0, q);
    r.query = q == std::string::npos ? "" : path.substr(q + 1);
    r.target = path;
    r.body = std::move(body);
    if (!r.body.empty()) r.headers.push_back({"Content-Type", "application/json"});
    r.headers.push_back({"Authorization", "Bearer " + (token ? *token : admin_)});
    r.remote_ip = "127.0.0.1";
    r.request_id = "rid-1";
    return api_.HandleSync(r);
  }
  http::Response AsUser(std::string method, std::string path, std::string body = {}) {
    return Call(std::move(method), std::move(path), std::move(body), &user_);
  }
  static json::object Body(const http::Response& r) { return json::parse(r.body).as_object(); }
  static std::string Field(const http::Response& r) {
    const json::object b = Body(r);
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
      for (const auto& e : page->items) out += e.action + " " + e.target_id + " " + e.detail + "\n";
    return out;
  }
  // A firing alert of `rule_id` on `account`, stored directly (the evaluator's job); its wire id.
  std::string PutAlert(const std::string& rule_id, const std::string& account,
                       std::vector<domain::AlertDelivery> deliveries = {}) {
    domain::Alert a;
    a.deliveries = std::move(deliveries);
    a.rule_id = rule_id;
    a.target = {account, "us-east-1", ""};
    a.key = domain::AlertKey(rule_id, a.target);
    a.started_at_ms = env.clock.NowUnixMillis();
    a.summary = "refresh failing for 12 min";
    a.value = 12;
    EXPECT_OK(env.store->PutAlert(a, 0).status());
    return service::AlertWireId(a.key);
  }

  testing::TestEnv env;
  Api api_;
  std::string admin_;
  std::string user_;
};

constexpr char kRuleBody[] =
    R"({"name":"refresh failing","condition":"refresh_failing","scope":{"kind":"fleet"},"duration_minutes":15,
        "renotify_minutes":60})";

TEST_F(AlertApiTest, RuleCrudUsesMinutesAndVersions) {
  http::Response r = Call("POST", "/api/admin/alert-rules", kRuleBody);
  ASSERT_EQ(r.status, 201) << r.body;
  json::object rule = Body(r);
  const std::string id(rule.at("id").as_string());
  EXPECT_EQ(rule.at("duration_minutes"), 15);
  EXPECT_EQ(rule.at("renotify_minutes"), 60);
  EXPECT_TRUE(rule.at("threshold").is_null());
  EXPECT_TRUE(rule.at("window").is_null());
  EXPECT_TRUE(rule.at("scope").at("team").is_null());
  EXPECT_EQ(rule.at("version"), 1);
  EXPECT_EQ(rule.at("enabled"), true);

  r = Call("GET", "/api/admin/alert-rules");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r).at("items").as_array().size(), 1u);
  r = Call("GET", "/api/admin/alert-rules/" + id);
  ASSERT_EQ(r.status, 200);

  const std::string put =
      R"({"version":1,"name":"headroom","condition":"headroom_below","scope":{"kind":"account","account_id":")" +
      std::string(kAccountA) + R"("},"threshold":0.15,"window":"24h"})";
  r = Call("PUT", "/api/admin/alert-rules/" + id, put);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("version"), 2);
  EXPECT_EQ(Body(r).at("window"), "24h");
  EXPECT_TRUE(Body(r).at("duration_minutes").is_null());
  r = Call("PUT", "/api/admin/alert-rules/" + id, put);  // version 1 again: stale
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Body(r).at("error").at("code"), "conflict");

  r = Call("DELETE", "/api/admin/alert-rules/" + id);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Field(r), "version");
  r = Call("DELETE", "/api/admin/alert-rules/" + id + "?version=1");
  EXPECT_EQ(r.status, 409);
  r = Call("DELETE", "/api/admin/alert-rules/" + id + "?version=2");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(Call("GET", "/api/admin/alert-rules/" + id).status, 404);
  EXPECT_EQ(Call("DELETE", "/api/admin/alert-rules/" + id + "?version=2").status, 404);
}

TEST_F(AlertApiTest, RuleValidationNamesTheWireField) {
  struct Case {
    std::string body;
    std::string field;
  };
  const Case cases[] = {
      {R"({"condition":"refresh_failing","scope":{"kind":"fleet"},"duration_minutes":15})", "name"},
      {R"({"name":"x","condition":"nope","scope":{"kind":"fleet"}})", "condition"},
      {R"({"name":"x","condition":"refresh_failing","scope":{"kind":"galaxy"},"duration_minutes":15})", "scope.kind"},
      {R"({"name":"x","condition":"refresh_failing","scope":{"kind":"fleet"}})", "duration_minutes"},
      {R"({"name":"x","condition":"refresh_failing","scope":{"kind":"fleet"},"duration_minutes":0})",
       "duration_minutes"},
      {R"({"name":"x","condition":"refresh_failing","scope":{"kind":"fleet"},"duration_minutes":15,
           "window":"1h"})",
       "window"},
      {R"({"name":"x","condition":"headroom_below","scope":{"kind":"fleet"}})", "threshold"},
      {R"({"name":"x","condition":"headroom_below","scope":{"kind":"fleet"},"threshold":0.1,"window":"2h"})", "window"},
      {R"({"name":"x","condition":"headroom_below","scope":{"kind":"fleet"},"threshold":0.1,
           "renotify_minutes":2})",
       "renotify_minutes"},
      {R"({"name":"x","condition":"headroom_below","scope":{"kind":"team"},"threshold":0.1})", "scope.team"},
      {R"({"name":"x","condition":"headroom_below","scope":{"kind":"team","team":"nobody"},"threshold":0.1})",
       "scope.team"},
      {R"({"name":"x","condition":"headroom_below","scope":{"kind":"account","account_id":"999999999999"},
           "threshold":0.1})",
       "scope.account_id"},
      {R"({"name":"x","condition":"headroom_below","scope":{"kind":"fleet"},"threshold":0.1,
           "channel_ids":["ch_nope"]})",
       "channel_ids"},
  };
  for (const Case& c : cases) {
    http::Response r = Call("POST", "/api/admin/alert-rules", c.body);
    EXPECT_EQ(r.status, 422) << c.body << " → " << r.body;
    EXPECT_EQ(Field(r), c.field) << c.body << " → " << r.body;
  }
  EXPECT_EQ(Call("POST", "/api/admin/alert-rules", "[1]").status, 400);
}

TEST_F(AlertApiTest, ChannelAnswersAndAuditNeverCarryTheSecrets) {
  http::Response r = Call("POST", "/api/admin/alert-channels",
                          std::string(R"({"kind":"slack","name":"team slack","url":")") + kSlackUrl + R"("})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.body.find("SLACKSECRETPART"), std::string::npos) << r.body;
  json::object slack = Body(r);
  EXPECT_EQ(slack.at("url"), "https://hooks.slack.com/…");
  EXPECT_EQ(slack.at("has_secret"), false);
  EXPECT_TRUE(slack.at("topic_arn").is_null());

  r = Call("POST", "/api/admin/alert-channels",
           std::string(R"({"kind":"webhook","name":"hook","url":"https://hooks.example.com/x","secret":")") + kSecret +
               R"("})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << r.body;
  json::object hook = Body(r);
  const std::string hook_id(hook.at("id").as_string());
  EXPECT_EQ(hook.at("url"), "https://hooks.example.com/x");
  EXPECT_EQ(hook.at("has_secret"), true);

  r = Call("GET", "/api/admin/alert-channels");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r).at("items").as_array().size(), 2u);
  EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << r.body;

  // PUT without secret keeps it; null removes it.
  r = Call("PUT", "/api/admin/alert-channels/" + hook_id, R"({"version":1,"name":"hook 2"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("has_secret"), true);
  EXPECT_EQ(Body(r).at("url"), "https://hooks.example.com/x");
  r = Call("PUT", "/api/admin/alert-channels/" + hook_id, R"({"version":2,"name":"hook 2","secret":null})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("has_secret"), false);
  r = Call("PUT", "/api/admin/alert-channels/" + hook_id, R"({"version":2,"name":"stale"})");
  EXPECT_EQ(r.status, 409);
  r = Call("PUT", "/api/admin/alert-channels/" + hook_id, R"({"version":3,"name":"x","kind":"sns"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Field(r), "kind");

  const std::string audit = AllAudit();
  EXPECT_NE(audit.find("alert_channel.create"), std::string::npos);
  EXPECT_NE(audit.find("alert_channel.update"), std::string::npos);
  EXPECT_EQ(audit.find("SLACKSECRETPART"), std::string::npos) << audit;
  EXPECT_EQ(audit.find("SECRET"), std::string::npos) << audit;
}

TEST_F(AlertApiTest, ChannelValidationAndInUseConflict) {
  http::Response r = Call("POST", "/api/admin/alert-channels", R"({"name":"x","url":"https://a.example.com"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Field(r), "kind");
  r = Call("POST", "/api/admin/alert-channels", R"({"kind":"webhook","name":"x","url":"http://example.com/"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Field(r), "url");
  r = Call("POST", "/api/admin/alert-channels",
           R"({"kind":"webhook","name":"x","url":"https://a.example.com/","secret":"short"})");
  EXPECT_EQ(Field(r), "secret");
  r = Call("POST", "/api/admin/alert-channels",
           R"({"kind":"sns","name":"x","topic_arn":"arn:aws:sns:us-east-1:123456789012:t","region":"us-west-2"})");
  EXPECT_EQ(Field(r), "region");
  r = Call("POST", "/api/admin/alert-channels",
           R"({"kind":"sns","name":"x","topic_arn":"arn:aws:sns:us-east-1:123456789012:t","region":"us-east-1"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(Body(r).at("url").is_null());
  const std::string channel(Body(r).at("id").as_string());

  r = Call("POST", "/api/admin/alert-rules",
           R"({"name":"uses it","condition":"usage_missing","scope":{"kind":"fleet"},"duration_minutes":30,
               "channel_ids":[")" +
               channel + R"("]})");
  ASSERT_EQ(r.status, 201) << r.body;
  r = Call("DELETE", "/api/admin/alert-channels/" + channel + "?version=1");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("uses it"), std::string::npos) << r.body;
  // Without a sender (the test graph has no poster) a test delivery is 503.
  EXPECT_EQ(Call("POST", "/api/admin/alert-channels/" + channel + "/test").status, 503);
  EXPECT_EQ(Call("POST", "/api/admin/alert-channels/ch_none/test").status, 503);
}

TEST_F(AlertApiTest, AdminRoutesAreForAdmins) {
  EXPECT_EQ(AsUser("GET", "/api/admin/alert-rules").status, 403);
  EXPECT_EQ(AsUser("POST", "/api/admin/alert-rules", kRuleBody).status, 403);
  EXPECT_EQ(AsUser("GET", "/api/admin/alert-channels").status, 403);
  EXPECT_EQ(AsUser("POST", "/api/admin/alert-channels/ch_x/test").status, 403);
}

TEST_F(AlertApiTest, AlertsFollowTheirAccountsAccess) {
  http::Response r = Call("POST", "/api/admin/alert-rules", kRuleBody);
  ASSERT_EQ(r.status, 201);
  const std::string rule_id(Body(r).at("id").as_string());
  const std::string a = PutAlert(rule_id, kAccountA);
  const std::string b = PutAlert(rule_id, kAccountB);

  r = Call("GET", "/api/alerts");
  ASSERT_EQ(r.status, 200) << r.body;
  json::object page = Body(r);
  ASSERT_EQ(page.at("items").as_array().size(), 2u);
  EXPECT_TRUE(page.at("next").is_null());
  const json::object& first = page.at("items").at(0).as_object();
  EXPECT_EQ(first.at("rule_name"), "refresh failing");
  EXPECT_EQ(first.at("condition"), "refresh_failing");
  EXPECT_TRUE(first.at("target").at("model_id").is_null());
  EXPECT_TRUE(first.at("pending_notice").is_null());
  EXPECT_TRUE(first.at("acknowledged_by").is_null());
  EXPECT_EQ(first.at("value"), 12);

  r = Call("GET", "/api/alerts?limit=1&state=firing");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r).at("items").as_array().size(), 1u);
  EXPECT_FALSE(Body(r).at("next").is_null());
  EXPECT_EQ(Field(Call("GET", "/api/alerts?state=open")), "state");
  EXPECT_EQ(Field(Call("GET", "/api/alerts?limit=500")), "limit");
  EXPECT_EQ(Field(Call("GET", "/api/alerts?account_id=111111111111&rule_id=" + rule_id)), "rule_id");
  EXPECT_EQ(Field(Call("GET", "/api/alerts?cursor=junk")), "cursor");

  // Users: one readable account at a time.
  r = AsUser("GET", "/api/alerts");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Field(r), "account_id");
  EXPECT_EQ(AsUser("GET", std::string("/api/alerts?account_id=") + kAccountB).status, 403);
  EXPECT_EQ(AsUser("GET", "/api/alerts?account_id=999999999999").status, 404);
  r = AsUser("GET", std::string("/api/alerts?account_id=") + kAccountA);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(Body(r).at("items").as_array().size(), 1u);
  EXPECT_EQ(Body(r).at("items").at(0).at("alert_id").as_string(), a);

  EXPECT_EQ(AsUser("GET", "/api/alerts/" + b).status, 403);
  EXPECT_EQ(AsUser("POST", "/api/alerts/" + b + "/ack").status, 403);
  EXPECT_EQ(AsUser("GET", "/api/alerts/not+base64").status, 404);
  EXPECT_EQ(AsUser("GET", "/api/alerts/" + service::AlertWireId("ar_x|1|2|")).status, 404);
  r = AsUser("POST", "/api/alerts/" + a + "/ack");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Body(r).at("acknowledged_by").is_null());
  EXPECT_FALSE(Body(r).at("acknowledged_at").is_null());

  r = AsUser("POST", "/api/alerts/" + a + "/mute", R"({"until":"2001-01-01T00:00:00Z"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Field(r), "until");
  EXPECT_EQ(Field(AsUser("POST", "/api/alerts/" + a + "/mute", R"({})")), "until");
  EXPECT_EQ(Field(AsUser("POST", "/api/alerts/" + a + "/mute", R"({"until":"tomorrow"})")), "until");
  const std::string until = FormatIso8601(env.clock.Now() + std::chrono::hours(2));
  r = AsUser("POST", "/api/alerts/" + a + "/mute", R"({"until":")" + until + R"("})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("muted_until").as_string(), until);
  // A fraction of a second, as JavaScript's toISOString() writes it, is accepted too.
  const std::string with_millis = until.substr(0, until.size() - 1) + ".250Z";
  r = AsUser("POST", "/api/alerts/" + a + "/mute", R"({"until":")" + with_millis + R"("})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("muted_until").as_string(), until);  // answers show whole seconds
  r = AsUser("POST", "/api/alerts/" + a + "/mute", R"({"until":null})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Body(r).at("muted_until").is_null());
  const std::string audit = AllAudit();
  EXPECT_NE(audit.find("alert.ack " + a), std::string::npos) << audit;
  EXPECT_NE(audit.find("alert.mute " + a), std::string::npos) << audit;
}

TEST_F(AlertApiTest, DeliveriesCarryTheirNextRetry) {
  http::Response r = Call("POST", "/api/admin/alert-rules", kRuleBody);
  ASSERT_EQ(r.status, 201);
  const std::string rule_id(Body(r).at("id").as_string());
  const int64_t now_ms = env.clock.NowUnixMillis();
  domain::AlertDelivery delivered;
  delivered.channel_id = "ch_a";
  delivered.notice = domain::AlertNotice::kFiring;
  delivered.at_ms = now_ms;
  delivered.attempts = 1;
  delivered.delivered = true;
  delivered.http_status = 200;
  domain::AlertDelivery backing_off;
  backing_off.channel_id = "ch_b";
  backing_off.notice = domain::AlertNotice::kFiring;
  backing_off.at_ms = now_ms;
  backing_off.attempts = 3;
  backing_off.http_status = 503;
  backing_off.error = "HTTP 503";
  backing_off.next_retry_at_ms = now_ms + 60'000;
  const std::string a = PutAlert(rule_id, kAccountA, {delivered, backing_off});

  r = Call("GET", "/api/alerts/" + a);
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object got = Body(r);
  const json::array& ds = got.at("deliveries").as_array();
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds.at(0).at("channel_id"), "ch_a");
  EXPECT_TRUE(ds.at(0).at("next_retry_at").is_null());
  EXPECT_TRUE(ds.at(0).at("error").is_null());
  EXPECT_EQ(ds.at(1).at("channel_id"), "ch_b");
  EXPECT_EQ(ds.at(1).at("next_retry_at").as_string(), FormatIso8601(env.clock.Now() + std::chrono::minutes(1)));
  EXPECT_EQ(ds.at(1).at("error"), "HTTP 503");
  EXPECT_EQ(ds.at(1).at("attempts"), 3);
}

}  // namespace
}  // namespace ap::api
