// AuditStore: the audit log.
//
// Thread safety: safe to call concurrently from many threads.
// The contracts common to every store interface are in store/store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/audit.h"

namespace ap::store {

struct AuditFilter {
  std::string actor_id;     // exact; empty = any
  std::string action;       // exact, or prefix when it ends with '.' ("account."); empty = any
  std::string target_type;  // exact; empty = any
  std::string target_id;    // exact; empty = any
  std::string outcome;      // exact; empty = any
  int64_t from_ms = 0;      // inclusive; 0 = unbounded
  int64_t to_ms = 0;        // exclusive; 0 = unbounded
  int64_t offset = 0;
  int64_t limit = 50;  // 1..1000
};

// How durable a write is when the call returns OK.
enum class Durability {
  kNormal,  // survives a crash of the process; a power cut or OS crash may lose the newest writes
  kSync,    // on stable storage (synced) before the call returns: survives a power cut too; slower
};

struct AuditPage {
  std::vector<domain::AuditEntry> items;  // newest first (seq descending)
  int64_t total = 0;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // ---- Audit log ---------------------------------------------------------------------------------------
  // Appends; the store assigns seq (increasing). Returns the stored entry. AlreadyExists if audit_id repeats
  // (so a retried append cannot log twice). count is stored as given (InvalidArgument("count") below 1);
  // last_at_ms as max(at_ms, last_at_ms). With Durability::kSync the entry is on stable storage when OK returns
  // (an audit entry that must survive a power cut, e.g. before a credential export hands out the secret); with
  // kNormal a power cut may lose the newest writes (never corrupts).
  virtual Result<domain::AuditEntry> AppendAudit(const domain::AuditEntry& entry, Durability durability) = 0;
  Result<domain::AuditEntry> AppendAudit(const domain::AuditEntry& entry) {
    return AppendAudit(entry, Durability::kNormal);
  }
  // Append-or-increment, for repeated events that must not each take a row (anonymous login failures). If an
  // entry made by AppendAuditCoalesced with the same key — action, actor_id, target_type, target_id, client_ip,
  // outcome — and at_ms >= window_start_ms exists, adds 1 to the count of the newest such entry and raises its
  // last_at_ms to entry.at_ms (its other fields stay the first event's) and returns it; otherwise appends `entry`
  // with count 1 (AlreadyExists if its audit_id repeats) and returns it. Atomic: concurrent calls never lose a
  // count. The key is found through an index, never a scan. Entries made by AppendAudit never match.
  // entry.count and entry.last_at_ms are ignored.
  virtual Result<domain::AuditEntry> AppendAuditCoalesced(const domain::AuditEntry& entry, int64_t window_start_ms) = 0;
  virtual Result<AuditPage> ListAudit(const AuditFilter& filter) = 0;
  // Retention: deletes at most `limit` (1..100000) entries with at_ms < cutoff_ms, oldest first, and returns how
  // many. Call again while it returns `limit`; each call is short so that it never holds up other writes.
  // Idempotent, so several instances may run it. InvalidArgument("limit") out of range.
  virtual Result<int64_t> DeleteAuditBefore(int64_t cutoff_ms, int64_t limit) = 0;
};

}  // namespace ap::store
