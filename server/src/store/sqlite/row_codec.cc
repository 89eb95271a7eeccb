#include "store/sqlite/row_codec.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>

namespace ap::store::sqlite_internal {
namespace {

// ---- one value of each stored kind: bound as a parameter, read from a result column ----

void BindValue(SQLite::Statement& s, int i, const std::string& v) { s.bind(i, v); }
void ReadValue(const SQLite::Statement& s, int i, std::string* out) { *out = s.getColumn(i).getString(); }

void BindValue(SQLite::Statement& s, int i, int64_t v) { s.bind(i, v); }
void ReadValue(const SQLite::Statement& s, int i, int64_t* out) { *out = s.getColumn(i).getInt64(); }

void BindValue(SQLite::Statement& s, int i, int v) { s.bind(i, v); }
void ReadValue(const SQLite::Statement& s, int i, int* out) { *out = s.getColumn(i).getInt(); }

void BindValue(SQLite::Statement& s, int i, bool v) { s.bind(i, v ? 1 : 0); }

void BindValue(SQLite::Statement& s, int i, double v) { s.bind(i, v); }
void ReadValue(const SQLite::Statement& s, int i, bool* out) { *out = s.getColumn(i).getInt64() != 0; }

// NULL, never "" or 0: absent stays absent ("no code", "never read").
template <class T>
void BindValue(SQLite::Statement& s, int i, const std::optional<T>& v) {
  if (v) {
    BindValue(s, i, *v);
  } else {
    s.bind(i);
  }
}
void ReadValue(const SQLite::Statement& s, int i, std::optional<std::string>* out) {
  if (s.isColumnNull(i)) {
    out->reset();
  } else {
    *out = s.getColumn(i).getString();
  }
}
void ReadValue(const SQLite::Statement& s, int i, std::optional<double>* out) {
  if (s.isColumnNull(i)) {
    out->reset();
  } else {
    *out = s.getColumn(i).getDouble();
  }
}

// Id lists (teams, regions). Callers rely on sorted, unique lists (domain::SharesAny, display); a row edited by
// hand must not break that.
void BindValue(SQLite::Statement& s, int i, const std::vector<std::string>& v) { s.bind(i, EncodeList(v)); }
void ReadValue(const SQLite::Statement& s, int i, std::vector<std::string>* out) {
  *out = DecodeList(s.getColumn(i).getString());
  domain::NormalizeIdList(out);
}

// Enums by their domain names.
std::string_view NameOf(domain::Role v) { return domain::RoleName(v); }
std::string_view NameOf(domain::AccountStatus v) { return domain::AccountStatusName(v); }
std::string_view NameOf(domain::CredentialType v) { return domain::CredentialTypeName(v); }
std::string_view NameOf(domain::QuotaState v) { return domain::QuotaStateName(v); }
std::string_view NameOf(domain::QuotaEvent v) { return domain::QuotaEventName(v); }
std::string_view NameOf(domain::JobState v) { return domain::JobStateName(v); }
std::string_view NameOf(domain::JobItemOutcome v) { return domain::JobItemOutcomeName(v); }
std::string_view NameOf(domain::JobUsageState v) { return domain::JobUsageStateName(v); }
Result<domain::Role> Parse(std::string_view t, domain::Role*) { return domain::ParseRole(t); }
Result<domain::AccountStatus> Parse(std::string_view t, domain::AccountStatus*) {
  return domain::ParseAccountStatus(t);
}
Result<domain::CredentialType> Parse(std::string_view t, domain::CredentialType*) {
  return domain::ParseCredentialType(t);
}
Result<domain::QuotaState> Parse(std::string_view t, domain::QuotaState*) { return domain::ParseQuotaState(t); }
Result<domain::QuotaEvent> Parse(std::string_view t, domain::QuotaEvent*) { return domain::ParseQuotaEvent(t); }
Result<domain::JobState> Parse(std::string_view t, domain::JobState*) { return domain::ParseJobState(t); }
Result<domain::JobItemOutcome> Parse(std::string_view t, domain::JobItemOutcome*) {
  return domain::ParseJobItemOutcome(t);
}
Result<domain::JobUsageState> Parse(std::string_view t, domain::JobUsageState*) {
  return domain::ParseJobUsageState(t);
}

template <class E>
E ParseOrThrow(std::string_view text) {
  auto parsed = Parse(text, static_cast<E*>(nullptr));
  if (!parsed.ok()) throw CorruptRow(parsed.status().message());
  return *parsed;
}

template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void BindValue(SQLite::Statement& s, int i, E v) {
  s.bind(i, std::string(NameOf(v)));
}
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void ReadValue(const SQLite::Statement& s, int i, E* out) {
  *out = ParseOrThrow<E>(s.getColumn(i).getString());
}

// ---- column tables ----

enum class Use {
  kBoth,    // inserted and selected
  kSelect,  // selected only (assigned by the store)
  kInsert,  // inserted only, bound by the caller
};

template <class R>
struct Column {
  const char* name;
  Use use;
  void (*bind)(SQLite::Statement& s, int param, const R& record);   // nullptr unless inserted by Bind()
  void (*read)(const SQLite::Statement& s, int column, R* record);  // nullptr unless selected
  const char* select_expression = nullptr;                          // what SELECT lists; nullptr = name
};

template <class R>
struct Table {
  const char* name;
  int first_param;
  std::vector<Column<R>> columns;
};

template <auto M>
struct MemberOf;
template <class R, class T, T R::*M>
struct MemberOf<M> {
  using Record = R;
};

// The column `name` that stores the field M of R (R: the record M belongs to, or a record derived from it).
template <auto M, class R = typename MemberOf<M>::Record>
Column<R> Field(const char* name, Use use = Use::kBoth) {
  return {name, use, [](SQLite::Statement& s, int i, const R& r) { BindValue(s, i, r.*M); },
          [](const SQLite::Statement& s, int i, R* r) { ReadValue(s, i, &(r->*M)); }};
}

template <class R>
const Table<R>& TableOf();

template <>
const Table<domain::User>& TableOf() {
  using domain::User;
  static const Table<User> t{
      "users",
      1,
      {Field<&User::user_id>("user_id"), Field<&User::email>("email"), Field<&User::role>("role"),
       Field<&User::teams>("teams"), Field<&User::disabled>("disabled"), Field<&User::password_hash>("password_hash"),
       Field<&User::created_at_ms>("created_at_ms"), Field<&User::updated_at_ms>("updated_at_ms"),
       Field<&User::must_change_password>("must_change_password")}};
  return t;
}

template <>
const Table<domain::Session>& TableOf() {
  using domain::Session;
  static const Table<Session> t{
      "sessions",
      1,
      {Field<&Session::token_hash>("token_hash"), Field<&Session::user_id>("user_id"),
       Field<&Session::created_at_ms>("created_at_ms"), Field<&Session::expires_at_ms>("expires_at_ms"),
       Field<&Session::user_agent>("user_agent"), Field<&Session::client_ip>("client_ip")}};
  return t;
}

template <>
const Table<domain::Team>& TableOf() {
  using domain::Team;
  static const Table<Team> t{
      "teams",
      1,
      {Field<&Team::team_id>("team_id"), Field<&Team::name>("name"), Field<&Team::created_at_ms>("created_at_ms")}};
  return t;
}

template <>
const Table<domain::Account>& TableOf() {
  using domain::Account;
  // Ciphertext is arbitrary bytes: a BLOB, so SQLite never treats it as (possibly invalid) UTF-8 text; getString()
  // copies getBytes() bytes, so reading it back is BLOB-safe.
  Column<Account> sealed{
      "sealed_credentials", Use::kBoth,
      [](SQLite::Statement& s, int i, const Account& a) {
        s.bind(i, a.sealed_credentials.data(), static_cast<int>(a.sealed_credentials.size()));
      },
      [](const SQLite::Statement& s, int i, Account* a) { a->sealed_credentials = s.getColumn(i).getString(); }};
  static const Table<Account> t{
      "accounts",
      1,
      {Field<&Account::account_id>("account_id"), Field<&Account::account_name>("account_name"),
       Field<&Account::regions>("regions"), Field<&Account::teams>("teams"), Field<&Account::status>("status"),
       Field<&Account::credential_type>("credential_type"),
       Field<&Account::access_key_id_masked>("access_key_id_masked"), Field<&Account::role_arn>("role_arn"), sealed,
       Field<&Account::created_at_ms>("created_at_ms"), Field<&Account::updated_at_ms>("updated_at_ms"),
       Field<&Account::created_by>("created_by"), Field<&Account::version>("version")}};
  return t;
}

template <>
const Table<domain::ContactInfo>& TableOf() {
  using domain::ContactInfo;
  static const Table<ContactInfo> t{
      "contact_info",
      2,
      {Field<&ContactInfo::full_name, ContactInfo>("full_name"),
       Field<&ContactInfo::address_line1, ContactInfo>("address_line1"),
       Field<&ContactInfo::address_line2, ContactInfo>("address_line2"),
       Field<&ContactInfo::address_line3, ContactInfo>("address_line3"), Field<&ContactInfo::city, ContactInfo>("city"),
       Field<&ContactInfo::company_name, ContactInfo>("company_name"),
       Field<&ContactInfo::country_code, ContactInfo>("country_code"),
       Field<&ContactInfo::district_or_county, ContactInfo>("district_or_county"),
       Field<&ContactInfo::phone_number, ContactInfo>("phone_number"),
       Field<&ContactInfo::postal_code, ContactInfo>("postal_code"),
       Field<&ContactInfo::state_or_region, ContactInfo>("state_or_region"),
       Field<&ContactInfo::website_url, ContactInfo>("website_url"),
       Field<&ContactInfo::updated_at_ms, ContactInfo>("updated_at_ms"),
       Field<&ContactInfo::updated_by, ContactInfo>("updated_by")}};
  return t;
}

template <>
const Table<domain::QuotaValue>& TableOf() {
  using domain::QuotaValue;
  static const Table<QuotaValue> t{
      "quota_values",
      3,
      {Field<&QuotaValue::quota_code>("quota_code"), Field<&QuotaValue::value>("value"),
       Field<&QuotaValue::state>("state"), Field<&QuotaValue::is_default>("is_default"),
       Field<&QuotaValue::reason>("reason"), Field<&QuotaValue::read_at_ms>("read_at_ms"),
       Field<&QuotaValue::attempted_at_ms>("attempted_at_ms"), Field<&QuotaValue::aws_default>("aws_default"),
       Field<&QuotaValue::aws_default_read_at_ms>("aws_default_read_at_ms")}};
  return t;
}

template <>
const Table<domain::ModelSpec>& TableOf() {
  using domain::ModelSpec;
  static const Table<ModelSpec> t{
      "quota_config_models",
      2,
      {Field<&ModelSpec::model_id>("model_id"), Field<&ModelSpec::display_name>("display_name"),
       Field<&ModelSpec::quota_code_tpm>("quota_code_tpm"), Field<&ModelSpec::quota_code_rpm>("quota_code_rpm"),
       Field<&ModelSpec::enabled>("enabled"), Field<&ModelSpec::show_in_dashboard>("show_in_dashboard"),
       Field<&ModelSpec::has_1m_context>("has_1m_context"), Field<&ModelSpec::quota_code_tpm_1m>("quota_code_tpm_1m"),
       Field<&ModelSpec::quota_code_rpm_1m>("quota_code_rpm_1m"),
       Field<&ModelSpec::output_token_burndown>("output_token_burndown")}};
  return t;
}

template <>
const Table<domain::AuditEntry>& TableOf() {
  using domain::AuditEntry;
  Column<AuditEntry> last_at{
      "last_at_ms", Use::kBoth,
      [](SQLite::Statement& s, int i, const AuditEntry& e) { s.bind(i, std::max(e.at_ms, e.last_at_ms)); },
      [](const SQLite::Statement& s, int i, AuditEntry* e) { e->last_at_ms = s.getColumn(i).getInt64(); },
      "max(at_ms, last_at_ms)"};
  Column<AuditEntry> coalesce_key{"coalesce_key", Use::kInsert, nullptr, nullptr};
  static const Table<AuditEntry> t{
      "audit_log",
      1,
      {Field<&AuditEntry::audit_id>("audit_id"), Field<&AuditEntry::at_ms>("at_ms"),
       Field<&AuditEntry::actor_id>("actor_id"), Field<&AuditEntry::actor_email>("actor_email"),
       Field<&AuditEntry::action>("action"), Field<&AuditEntry::target_type>("target_type"),
       Field<&AuditEntry::target_id>("target_id"), Field<&AuditEntry::outcome>("outcome"),
       Field<&AuditEntry::client_ip>("client_ip"), Field<&AuditEntry::user_agent>("user_agent"),
       Field<&AuditEntry::request_id>("request_id"), Field<&AuditEntry::detail>("detail"),
       Field<&AuditEntry::count>("event_count"), last_at, coalesce_key}};
  return t;
}

// A job header's counter: a member of Job::counters.
template <int64_t domain::JobCounters::*M>
Column<domain::Job> CounterField(const char* name, Use use = Use::kBoth) {
  return {name, use, [](SQLite::Statement& s, int i, const domain::Job& j) { s.bind(i, j.counters.*M); },
          [](const SQLite::Statement& s, int i, domain::Job* j) { j->counters.*M = s.getColumn(i).getInt64(); }};
}

template <>
const Table<domain::Job>& TableOf() {
  using domain::Job;
  using domain::JobCounters;
  static const Table<Job> t{
      "jobs",
      1,
      {Field<&Job::job_id>("job_id"), Field<&Job::kind>("kind"), Field<&Job::state>("state"),
       Field<&Job::created_by>("created_by"), Field<&Job::team_filter>("team_filter"),
       Field<&Job::region_filter>("region_filter"), Field<&Job::created_at_ms>("created_at_ms"),
       Field<&Job::updated_at_ms>("updated_at_ms"), Field<&Job::finished_at_ms>("finished_at_ms"),
       CounterField<&JobCounters::total>("total"), CounterField<&JobCounters::ok>("ok"),
       CounterField<&JobCounters::partial>("partial"), CounterField<&JobCounters::failed>("failed"),
       // Selected only: migration 7 inserts headers into a table without it (CreateJob sets it itself).
       Field<&Job::fence>("fence", Use::kSelect),
       // Selected only, as fence (migration 14 added them): CreateJob sets include_usage itself.
       Field<&Job::include_usage>("include_usage", Use::kSelect),
       CounterField<&JobCounters::usage_failed>("usage_failed", Use::kSelect),
       // Selected only (migration 17 added it): CreateJob sets it itself.
       Field<&Job::params>("params", Use::kSelect)}};
  return t;
}

template <>
const Table<domain::JobItem>& TableOf() {
  using domain::JobItem;
  static const Table<JobItem> t{
      "job_items",
      2,
      {Field<&JobItem::seq>("seq"), Field<&JobItem::account_id>("account_id"), Field<&JobItem::region>("region"),
       Field<&JobItem::outcome>("outcome"), Field<&JobItem::values_ok>("values_ok"),
       Field<&JobItem::values_failed>("values_failed"), Field<&JobItem::error>("error"),
       Field<&JobItem::finished_at_ms>("finished_at_ms"),
       // Selected only (migration 14 added them; migration 7 inserts items without them): set by FinishJobItem.
       Field<&JobItem::usage_state>("usage_state", Use::kSelect),
       Field<&JobItem::usage_error>("usage_error", Use::kSelect),
       // Selected only (migration 17 added it): AddJobItems and FinishJobItem set it.
       Field<&JobItem::ref>("ref", Use::kSelect)}};
  return t;
}

template <>
const Table<domain::QuotaHistoryEntry>& TableOf() {
  using domain::QuotaHistoryEntry;
  static const Table<QuotaHistoryEntry> t{
      "quota_history",
      1,
      {Field<&QuotaHistoryEntry::account_id>("account_id"), Field<&QuotaHistoryEntry::region>("region"),
       Field<&QuotaHistoryEntry::history_id>("history_id"), Field<&QuotaHistoryEntry::quota_code>("quota_code"),
       Field<&QuotaHistoryEntry::at_ms>("at_ms"), Field<&QuotaHistoryEntry::event>("event"),
       Field<&QuotaHistoryEntry::value>("value"), Field<&QuotaHistoryEntry::previous_value>("previous_value"),
       Field<&QuotaHistoryEntry::state>("state"), Field<&QuotaHistoryEntry::is_default>("is_default"),
       Field<&QuotaHistoryEntry::reason>("reason")}};
  return t;
}

bool Selected(Use use) { return use != Use::kInsert; }
bool Inserted(Use use) { return use != Use::kSelect; }

// Joins one string per column that `keep` selects, made by `piece(column, ordinal among the kept)`.
template <class R, class Keep, class Piece>
std::string JoinColumns(Keep keep, Piece piece) {
  std::string out;
  int n = 0;
  for (const Column<R>& c : TableOf<R>().columns) {
    if (!keep(c.use)) continue;
    if (n) out += ", ";
    out += piece(c, n++);
  }
  return out;
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

template <class R>
std::string SelectColumns(std::string_view alias) {
  return JoinColumns<R>(Selected, [&](const Column<R>& c, int) {
    return c.select_expression ? std::string(c.select_expression) : std::string(alias) + c.name;
  });
}

template <class R>
const std::string& InsertColumns() {
  static const std::string columns =
      JoinColumns<R>(Inserted, [](const Column<R>& c, int) { return std::string(c.name); });
  return columns;
}

namespace {

// "?<n>" (built by appending: GCC 12 warns falsely (-Wrestrict) on "?" + std::to_string(n)).
std::string Placeholder(int n) {
  std::string p = "?";
  p += std::to_string(n);
  return p;
}

}  // namespace

template <class R>
const std::string& InsertPlaceholders() {
  static const std::string placeholders = [] {
    const int first = TableOf<R>().first_param;
    return JoinColumns<R>(Inserted, [&](const Column<R>&, int n) { return Placeholder(first + n); });
  }();
  return placeholders;
}

template <class R>
const std::string& UpdateAssignments() {
  static const std::string assignments = [] {
    const int first = TableOf<R>().first_param;
    // Every inserted column but the key (the first), which the WHERE clause names.
    auto not_key = [key = true](Use use) mutable { return Inserted(use) && !std::exchange(key, false); };
    return JoinColumns<R>(
        not_key, [&](const Column<R>& c, int n) { return std::string(c.name) + " = " + Placeholder(first + 1 + n); });
  }();
  return assignments;
}

template <class R>
void Bind(SQLite::Statement& s, const R& record) {
  int param = TableOf<R>().first_param;
  for (const Column<R>& c : TableOf<R>().columns) {
    if (!Inserted(c.use)) continue;
    if (c.bind) c.bind(s, param, record);
    ++param;
  }
}

template <class R>
R Read(const SQLite::Statement& s, int first) {
  R record;
  int column = first;
  for (const Column<R>& c : TableOf<R>().columns) {
    if (!Selected(c.use)) continue;
    try {
      c.read(s, column++, &record);
    } catch (const CorruptRow& e) {
      throw CorruptRow("bad " + std::string(TableOf<R>().name) + "." + c.name + ": " + e.what());
    }
  }
  return record;
}

#define AP_ROW_CODEC(R)                                          \
  template std::string SelectColumns<R>(std::string_view alias); \
  template const std::string& InsertColumns<R>();                \
  template const std::string& InsertPlaceholders<R>();           \
  template const std::string& UpdateAssignments<R>();            \
  template void Bind<R>(SQLite::Statement & s, const R& record); \
  template R Read<R>(const SQLite::Statement& s, int first);

AP_ROW_CODEC(domain::User)
AP_ROW_CODEC(domain::Session)
AP_ROW_CODEC(domain::Team)
AP_ROW_CODEC(domain::Account)
AP_ROW_CODEC(domain::ContactInfo)
AP_ROW_CODEC(domain::QuotaValue)
AP_ROW_CODEC(domain::ModelSpec)
AP_ROW_CODEC(domain::AuditEntry)
AP_ROW_CODEC(domain::Job)
AP_ROW_CODEC(domain::JobItem)
AP_ROW_CODEC(domain::QuotaHistoryEntry)
#undef AP_ROW_CODEC

std::string AuditCoalesceKey(const domain::AuditEntry& e) {
  return EncodeList({e.action, e.actor_id, e.target_type, e.target_id, e.client_ip, e.outcome});
}

}  // namespace ap::store::sqlite_internal
