// Migration of a database made by the release (schema version 4, commit 4ed0e0f): fixtures/release-v4.sql (see
// fixtures/README.md) is loaded into a fresh file, its rows are read raw in the release's table layout (the
// expectation, so that the test cannot pass by accident), then SqliteStore::Open migrates the file and every value
// is read back through the store interfaces and compared with those rows: accounts (with the list order, the
// per-status counts and the Unicode word-prefix search that migration 5 back-fills), contact information, cached
// snapshots (missing stays missing), the quota config, history, audit (coalesced counts), users, teams,
// sessions, login throttles and fleet jobs.
//
// ExpectedTotals() computes, from the same raw rows, the per-scope totals (fleet, and any set of teams with
// accounts shared by several teams counted once) that maintained aggregates must hold after the migration.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/collation.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/job.h"
#include "domain/quota.h"
#include "domain/quota_config.h"
#include "domain/quota_history.h"
#include "domain/user.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

#ifndef AP_STORE_FIXTURES_DIR
#error "AP_STORE_FIXTURES_DIR must name server/test/store/fixtures"
#endif

namespace ap::store {
namespace {

namespace fs = std::filesystem;

// ---- The release's rows ---------------------------------------------------------------------------------

// The list encoding of schema version 4 (teams, regions, job items): "<byte length>:<bytes>" per element. Decoded
// here, not with the store's codec, so that the expectation does not depend on the code under test.
std::vector<std::string> DecodeV4List(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t colon = text.find(':');
    size_t len = 0;
    if (colon == std::string_view::npos) {
      ADD_FAILURE() << "malformed list: " << text;
      return out;
    }
    std::from_chars(text.data(), text.data() + colon, len);
    out.emplace_back(text.substr(colon + 1, len));
    text.remove_prefix(colon + 1 + len);
  }
  return out;
}

std::optional<double> OptionalDouble(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getDouble();
}
std::optional<std::string> OptionalText(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}
// The parsed enum, or a test failure (and the enum's first value).
template <typename T>
T Parsed(const Result<T>& r) {
  if (!r.ok()) ADD_FAILURE() << r.status().ToString();
  return r.ok() ? *r : T{};
}

struct ThrottleRow {
  std::string key;
  LoginThrottle state;
};

// Everything the release's database holds, in domain types.
struct ReleaseRows {
  int64_t schema_version = 0;
  std::vector<domain::User> users;                      // by email
  std::vector<domain::Session> sessions;                // by token_hash
  std::vector<domain::Team> teams;                      // by team_id
  std::vector<domain::Account> accounts;                // by account_id
  std::map<std::string, domain::ContactInfo> contacts;  // by account_id
  std::vector<domain::QuotaSnapshot> snapshots;         // by account_id, region; values by quota_code
  domain::QuotaConfig config;
  std::vector<domain::QuotaHistoryEntry> history;                 // by seq (append order)
  std::vector<domain::AuditEntry> audit;                          // by seq descending (newest first)
  std::vector<domain::Job> jobs;                                  // by job_id; counters computed from the items
  std::map<std::string, std::vector<domain::JobItem>> job_items;  // by job_id; seq = position in the old list
  std::vector<ThrottleRow> throttles;
};

ReleaseRows ReadReleaseRows(SQLite::Database& db) {
  ReleaseRows rows;
  {
    SQLite::Statement s(db, "SELECT max(version) FROM schema_migrations");
    s.executeStep();
    rows.schema_version = s.getColumn(0).getInt64();
  }
  {
    SQLite::Statement s(db,
                        "SELECT user_id, email, role, teams, disabled, password_hash, created_at_ms, updated_at_ms "
                        "FROM users ORDER BY email");
    while (s.executeStep()) {
      domain::User u;
      u.user_id = s.getColumn(0).getString();
      u.email = s.getColumn(1).getString();
      u.role = Parsed(domain::ParseRole(s.getColumn(2).getString()));
      u.teams = DecodeV4List(s.getColumn(3).getString());
      u.disabled = s.getColumn(4).getInt() != 0;
      u.password_hash = s.getColumn(5).getString();
      u.created_at_ms = s.getColumn(6).getInt64();
      u.updated_at_ms = s.getColumn(7).getInt64();
      rows.users.push_back(std::move(u));
    }
  }
  {
    SQLite::Statement s(db,
                        "SELECT token_hash, user_id, created_at_ms, expires_at_ms, user_agent, client_ip "
                        "FROM sessions ORDER BY token_hash");
    while (s.executeStep()) {
      rows.sessions.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getInt64(),
                               s.getColumn(3).getInt64(), s.getColumn(4).getString(), s.getColumn(5).getString()});
    }
  }
  {
    SQLite::Statement s(db, "SELECT team_id, name, created_at_ms FROM teams ORDER BY team_id");
    while (s.executeStep())
      rows.teams.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getInt64()});
  }
  {
    SQLite::Statement s(db,
                        "SELECT account_id, account_name, regions, teams, status, credential_type, "
                        "access_key_id_masked, role_arn, sealed_credentials, created_at_ms, updated_at_ms, "
                        "created_by, version FROM accounts ORDER BY account_id");
    while (s.executeStep()) {
      domain::Account a;
      a.account_id = s.getColumn(0).getString();
      a.account_name = s.getColumn(1).getString();
      a.regions = DecodeV4List(s.getColumn(2).getString());
      a.teams = DecodeV4List(s.getColumn(3).getString());
      a.status = Parsed(domain::ParseAccountStatus(s.getColumn(4).getString()));
      a.credential_type = Parsed(domain::ParseCredentialType(s.getColumn(5).getString()));
      a.access_key_id_masked = s.getColumn(6).getString();
      a.role_arn = s.getColumn(7).getString();
      const SQLite::Column blob = s.getColumn(8);
      a.sealed_credentials.assign(static_cast<const char*>(blob.getBlob()), static_cast<size_t>(blob.getBytes()));
      a.created_at_ms = s.getColumn(9).getInt64();
      a.updated_at_ms = s.getColumn(10).getInt64();
      a.created_by = s.getColumn(11).getString();
      a.version = s.getColumn(12).getInt64();
      rows.accounts.push_back(std::move(a));
    }
  }
  {
    SQLite::Statement s(db,
                        "SELECT account_id, full_name, address_line1, address_line2, address_line3, city, "
                        "company_name, country_code, district_or_county, phone_number, postal_code, "
                        "state_or_region, website_url, updated_at_ms, updated_by FROM contact_info");
    while (s.executeStep()) {
      domain::ContactInfo c;
      c.full_name = s.getColumn(1).getString();
      c.address_line1 = s.getColumn(2).getString();
      c.address_line2 = s.getColumn(3).getString();
      c.address_line3 = s.getColumn(4).getString();
      c.city = s.getColumn(5).getString();
      c.company_name = s.getColumn(6).getString();
      c.country_code = s.getColumn(7).getString();
      c.district_or_county = s.getColumn(8).getString();
      c.phone_number = s.getColumn(9).getString();
      c.postal_code = s.getColumn(10).getString();
      c.state_or_region = s.getColumn(11).getString();
      c.website_url = s.getColumn(12).getString();
      c.updated_at_ms = s.getColumn(13).getInt64();
      c.updated_by = s.getColumn(14).getString();
      rows.contacts[s.getColumn(0).getString()] = std::move(c);
    }
  }
  {
    SQLite::Statement s(db,
                        "SELECT account_id, region, updated_at_ms FROM quota_snapshots ORDER BY account_id, region");
    while (s.executeStep()) {
      domain::QuotaSnapshot snap;
      snap.account_id = s.getColumn(0).getString();
      snap.region = s.getColumn(1).getString();
      snap.updated_at_ms = s.getColumn(2).getInt64();
      rows.snapshots.push_back(std::move(snap));
    }
    SQLite::Statement v(db,
                        "SELECT quota_code, value, state, is_default, reason, read_at_ms, attempted_at_ms "
                        "FROM quota_values WHERE account_id = ? AND region = ? ORDER BY quota_code");
    for (domain::QuotaSnapshot& snap : rows.snapshots) {
      v.reset();
      v.bind(1, snap.account_id);
      v.bind(2, snap.region);
      while (v.executeStep()) {
        domain::QuotaValue q;
        q.quota_code = v.getColumn(0).getString();
        q.value = OptionalDouble(v.getColumn(1));
        q.state = Parsed(domain::ParseQuotaState(v.getColumn(2).getString()));
        q.is_default = v.getColumn(3).getInt() != 0;
        q.reason = v.getColumn(4).getString();
        q.read_at_ms = v.getColumn(5).getInt64();
        q.attempted_at_ms = v.getColumn(6).getInt64();
        snap.values.push_back(std::move(q));
      }
    }
  }
  {
    SQLite::Statement s(db, "SELECT config_id, updated_at_ms, updated_by, version FROM quota_config");
    if (s.executeStep()) {
      rows.config.config_id = s.getColumn(0).getString();
      rows.config.updated_at_ms = s.getColumn(1).getInt64();
      rows.config.updated_by = s.getColumn(2).getString();
      rows.config.version = s.getColumn(3).getInt64();
    }
    SQLite::Statement m(db,
                        "SELECT model_id, display_name, quota_code_tpm, quota_code_rpm, enabled, show_in_dashboard, "
                        "has_1m_context, quota_code_tpm_1m, quota_code_rpm_1m FROM quota_config_models "
                        "ORDER BY position");
    while (m.executeStep()) {
      domain::ModelSpec spec;
      spec.model_id = m.getColumn(0).getString();
      spec.display_name = m.getColumn(1).getString();
      spec.quota_code_tpm = OptionalText(m.getColumn(2));
      spec.quota_code_rpm = OptionalText(m.getColumn(3));
      spec.enabled = m.getColumn(4).getInt() != 0;
      spec.show_in_dashboard = m.getColumn(5).getInt() != 0;
      spec.has_1m_context = m.getColumn(6).getInt() != 0;
      spec.quota_code_tpm_1m = OptionalText(m.getColumn(7));
      spec.quota_code_rpm_1m = OptionalText(m.getColumn(8));
      rows.config.models.push_back(std::move(spec));
    }
  }
  {
    SQLite::Statement s(db,
                        "SELECT account_id, region, quota_code, at_ms, event, value, previous_value, state, "
                        "is_default, reason FROM quota_history ORDER BY seq");
    while (s.executeStep()) {
      domain::QuotaHistoryEntry h;
      h.account_id = s.getColumn(0).getString();
      h.region = s.getColumn(1).getString();
      h.quota_code = s.getColumn(2).getString();
      h.at_ms = s.getColumn(3).getInt64();
      h.event = Parsed(domain::ParseQuotaEvent(s.getColumn(4).getString()));
      h.value = OptionalDouble(s.getColumn(5));
      h.previous_value = OptionalDouble(s.getColumn(6));
      h.state = Parsed(domain::ParseQuotaState(s.getColumn(7).getString()));
      h.is_default = s.getColumn(8).getInt() != 0;
      h.reason = s.getColumn(9).getString();
      rows.history.push_back(std::move(h));
    }
  }
  {
    // last_at_ms 0 (rows older than migration 4) reads as at_ms: the release's contract.
    SQLite::Statement s(db,
                        "SELECT audit_id, at_ms, actor_id, actor_email, action, target_type, target_id, outcome, "
                        "client_ip, user_agent, request_id, detail, event_count, max(at_ms, last_at_ms) "
                        "FROM audit_log ORDER BY seq DESC");
    while (s.executeStep()) {
      domain::AuditEntry e;
      e.audit_id = s.getColumn(0).getString();
      e.at_ms = s.getColumn(1).getInt64();
      e.actor_id = s.getColumn(2).getString();
      e.actor_email = s.getColumn(3).getString();
      e.action = s.getColumn(4).getString();
      e.target_type = s.getColumn(5).getString();
      e.target_id = s.getColumn(6).getString();
      e.outcome = s.getColumn(7).getString();
      e.client_ip = s.getColumn(8).getString();
      e.user_agent = s.getColumn(9).getString();
      e.request_id = s.getColumn(10).getString();
      e.detail = s.getColumn(11).getString();
      e.count = s.getColumn(12).getInt64();
      e.last_at_ms = s.getColumn(13).getInt64();
      rows.audit.push_back(std::move(e));
    }
  }
  {
    SQLite::Statement s(db,
                        "SELECT job_id, kind, state, created_by, team_filter, region_filter, created_at_ms, "
                        "updated_at_ms, finished_at_ms, items FROM jobs ORDER BY job_id");
    while (s.executeStep()) {
      domain::Job j;
      j.job_id = s.getColumn(0).getString();
      j.kind = s.getColumn(1).getString();
      j.state = Parsed(domain::ParseJobState(s.getColumn(2).getString()));
      j.created_by = s.getColumn(3).getString();
      j.team_filter = s.getColumn(4).getString();
      j.region_filter = s.getColumn(5).getString();
      j.created_at_ms = s.getColumn(6).getInt64();
      j.updated_at_ms = s.getColumn(7).getInt64();
      j.finished_at_ms = s.getColumn(8).getInt64();
      std::vector<domain::JobItem>& items = rows.job_items[j.job_id];
      for (const std::string& encoded : DecodeV4List(s.getColumn(9).getString())) {
        std::vector<std::string> f = DecodeV4List(encoded);
        if (f.size() != 7) {
          ADD_FAILURE() << "job item with " << f.size() << " fields";
          continue;
        }
        domain::JobItem item;
        item.seq = static_cast<int64_t>(items.size());
        item.account_id = f[0];
        item.region = f[1];
        item.outcome = Parsed(domain::ParseJobItemOutcome(f[2]));
        item.values_ok = std::stoll(f[3]);
        item.values_failed = std::stoll(f[4]);
        item.error = f[5];
        item.finished_at_ms = std::stoll(f[6]);
        ++j.counters.total;
        j.counters.Add(item.outcome);
        items.push_back(std::move(item));
      }
      rows.jobs.push_back(std::move(j));
    }
  }
  {
    SQLite::Statement s(db, "SELECT throttle_key, attempts, locked_until_ms, expires_at_ms FROM login_throttles");
    while (s.executeStep()) {
      ThrottleRow t;
      t.key = s.getColumn(0).getString();
      t.state.attempts = s.getColumn(1).getInt64();
      t.state.locked_until_ms = s.getColumn(2).getInt64();
      t.state.expires_at_ms = s.getColumn(3).getInt64();
      rows.throttles.push_back(std::move(t));
    }
  }
  return rows;
}

// ---- Expected aggregates ----------------------------------------------------------------------------------

// The totals of one (model, dimension) over a scope, as the dashboard defines them (service/dashboard_service.h):
// the sum of fresh (ok) values, and how many (account, region) pairs have a fresh, a stale or no value.
struct ExpectedTotals {
  std::optional<double> total;
  int64_t fresh = 0;
  int64_t stale = 0;
  int64_t missing = 0;
  bool operator==(const ExpectedTotals&) const = default;
};
using TotalsKey = std::pair<std::string, domain::QuotaDimension>;  // (model_id, dimension)

// One ExpectedTotals per (model_id, dimension) of every enabled model of `config` (tpm, rpm, plus tpm_1m, rpm_1m
// with has_1m_context), each filled by fill(totals, code of the dimension or nullopt).
template <typename Fill>
std::map<TotalsKey, ExpectedTotals> PerEnabledDimension(const domain::QuotaConfig& config, Fill fill) {
  std::map<TotalsKey, ExpectedTotals> out;
  for (const domain::ModelSpec& m : config.models) {
    if (!m.enabled) continue;
    for (domain::QuotaDimension d : domain::kAllDimensions) {
      const bool one_m = d == domain::QuotaDimension::kTpm1m || d == domain::QuotaDimension::kRpm1m;
      if (one_m && !m.has_1m_context) continue;
      fill(out[{m.model_id, d}], domain::CodeFor(m, d));
    }
  }
  return out;
}

// The totals that maintained aggregates must hold after the migration, computed from the release's raw rows, per
// (model_id, dimension) of every enabled model of the config (the dimensions the model has: tpm, rpm, plus
// tpm_1m, rpm_1m with has_1m_context). The scope is the active accounts; with `teams` non-empty only those in at
// least one of them, each account counted once however many of the teams it is in (a user's view). Each (account,
// region) pair of an account's regions counts once; a pair without a snapshot, or a code the model has not,
// counts as missing.
std::map<TotalsKey, ExpectedTotals> ExpectedTotalsOf(const ReleaseRows& rows, const std::vector<std::string>& teams) {
  std::map<std::pair<std::string, std::string>, const domain::QuotaSnapshot*> snapshots;
  for (const domain::QuotaSnapshot& s : rows.snapshots) snapshots[{s.account_id, s.region}] = &s;
  return PerEnabledDimension(rows.config, [&](ExpectedTotals& t, const std::optional<std::string>& code) {
    for (const domain::Account& a : rows.accounts) {
      if (a.status != domain::AccountStatus::kActive) continue;
      if (!teams.empty() && !domain::SharesAny(a.teams, teams)) continue;
      for (const std::string& region : a.regions) {
        const domain::QuotaValue* v = nullptr;
        if (auto it = snapshots.find({a.account_id, region}); code && it != snapshots.end())
          v = it->second->Find(*code);
        if (v && v->value && v->state == domain::QuotaState::kOk) {
          ++t.fresh;
          t.total = t.total.value_or(0) + *v->value;
        } else if (v && v->value && v->state == domain::QuotaState::kStale) {
          ++t.stale;
        } else {
          ++t.missing;
        }
      }
    }
  });
}

// ---- The fixture --------------------------------------------------------------------------------------------

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Loads the dump into a fresh file, reads the release's rows, then opens (and so migrates) it with SqliteStore.
// Once for the whole suite: the checks only read.
class ReleaseMigration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = (fs::temp_directory_path() / "ap_migration_test.XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = new fs::path(pattern);
    const std::string path = (*dir_ / "account-platform.db").string();
    const std::string dump = ReadFile(std::string(AP_STORE_FIXTURES_DIR) + "/release-v4.sql");
    ASSERT_FALSE(dump.empty()) << "cannot read " << AP_STORE_FIXTURES_DIR << "/release-v4.sql";
    {
      SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      db.exec(dump);
      rows_ = new ReleaseRows(ReadReleaseRows(db));
    }
    auto opened = SqliteStore::Open({.path = path});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = opened->release();
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement s(db, "SELECT max(version) FROM schema_migrations");
    s.executeStep();
    migrated_version_ = s.getColumn(0).getInt64();
  }
  static void TearDownTestSuite() {
    delete store_;
    delete rows_;
    std::error_code ec;
    if (dir_) fs::remove_all(*dir_, ec);
    delete dir_;
  }
  void SetUp() override {
    ASSERT_NE(store_, nullptr);
    ASSERT_NE(rows_, nullptr);
  }

  static const ReleaseRows& rows() { return *rows_; }
  static Store& store() { return *store_; }

  static inline fs::path* dir_ = nullptr;
  static inline ReleaseRows* rows_ = nullptr;
  static inline Store* store_ = nullptr;
  static inline int64_t migrated_version_ = 0;
};

// Field tuples: EXPECT_EQ on them compares every field and prints the difference. Store-assigned sequence
// numbers are left out: they may change with the migration (time-ordered ids); order is checked separately.
auto AccountFields(const domain::Account& a) {
  return std::tie(a.account_id, a.account_name, a.regions, a.teams, a.status, a.credential_type, a.access_key_id_masked,
                  a.role_arn, a.sealed_credentials, a.created_at_ms, a.updated_at_ms, a.created_by, a.version);
}
auto ContactFields(const domain::ContactInfo& c) {
  return std::tie(c.full_name, c.address_line1, c.address_line2, c.address_line3, c.city, c.company_name,
                  c.country_code, c.district_or_county, c.phone_number, c.postal_code, c.state_or_region, c.website_url,
                  c.updated_at_ms, c.updated_by);
}
auto ValueFields(const domain::QuotaValue& v) {
  return std::tie(v.quota_code, v.value, v.state, v.is_default, v.reason, v.read_at_ms, v.attempted_at_ms);
}
auto ModelFields(const domain::ModelSpec& m) {
  return std::tie(m.model_id, m.display_name, m.quota_code_tpm, m.quota_code_rpm, m.enabled, m.show_in_dashboard,
                  m.has_1m_context, m.quota_code_tpm_1m, m.quota_code_rpm_1m, m.output_token_burndown);
}
auto HistoryFields(const domain::QuotaHistoryEntry& h) {
  return std::tie(h.account_id, h.region, h.quota_code, h.at_ms, h.event, h.value, h.previous_value, h.state,
                  h.is_default, h.reason);
}
auto AuditFields(const domain::AuditEntry& e) {
  return std::tie(e.audit_id, e.at_ms, e.actor_id, e.actor_email, e.action, e.target_type, e.target_id, e.outcome,
                  e.client_ip, e.user_agent, e.request_id, e.detail, e.count, e.last_at_ms);
}
auto UserFields(const domain::User& u) {
  return std::tie(u.user_id, u.email, u.role, u.teams, u.disabled, u.password_hash, u.created_at_ms, u.updated_at_ms);
}
auto SessionFields(const domain::Session& s) {
  return std::tie(s.token_hash, s.user_id, s.created_at_ms, s.expires_at_ms, s.user_agent, s.client_ip);
}
auto JobFields(const domain::Job& j) {
  return std::tie(j.job_id, j.kind, j.state, j.created_by, j.team_filter, j.region_filter, j.created_at_ms,
                  j.updated_at_ms, j.finished_at_ms, j.counters);
}

// Every account the store lists with `filter`, following the cursor to the last page.
std::vector<domain::Account> ListAll(Store& store, AccountFilter filter) {
  std::vector<domain::Account> out;
  for (int pages = 0; pages < 1000; ++pages) {
    auto page = store.ListAccounts(filter);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) break;
    out.insert(out.end(), page->items.begin(), page->items.end());
    if (page->next.empty()) break;
    filter.cursor = page->next;
  }
  return out;
}

// ---- What the fixture holds (so that a regenerated dump keeps covering every case) ---------------------------

TEST_F(ReleaseMigration, FixtureIsAReleaseDatabaseCoveringEveryCase) {
  const ReleaseRows& r = rows();
  EXPECT_EQ(r.schema_version, 4);
  EXPECT_GE(r.accounts.size(), 25u);
  std::set<size_t> region_counts, team_counts;
  int inactive = 0, non_ascii = 0;
  for (const domain::Account& a : r.accounts) {
    region_counts.insert(a.regions.size());
    team_counts.insert(std::min<size_t>(a.teams.size(), 2));
    inactive += a.status == domain::AccountStatus::kInactive;
    non_ascii += std::any_of(a.account_name.begin(), a.account_name.end(), [](char c) { return c & 0x80; });
  }
  EXPECT_EQ(region_counts, (std::set<size_t>{1, 2, 3}));
  EXPECT_EQ(team_counts, (std::set<size_t>{0, 1, 2}));  // accounts in no team, one team, several teams
  EXPECT_EQ(inactive, 1);
  EXPECT_GE(non_ascii, 2);
  std::map<domain::QuotaState, int> states;
  for (const domain::QuotaSnapshot& s : r.snapshots)
    for (const domain::QuotaValue& v : s.values) ++states[v.state];
  EXPECT_GT(states[domain::QuotaState::kOk], 0);
  EXPECT_GT(states[domain::QuotaState::kStale], 0);
  EXPECT_GT(states[domain::QuotaState::kError], 0);
  std::set<domain::QuotaEvent> events;
  for (const domain::QuotaHistoryEntry& h : r.history) events.insert(h.event);
  EXPECT_EQ(events.size(), 5u) << "first_read, changed, became_stale, recovered, failed";
  EXPECT_TRUE(std::any_of(r.audit.begin(), r.audit.end(), [](const domain::AuditEntry& e) { return e.count > 1; }));
  EXPECT_EQ(r.users.size(), 3u);
  EXPECT_GE(r.sessions.size(), 3u);
  EXPECT_GT(r.config.version, 1);
  EXPECT_EQ(r.contacts.size(), 2u);
  std::set<domain::JobState> job_states;
  for (const domain::Job& j : r.jobs) job_states.insert(j.state);
  EXPECT_TRUE(job_states.count(domain::JobState::kSucceeded) || job_states.count(domain::JobState::kFailed));
  EXPECT_TRUE(job_states.count(domain::JobState::kInterrupted));
  EXPECT_FALSE(r.throttles.empty());
}

TEST_F(ReleaseMigration, MigratesToTheLatestSchemaVersion) {
  EXPECT_EQ(migrated_version_, sqlite_internal::LatestSchemaVersion());
}

// ---- Every value through the interfaces -------------------------------------------------------------------

TEST_F(ReleaseMigration, KeepsEveryAccount) {
  for (const domain::Account& want : rows().accounts) {
    auto got = store().GetAccount(want.account_id);
    ASSERT_TRUE(got.ok()) << want.account_id << ": " << got.status().ToString();
    EXPECT_EQ(AccountFields(*got), AccountFields(want));
  }
  // The list (every status) holds exactly these accounts, in collated name order, then id.
  AccountFilter all;
  all.limit = 7;  // several pages
  std::vector<domain::Account> listed = ListAll(store(), all);
  std::set<std::string> want_ids, got_ids;
  for (const domain::Account& a : rows().accounts) want_ids.insert(a.account_id);
  for (const domain::Account& a : listed) got_ids.insert(a.account_id);
  EXPECT_EQ(got_ids, want_ids);
  EXPECT_EQ(listed.size(), rows().accounts.size());
  // Each team lists the accounts of that team.
  for (const domain::Team& team : rows().teams) {
    AccountFilter f;
    f.any_of_teams = {team.team_id};
    f.limit = 5;
    std::set<std::string> want, got;
    for (const domain::Account& a : rows().accounts)
      if (std::count(a.teams.begin(), a.teams.end(), team.team_id)) want.insert(a.account_id);
    for (const domain::Account& a : ListAll(store(), f)) got.insert(a.account_id);
    EXPECT_EQ(got, want) << team.team_id;
    EXPECT_FALSE(want.empty()) << team.team_id;
  }
  // The inactive account by status.
  AccountFilter inactive;
  inactive.status = domain::AccountStatus::kInactive;
  std::vector<domain::Account> listed_inactive = ListAll(store(), inactive);
  ASSERT_EQ(listed_inactive.size(), 1u);
  EXPECT_EQ(listed_inactive[0].status, domain::AccountStatus::kInactive);
}

// Migration 5 back-fills the list order, the per-status counts and the search terms of every account; migration 18
// makes the order natural and locale-aware (CollationKey).
TEST_F(ReleaseMigration, ListsAccountsInCollatedNameOrderWithTheirCounts) {
  std::vector<std::pair<std::string, std::string>> want;  // (CollationKey(name), id)
  int64_t active = 0, inactive = 0;
  for (const domain::Account& a : rows().accounts) {
    want.emplace_back(CollationKey(a.account_name), a.account_id);
    (a.status == domain::AccountStatus::kActive ? active : inactive) += 1;
  }
  std::sort(want.begin(), want.end());
  AccountFilter all;
  all.limit = 4;
  std::vector<std::pair<std::string, std::string>> got;
  for (const domain::Account& a : ListAll(store(), all)) got.emplace_back(CollationKey(a.account_name), a.account_id);
  EXPECT_EQ(got, want);

  auto counts = store().CountAccounts();
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->active, active);
  EXPECT_EQ(counts->inactive, inactive);
  auto first = store().ListAccounts(all);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->total.has_value());
  EXPECT_EQ(*first->total, active + inactive);
}

// The release's Unicode names are found by any word's prefix, with Unicode case folding.
TEST_F(ReleaseMigration, FindsUnicodeNamesByCaseFoldedWordPrefixes) {
  auto names_found = [&](const std::string& search) {
    AccountFilter f;
    f.search = search;
    std::set<std::string> names;
    for (const domain::Account& a : ListAll(store(), f)) names.insert(a.account_name);
    return names;
  };
  auto has_name = [&](const std::string& search, const std::string& name) {
    bool in_fixture = std::any_of(rows().accounts.begin(), rows().accounts.end(),
                                  [&](const domain::Account& a) { return a.account_name == name; });
    EXPECT_TRUE(in_fixture) << name << " is not in the fixture";
    return names_found(search).count(name) == 1;
  };
  EXPECT_TRUE(has_name("STRASSE", "Straße Prod"));
  EXPECT_TRUE(has_name("straße p", "Straße Prod"));
  EXPECT_TRUE(has_name("ÅNGSTRÖM", "Ångström Lab"));
  EXPECT_TRUE(has_name("école", "ÉCOLE Staging"));
  EXPECT_TRUE(has_name("数据", "数据平台"));
  EXPECT_TRUE(has_name("analytics", "Zürich Analytics (EU)"));
  EXPECT_TRUE(names_found("rasse").empty()) << "not a word prefix";
}

TEST_F(ReleaseMigration, FindsEveryAccountByIdPrefixAndFirstWord) {
  for (const domain::Account& want : rows().accounts) {
    AccountFilter f;
    f.search = want.account_id.substr(0, 11);
    std::vector<domain::Account> by_id = ListAll(store(), f);
    EXPECT_TRUE(std::any_of(by_id.begin(), by_id.end(), [&](const domain::Account& a) {
      return a.account_id == want.account_id;
    })) << want.account_id;
    f.search = want.account_name.substr(0, want.account_name.find(' '));  // the first word
    std::vector<domain::Account> by_name = ListAll(store(), f);
    EXPECT_TRUE(std::any_of(by_name.begin(), by_name.end(), [&](const domain::Account& a) {
      return a.account_id == want.account_id;
    })) << want.account_name;
  }
}

TEST_F(ReleaseMigration, KeepsContactInformation) {
  for (const domain::Account& a : rows().accounts) {
    auto got = store().GetContactInfo(a.account_id);
    auto want = rows().contacts.find(a.account_id);
    if (want == rows().contacts.end()) {
      EXPECT_EQ(got.status().code(), StatusCode::kNotFound) << a.account_id;
      continue;
    }
    ASSERT_TRUE(got.ok()) << a.account_id << ": " << got.status().ToString();
    EXPECT_EQ(ContactFields(*got), ContactFields(want->second));
  }
}

TEST_F(ReleaseMigration, KeepsEveryCachedValueAndMissingStaysMissing) {
  std::set<std::pair<std::string, std::string>> cached;
  for (const domain::QuotaSnapshot& want : rows().snapshots) {
    cached.insert({want.account_id, want.region});
    auto got = store().GetQuotaSnapshot(want.account_id, want.region);
    ASSERT_TRUE(got.ok()) << want.account_id << "/" << want.region << ": " << got.status().ToString();
    EXPECT_EQ(got->updated_at_ms, want.updated_at_ms);
    ASSERT_EQ(got->values.size(), want.values.size()) << want.account_id << "/" << want.region;
    for (size_t i = 0; i < want.values.size(); ++i)
      EXPECT_EQ(ValueFields(got->values[i]), ValueFields(want.values[i])) << want.account_id << "/" << want.region;
  }
  // Pairs the release never cached stay uncached.
  int uncached = 0;
  for (const domain::Account& a : rows().accounts) {
    for (const std::string& region : a.regions) {
      if (cached.count({a.account_id, region})) continue;
      ++uncached;
      EXPECT_EQ(store().GetQuotaSnapshot(a.account_id, region).status().code(), StatusCode::kNotFound)
          << a.account_id << "/" << region;
    }
  }
  EXPECT_GT(uncached, 0);
  // Every snapshot once through the paged list (in the backend's order).
  std::map<std::pair<std::string, std::string>, size_t> listed;  // (account, region) -> number of values
  std::string cursor;
  do {
    auto page = store().ListQuotaSnapshots(cursor, 7);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const domain::QuotaSnapshot& s : page->items) {
      EXPECT_TRUE(listed.emplace(std::make_pair(s.account_id, s.region), s.values.size()).second);
    }
    cursor = page->next;
  } while (!cursor.empty());
  ASSERT_EQ(listed.size(), rows().snapshots.size());
  for (const domain::QuotaSnapshot& want : rows().snapshots) {
    EXPECT_EQ(listed[std::make_pair(want.account_id, want.region)], want.values.size())
        << want.account_id << "/" << want.region;
  }
}

TEST_F(ReleaseMigration, KeepsTheQuotaConfig) {
  auto got = store().GetQuotaConfig();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  const domain::QuotaConfig& want = rows().config;
  EXPECT_EQ(got->config_id, want.config_id);
  EXPECT_EQ(got->updated_at_ms, want.updated_at_ms);
  EXPECT_EQ(got->updated_by, want.updated_by);
  EXPECT_EQ(got->version, want.version);
  ASSERT_EQ(got->models.size(), want.models.size());
  for (size_t i = 0; i < want.models.size(); ++i) EXPECT_EQ(ModelFields(got->models[i]), ModelFields(want.models[i]));
}

// The release had no output_token_burndown column: every model it stored reads back with the default, 5.
TEST_F(ReleaseMigration, ModelsStoredBeforeTheBurndownColumnReadBackWithFive) {
  auto got = store().GetQuotaConfig();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_FALSE(got->models.empty());
  for (const domain::ModelSpec& m : got->models) EXPECT_EQ(m.output_token_burndown, 5) << m.model_id;
}

TEST_F(ReleaseMigration, KeepsTheQuotaHistoryOfEveryPair) {
  std::map<std::pair<std::string, std::string>, std::vector<domain::QuotaHistoryEntry>> by_pair;
  for (const domain::QuotaHistoryEntry& h : rows().history) by_pair[{h.account_id, h.region}].push_back(h);
  size_t seen = 0;
  for (auto& [pair, want] : by_pair) {
    // The store's order: at_ms, then history_id (migration 8: the code, then append order for repeats).
    std::stable_sort(want.begin(), want.end(), [](const auto& a, const auto& b) {
      return std::tie(a.at_ms, a.quota_code) < std::tie(b.at_ms, b.quota_code);
    });
    QuotaHistoryFilter f;
    f.account_id = pair.first;
    f.region = pair.second;
    f.limit = 10000;
    auto page = store().ListQuotaHistory(f);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_TRUE(page->next.empty());
    const std::vector<domain::QuotaHistoryEntry>& got = page->items;
    ASSERT_EQ(got.size(), want.size()) << pair.first << "/" << pair.second;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(HistoryFields(got[i]), HistoryFields(want[i])) << pair.first << "/" << pair.second << " #" << i;
      // Migration 8 gives every entry its id: the time and the code (and "~n" for a repeat in one millisecond).
      EXPECT_EQ(got[i].history_id.rfind(domain::HistoryId(want[i].at_ms, want[i].quota_code), 0), 0u)
          << got[i].history_id;
    }
    seen += got.size();
  }
  EXPECT_EQ(seen, rows().history.size());
}

TEST_F(ReleaseMigration, KeepsEveryAuditEntryWithItsCoalescedCount) {
  std::vector<domain::AuditEntry> got;
  AuditFilter f;
  f.limit = 1000;
  for (int pages = 0; pages < 1000; ++pages) {
    auto page = store().ListAudit(f);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    got.insert(got.end(), page->items.begin(), page->items.end());
    if (page->next.empty()) break;
    f.cursor = page->next;
  }
  ASSERT_EQ(got.size(), rows().audit.size());
  std::map<std::string, const domain::AuditEntry*> want;
  for (const domain::AuditEntry& e : rows().audit) want[e.audit_id] = &e;
  int64_t events = 0, want_events = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    auto it = want.find(got[i].audit_id);
    ASSERT_NE(it, want.end()) << got[i].audit_id;
    EXPECT_EQ(AuditFields(got[i]), AuditFields(*it->second));
    if (i > 0) {
      EXPECT_LE(got[i].at_ms, got[i - 1].at_ms) << "newest first";
    }
    events += got[i].count;
  }
  for (const domain::AuditEntry& e : rows().audit) want_events += e.count;
  EXPECT_EQ(events, want_events);
}

TEST_F(ReleaseMigration, KeepsUsersTeamsAndSessions) {
  auto page = store().ListUsers("", 1000);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  const std::vector<domain::User>& users = page->items;
  ASSERT_EQ(users.size(), rows().users.size());
  for (size_t i = 0; i < users.size(); ++i) EXPECT_EQ(UserFields(users[i]), UserFields(rows().users[i]));
  for (const domain::User& want : rows().users) {
    auto by_id = store().GetUser(want.user_id);
    ASSERT_TRUE(by_id.ok()) << by_id.status().ToString();
    EXPECT_EQ(UserFields(*by_id), UserFields(want));
    auto by_email = store().GetUserByEmail(want.email);
    ASSERT_TRUE(by_email.ok()) << by_email.status().ToString();
    EXPECT_EQ(by_email->user_id, want.user_id);
  }
  auto count = store().CountUsers();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, static_cast<int64_t>(rows().users.size()));
  // Migration 8 back-fills the counters.
  auto admins = store().CountEnabledAdmins();
  ASSERT_TRUE(admins.ok());
  EXPECT_EQ(*admins, std::count_if(rows().users.begin(), rows().users.end(), [](const domain::User& u) {
    return u.role == domain::Role::kAdmin && !u.disabled;
  }));

  auto teams = store().ListTeams();
  ASSERT_TRUE(teams.ok()) << teams.status().ToString();
  ASSERT_EQ(teams->size(), rows().teams.size());
  for (size_t i = 0; i < teams->size(); ++i) {
    EXPECT_EQ((*teams)[i].team_id, rows().teams[i].team_id);
    EXPECT_EQ((*teams)[i].name, rows().teams[i].name);
    EXPECT_EQ((*teams)[i].created_at_ms, rows().teams[i].created_at_ms);
  }

  for (const domain::Session& want : rows().sessions) {
    auto got = store().GetSession(want.token_hash);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(SessionFields(*got), SessionFields(want));
  }
}

TEST_F(ReleaseMigration, KeepsLoginThrottles) {
  for (const ThrottleRow& want : rows().throttles) {
    auto got = store().GetLoginThrottle(want.key, want.state.expires_at_ms - 1);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->attempts, want.state.attempts) << want.key;
    EXPECT_EQ(got->locked_until_ms, want.state.locked_until_ms) << want.key;
    EXPECT_EQ(got->expires_at_ms, want.state.expires_at_ms) << want.key;
  }
}

TEST_F(ReleaseMigration, KeepsFleetJobsWithEveryItem) {
  for (const domain::Job& want : rows().jobs) {
    auto got = store().GetJob(want.job_id);
    ASSERT_TRUE(got.ok()) << want.job_id << ": " << got.status().ToString();
    EXPECT_EQ(JobFields(*got), JobFields(want));
    EXPECT_EQ(got->done(), want.done());
    EXPECT_EQ(got->failed(), want.failed());
    // Every item, in its old order, a few per page.
    std::vector<domain::JobItem> items;
    JobItemFilter f;
    f.limit = 2;
    for (;;) {
      auto page = store().ListJobItems(want.job_id, f);
      ASSERT_TRUE(page.ok()) << want.job_id << ": " << page.status().ToString();
      items.insert(items.end(), page->items.begin(), page->items.end());
      if (page->next.empty()) break;
      f.cursor = page->next;
    }
    EXPECT_EQ(items, rows().job_items.at(want.job_id)) << want.job_id;
  }
  auto listed = store().ListJobs({.limit = 1000});
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  std::set<std::string> want_ids, got_ids;
  for (const domain::Job& j : rows().jobs) want_ids.insert(j.job_id);
  for (const domain::Job& j : listed->items) got_ids.insert(j.job_id);
  EXPECT_EQ(got_ids, want_ids);
}

// ---- The aggregates' expectations -------------------------------------------------------------------------

// The expected totals are meaningful on this fixture: the fleet has fresh, stale and missing values, and a view
// over two teams that share accounts differs from the sum of the two teams' views (so a store that adds up
// per-team aggregates without deduplicating shared accounts cannot match it).
TEST_F(ReleaseMigration, ExpectedTotalsCoverFreshStaleMissingAndSharedAccounts) {
  auto fleet = ExpectedTotalsOf(rows(), {});
  ASSERT_FALSE(fleet.empty());
  int64_t fresh = 0, stale = 0, missing = 0;
  for (const auto& [key, t] : fleet) {
    fresh += t.fresh;
    stale += t.stale;
    missing += t.missing;
  }
  EXPECT_GT(fresh, 0);
  EXPECT_GT(stale, 0);
  EXPECT_GT(missing, 0);

  const std::vector<std::string> two = {"data-science", "platform-ops"};
  auto a = ExpectedTotalsOf(rows(), {two[0]});
  auto b = ExpectedTotalsOf(rows(), {two[1]});
  auto both = ExpectedTotalsOf(rows(), two);
  bool differs = false;
  for (const auto& [key, t] : both) {
    const int64_t pairs = t.fresh + t.stale + t.missing;
    const int64_t summed = a[key].fresh + a[key].stale + a[key].missing + b[key].fresh + b[key].stale + b[key].missing;
    EXPECT_LE(pairs, summed);
    differs = differs || pairs < summed;
  }
  EXPECT_TRUE(differs) << "no account shared by " << two[0] << " and " << two[1];
}

// ---- The maintained aggregates after migration 6 -------------------------------------------------------------

// The totals the store's aggregates give for `scopes` (summed, as the dashboard sums a user's team-set scopes), per
// (model_id, dimension) of every enabled model of the config: the shape of ExpectedTotalsOf.
std::map<TotalsKey, ExpectedTotals> StoredTotalsOf(const ReleaseRows& rows, const std::vector<ScopeAggregate>& scopes) {
  int64_t pairs = 0;
  std::map<std::string, CodeAggregate> codes;
  for (const ScopeAggregate& s : scopes) {
    pairs += s.account_regions;
    for (const CodeAggregate& c : s.codes) {
      CodeAggregate& sum = codes[c.quota_code];
      sum.sum += c.sum;
      sum.fresh += c.fresh;
      sum.stale += c.stale;
    }
  }
  return PerEnabledDimension(rows.config, [&](ExpectedTotals& t, const std::optional<std::string>& code) {
    if (code && codes.count(*code)) {
      t.fresh = codes[*code].fresh;
      t.stale = codes[*code].stale;
      if (t.fresh > 0) t.total = codes[*code].sum;
    }
    t.missing = pairs - t.fresh - t.stale;
  });
}

// Migration 6 back-fills the aggregates from the release's accounts and cached values: the fleet's and every
// user view's totals (one team, and two teams sharing accounts) equal the ones computed from the raw rows.
TEST_F(ReleaseMigration, MaintainedAggregatesMatchTheReleaseRows) {
  auto fleet = store().GetFleetAggregate();
  ASSERT_TRUE(fleet.ok()) << fleet.status().ToString();
  int64_t active = 0, pairs = 0;
  std::set<std::string> teams;
  for (const domain::Account& a : rows().accounts) {
    if (a.status != domain::AccountStatus::kActive) continue;
    ++active;
    pairs += static_cast<int64_t>(a.regions.size());
    teams.insert(a.teams.begin(), a.teams.end());
  }
  EXPECT_EQ(fleet->active_accounts, active);
  EXPECT_EQ(fleet->account_regions, pairs);
  EXPECT_TRUE(StoredTotalsOf(rows(), {*fleet}) == ExpectedTotalsOf(rows(), {})) << "fleet";
  ASSERT_FALSE(teams.empty());
  std::vector<std::vector<std::string>> views;
  for (const std::string& t : teams) views.push_back({t});
  views.push_back({"data-science", "platform-ops"});
  views.push_back(std::vector<std::string>(teams.begin(), teams.end()));
  for (const std::vector<std::string>& view : views) {
    auto scopes = store().GetTeamAggregates(view);
    ASSERT_TRUE(scopes.ok()) << scopes.status().ToString();
    EXPECT_TRUE(StoredTotalsOf(rows(), *scopes) == ExpectedTotalsOf(rows(), view)) << ::testing::PrintToString(view);
  }
}

}  // namespace
}  // namespace ap::store
