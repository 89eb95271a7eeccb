// CoordinationStore: what several instances of the platform agree on through the store — leases (who does a
// piece of work that must happen once: a refresh of one (account, region), a fleet job, a scheduler run) and
// epochs (counters whose change tells every instance to drop a cache).
//
// Leases. A lease is one record: name, holder (an instance id, domain/ids.h style), a fencing token and an expiry.
// Taking or renewing a lease is one conditional write, so at most one holder holds a live lease at any moment (by
// the store's clock arguments: callers pass now_ms from their injected Clock; instances' clocks are assumed to
// agree within a small skew, which lease TTLs must exceed). Fencing tokens only grow: every new holder of a lease
// gets the previous token + 1, so a write made under a lease can be refused once a later holder exists (JobStore
// checks the job's fence; see job_store.h). Expired leases stay as records (their token must survive); they are
// few (one per name ever used; names of per-(account, region) leases are bounded by the fleet) and small.
//
// Epochs. A named counter, 0 until first bumped. An instance that caches data reads the epoch at most every N ms
// and drops its cache when the value changed; a writer bumps it after its write. Reading an epoch is one record.
//
// Common contracts: Unavailable / Internal when the backend fails (nothing written by a failed write).
// InvalidArgument("name" / "holder" / "ttl_ms") for an empty name or holder, a name or holder over 512 bytes, or a
// ttl_ms outside 1..86,400,000 (checked before anything is read; CheckLeaseArguments below, shared by every
// backend).
//
// Tenures. A tenure is one holder's uninterrupted holding of a lease: it starts when AcquireLease takes a free
// lease and lasts through renewals (by AcquireLease or RenewLease) until the lease is released or another holder
// takes it. Each tenure has its own token, so a token names one tenure: a holder that lost its lease (expired and
// taken, or released) and takes it again gets a new token, and writes fenced with the old one are refused.
// The decisions are the pure functions at the end of this file; a backend reads the record, decides with them,
// and writes the result conditionally on the record it read (SQLite: in one IMMEDIATE transaction).
//
// Thread safety: safe to call concurrently from many threads and processes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"

namespace ap::store {

struct Lease {
  std::string name;
  std::string holder;         // who holds (or last held) it
  int64_t token = 0;          // fencing token: 1 for the first tenure, +1 for each new tenure
  int64_t expires_at_ms = 0;  // the lease is free from this time on; 0 once released

  bool operator==(const Lease&) const = default;
};

class CoordinationStore {
 public:
  virtual ~CoordinationStore() = default;

  // Takes lease `name` for `holder` until now_ms + ttl_ms when it is free (absent, or expires_at_ms <= now_ms) or
  // already held by `holder` (live: then it is renewed and keeps its token). Taking a free lease starts a new
  // tenure: token = the previous token + 1 (1 for a lease never taken), also when `holder` was its last holder.
  // FailedPrecondition("lease <name> is held by <holder> until <ms>") when another holder's lease is live (nothing
  // written). Atomic: one conditional write; of N concurrent calls for a free lease by different holders exactly
  // one succeeds.
  virtual Result<Lease> AcquireLease(const std::string& name, const std::string& holder, int64_t now_ms,
                                     int64_t ttl_ms) = 0;
  // Extends the lease to now_ms + ttl_ms, only if it is still held by `holder` with `token` (even if it expired
  // meanwhile, as long as nobody took it since). FailedPrecondition when it was taken over or released (the
  // holder must stop the work it did under it); NotFound when the lease never existed. Atomic like AcquireLease.
  virtual Result<Lease> RenewLease(const std::string& name, const std::string& holder, int64_t token, int64_t now_ms,
                                   int64_t ttl_ms) = 0;
  // Frees the lease (expires_at_ms = 0, holder and token kept) if it is held by `holder` with `token`, live or
  // expired; OK otherwise too (nothing written, also when the lease never existed): releasing is idempotent and
  // never frees another holder's lease.
  virtual Status ReleaseLease(const std::string& name, const std::string& holder, int64_t token) = 0;
  // The lease record (also when expired: compare expires_at_ms with now). NotFound when it never existed. Reads
  // one record.
  virtual Result<Lease> GetLease(const std::string& name) = 0;

  // Adds 1 to epoch `name` and returns the new value. Atomic (concurrent bumps never lose one).
  virtual Result<int64_t> BumpEpoch(const std::string& name) = 0;
  // The epoch's value; 0 when never bumped. Reads one record.
  virtual Result<int64_t> GetEpoch(const std::string& name) = 0;
};

// ---- the rules every backend applies (coordination_store.cc); pure functions ----

// OK for a lease or epoch name of 1..512 bytes; InvalidArgument("name") otherwise.
Status CheckCoordinationName(const std::string& name);
// CheckCoordinationName(name), then a holder of 1..512 bytes (InvalidArgument("holder")), then, when `ttl_ms` is
// given, 1 <= ttl_ms <= kMaxLeaseTtlMs (InvalidArgument("ttl_ms")).
inline constexpr int64_t kMaxLeaseTtlMs = 86'400'000;
Status CheckLeaseArguments(const std::string& name, const std::string& holder, std::optional<int64_t> ttl_ms);

// The record AcquireLease writes when `stored` is the record read (nullptr: absent), or FailedPrecondition("lease
// <name> is held by <holder> until <ms>") when another holder's lease is live.
Result<Lease> AcquiredLease(const Lease* stored, const std::string& name, const std::string& holder, int64_t now_ms,
                            int64_t ttl_ms);
// The record RenewLease writes when `stored` is the record read, or FailedPrecondition when `stored` is another
// tenure (another holder or token) or was released.
Result<Lease> RenewedLease(const Lease& stored, const std::string& holder, int64_t token, int64_t now_ms,
                           int64_t ttl_ms);
// True when ReleaseLease frees `stored` (held by `holder` with `token`, not released yet).
bool ReleaseFrees(const Lease& stored, const std::string& holder, int64_t token);

}  // namespace ap::store
