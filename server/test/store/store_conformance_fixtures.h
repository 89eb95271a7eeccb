// Shared fixtures of the Store conformance suite's files (store_conformance*.cc): record builders and the
// assertions that compare records field by field.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "status_matchers.h"
#include "store_conformance.h"

namespace ap::store::testing {
namespace fixtures {

using domain::Account;
using domain::AccountStatus;
using domain::AuditEntry;
using domain::ContactInfo;
using domain::ModelSpec;
using domain::QuotaConfig;
using domain::QuotaLowered;
using domain::QuotaSnapshot;
using domain::QuotaState;
using domain::QuotaValue;
using domain::Session;
using domain::Team;
using domain::User;

// A session cap no test reaches, for tests about something else.
constexpr int kManySessions = 10000;

// ---- Assertions -----------------------------------------------------------------------------------------

inline ::testing::AssertionResult IsOk(const Status& s) {
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << s.ToString();
}
template <typename T>
inline ::testing::AssertionResult IsOk(const Result<T>& r) {
  return IsOk(r.status());
}

inline ::testing::AssertionResult Is(StatusCode code, const Status& s) {
  if (s.code() == code) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected " << StatusCodeName(code) << ", got " << s.ToString();
}
template <typename T>
inline ::testing::AssertionResult Is(StatusCode code, const Result<T>& r) {
  return Is(code, r.status());
}

// Field tuples: EXPECT_EQ on them compares every field and prints the difference.
inline auto Fields(const User& u) {
  return std::tie(u.user_id, u.email, u.role, u.teams, u.disabled, u.password_hash, u.created_at_ms, u.updated_at_ms,
                  u.must_change_password);
}
inline auto Fields(const Session& s) {
  return std::tie(s.token_hash, s.user_id, s.created_at_ms, s.expires_at_ms, s.user_agent, s.client_ip);
}
inline auto Fields(const Team& t) { return std::tie(t.team_id, t.name, t.created_at_ms); }
inline auto Fields(const Account& a) {
  return std::tie(a.account_id, a.account_name, a.regions, a.teams, a.status, a.credential_type, a.access_key_id_masked,
                  a.role_arn, a.sealed_credentials, a.created_at_ms, a.updated_at_ms, a.created_by, a.version);
}
inline auto Fields(const ContactInfo& c) {
  return std::tie(c.full_name, c.address_line1, c.address_line2, c.address_line3, c.city, c.company_name,
                  c.country_code, c.district_or_county, c.phone_number, c.postal_code, c.state_or_region, c.website_url,
                  c.updated_at_ms, c.updated_by);
}
inline auto Fields(const QuotaValue& v) {
  return std::tie(v.quota_code, v.value, v.state, v.is_default, v.reason, v.read_at_ms, v.attempted_at_ms,
                  v.aws_default, v.aws_default_read_at_ms);
}
inline auto Fields(const ModelSpec& m) {
  return std::tie(m.model_id, m.display_name, m.quota_code_tpm, m.quota_code_rpm, m.enabled, m.show_in_dashboard,
                  m.has_1m_context, m.quota_code_tpm_1m, m.quota_code_rpm_1m, m.output_token_burndown);
}
inline auto Fields(const AuditEntry& e) {
  return std::tie(e.audit_id, e.at_ms, e.actor_id, e.actor_email, e.action, e.target_type, e.target_id, e.outcome,
                  e.client_ip, e.user_agent, e.request_id, e.detail, e.count, e.last_at_ms);
}

inline void ExpectSameSnapshot(const QuotaSnapshot& want, const QuotaSnapshot& got) {
  EXPECT_EQ(got.account_id, want.account_id);
  EXPECT_EQ(got.region, want.region);
  EXPECT_EQ(got.updated_at_ms, want.updated_at_ms);
  EXPECT_EQ(got.last_lowered, want.last_lowered);
  ASSERT_EQ(got.values.size(), want.values.size());
  for (size_t i = 0; i < want.values.size(); ++i) EXPECT_EQ(Fields(got.values[i]), Fields(want.values[i])) << i;
}

inline void ExpectSameConfig(const QuotaConfig& want, const QuotaConfig& got) {
  EXPECT_EQ(got.config_id, want.config_id);
  EXPECT_EQ(got.updated_at_ms, want.updated_at_ms);
  EXPECT_EQ(got.updated_by, want.updated_by);
  EXPECT_EQ(got.version, want.version);
  ASSERT_EQ(got.models.size(), want.models.size());
  for (size_t i = 0; i < want.models.size(); ++i) EXPECT_EQ(Fields(got.models[i]), Fields(want.models[i])) << i;
}

template <typename T, typename Key>
inline std::vector<std::string> Ids(const std::vector<T>& items, Key key) {
  std::vector<std::string> ids;
  for (const T& item : items) ids.push_back(key(item));
  return ids;
}
inline std::vector<std::string> AccountIds(const AccountPage& page) {
  return Ids(page.items, [](const Account& a) { return a.account_id; });
}
inline std::vector<std::string> AuditIds(const AuditPage& page) {
  return Ids(page.items, [](const AuditEntry& e) { return e.audit_id; });
}

// ---- Fixtures -------------------------------------------------------------------------------------------

inline User MakeUser(const std::string& id, const std::string& email) {
  User u;
  u.user_id = id;
  u.email = email;
  u.role = domain::Role::kUser;
  u.teams = {"blue", "red"};
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  u.created_at_ms = 1'700'000'000'000;
  u.updated_at_ms = 1'700'000'000'500;
  return u;
}

inline Session MakeSession(const std::string& token_hash, const std::string& user_id, int64_t expires_at_ms) {
  Session s;
  s.token_hash = token_hash;
  s.user_id = user_id;
  s.created_at_ms = 1'700'000'000'000;
  s.expires_at_ms = expires_at_ms;
  s.user_agent = "Mozilla/5.0 (X11; Linux x86_64)";
  s.client_ip = "203.0.113.7";
  return s;
}

inline Account MakeAccount(const std::string& id, const std::string& name, std::vector<std::string> teams = {},
                           AccountStatus status = AccountStatus::kActive) {
  Account a;
  a.account_id = id;
  a.account_name = name;
  a.regions = {"eu-west-1", "us-east-1"};
  a.teams = std::move(teams);
  a.status = status;
  a.credential_type = domain::CredentialType::kAccessKey;
  a.access_key_id_masked = "AKIA************WXYZ";
  // Sealed bytes are binary: NUL, high bytes and invalid UTF-8 must survive.
  a.sealed_credentials = std::string("\x00\x01\xff\xfe nonce+ciphertext \x80\x00", 24);
  a.created_at_ms = 1'700'000'000'000;
  a.updated_at_ms = 1'700'000'000'000;
  a.created_by = "u_admin";
  a.version = 1;
  return a;
}

inline ContactInfo MakeContact(const std::string& name) {
  ContactInfo c;
  c.full_name = name;
  c.address_line1 = "1 Main Street";
  c.address_line2 = "Floor 2";
  c.address_line3 = "Suite 300";
  c.city = "Seattle";
  c.company_name = "Example Corp";
  c.country_code = "US";
  c.district_or_county = "King";
  c.phone_number = "+1 206 555 0100";
  c.postal_code = "98101";
  c.state_or_region = "WA";
  c.website_url = "https://example.com";
  c.updated_at_ms = 1'700'000'123'000;
  c.updated_by = "u_admin";
  return c;
}

inline QuotaValue Value(const std::string& code, std::optional<double> value, QuotaState state) {
  QuotaValue v;
  v.quota_code = code;
  v.value = value;
  v.state = state;
  return v;
}

inline ModelSpec Model(const std::string& id, std::optional<std::string> tpm, std::optional<std::string> rpm) {
  ModelSpec m;
  m.model_id = id;
  m.display_name = "Model " + id;
  m.quota_code_tpm = std::move(tpm);
  m.quota_code_rpm = std::move(rpm);
  m.enabled = true;
  return m;
}

// Version 1 of a config with two models whose output_token_burndown is `first` and `second` (for the tests of
// how each backend reads a model stored without the field).
inline QuotaConfig TwoModelConfig(int first, int second) {
  QuotaConfig c;
  c.version = 1;
  c.updated_by = "system";
  ModelSpec a = Model("claude-sonnet-4.5-v1", "L-27C57EE8", std::nullopt);
  a.output_token_burndown = first;
  ModelSpec b = Model("claude-opus-4.5", "L-3ABF6ACC", std::nullopt);
  b.output_token_burndown = second;
  c.models = {a, b};
  return c;
}

inline AuditEntry MakeAudit(const std::string& id, int64_t at_ms, const std::string& actor, const std::string& action,
                            const std::string& target_type = "account", const std::string& target_id = "111111111111",
                            const std::string& outcome = "success") {
  AuditEntry e;
  e.audit_id = id;
  e.at_ms = at_ms;
  e.actor_id = actor;
  e.actor_email = actor + "@example.com";
  e.action = action;
  e.target_type = target_type;
  e.target_id = target_id;
  e.outcome = outcome;
  e.client_ip = "198.51.100.1";
  e.user_agent = "curl/8.0";
  e.request_id = "req-" + id;
  e.detail = R"({"field":"value"})";
  e.last_at_ms = at_ms;
  return e;
}

}  // namespace fixtures
}  // namespace ap::store::testing
