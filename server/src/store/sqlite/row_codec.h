// Mapping between domain records and SQLite rows: the column lists of each table, binders that fill a
// statement's parameters in that order, and readers that build a record from the current result row.
//
// Keeping the column list next to its binder and reader is what keeps INSERT, UPDATE and SELECT in sync: every
// statement on a table uses k<Table>Columns (SELECT) or binds ?1..?N in its order (INSERT / UPDATE).
//
// Readers throw CorruptRow (connection.h) when a stored value cannot be a valid record (unknown enum name, malformed
// list); Guarded() turns that into Internal. Thread safety: stateless functions.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <string>
#include <string_view>
#include <vector>

#include "domain/account.h"
#include "domain/audit.h"
#include "domain/quota.h"
#include "domain/quota_config.h"
#include "domain/user.h"
#include "store/sqlite/connection.h"

namespace ap::store::sqlite_internal {

// Lists as TEXT: each element as "<byte length>:<bytes>", concatenated ("9:us-east-12:eu"). Unambiguous for any
// content, so no separator can collide with a value. Decode throws CorruptRow on malformed text.
std::string EncodeList(const std::vector<std::string>& items);
std::vector<std::string> DecodeList(std::string_view text);

// users: binds ?1..?8.
inline constexpr const char* kUserColumns =
    "user_id, email, role, teams, disabled, password_hash, created_at_ms, updated_at_ms";
void BindUser(SQLite::Statement& s, const domain::User& u);
domain::User ReadUser(const SQLite::Statement& s);

// sessions: binds ?1..?6.
inline constexpr const char* kSessionColumns =
    "token_hash, user_id, created_at_ms, expires_at_ms, user_agent, client_ip";
void BindSession(SQLite::Statement& s, const domain::Session& v);
domain::Session ReadSession(const SQLite::Statement& s);

// teams: binds ?1..?3.
inline constexpr const char* kTeamColumns = "team_id, name, created_at_ms";
void BindTeam(SQLite::Statement& s, const domain::Team& t);
domain::Team ReadTeam(const SQLite::Statement& s);

// accounts: binds ?1..?13.
inline constexpr const char* kAccountColumns =
    "account_id, account_name, regions, teams, status, credential_type, access_key_id_masked, role_arn, "
    "sealed_credentials, created_at_ms, updated_at_ms, created_by, version";
void BindAccount(SQLite::Statement& s, const domain::Account& a);
domain::Account ReadAccount(const SQLite::Statement& s);

// contact_info without account_id: binds ?2..?15 (?1 is the account id, bound by the caller).
inline constexpr const char* kContactColumns =
    "full_name, address_line1, address_line2, address_line3, city, company_name, country_code, "
    "district_or_county, phone_number, postal_code, state_or_region, website_url, updated_at_ms, updated_by";
void BindContactInfo(SQLite::Statement& s, const domain::ContactInfo& c);
domain::ContactInfo ReadContactInfo(const SQLite::Statement& s);

// quota_values without (account_id, region): binds ?3..?9 (?1, ?2 are the snapshot's keys). ReadQuotaValue
// reads these columns starting at result column `first`.
inline constexpr const char* kQuotaValueColumns =
    "quota_code, value, state, is_default, reason, read_at_ms, attempted_at_ms";
void BindQuotaValue(SQLite::Statement& s, const domain::QuotaValue& v);
domain::QuotaValue ReadQuotaValue(const SQLite::Statement& s, int first);

// quota_config_models without position: binds ?2..?10 (?1 is the position).
inline constexpr const char* kModelColumns =
    "model_id, display_name, quota_code_tpm, quota_code_rpm, enabled, show_in_dashboard, has_1m_context, "
    "quota_code_tpm_1m, quota_code_rpm_1m";
void BindModelSpec(SQLite::Statement& s, const domain::ModelSpec& m);
domain::ModelSpec ReadModelSpec(const SQLite::Statement& s);

// audit_log: kAuditColumns starts with seq; BindAuditEntry binds ?1..?14 for every column after seq except
// coalesce_key, which is ?15 of kAuditInsertColumns (bound by the caller: NULL for plain appends, which
// coalescing never matches). last_at_ms is bound as max(at_ms, last_at_ms) and read the same way (rows written
// before migration 3 hold 0).
inline constexpr const char* kAuditColumns =
    "seq, audit_id, at_ms, actor_id, actor_email, action, target_type, target_id, outcome, client_ip, "
    "user_agent, request_id, detail, event_count, max(at_ms, last_at_ms)";
inline constexpr const char* kAuditInsertColumns =
    "audit_id, at_ms, actor_id, actor_email, action, target_type, target_id, outcome, client_ip, "
    "user_agent, request_id, detail, event_count, last_at_ms, coalesce_key";
void BindAuditEntry(SQLite::Statement& s, const domain::AuditEntry& e);
domain::AuditEntry ReadAuditEntry(const SQLite::Statement& s);
// The coalescing key of AppendAuditCoalesced (store.h): the matched fields in the list encoding, so that no
// two different keys can encode alike.
std::string AuditCoalesceKey(const domain::AuditEntry& e);

}  // namespace ap::store::sqlite_internal
