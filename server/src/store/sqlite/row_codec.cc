#include "store/sqlite/row_codec.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>

namespace ap::store::sqlite_internal {
namespace {

std::string Text(const SQLite::Statement& s, int i) { return s.getColumn(i).getString(); }
int64_t Int(const SQLite::Statement& s, int i) { return s.getColumn(i).getInt64(); }
bool Bool(const SQLite::Statement& s, int i) { return s.getColumn(i).getInt64() != 0; }

std::optional<std::string> NullableText(const SQLite::Statement& s, int i) {
  if (s.isColumnNull(i)) return std::nullopt;
  return s.getColumn(i).getString();
}

void BindNullable(SQLite::Statement& s, int i, const std::optional<std::string>& v) {
  if (v) {
    s.bind(i, *v);
  } else {
    s.bind(i);  // NULL: "no code" must not come back as ""
  }
}

void BindBool(SQLite::Statement& s, int i, bool b) { s.bind(i, b ? 1 : 0); }

// Callers rely on sorted, unique lists (domain::SharesAny, display); a row edited by hand must not break that.
std::vector<std::string> SortedList(const SQLite::Statement& s, int i) {
  std::vector<std::string> items = DecodeList(Text(s, i));
  domain::NormalizeIdList(&items);
  return items;
}

template <typename T>
T ParseOrThrow(Result<T> parsed, std::string_view what) {
  if (!parsed.ok()) throw CorruptRow("bad " + std::string(what) + ": " + parsed.status().message());
  return std::move(parsed).value();
}

}  // namespace

std::string EncodeList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    out += std::to_string(item.size());
    out += ':';
    out += item;
  }
  return out;
}

std::vector<std::string> DecodeList(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    size_t colon = text.find(':');
    size_t len = 0;
    if (colon == std::string_view::npos || colon == 0) throw CorruptRow("malformed list");
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + colon, len);
    if (ec != std::errc() || ptr != text.data() + colon || len > text.size() - colon - 1) {
      throw CorruptRow("malformed list");
    }
    items.emplace_back(text.substr(colon + 1, len));
    text.remove_prefix(colon + 1 + len);
  }
  return items;
}

void BindUser(SQLite::Statement& s, const domain::User& u) {
  s.bind(1, u.user_id);
  s.bind(2, u.email);
  s.bind(3, std::string(domain::RoleName(u.role)));
  s.bind(4, EncodeList(u.teams));
  BindBool(s, 5, u.disabled);
  s.bind(6, u.password_hash);
  s.bind(7, u.created_at_ms);
  s.bind(8, u.updated_at_ms);
}

domain::User ReadUser(const SQLite::Statement& s) {
  domain::User u;
  u.user_id = Text(s, 0);
  u.email = Text(s, 1);
  u.role = ParseOrThrow(domain::ParseRole(Text(s, 2)), "users.role");
  u.teams = SortedList(s, 3);
  u.disabled = Bool(s, 4);
  u.password_hash = Text(s, 5);
  u.created_at_ms = Int(s, 6);
  u.updated_at_ms = Int(s, 7);
  return u;
}

void BindSession(SQLite::Statement& s, const domain::Session& v) {
  s.bind(1, v.token_hash);
  s.bind(2, v.user_id);
  s.bind(3, v.created_at_ms);
  s.bind(4, v.expires_at_ms);
  s.bind(5, v.user_agent);
  s.bind(6, v.client_ip);
}

domain::Session ReadSession(const SQLite::Statement& s) {
  domain::Session v;
  v.token_hash = Text(s, 0);
  v.user_id = Text(s, 1);
  v.created_at_ms = Int(s, 2);
  v.expires_at_ms = Int(s, 3);
  v.user_agent = Text(s, 4);
  v.client_ip = Text(s, 5);
  return v;
}

void BindTeam(SQLite::Statement& s, const domain::Team& t) {
  s.bind(1, t.team_id);
  s.bind(2, t.name);
  s.bind(3, t.created_at_ms);
}

domain::Team ReadTeam(const SQLite::Statement& s) {
  domain::Team t;
  t.team_id = Text(s, 0);
  t.name = Text(s, 1);
  t.created_at_ms = Int(s, 2);
  return t;
}

void BindAccount(SQLite::Statement& s, const domain::Account& a) {
  s.bind(1, a.account_id);
  s.bind(2, a.account_name);
  s.bind(3, EncodeList(a.regions));
  s.bind(4, EncodeList(a.teams));
  s.bind(5, std::string(domain::AccountStatusName(a.status)));
  s.bind(6, std::string(domain::CredentialTypeName(a.credential_type)));
  s.bind(7, a.access_key_id_masked);
  s.bind(8, a.role_arn);
  // Ciphertext is arbitrary bytes: a BLOB, so SQLite never treats it as (possibly invalid) UTF-8 text.
  s.bind(9, a.sealed_credentials.data(), static_cast<int>(a.sealed_credentials.size()));
  s.bind(10, a.created_at_ms);
  s.bind(11, a.updated_at_ms);
  s.bind(12, a.created_by);
  s.bind(13, a.version);
}

domain::Account ReadAccount(const SQLite::Statement& s) {
  domain::Account a;
  a.account_id = Text(s, 0);
  a.account_name = Text(s, 1);
  a.regions = SortedList(s, 2);
  a.teams = SortedList(s, 3);
  a.status = ParseOrThrow(domain::ParseAccountStatus(Text(s, 4)), "accounts.status");
  a.credential_type = ParseOrThrow(domain::ParseCredentialType(Text(s, 5)), "accounts.credential_type");
  a.access_key_id_masked = Text(s, 6);
  a.role_arn = Text(s, 7);
  a.sealed_credentials = Text(s, 8);  // getString() copies getBytes() bytes: BLOB-safe
  a.created_at_ms = Int(s, 9);
  a.updated_at_ms = Int(s, 10);
  a.created_by = Text(s, 11);
  a.version = Int(s, 12);
  return a;
}

void BindContactInfo(SQLite::Statement& s, const domain::ContactInfo& c) {
  s.bind(2, c.full_name);
  s.bind(3, c.address_line1);
  s.bind(4, c.address_line2);
  s.bind(5, c.address_line3);
  s.bind(6, c.city);
  s.bind(7, c.company_name);
  s.bind(8, c.country_code);
  s.bind(9, c.district_or_county);
  s.bind(10, c.phone_number);
  s.bind(11, c.postal_code);
  s.bind(12, c.state_or_region);
  s.bind(13, c.website_url);
  s.bind(14, c.updated_at_ms);
  s.bind(15, c.updated_by);
}

domain::ContactInfo ReadContactInfo(const SQLite::Statement& s) {
  domain::ContactInfo c;
  c.full_name = Text(s, 0);
  c.address_line1 = Text(s, 1);
  c.address_line2 = Text(s, 2);
  c.address_line3 = Text(s, 3);
  c.city = Text(s, 4);
  c.company_name = Text(s, 5);
  c.country_code = Text(s, 6);
  c.district_or_county = Text(s, 7);
  c.phone_number = Text(s, 8);
  c.postal_code = Text(s, 9);
  c.state_or_region = Text(s, 10);
  c.website_url = Text(s, 11);
  c.updated_at_ms = Int(s, 12);
  c.updated_by = Text(s, 13);
  return c;
}

void BindQuotaValue(SQLite::Statement& s, const domain::QuotaValue& v) {
  s.bind(3, v.quota_code);
  if (v.value) {
    s.bind(4, *v.value);
  } else {
    s.bind(4);  // NULL, never 0: absent stays absent
  }
  s.bind(5, std::string(domain::QuotaStateName(v.state)));
  BindBool(s, 6, v.is_default);
  s.bind(7, v.reason);
  s.bind(8, v.read_at_ms);
  s.bind(9, v.attempted_at_ms);
}

domain::QuotaValue ReadQuotaValue(const SQLite::Statement& s, int first) {
  domain::QuotaValue v;
  v.quota_code = Text(s, first);
  if (!s.isColumnNull(first + 1)) v.value = s.getColumn(first + 1).getDouble();
  v.state = ParseOrThrow(domain::ParseQuotaState(Text(s, first + 2)), "quota_values.state");
  v.is_default = Bool(s, first + 3);
  v.reason = Text(s, first + 4);
  v.read_at_ms = Int(s, first + 5);
  v.attempted_at_ms = Int(s, first + 6);
  return v;
}

void BindModelSpec(SQLite::Statement& s, const domain::ModelSpec& m) {
  s.bind(2, m.model_id);
  s.bind(3, m.display_name);
  BindNullable(s, 4, m.quota_code_tpm);
  BindNullable(s, 5, m.quota_code_rpm);
  BindBool(s, 6, m.enabled);
  BindBool(s, 7, m.show_in_dashboard);
  BindBool(s, 8, m.has_1m_context);
  BindNullable(s, 9, m.quota_code_tpm_1m);
  BindNullable(s, 10, m.quota_code_rpm_1m);
}

domain::ModelSpec ReadModelSpec(const SQLite::Statement& s) {
  domain::ModelSpec m;
  m.model_id = Text(s, 0);
  m.display_name = Text(s, 1);
  m.quota_code_tpm = NullableText(s, 2);
  m.quota_code_rpm = NullableText(s, 3);
  m.enabled = Bool(s, 4);
  m.show_in_dashboard = Bool(s, 5);
  m.has_1m_context = Bool(s, 6);
  m.quota_code_tpm_1m = NullableText(s, 7);
  m.quota_code_rpm_1m = NullableText(s, 8);
  return m;
}

void BindAuditEntry(SQLite::Statement& s, const domain::AuditEntry& e) {
  s.bind(1, e.audit_id);
  s.bind(2, e.at_ms);
  s.bind(3, e.actor_id);
  s.bind(4, e.actor_email);
  s.bind(5, e.action);
  s.bind(6, e.target_type);
  s.bind(7, e.target_id);
  s.bind(8, e.outcome);
  s.bind(9, e.client_ip);
  s.bind(10, e.user_agent);
  s.bind(11, e.request_id);
  s.bind(12, e.detail);
  s.bind(13, e.count);
  s.bind(14, std::max(e.at_ms, e.last_at_ms));
}

domain::AuditEntry ReadAuditEntry(const SQLite::Statement& s) {
  domain::AuditEntry e;
  e.seq = Int(s, 0);
  e.audit_id = Text(s, 1);
  e.at_ms = Int(s, 2);
  e.actor_id = Text(s, 3);
  e.actor_email = Text(s, 4);
  e.action = Text(s, 5);
  e.target_type = Text(s, 6);
  e.target_id = Text(s, 7);
  e.outcome = Text(s, 8);
  e.client_ip = Text(s, 9);
  e.user_agent = Text(s, 10);
  e.request_id = Text(s, 11);
  e.detail = Text(s, 12);
  e.count = Int(s, 13);
  e.last_at_ms = Int(s, 14);
  return e;
}

std::string AuditCoalesceKey(const domain::AuditEntry& e) {
  return EncodeList({e.action, e.actor_id, e.target_type, e.target_id, e.client_ip, e.outcome});
}

}  // namespace ap::store::sqlite_internal
