// Mapping between domain records and SQLite rows. Each record type has one column table (row_codec.cc): per
// column its name, how the field is bound as a statement parameter and how it is read back from a result column.
// The column lists, the parameter placeholders and the UPDATE assignments of every statement are derived from that
// table, which is what keeps INSERT, UPDATE and SELECT in sync: a column is named, bound and read in one place.
//
// Records with a table: domain::User (users), Session (sessions), Team (teams), Account (accounts), ContactInfo
// (contact_info), QuotaValue (quota_values), ModelSpec (quota_config_models), AuditEntry (audit_log), Job (jobs),
// JobItem (job_items) and QuotaHistoryEntry (quota_history).
//
// Parameters: Bind() fills ?F..?N in column order, F being the record's first parameter: 1, except ContactInfo 2
// (?1 is the account id), JobItem 2 (?1 is the job id), QuotaValue 3 (?1, ?2 are the snapshot's account id and region)
// and ModelSpec 2 (?1 is the position), which the caller binds. Columns a record does not own are bound by the caller
// too: AuditEntry's last insert column coalesce_key (?15: NULL for plain appends, which coalescing never matches).
// AuditEntry's last_at_ms is bound as max(at_ms, last_at_ms) and selected the same way (rows written before
// migration 3 hold 0).
//
// Read() throws CorruptRow (connection.h) naming the table and column when a stored value cannot be a valid
// record (unknown enum name, malformed list); Guarded() turns that into Internal. Id lists (teams, regions) come
// back sorted and without duplicates even if a row was edited by hand. Thread safety: stateless functions.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <string>
#include <string_view>
#include <vector>

#include "domain/account.h"
#include "domain/audit.h"
#include "domain/job.h"
#include "domain/quota.h"
#include "domain/quota_config.h"
#include "domain/quota_history.h"
#include "domain/user.h"
#include "store/sqlite/connection.h"

namespace ap::store::sqlite_internal {

// Lists as TEXT: each element as "<byte length>:<bytes>", concatenated ("9:us-east-12:eu"). Unambiguous for any
// content, so no separator can collide with a value. Decode throws CorruptRow on malformed text.
std::string EncodeList(const std::vector<std::string>& items);
std::vector<std::string> DecodeList(std::string_view text);

// The SELECT list of R's table ("user_id, email, ..."), each plain column prefixed with `alias` (e.g. "v.").
template <class R>
std::string SelectColumns(std::string_view alias = {});
// The INSERT column list of R's table, and its placeholders ("?F, ..., ?N", see above), in the same order.
// These three are built once per record type and kept (statements are prepared on every call).
template <class R>
const std::string& InsertColumns();
template <class R>
const std::string& InsertPlaceholders();
// "col2 = ?2, col3 = ?3, ...": every inserted column but the first (the key, ?1), for UPDATE ... WHERE key = ?1.
template <class R>
const std::string& UpdateAssignments();
// Binds `record` to its parameters (see above).
template <class R>
void Bind(SQLite::Statement& s, const R& record);
// The record in the current result row of a statement that selected SelectColumns<R>() starting at column
// `first`. Throws CorruptRow.
template <class R>
R Read(const SQLite::Statement& s, int first = 0);

// The coalescing key of AppendAuditCoalesced (store.h): the matched fields in the list encoding, so that no
// two different keys can encode alike.
std::string AuditCoalesceKey(const domain::AuditEntry& e);

}  // namespace ap::store::sqlite_internal
