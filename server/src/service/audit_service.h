// AuditService: records who did what, from where, and how it ended; lists entries for admins.
//
// Storage that anonymous clients can grow stays bounded. Anonymous failures and denials (a failed or throttled
// login, whatever the call site) are coalesced: repeats of one action, target, client address and outcome within
// AuditOptions::coalesce_window share one entry whose `count` grows (AuditStore::AppendAuditCoalesced), so a client
// looping on a wrong password adds one row per window, not one per request. Beyond
// AuditOptions::max_anonymous_entries_per_window new coalesced entries in one window of this instance (many
// targets or many addresses), further ones lose their target, address and user agent ("*") and coalesce into one
// entry per action and outcome. Everything else (any authenticated actor, any success) gets an entry per event.
//
// Entry ids are time-ordered (domain/ids.h) and strictly increasing per instance, so entries of one millisecond
// list in the order they were recorded.
//
// Thread safety: safe from any thread. Does not own the store.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/mutex.h"
#include "common/random.h"
#include "common/status.h"
#include "service/context.h"
#include "store/audit_store.h"

namespace ap::service {

enum class Outcome { kSuccess, kPartial, kDenied, kFailure };
// "success" | "partial" (some parts failed, e.g. some quota values) | "denied" | "failure"
std::string_view OutcomeName(Outcome o);

struct AuditOptions {
  // Anonymous failures and denials repeating within this window (from the first of them) share one entry.
  // Default 15 minutes (the longest login lockout). Must be positive.
  Duration coalesce_window = std::chrono::minutes(15);
  // New coalesced entries this instance creates per window (fixed windows of coalesce_window) before the rest
  // coalesce per action and outcome only. Default 1000. Must be >= 1.
  int64_t max_anonymous_entries_per_window = 1000;
};

class AuditService {
 public:
  AuditService(store::AuditStore& store, const Clock& clock, Random& random, AuditOptions options = {});

  // Appends an entry with the context's actor, client ip, user agent and request id (or, for an anonymous
  // failure or denial, counts it into a coalesced entry; see above). Returns the store's error if the entry
  // could not be written (callers for which auditing is mandatory must fail then). `detail` must never contain
  // secrets; build it with domain::AuditDetail (a JSON object), or pass a short plain-text word ("throttled").
  Status Record(const RequestContext& ctx, std::string_view action, std::string_view target_type,
                std::string_view target_id, Outcome outcome, std::string_view detail = {});
  // As Record, but the entry is its own and on stable storage when OK returns (Store Durability::kSync), so a
  // power cut cannot lose it: for entries that must exist before something irreversible happens (a credential
  // export handing out the secret). Never coalesced.
  Status RecordDurably(const RequestContext& ctx, std::string_view action, std::string_view target_type,
                       std::string_view target_id, Outcome outcome, std::string_view detail = {});
  // As Record, but a write failure is only logged: for audit entries that must not undo what already happened.
  void RecordBestEffort(const RequestContext& ctx, std::string_view action, std::string_view target_type,
                        std::string_view target_id, Outcome outcome, std::string_view detail = {});

  // One page, newest first (store/audit_store.h: filters, cursor). InvalidArgument("page_size") when filter.limit
  // is outside 1..1000; InvalidArgument("cursor") for a cursor the list did not return.
  Result<store::AuditPage> List(const store::AuditFilter& filter);

 private:
  enum class Mode { kNormal, kDurable };
  Status Write(const RequestContext& ctx, std::string_view action, std::string_view target_type,
               std::string_view target_id, Outcome outcome, std::string_view detail, Mode mode);
  // Whether this window still has room for a new coalesced entry with its own target and address.
  bool UnderAnonymousCap(int64_t now_ms);
  void CountCreated(int64_t now_ms);
  // A time-ordered id (domain/ids.h) greater than every id this instance made before, so that entries made in
  // one millisecond list in the order they were made.
  std::string NewAuditId(int64_t now_ms);

  store::AuditStore& store_;
  const Clock& clock_;
  Random& random_;
  const AuditOptions options_;

  Mutex mu_;                                   // guards the three below
  int64_t window_index_ GUARDED_BY(mu_) = -1;  // now_ms / coalesce_window of the window counted in created_in_window_
  int64_t created_in_window_ GUARDED_BY(mu_) = 0;
  std::string last_audit_id_ GUARDED_BY(mu_);
};

}  // namespace ap::service
