#include "service/audit_service.h"

#include "common/log.h"

namespace ap::service {

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kSuccess: return "success";
    case Outcome::kPartial: return "partial";
    case Outcome::kDenied: return "denied";
    case Outcome::kFailure: return "failure";
  }
  return "failure";
}

AuditService::AuditService(store::Store& store, const Clock& clock, Random& random)
    : store_(store), clock_(clock), random_(random) {}

Status AuditService::Record(const RequestContext& ctx, std::string_view action, std::string_view target_type,
                            std::string_view target_id, Outcome outcome, std::string_view detail) {
  domain::AuditEntry e;
  e.audit_id = "a_" + random_.HexString(12);
  e.at_ms = clock_.NowUnixMillis();
  e.actor_id = ctx.principal.authenticated ? ctx.principal.user_id : "anonymous";
  e.actor_email = ctx.principal.email;
  e.action = action;
  e.target_type = target_type;
  e.target_id = target_id;
  e.outcome = OutcomeName(outcome);
  e.client_ip = ctx.client_ip;
  e.user_agent = ctx.user_agent.substr(0, 512);
  e.request_id = ctx.request_id;
  e.detail = detail;
  auto stored = store_.AppendAudit(e);
  if (!stored.ok()) {
    log::Error("audit_write_failed", {{"action", action}, {"request_id", ctx.request_id},
                                      {"error", stored.status().ToString()}});
    return stored.status();
  }
  return Status::Ok();
}

void AuditService::RecordBestEffort(const RequestContext& ctx, std::string_view action, std::string_view target_type,
                                    std::string_view target_id, Outcome outcome, std::string_view detail) {
  // Already logged inside Record; the caller's action has happened and must not be reported as failed.
  Record(ctx, action, target_type, target_id, outcome, detail).IgnoreError();
}

Result<store::AuditPage> AuditService::List(const store::AuditFilter& filter) {
  if (filter.limit < 1 || filter.limit > 1000) return InvalidArgument("must be between 1 and 1000", "limit");
  if (filter.offset < 0) return InvalidArgument("must not be negative", "offset");
  return store_.ListAudit(filter);
}

}  // namespace ap::service
