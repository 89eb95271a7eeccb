#include "service/export_service.h"

#include <algorithm>
#include <map>
#include <utility>

#include "domain/audit.h"
#include "domain/quota_history.h"
#include "domain/user.h"

namespace ap::service {
namespace {

// Entries read per page of the history and audit exports.
constexpr int64_t kHistoryPerPage = 500;
constexpr int64_t kAuditPerPage = 500;

Cell Time(int64_t ms) { return ms > 0 ? Cell::Text(FormatIso8601Millis(ms)) : Cell::Null(); }

Status CheckOptions(const ExportOptions& o) {
  if (o.bom && o.format != ExportFormat::kCsv) return InvalidArgument("a BOM is for CSV only", "bom");
  return Status::Ok();
}

std::string Join(const std::vector<std::string>& parts, char sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out.push_back(sep);
    out += p;
  }
  return out;
}

// The dimensions a model has: tpm, rpm, and the 1M ones with the 1M context (as the dashboard shows them).
std::vector<domain::QuotaDimension> DimensionsOf(const domain::ModelSpec& m) {
  std::vector<domain::QuotaDimension> out;
  for (domain::QuotaDimension d : domain::kAllDimensions) {
    bool one_m = d == domain::QuotaDimension::kTpm1m || d == domain::QuotaDimension::kRpm1m;
    if (!one_m || m.has_1m_context) out.push_back(d);
  }
  return out;
}

// The 24-hour window of `model_id` in a usage snapshot, or nullptr.
const domain::WindowUsage* Usage24h(const store::UsageSnapshot* snap, const std::string& model_id) {
  if (snap == nullptr) return nullptr;
  for (const store::ModelUsageEntry& e : snap->models) {
    if (e.model_id != model_id) continue;
    for (const domain::WindowUsage& w : e.usage.windows) {
      if (w.window == domain::UsageWindow::k24h) return &w;
    }
  }
  return nullptr;
}

// Where the fleet export is: the account list's query (its cursor advances) and what each page shows.
struct FleetState {
  RequestContext ctx;
  AccountQuery accounts;
  std::string region;
  std::vector<domain::ModelSpec> models;
};

}  // namespace

std::function<Status(std::string* chunk, bool* done)> TableProducer(
    std::shared_ptr<TableWriter> writer, std::function<Status(std::vector<Row>* rows, bool* more)> page) {
  return [writer = std::move(writer), page = std::move(page), begun = false](std::string* chunk,
                                                                             bool* done) mutable -> Status {
    std::vector<Row> rows;
    bool more = false;
    RETURN_IF_ERROR(page(&rows, &more));
    if (!begun) {
      writer->Begin(chunk);
      begun = true;
    }
    for (const Row& row : rows) writer->Write(row, chunk);
    if (!more) writer->End(chunk);
    *done = !more;
    return Status::Ok();
  };
}

ExportService::ExportService(AccountService& accounts, QuotaConfigService& config, QuotaService& quota,
                             AuditService& audit, store::QuotaCacheStore& cache, store::UsageStore* usage,
                             const Clock& clock, store::QuotaIncreaseStore* increases)
    : accounts_(accounts),
      config_(config),
      quota_(quota),
      audit_(audit),
      cache_(cache),
      usage_(usage),
      clock_(clock),
      increases_(increases) {}

std::string ExportService::FileName(std::string_view what, const ExportOptions& options) const {
  return std::string(what) + "-" + Stamp() + "." + std::string(ExportFormatName(options.format));
}

std::string ExportService::Stamp() const {
  std::string iso = FormatIso8601(clock_.Now());  // 2026-12-06T15:00:00Z
  std::string out;
  for (char c : iso) {
    if (c != '-' && c != ':') out.push_back(c);
  }
  return out;
}

void ExportService::Audit(const RequestContext& ctx, std::string_view what, std::string_view detail) {
  audit_.RecordBestEffort(ctx, "export." + std::string(what), "export", what, Outcome::kSuccess, detail);
}

Result<Export> ExportService::OpenFleet(const RequestContext& ctx, const FleetExportQuery& query,
                                        const ExportOptions& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  if (!query.team.empty()) RETURN_IF_ERROR(domain::ValidateTeamId(query.team, "team"));
  if (!query.region.empty() && !domain::IsKnownRegion(query.region))
    return InvalidArgument("unknown region " + query.region, "region");
  ASSIGN_OR_RETURN(auto config, config_.Get());
  auto state = std::make_shared<FleetState>();
  state->ctx = ctx;
  state->accounts.status = domain::AccountStatus::kActive;
  state->accounts.team = query.team;
  state->accounts.page_size = kAccountsPerPage;
  state->region = query.region;
  for (const domain::ModelSpec& m : config->models) {
    if (query.model_id.empty() ? (m.enabled && m.show_in_dashboard) : m.model_id == query.model_id)
      state->models.push_back(m);
  }
  if (!query.model_id.empty() && state->models.empty())
    return InvalidArgument("model " + query.model_id + " is not in the quota config", "model_id");

  auto page = [this, state](std::vector<Row>* rows, bool* more) -> Status {
    ASSIGN_OR_RETURN(store::AccountPage listed, accounts_.List(state->ctx, state->accounts));
    std::vector<store::SnapshotKey> keys;
    std::vector<store::UsageSnapshotKey> usage_keys;
    for (const domain::Account& a : listed.items) {
      for (const std::string& r : a.regions) {
        if (!state->region.empty() && r != state->region) continue;
        keys.push_back({a.account_id, r});
        usage_keys.push_back({a.account_id, r});
      }
    }
    std::map<std::pair<std::string, std::string>, domain::QuotaSnapshot> snaps;
    std::map<std::pair<std::string, std::string>, store::UsageSnapshot> usages;
    if (!keys.empty()) {
      ASSIGN_OR_RETURN(std::vector<domain::QuotaSnapshot> got, cache_.GetQuotaSnapshots(keys));
      for (auto& s : got) snaps.emplace(std::make_pair(s.account_id, s.region), std::move(s));
      if (usage_ != nullptr) {
        ASSIGN_OR_RETURN(std::vector<store::UsageSnapshot> u, usage_->GetUsageSnapshots(usage_keys));
        for (auto& s : u) usages.emplace(std::make_pair(s.account_id, s.region), std::move(s));
      }
    }
    for (const domain::Account& a : listed.items) {
      const std::string teams = Join(a.teams, ';');
      for (const std::string& r : a.regions) {
        if (!state->region.empty() && r != state->region) continue;
        auto s = snaps.find({a.account_id, r});
        auto u = usages.find({a.account_id, r});
        const store::UsageSnapshot* usage = u == usages.end() ? nullptr : &u->second;
        for (const domain::ModelSpec& m : state->models) {
          const domain::WindowUsage* w = Usage24h(usage, m.model_id);
          for (domain::QuotaDimension d : DimensionsOf(m)) {
            const domain::QuotaValue* v = nullptr;
            if (auto code = domain::CodeFor(m, d); code && s != snaps.end()) v = s->second.Find(*code);
            bool has_value = v != nullptr && v->value.has_value();
            bool failing =
                v != nullptr && (v->state == domain::QuotaState::kStale || v->state == domain::QuotaState::kError);
            std::optional<int64_t> peak;
            std::optional<double> headroom;
            if (w != nullptr && d == domain::QuotaDimension::kTpm) {
              peak = w->weighted_tokens.peak;
              headroom = w->headroom_tpm;
            } else if (w != nullptr && d == domain::QuotaDimension::kRpm) {
              peak = w->requests.peak;
              headroom = w->headroom_rpm;
            }
            rows->push_back(
                Row{Cell::Text(a.account_id), Cell::Text(a.account_name), Cell::OptText(teams), Cell::Text(r),
                    Cell::Text(m.model_id), Cell::Text(std::string(domain::DimensionKey(d))),
                    has_value ? Cell::Number(*v->value) : Cell::Null(),
                    Cell::Text(std::string(domain::QuotaStateName(v ? v->state : domain::QuotaState::kNever))),
                    has_value ? Cell::Text(std::string(*domain::QuotaValueSource(true, v->is_default))) : Cell::Null(),
                    Time(v ? v->read_at_ms : 0), failing ? Cell::OptText(v->reason) : Cell::Null(),
                    Cell::OptInteger(peak), Cell::OptNumber(headroom)});
          }
        }
      }
    }
    state->accounts.cursor = listed.next;
    *more = !listed.next.empty();
    return Status::Ok();
  };
  auto writer = std::make_shared<TableWriter>(
      options.format, options.bom,
      std::vector<std::string>{"account_id", "account_name", "team", "region", "model_id", "dimension", "value",
                               "state", "source", "read_at", "stale_reason", "usage_peak_24h", "headroom_24h"});
  Audit(ctx, "fleet",
        domain::AuditDetail({{"format", ExportFormatName(options.format)},
                             {"team", query.team},
                             {"region", query.region},
                             {"model_id", query.model_id}}));
  return Export{"fleet-" + Stamp() + "." + std::string(ExportFormatName(options.format)),
                std::string(ExportContentType(options.format)), TableProducer(std::move(writer), std::move(page))};
}

Result<Export> ExportService::OpenQuotaHistory(const RequestContext& ctx, const HistoryExportQuery& query,
                                               const ExportOptions& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  if (query.account_id.empty()) return InvalidArgument("required", "account_id");
  if (query.from_ms > 0 && query.to_ms > 0 && query.from_ms >= query.to_ms)
    return InvalidArgument("must be before to", "from");
  ASSIGN_OR_RETURN(std::shared_ptr<const domain::Account> account, accounts_.Lookup(query.account_id));
  // As the account's own views: an account of another team is 403.
  if (!AccountService::Visible(ctx.principal, *account))
    return PermissionDenied("you may not read account " + query.account_id);
  ASSIGN_OR_RETURN(QuotaReadInputs inputs, quota_.Inputs(query.account_id, query.region));
  if (!query.model_id.empty()) {
    // Validates model_id before the first byte (History checks it again per page).
    ASSIGN_OR_RETURN(store::QuotaHistoryPage probe, quota_.History(inputs, query.model_id, "", 1));
    (void)probe;
  }
  struct State {
    QuotaReadInputs inputs;
    std::string cursor;
  };
  auto state = std::make_shared<State>(State{inputs, ""});
  auto page = [this, state, query](std::vector<Row>* rows, bool* more) -> Status {
    ASSIGN_OR_RETURN(store::QuotaHistoryPage p,
                     quota_.History(state->inputs, query.model_id, state->cursor, kHistoryPerPage));
    *more = !p.next.empty();
    const domain::QuotaConfig& config = *state->inputs.config;
    // A page comes oldest first; the export is newest first.
    for (size_t k = p.items.size(); k-- > 0;) {
      const domain::QuotaHistoryEntry& e = p.items[k];
      if (query.to_ms > 0 && e.at_ms >= query.to_ms) continue;
      if (query.from_ms > 0 && e.at_ms < query.from_ms) {
        *more = false;  // older entries only from here on
        break;
      }
      auto where = domain::FindQuotaCode(config, e.quota_code);
      rows->push_back(
          Row{Cell::Text(e.account_id), Cell::Text(e.region), Time(e.at_ms), Cell::Text(e.quota_code),
              where ? Cell::Text(where->model->model_id) : Cell::Null(),
              where ? Cell::Text(std::string(domain::DimensionKey(where->dimension))) : Cell::Null(),
              Cell::Text(std::string(domain::QuotaEventName(e.event))), Cell::OptNumber(e.value),
              Cell::OptNumber(e.previous_value), Cell::Text(std::string(domain::QuotaStateName(e.state))),
              e.value ? Cell::Text(std::string(*domain::QuotaValueSource(true, e.is_default))) : Cell::Null(),
              Cell::OptText(e.reason)});
    }
    state->cursor = p.next;
    return Status::Ok();
  };
  auto writer = std::make_shared<TableWriter>(
      options.format, options.bom,
      std::vector<std::string>{"account_id", "region", "at", "quota_code", "model_id", "dimension", "event", "value",
                               "previous_value", "state", "source", "reason"});
  Audit(ctx, "quota_history",
        domain::AuditDetail({{"format", ExportFormatName(options.format)},
                             {"account_id", query.account_id},
                             {"region", inputs.region},
                             {"model_id", query.model_id}}));
  return Export{"quota-history-" + query.account_id + "-" + inputs.region + "-" + Stamp() + "." +
                    std::string(ExportFormatName(options.format)),
                std::string(ExportContentType(options.format)), TableProducer(std::move(writer), std::move(page))};
}

Result<Export> ExportService::OpenAuditLog(const RequestContext& ctx, store::AuditFilter filter,
                                           const ExportOptions& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  if (!ctx.principal.is_admin()) return PermissionDenied("the audit log is for admins");
  filter.cursor.clear();
  filter.limit = kAuditPerPage;
  auto state = std::make_shared<store::AuditFilter>(filter);
  auto page = [this, state](std::vector<Row>* rows, bool* more) -> Status {
    ASSIGN_OR_RETURN(store::AuditPage p, audit_.List(*state));
    for (const domain::AuditEntry& e : p.items) {
      rows->push_back(Row{Time(e.at_ms), Cell::Text(e.audit_id), Cell::Text(e.actor_id), Cell::OptText(e.actor_email),
                          Cell::Text(e.action), Cell::OptText(e.target_type), Cell::OptText(e.target_id),
                          Cell::Text(e.outcome), Cell::OptText(e.client_ip), Cell::OptText(e.user_agent),
                          Cell::OptText(e.request_id), Cell::Integer(e.count), Time(e.last_at_ms),
                          Cell::OptText(e.detail)});
    }
    state->cursor = p.next;
    *more = !p.next.empty();
    return Status::Ok();
  };
  auto writer = std::make_shared<TableWriter>(
      options.format, options.bom,
      std::vector<std::string>{"at", "audit_id", "actor_id", "actor_email", "action", "target_type", "target_id",
                               "outcome", "client_ip", "user_agent", "request_id", "count", "last_at", "detail"});
  Audit(ctx, "audit_log",
        domain::AuditDetail({{"format", ExportFormatName(options.format)},
                             {"actor_id", filter.actor_id},
                             {"action", filter.action},
                             {"target_type", filter.target_type},
                             {"target_id", filter.target_id},
                             {"outcome", filter.outcome}}));
  return Export{"audit-log-" + Stamp() + "." + std::string(ExportFormatName(options.format)),
                std::string(ExportContentType(options.format)), TableProducer(std::move(writer), std::move(page))};
}

}  // namespace ap::service
