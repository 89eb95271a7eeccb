#include "service/quota_increase_service.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "common/log.h"
#include "domain/audit.h"
#include "domain/ids.h"

namespace ap::service {
namespace {

int64_t MillisOf(const std::optional<TimePoint>& t) {
  if (!t) return 0;
  int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
  return ms < 0 ? 0 : ms;
}

// AWS's status text as ours; an unknown or missing one reads as PENDING (AWS sets one on every request).
domain::IncreaseStatus StatusOf(const aws::RequestedQuotaChange& c) {
  auto s = domain::ParseIncreaseStatus(c.status);
  return s.ok() ? *s : domain::IncreaseStatus::kPending;
}

std::string Bounded(std::string text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  // Never cut a UTF-8 sequence in two.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

std::string FormatValue(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

// The Status a request refused before sending answers with.
Status RefusalStatus(const IncreaseProblem& p) {
  const std::string msg = p.code + ": " + p.message;
  if (p.code == "forbidden") return PermissionDenied(msg);
  if (p.code == "region_not_enabled") return InvalidArgument(msg, "region");
  if (p.code == "no_quota_code" || p.code == "not_adjustable") return InvalidArgument(msg, "dimension");
  if (p.code == "current_unknown" || p.code == "not_above_current") return InvalidArgument(msg, "desired_value");
  if (p.code == "open_request_exists") return Status(StatusCode::kFailedPrecondition, msg, "quota_code");
  return FailedPrecondition(msg);  // account_inactive, account_open_limit
}

}  // namespace

std::optional<domain::QuotaDimension> ParseIncreaseDimension(std::string_view key) {
  for (domain::QuotaDimension d : domain::kAllDimensions)
    if (domain::DimensionKey(d) == key) return d;
  return std::nullopt;
}

QuotaIncreaseService::QuotaIncreaseService(AccountService& accounts, QuotaConfigService& config, QuotaService& quota,
                                           AccountCredentials& credentials, aws::ServiceQuotas& service_quotas,
                                           store::QuotaIncreaseStore& store, Authorizer& authorizer,
                                           AuditService& audit, const Clock& clock, Random& random,
                                           IncreaseOptions options)
    : accounts_(accounts),
      config_(config),
      quota_(quota),
      credentials_(credentials),
      service_quotas_(service_quotas),
      store_(store),
      authorizer_(authorizer),
      audit_(audit),
      clock_(clock),
      random_(random),
      options_(std::move(options)) {}

Status QuotaIncreaseService::ValidateSpec(const IncreaseSpec& spec) {
  if (spec.model_id.empty()) return InvalidArgument("is required", "model_id");
  ASSIGN_OR_RETURN(auto config, config_.Get());
  if (domain::FindModel(*config, spec.model_id) == nullptr)
    return InvalidArgument("no model \"" + spec.model_id + "\" in the quota configuration", "model_id");
  if (!ParseIncreaseDimension(spec.dimension))
    return InvalidArgument("must be one of tpm, rpm, tpm_1m, rpm_1m", "dimension");
  RETURN_IF_ERROR(domain::ValidateDesiredValue(spec.desired_value));
  return domain::ValidateIncreaseReason(spec.reason);
}

Status QuotaIncreaseService::ValidateTargets(const std::vector<IncreaseTarget>& targets) {
  if (targets.empty() || targets.size() > kMaxIncreaseTargets)
    return InvalidArgument("must hold 1 to " + std::to_string(kMaxIncreaseTargets) + " targets", "targets");
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::string at = "targets[" + std::to_string(i) + "].";
    const IncreaseTarget& t = targets[i];
    if (t.account_id.size() != 12 ||
        !std::all_of(t.account_id.begin(), t.account_id.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return InvalidArgument("must be a 12-digit account id", at + "account_id");
    if (!domain::IsKnownRegion(t.region)) return InvalidArgument("unknown region \"" + t.region + "\"", at + "region");
    if (!seen.emplace(t.account_id, t.region).second)
      return InvalidArgument("repeats an (account_id, region) pair", at + "region");
  }
  return Status::Ok();
}

std::string QuotaIncreaseService::QuotaName(const std::string& code) const {
  for (const domain::CatalogueQuota& q : config_.catalogue())
    if (q.code == code) return q.name;
  return "";
}

IncreasePlan QuotaIncreaseService::Plan(const Principal& principal, const IncreaseTarget& target,
                                        const IncreaseSpec& spec) {
  IncreasePlan plan;
  plan.account_id = target.account_id;
  plan.region = target.region;
  plan.desired_value = spec.desired_value;
  plan.service_code = options_.service_code;
  auto refuse = [&plan](std::string code, std::string message) {
    if (!plan.problem) plan.problem = IncreaseProblem{std::move(code), std::move(message)};
  };
  auto account = accounts_.Lookup(target.account_id);
  if (!account.ok()) {
    refuse("account_inactive", account.status().code() == StatusCode::kNotFound
                                   ? "account " + target.account_id + " is not registered"
                                   : account.status().message());
    return plan;
  }
  if (!authorizer_.Check(principal, Access::kAccountRead, target.account_id).ok()) {
    refuse("forbidden", "account " + target.account_id + " is not assigned to any of your teams");
    return plan;
  }
  plan.account_name = (*account)->account_name;
  if (Status may = authorizer_.Check(principal, Access::kAccountRequest, target.account_id); !may.ok())
    refuse("forbidden", may.message());
  if ((*account)->status != domain::AccountStatus::kActive)
    refuse("account_inactive", "account " + target.account_id + " is inactive");
  const auto& regions = (*account)->regions;
  if (std::find(regions.begin(), regions.end(), target.region) == regions.end())
    refuse("region_not_enabled", "account " + target.account_id + " does not use region " + target.region);
  auto config = config_.Get();
  const domain::ModelSpec* model = config.ok() ? domain::FindModel(**config, spec.model_id) : nullptr;
  auto dimension = ParseIncreaseDimension(spec.dimension);
  std::optional<std::string> code = model && dimension ? domain::CodeFor(*model, *dimension) : std::nullopt;
  if (!code) {
    refuse("no_quota_code", "model " + spec.model_id + " has no quota code for " + spec.dimension);
    return plan;
  }
  plan.quota_code = *code;
  plan.quota_name = QuotaName(*code);
  for (const domain::CatalogueQuota& q : config_.catalogue()) {
    if (q.code == *code && q.adjustable == false)
      refuse("not_adjustable", "AWS does not accept increase requests for " + *code);
  }
  auto snapshot = quota_.Snapshot(target.account_id, target.region);
  if (snapshot.ok() && *snapshot) {
    const domain::QuotaValue* v = (*snapshot)->Find(*code);
    if (v != nullptr && (v->state == domain::QuotaState::kOk || v->state == domain::QuotaState::kStale))
      plan.current_value = v->value;
  }
  if (!plan.current_value) {
    refuse("current_unknown", "the current value of " + *code + " is not known: refresh the account's quotas first");
  } else if (spec.desired_value <= *plan.current_value) {
    refuse("not_above_current", "the desired value " + FormatValue(spec.desired_value) +
                                    " is not above the current value " + FormatValue(*plan.current_value));
  }
  if (plan.problem) return plan;
  auto open = store_.FindOpenIncreaseRequest(target.account_id, target.region, *code);
  if (!open.ok()) {
    refuse("open_request_exists", "the open requests could not be read: " + open.status().message());
  } else if (open->has_value()) {
    refuse("open_request_exists", "request " + (*open)->request_id + " for " + *code + " in " + target.region +
                                      " is still " + std::string(domain::IncreaseStatusName((*open)->status)));
  }
  if (plan.problem) return plan;
  auto count = store_.CountOpenIncreaseRequests(target.account_id);
  if (!count.ok()) {
    refuse("account_open_limit", "the open requests could not be counted: " + count.status().message());
  } else if (*count >= options_.max_open_per_account) {
    refuse("account_open_limit", "account " + target.account_id + " has " + std::to_string(*count) +
                                     " open requests (AWS allows " + std::to_string(options_.max_open_per_account) +
                                     ")");
  }
  return plan;
}

Result<std::vector<IncreasePlan>> QuotaIncreaseService::Preview(const RequestContext& ctx, const IncreaseSpec& spec,
                                                                const std::vector<IncreaseTarget>& targets) {
  RETURN_IF_ERROR(ValidateTargets(targets));
  RETURN_IF_ERROR(ValidateSpec(spec));
  std::vector<IncreasePlan> out;
  out.reserve(targets.size());
  for (const IncreaseTarget& t : targets) out.push_back(Plan(ctx.principal, t, spec));
  return out;
}

Result<domain::QuotaIncreaseRequest> QuotaIncreaseService::Request(const RequestContext& ctx,
                                                                   const IncreaseTarget& target,
                                                                   const IncreaseSpec& spec, IncreaseSendError* err) {
  auto audit = [&](Outcome outcome, std::string_view request_id, std::string_view quota_code, std::string_view error) {
    audit_.RecordBestEffort(ctx, "quota_increase.request", "account", target.account_id, outcome,
                            domain::AuditDetail({{"request_id", request_id},
                                                 {"region", target.region},
                                                 {"model_id", spec.model_id},
                                                 {"dimension", spec.dimension},
                                                 {"quota_code", quota_code},
                                                 {"desired_value", std::optional<double>(spec.desired_value)},
                                                 {"error", error}}));
  };
  ASSIGN_OR_RETURN(auto account, accounts_.Lookup(target.account_id));  // NotFound before any refusal
  IncreasePlan plan = Plan(ctx.principal, target, spec);
  if (plan.problem) {
    Status refused = RefusalStatus(*plan.problem);
    audit(refused.code() == StatusCode::kPermissionDenied ? Outcome::kDenied : Outcome::kFailure, "", plan.quota_code,
          refused.message());
    return refused;
  }
  auto fail_upstream = [&](const Status& s) -> Status {
    if (err) err->upstream = true;
    audit(Outcome::kFailure, "", plan.quota_code, s.ToString());
    return s;
  };
  auto creds = credentials_.For(*account, target.region);
  if (!creds.ok()) return fail_upstream(creds.status());
  auto change = service_quotas_.RequestServiceQuotaIncrease(*creds, target.region, options_.service_code,
                                                            plan.quota_code, spec.desired_value);
  if (!change.ok()) {
    const Status& s = change.status();
    Status mapped;
    switch (s.code()) {
      case StatusCode::kAlreadyExists:
      case StatusCode::kFailedPrecondition:
        mapped = FailedPrecondition("AWS refused the request: " + s.message());
        break;
      case StatusCode::kInvalidArgument:
        mapped = InvalidArgument("AWS refused the value: " + s.message(), "desired_value");
        break;
      case StatusCode::kNotFound:
        mapped = InvalidArgument("AWS does not know the quota: " + s.message(), "model_id");
        break;
      default:
        return fail_upstream(s);
    }
    audit(Outcome::kFailure, "", plan.quota_code, mapped.message());
    return mapped;
  }
  if (change->id.empty()) return fail_upstream(Internal("AWS answered without a request id"));
  const int64_t now = clock_.NowUnixMillis();
  domain::QuotaIncreaseRequest req;
  req.request_id = domain::NewTimeOrderedId(domain::kIncreaseRequestIdPrefix, now, random_);
  req.account_id = target.account_id;
  req.region = target.region;
  req.quota_code = plan.quota_code;
  req.model_id = spec.model_id;
  req.dimension = spec.dimension;
  req.desired_value = spec.desired_value;
  req.value_at_request = plan.current_value;
  req.reason = spec.reason;
  req.aws_request_id = Bounded(change->id, domain::kMaxIncreaseAwsIdBytes);
  req.case_id = Bounded(change->case_id, domain::kMaxIncreaseAwsIdBytes);
  req.status = StatusOf(*change);
  req.source = domain::IncreaseSource::kPlatform;
  req.requested_by = ctx.principal.user_id;
  req.aws_created_ms = MillisOf(change->created);
  req.aws_updated_ms = MillisOf(change->last_updated);
  req.created_at_ms = now;
  req.checked_at_ms = now;
  Status inserted = store_.InsertIncreaseRequest(req);
  if (inserted.code() == StatusCode::kAlreadyExists) {
    // AWS gave an id the platform recorded already (found by a sync in between): that record is the request.
    auto existing = store_.FindIncreaseRequestByAwsId(req.account_id, req.aws_request_id);
    if (existing.ok()) req = *existing;
    inserted = existing.status();
  }
  if (!inserted.ok()) {
    // Sent but not stored: the next sync of the account finds it (as external).
    log::Error(
        "increase_request_not_stored",
        {{"account_id", req.account_id}, {"aws_request_id", req.aws_request_id}, {"error", inserted.ToString()}});
    audit(Outcome::kFailure, "", plan.quota_code, "sent as AWS request " + req.aws_request_id + ", not stored");
    return inserted;
  }
  req.version = std::max<int64_t>(req.version, 1);
  audit(Outcome::kSuccess, req.request_id, req.quota_code, "");
  return req;
}

Result<store::IncreaseRequestPage> QuotaIncreaseService::List(const RequestContext& ctx,
                                                              const IncreaseListQuery& query) {
  if (query.limit < 1 || query.limit > 200) return InvalidArgument("must be 1 to 200", "limit");
  if (query.account_id.empty()) {
    if (!ctx.principal.is_admin()) return InvalidArgument("name one of your accounts", "account_id");
  } else {
    RETURN_IF_ERROR(authorizer_.Check(ctx.principal, Access::kAccountRead, query.account_id));
  }
  if (query.open_only && query.status) return InvalidArgument("cannot be combined with open", "status");
  store::IncreaseRequestFilter f;
  f.account_id = query.account_id;
  f.open_only = query.open_only;
  f.status = query.status;
  f.cursor = query.cursor;
  f.limit = query.limit;
  return store_.ListIncreaseRequests(f);
}

Result<domain::QuotaIncreaseRequest> QuotaIncreaseService::Get(const RequestContext& ctx,
                                                               const std::string& request_id) {
  ASSIGN_OR_RETURN(domain::QuotaIncreaseRequest req, store_.GetIncreaseRequest(request_id));
  RETURN_IF_ERROR(authorizer_.Check(ctx.principal, Access::kAccountRead, req.account_id));
  return req;
}

bool QuotaIncreaseService::MayRequest(const Principal& principal, const std::string& account_id) {
  return authorizer_.Check(principal, Access::kAccountRequest, account_id).ok();
}

Result<domain::QuotaIncreaseRequest> QuotaIncreaseService::Apply(const RequestContext& ctx,
                                                                 const domain::QuotaIncreaseRequest& req,
                                                                 const aws::RequestedQuotaChange* change,
                                                                 const Status& read_error, bool* changed) {
  domain::QuotaIncreaseRequest next = req;
  const int64_t now = clock_.NowUnixMillis();
  next.checked_at_ms = now;
  if (change == nullptr) {
    next.check_error = Bounded(read_error.ToString(), domain::kMaxIncreaseCheckErrorBytes);
  } else {
    next.check_error.clear();
    next.status = StatusOf(*change);
    if (!change->case_id.empty()) next.case_id = Bounded(change->case_id, domain::kMaxIncreaseAwsIdBytes);
    if (int64_t updated = MillisOf(change->last_updated); updated > 0) next.aws_updated_ms = updated;
  }
  const bool status_changed = next.status != req.status;
  if (changed) *changed = status_changed || next.case_id != req.case_id || next.aws_updated_ms != req.aws_updated_ms;
  const bool trigger = next.status == domain::IncreaseStatus::kApproved && req.approved_refresh_at_ms == 0;
  if (trigger) next.approved_refresh_at_ms = now;
  ASSIGN_OR_RETURN(next.version, store_.UpdateIncreaseRequest(next, req.version));
  if (status_changed) {
    audit_.RecordBestEffort(ctx, "quota_increase.status_changed", "account", next.account_id, Outcome::kSuccess,
                            domain::AuditDetail({{"request_id", next.request_id},
                                                 {"region", next.region},
                                                 {"quota_code", next.quota_code},
                                                 {"from", domain::IncreaseStatusName(req.status)},
                                                 {"to", domain::IncreaseStatusName(next.status)},
                                                 {"case_id", next.case_id}}));
  }
  if (trigger && options_.on_approved) options_.on_approved(next.account_id, next.region);
  return next;
}

Result<domain::QuotaIncreaseRequest> QuotaIncreaseService::CheckStored(const RequestContext& ctx,
                                                                       const domain::QuotaIncreaseRequest& req) {
  auto account = accounts_.Lookup(req.account_id);
  if (!account.ok()) return Apply(ctx, req, nullptr, account.status());
  if ((*account)->status != domain::AccountStatus::kActive)
    return Apply(ctx, req, nullptr, FailedPrecondition("account " + req.account_id + " is inactive"));
  auto creds = credentials_.For(**account, req.region);
  if (!creds.ok()) return Apply(ctx, req, nullptr, creds.status());
  auto change = service_quotas_.GetRequestedServiceQuotaChange(*creds, req.region, req.aws_request_id);
  if (!change.ok()) return Apply(ctx, req, nullptr, change.status());
  return Apply(ctx, req, &*change, Status::Ok());
}

Result<domain::QuotaIncreaseRequest> QuotaIncreaseService::Check(const RequestContext& ctx,
                                                                 const std::string& request_id) {
  ASSIGN_OR_RETURN(domain::QuotaIncreaseRequest req, store_.GetIncreaseRequest(request_id));
  RETURN_IF_ERROR(authorizer_.Check(ctx.principal, Access::kAccountRequest, req.account_id));
  auto checked = CheckStored(ctx, req);
  audit_.RecordBestEffort(
      ctx, "quota_increase.check", "account", req.account_id, checked.ok() ? Outcome::kSuccess : Outcome::kFailure,
      domain::AuditDetail({{"request_id", request_id},
                           {"status", checked.ok() ? domain::IncreaseStatusName(checked->status) : ""},
                           {"error", checked.ok() ? checked->check_error : checked.status().ToString()}}));
  return checked;
}

Result<IncreaseSyncReport> QuotaIncreaseService::Sync(const RequestContext& ctx, const std::string& account_id) {
  ASSIGN_OR_RETURN(auto account, accounts_.Lookup(account_id));
  if (account->status != domain::AccountStatus::kActive)
    return FailedPrecondition("account " + account_id + " is inactive; reactivate it before syncing its requests");
  ASSIGN_OR_RETURN(auto config, config_.Get());
  // The configured codes (enabled models), each once.
  std::vector<std::string> codes;
  for (const domain::ModelSpec& m : config->models) {
    if (!m.enabled) continue;
    for (domain::QuotaDimension d : domain::kAllDimensions) {
      auto code = domain::CodeFor(m, d);
      if (code && std::find(codes.begin(), codes.end(), *code) == codes.end()) codes.push_back(*code);
    }
  }
  IncreaseSyncReport report;
  for (const std::string& region : account->regions) {
    auto creds = credentials_.For(*account, region);
    for (const std::string& code : codes) {
      if (!creds.ok()) {
        report.failed.push_back({region, code, creds.status().ToString()});
        continue;
      }
      auto history =
          service_quotas_.ListRequestedServiceQuotaChangeHistoryByQuota(*creds, region, options_.service_code, code);
      if (!history.ok()) {
        report.failed.push_back({region, code, history.status().ToString()});
        continue;
      }
      for (const aws::RequestedQuotaChange& change : *history) {
        if (change.id.empty()) continue;
        const std::string aws_id = Bounded(change.id, domain::kMaxIncreaseAwsIdBytes);
        auto known = store_.FindIncreaseRequestByAwsId(account_id, aws_id);
        if (known.ok()) {
          bool changed = false;
          const bool differs =
              StatusOf(change) != known->status || (!change.case_id.empty() && change.case_id != known->case_id) ||
              (MillisOf(change.last_updated) > 0 && MillisOf(change.last_updated) != known->aws_updated_ms);
          if (!differs) continue;
          auto applied = Apply(ctx, *known, &change, Status::Ok(), &changed);
          if (!applied.ok())
            report.failed.push_back({region, code, applied.status().ToString()});
          else if (changed)
            ++report.updated;
          continue;
        }
        if (known.status().code() != StatusCode::kNotFound) {
          report.failed.push_back({region, code, known.status().ToString()});
          continue;
        }
        const int64_t now = clock_.NowUnixMillis();
        domain::QuotaIncreaseRequest req;
        req.request_id = domain::NewTimeOrderedId(domain::kIncreaseRequestIdPrefix, now, random_);
        req.account_id = account_id;
        req.region = region;
        req.quota_code = code;
        if (auto where = domain::FindQuotaCode(*config, code)) {
          req.model_id = where->model->model_id;
          req.dimension = std::string(domain::DimensionKey(where->dimension));
        }
        req.desired_value = change.desired_value.value_or(0);
        req.aws_request_id = aws_id;
        req.case_id = Bounded(change.case_id, domain::kMaxIncreaseAwsIdBytes);
        req.status = StatusOf(change);
        req.source = domain::IncreaseSource::kExternal;
        req.aws_created_ms = MillisOf(change.created);
        req.aws_updated_ms = MillisOf(change.last_updated);
        req.created_at_ms = now;
        req.checked_at_ms = now;
        Status inserted = store_.InsertIncreaseRequest(req);
        if (inserted.ok()) {
          ++report.found;
        } else if (inserted.code() != StatusCode::kAlreadyExists) {  // AlreadyExists: another sync stored it
          report.failed.push_back({region, code, inserted.ToString()});
        }
      }
    }
  }
  audit_.RecordBestEffort(ctx, "quota_increase.sync", "account", account_id,
                          report.failed.empty() ? Outcome::kSuccess : Outcome::kPartial,
                          domain::AuditDetail({{"found", report.found},
                                               {"updated", report.updated},
                                               {"failed", static_cast<int64_t>(report.failed.size())}}));
  return report;
}

}  // namespace ap::service
