#include "store/coordination_store.h"

namespace ap::store {
namespace {

constexpr size_t kMaxNameBytes = 512;

}  // namespace

Status CheckCoordinationName(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameBytes)
    return InvalidArgument("must be 1 to " + std::to_string(kMaxNameBytes) + " bytes", "name");
  return Status::Ok();
}

Status CheckLeaseArguments(const std::string& name, const std::string& holder, std::optional<int64_t> ttl_ms) {
  RETURN_IF_ERROR(CheckCoordinationName(name));
  if (holder.empty() || holder.size() > kMaxNameBytes)
    return InvalidArgument("must be 1 to " + std::to_string(kMaxNameBytes) + " bytes", "holder");
  if (ttl_ms && (*ttl_ms < 1 || *ttl_ms > kMaxLeaseTtlMs))
    return InvalidArgument("must be between 1 and " + std::to_string(kMaxLeaseTtlMs) + " ms", "ttl_ms");
  return Status::Ok();
}

Result<Lease> AcquiredLease(const Lease* stored, const std::string& name, const std::string& holder, int64_t now_ms,
                            int64_t ttl_ms) {
  Lease next{.name = name, .holder = holder, .token = 1, .expires_at_ms = now_ms + ttl_ms};
  if (stored == nullptr) return next;
  const bool live = stored->expires_at_ms > now_ms;
  if (live && stored->holder != holder)
    return FailedPrecondition("lease " + name + " is held by " + stored->holder + " until " +
                              std::to_string(stored->expires_at_ms));
  // Live and ours: a renewal within the tenure. Free: a new tenure, even for the last holder, whose old token may
  // still be on writes made before it lost the lease.
  next.token = live ? stored->token : stored->token + 1;
  return next;
}

Result<Lease> RenewedLease(const Lease& stored, const std::string& holder, int64_t token, int64_t now_ms,
                           int64_t ttl_ms) {
  if (stored.holder != holder || stored.token != token)
    return FailedPrecondition("lease " + stored.name + " was taken over by " + stored.holder + " (token " +
                              std::to_string(stored.token) + ")");
  if (stored.expires_at_ms == 0) return FailedPrecondition("lease " + stored.name + " was released");
  Lease next = stored;
  next.expires_at_ms = now_ms + ttl_ms;
  return next;
}

bool ReleaseFrees(const Lease& stored, const std::string& holder, int64_t token) {
  return stored.holder == holder && stored.token == token && stored.expires_at_ms != 0;
}

}  // namespace ap::store
