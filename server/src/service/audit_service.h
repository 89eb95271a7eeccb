// AuditService: records who did what, from where, and how it ended; lists entries for admins.
// Thread safety: safe from any thread. Does not own the store.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "service/context.h"
#include "store/store.h"

namespace ap::service {

enum class Outcome { kSuccess, kPartial, kDenied, kFailure };
// "success" | "partial" (some parts failed, e.g. some quota values) | "denied" | "failure"
std::string_view OutcomeName(Outcome o);

class AuditService {
 public:
  AuditService(store::Store& store, const Clock& clock, Random& random);

  // Appends an entry with the context's actor, client ip, user agent and request id. Returns the store's
  // error if the entry could not be written (callers for which auditing is mandatory, such as credential
  // export, must fail then). `detail` must never contain secrets.
  Status Record(const RequestContext& ctx, std::string_view action, std::string_view target_type,
                std::string_view target_id, Outcome outcome, std::string_view detail = {});
  // As Record, but a write failure is only logged: for audit entries that must not undo what already happened.
  void RecordBestEffort(const RequestContext& ctx, std::string_view action, std::string_view target_type,
                        std::string_view target_id, Outcome outcome, std::string_view detail = {});

  // Newest first. InvalidArgument("limit") outside 1..1000.
  Result<store::AuditPage> List(const store::AuditFilter& filter);

 private:
  store::Store& store_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace ap::service
