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
// InvalidArgument("name" / "holder" / "ttl_ms") for an empty name or holder or a ttl_ms outside 1..86,400,000.
//
// Thread safety: safe to call concurrently from many threads and processes.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace ap::store {

struct Lease {
  std::string name;
  std::string holder;         // who holds (or last held) it
  int64_t token = 0;          // fencing token: 1 for the first holder, +1 for each new holder
  int64_t expires_at_ms = 0;  // the lease is free from this time on
};

class CoordinationStore {
 public:
  virtual ~CoordinationStore() = default;

  // Takes lease `name` for `holder` until now_ms + ttl_ms when it is free (absent, or expires_at_ms <= now_ms) or
  // already held by `holder` (then it is renewed and keeps its token). A new holder gets token = the previous
  // token + 1 (1 for a lease never taken). FailedPrecondition("lease <name> is held by <holder> until <ms>") when
  // another holder's lease is live (nothing written). Atomic: one conditional write; of N concurrent calls for a
  // free lease by different holders exactly one succeeds.
  virtual Result<Lease> AcquireLease(const std::string& name, const std::string& holder, int64_t now_ms,
                                     int64_t ttl_ms) = 0;
  // Extends the lease to now_ms + ttl_ms, only if it is still held by `holder` with `token` (even if it expired
  // meanwhile, as long as nobody took it since). FailedPrecondition when it was taken over or released (the
  // holder must stop the work it did under it); NotFound when the lease never existed.
  virtual Result<Lease> RenewLease(const std::string& name, const std::string& holder, int64_t token, int64_t now_ms,
                                   int64_t ttl_ms) = 0;
  // Frees the lease (expires_at_ms = 0, token kept) if it is held by `holder` with `token`; OK otherwise too
  // (nothing written): releasing is idempotent and never frees another holder's lease.
  virtual Status ReleaseLease(const std::string& name, const std::string& holder, int64_t token) = 0;
  // The lease record (also when expired: compare expires_at_ms with now). NotFound when it never existed.
  virtual Result<Lease> GetLease(const std::string& name) = 0;

  // Adds 1 to epoch `name` and returns the new value. Atomic (concurrent bumps never lose one).
  virtual Result<int64_t> BumpEpoch(const std::string& name) = 0;
  // The epoch's value; 0 when never bumped.
  virtual Result<int64_t> GetEpoch(const std::string& name) = 0;
};

}  // namespace ap::store
