// ExportService::OpenQuotaIncreases (kept apart from the other exports: it walks two kinds of pages for users).
#include <utility>

#include "domain/audit.h"
#include "domain/quota_increase.h"
#include "service/export_service.h"

namespace ap::service {
namespace {

constexpr int64_t kRequestsPerPage = 500;

Cell Time(int64_t ms) { return ms > 0 ? Cell::Text(FormatIso8601Millis(ms)) : Cell::Null(); }

Row RowOf(const domain::QuotaIncreaseRequest& q) {
  return Row{Cell::Text(q.request_id),
             Cell::Text(q.account_id),
             Cell::Text(q.region),
             Cell::Text(q.quota_code),
             Cell::OptText(q.model_id),
             Cell::OptText(q.dimension),
             Cell::Number(q.desired_value),
             Cell::OptNumber(q.value_at_request),
             Cell::Text(std::string(domain::IncreaseStatusName(q.status))),
             Cell::OptText(q.case_id),
             Cell::Text(std::string(domain::IncreaseSourceName(q.source))),
             Cell::OptText(q.requested_by),
             Cell::OptText(q.reason),
             Cell::Text(q.aws_request_id),
             Time(q.aws_created_ms),
             Time(q.aws_updated_ms),
             Time(q.created_at_ms),
             Time(q.checked_at_ms),
             Cell::OptText(q.check_error)};
}

// Where the export is. One request list (`filter`, its cursor advancing) for an admin or a named account; for a
// user, the visible accounts page by page (`accounts`), each one's requests listed in turn.
struct State {
  RequestContext ctx;
  store::IncreaseRequestFilter filter;
  bool per_account = false;
  AccountQuery accounts;
  std::vector<std::string> pending;  // accounts of the current page still to list (per_account)
  bool accounts_done = false;
  int64_t from_ms = 0;
  int64_t to_ms = 0;
};

}  // namespace

Result<Export> ExportService::OpenQuotaIncreases(const RequestContext& ctx, const IncreaseExportQuery& query,
                                                 const ExportOptions& options) {
  if (options.bom && options.format != ExportFormat::kCsv) return InvalidArgument("a BOM is for CSV only", "bom");
  if (increases_ == nullptr) return Unavailable("increase requests are not available on this server");
  if (query.from_ms > 0 && query.to_ms > 0 && query.from_ms >= query.to_ms)
    return InvalidArgument("must be before to", "from");
  auto state = std::make_shared<State>();
  state->ctx = ctx;
  state->from_ms = query.from_ms;
  state->to_ms = query.to_ms;
  state->filter.limit = kRequestsPerPage;
  if (query.status == "open") {
    state->filter.open_only = true;
  } else if (!query.status.empty()) {
    ASSIGN_OR_RETURN(domain::IncreaseStatus st, domain::ParseIncreaseStatus(query.status));
    state->filter.status = st;
  }
  if (!query.account_id.empty()) {
    ASSIGN_OR_RETURN(std::shared_ptr<const domain::Account> account, accounts_.Lookup(query.account_id));
    if (!AccountService::Visible(ctx.principal, *account))
      return PermissionDenied("you may not read account " + query.account_id);
    state->filter.account_id = query.account_id;
  } else if (!ctx.principal.is_admin()) {
    state->per_account = true;
    state->accounts.status = std::nullopt;  // requests of inactive accounts are still the record
    state->accounts.page_size = kAccountsPerPage;
  }

  auto page = [this, state](std::vector<Row>* rows, bool* more) -> Status {
    State& st = *state;
    if (st.per_account && st.filter.account_id.empty()) {
      if (st.pending.empty()) {
        if (st.accounts_done) {
          *more = false;
          return Status::Ok();
        }
        ASSIGN_OR_RETURN(store::AccountPage listed, accounts_.List(st.ctx, st.accounts));
        for (const domain::Account& a : listed.items) st.pending.push_back(a.account_id);
        st.accounts.cursor = listed.next;
        st.accounts_done = listed.next.empty();
        *more = !st.pending.empty() || !st.accounts_done;
        return Status::Ok();  // an empty piece; the next call lists the first of these accounts
      }
      st.filter.account_id = st.pending.front();
      st.pending.erase(st.pending.begin());
      st.filter.cursor.clear();
    }
    ASSIGN_OR_RETURN(store::IncreaseRequestPage p, increases_->ListIncreaseRequests(st.filter));
    bool list_more = !p.next.empty();
    for (const domain::QuotaIncreaseRequest& q : p.items) {
      if (st.to_ms > 0 && q.created_at_ms >= st.to_ms) continue;
      if (st.from_ms > 0 && q.created_at_ms < st.from_ms) {
        list_more = false;  // newest first: only older ones from here on
        break;
      }
      rows->push_back(RowOf(q));
    }
    st.filter.cursor = p.next;
    if (st.per_account) {
      if (!list_more) {  // this account is done; the next call takes the next one
        st.filter.account_id.clear();
        st.filter.cursor.clear();
      }
      *more = !st.filter.account_id.empty() || !st.pending.empty() || !st.accounts_done;
      return Status::Ok();
    }
    *more = list_more;
    return Status::Ok();
  };
  auto writer = std::make_shared<TableWriter>(
      options.format, options.bom,
      std::vector<std::string>{"request_id", "account_id", "region", "quota_code", "model_id", "dimension",
                               "desired_value", "value_at_request", "status", "case_id", "source", "requested_by",
                               "reason", "aws_request_id", "aws_created_at", "aws_updated_at", "created_at",
                               "checked_at", "check_error"});
  Audit(
      ctx, "quota_increases",
      domain::AuditDetail(
          {{"format", ExportFormatName(options.format)}, {"account_id", query.account_id}, {"status", query.status}}));
  return Export{FileName("quota-increases", options), std::string(ExportContentType(options.format)),
                TableProducer(std::move(writer), std::move(page))};
}

}  // namespace ap::service
