#include "service/audit_service.h"
#include "service/paging.h"

#include <algorithm>

#include "common/log.h"
#include "domain/ids.h"

namespace ap::service {
namespace {

constexpr std::string_view kOverflowDetail =
    "overflow: more anonymous sources than max_anonymous_entries_per_window; target and address not kept";

// Failures and denials of callers who did not log in: the only entries a client without an account can make
// in unbounded numbers (failed and throttled logins).
bool Coalesces(const RequestContext& ctx, Outcome outcome) {
  return !ctx.principal.authenticated && (outcome == Outcome::kFailure || outcome == Outcome::kDenied);
}

// `id` + 1, reading its trailing hex digits as a number (carrying leftwards; the time digits absorb the carry).
std::string NextHex(std::string id) {
  for (size_t i = id.size(); i-- > 0;) {
    char& c = id[i];
    if (c == 'f') {
      c = '0';
      continue;
    }
    c = c == '9' ? 'a' : static_cast<char>(c + 1);
    break;
  }
  return id;
}

int64_t WindowMillis(const AuditOptions& o) {
  return std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(o.coalesce_window).count());
}

}  // namespace

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kSuccess:
      return "success";
    case Outcome::kPartial:
      return "partial";
    case Outcome::kDenied:
      return "denied";
    case Outcome::kFailure:
      return "failure";
  }
  return "failure";
}

AuditService::AuditService(store::AuditStore& store, const Clock& clock, Random& random, AuditOptions options)
    : store_(store), clock_(clock), random_(random), options_(options) {}

bool AuditService::UnderAnonymousCap(int64_t now_ms) {
  MutexLock lock(mu_);
  int64_t index = now_ms / WindowMillis(options_);
  if (index != window_index_) {
    window_index_ = index;
    created_in_window_ = 0;
  }
  return created_in_window_ < options_.max_anonymous_entries_per_window;
}

std::string AuditService::NewAuditId(int64_t now_ms) {
  std::string id = domain::NewTimeOrderedId("a_", now_ms, random_);
  MutexLock lock(mu_);
  // Within one millisecond (or if the clock stepped back) the random part would order entries arbitrarily:
  // continue from the previous id instead, so this instance's entries list in the order they were made.
  if (id <= last_audit_id_) id = NextHex(last_audit_id_);
  last_audit_id_ = id;
  return id;
}

void AuditService::CountCreated(int64_t now_ms) {
  MutexLock lock(mu_);
  if (now_ms / WindowMillis(options_) == window_index_) ++created_in_window_;
}

Status AuditService::Write(const RequestContext& ctx, std::string_view action, std::string_view target_type,
                           std::string_view target_id, Outcome outcome, std::string_view detail, Mode mode) {
  const int64_t now_ms = clock_.NowUnixMillis();
  const bool coalesce = mode == Mode::kNormal && Coalesces(ctx, outcome);
  // Past the cap, many targets or addresses are at work: keep the count, drop what makes entries distinct.
  const bool overflow = coalesce && !UnderAnonymousCap(now_ms);
  domain::AuditEntry e;
  e.audit_id = NewAuditId(now_ms);
  e.at_ms = now_ms;
  e.actor_id = ctx.principal.authenticated ? ctx.principal.user_id : "anonymous";
  e.actor_email = ctx.principal.email;
  e.action = action;
  e.target_type = target_type;
  e.target_id = overflow ? std::string_view("*") : target_id;
  e.outcome = OutcomeName(outcome);
  e.client_ip = overflow ? std::string_view("*") : std::string_view(ctx.client_ip);
  if (!overflow) e.user_agent = ctx.user_agent.substr(0, 512);
  e.request_id = ctx.request_id;
  e.detail = overflow ? kOverflowDetail : detail;
  Result<domain::AuditEntry> stored =
      !coalesce ? store_.AppendAudit(e, mode == Mode::kDurable ? store::Durability::kSync : store::Durability::kNormal)
                : store_.AppendAuditCoalesced(e, now_ms - WindowMillis(options_));
  if (coalesce && !overflow && stored.ok() && stored->count == 1) CountCreated(now_ms);
  if (!stored.ok()) {
    log::Error("audit_write_failed",
               {{"action", action}, {"request_id", ctx.request_id}, {"error", stored.status().ToString()}});
    return stored.status();
  }
  return Status::Ok();
}

Status AuditService::Record(const RequestContext& ctx, std::string_view action, std::string_view target_type,
                            std::string_view target_id, Outcome outcome, std::string_view detail) {
  return Write(ctx, action, target_type, target_id, outcome, detail, Mode::kNormal);
}

Status AuditService::RecordDurably(const RequestContext& ctx, std::string_view action, std::string_view target_type,
                                   std::string_view target_id, Outcome outcome, std::string_view detail) {
  return Write(ctx, action, target_type, target_id, outcome, detail, Mode::kDurable);
}

void AuditService::RecordBestEffort(const RequestContext& ctx, std::string_view action, std::string_view target_type,
                                    std::string_view target_id, Outcome outcome, std::string_view detail) {
  // Already logged inside Write; the caller's action has happened and must not be reported as failed.
  Record(ctx, action, target_type, target_id, outcome, detail).IgnoreError();
}

Result<store::AuditPage> AuditService::List(const store::AuditFilter& filter) {
  RETURN_IF_ERROR(CheckPageSize(filter.limit, 1000));
  return store_.ListAudit(filter);
}

}  // namespace ap::service
