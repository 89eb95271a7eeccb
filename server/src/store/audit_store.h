// AuditStore: the audit log.
//
// Entries are keyed by audit_id (made by the caller, domain::NewTimeOrderedId("a_", ...)); the store assigns
// nothing. Lists are ordered by (at_ms, audit_id) descending and paged by cursor (store/cursor.h): the cursor is
// that key of the last entry served, so a page costs O(page) through an index and an entry appended meanwhile is
// never served twice nor shifts a page.
//
// Common contracts: Unavailable / Internal when the backend fails (nothing written by a failed write); limits
// outside their documented range are InvalidArgument("limit"); a cursor that is not one this list returned is
// InvalidArgument("cursor").
//
// Thread safety: safe to call concurrently from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/audit.h"

namespace ap::store {

// Which entries ListAudit returns. Filters combine with AND.
//
// Index-served filters (a backend keeps each entry in one ordered index per filter, sorted by (at_ms, audit_id)
// within its key; SQLite: an index per column followed by at_ms, audit_id; DynamoDB: a GSI per filter):
//   actor_id; action exact; action prefix up to and including its first '.' ("account."); target_type +
//   target_id; outcome; no filter at all (the time index). from_ms / to_ms and the cursor bound the sort key of
//   whichever index serves the list.
// Any other condition (target_type or target_id alone, a deeper prefix such as "quota.config.", a second filter
// next to one of the above) filters the pages of one index that applies (the backend picks it; without any, the
// time index), so such a page may read more entries than it returns; it never reads the log before the cursor.
struct AuditFilter {
  std::string actor_id;     // exact; empty = any
  std::string action;       // exact, or prefix when it ends with '.' ("account."); empty = any
  std::string target_type;  // exact; empty = any
  std::string target_id;    // exact; empty = any
  std::string outcome;      // exact; empty = any
  int64_t from_ms = 0;      // inclusive; 0 = unbounded
  int64_t to_ms = 0;        // exclusive; 0 = unbounded
  std::string cursor;       // AuditPage::next of the previous page; empty = the newest entries
  int64_t limit = 50;       // 1..1000
};

// How durable a write is when the call returns OK.
enum class Durability {
  kNormal,  // survives a crash of the process; a power cut or OS crash may lose the newest writes
  kSync,    // on stable storage (synced) before the call returns: survives a power cut too; slower
};

struct AuditPage {
  std::vector<domain::AuditEntry> items;  // newest first: (at_ms, audit_id) descending
  std::string next;                       // the cursor of the following page; empty when this is the last
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // Appends `entry` and returns it as stored. Atomic: the entry is written all or nothing, only if no entry
  // with its audit_id exists (AlreadyExists otherwise, so a retried append cannot log twice). count is stored
  // as given (InvalidArgument("count") below 1); last_at_ms as max(at_ms, last_at_ms). With Durability::kSync
  // the entry is on stable storage when OK returns (an audit entry that must survive a power cut, e.g. before
  // a credential export hands out the secret); with kNormal a power cut may lose the newest writes (never
  // corrupts). REQUIRES: audit_id non-empty.
  virtual Result<domain::AuditEntry> AppendAudit(const domain::AuditEntry& entry, Durability durability) = 0;
  Result<domain::AuditEntry> AppendAudit(const domain::AuditEntry& entry) {
    return AppendAudit(entry, Durability::kNormal);
  }
  // Append-or-increment, for repeated events that must not each take an entry (anonymous login failures).
  // The coalescing key is (action, actor_id, target_type, target_id, client_ip, outcome). If an entry made by
  // AppendAuditCoalesced with the same key and at_ms >= window_start_ms exists, adds 1 to the count of the
  // newest such entry and raises its last_at_ms to entry.at_ms (its other fields stay the first event's) and
  // returns it; otherwise appends `entry` with count 1 (only if its audit_id is new: AlreadyExists otherwise)
  // and returns it. Atomic per call: the increment is a conditional counter update of one entry (an ADD), the
  // append a conditional put; concurrent calls never lose a count. The key's newest entry is found through an
  // index on (key, at_ms), never a scan. Entries made by AppendAudit never match. entry.count and
  // entry.last_at_ms are ignored.
  virtual Result<domain::AuditEntry> AppendAuditCoalesced(const domain::AuditEntry& entry, int64_t window_start_ms) = 0;
  // One page of the entries matching `filter`, newest first (see AuditFilter for which index serves it). `next`
  // is empty when no matching entry follows the page. InvalidArgument("limit") outside 1..1000;
  // InvalidArgument("cursor") for a cursor this list did not return.
  virtual Result<AuditPage> ListAudit(const AuditFilter& filter) = 0;
  // Retention: deletes at most `limit` (1..100000) entries with at_ms < cutoff_ms, oldest first (through the
  // time index), and returns how many. Not atomic as a whole: each entry is deleted on its own (a backend may
  // batch them), so a failure part-way leaves the rest for the next call. Call again while it returns `limit`;
  // each call is short so that it never holds up other writes. Idempotent, so several instances may run it.
  // InvalidArgument("limit") out of range.
  virtual Result<int64_t> DeleteAuditBefore(int64_t cutoff_ms, int64_t limit) = 0;
};

}  // namespace ap::store
