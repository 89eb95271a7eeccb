// DashboardService: which (account, region) rows a page holds, in which order (contract in dashboard_service.h).
//
// A row cursor is tied to the sort, order and filters it was made with: (sort, order, team, region, phase, p1, p2,
// p3). Phase "v": p1 is the store's value-index cursor. Phases "n" (name order) and "m" (the missing values of a
// value sort, in name order): (p1, p2, p3) = (the account-list cursor just before the last row's account, that
// account's id, its region). The account list has no cursor "at" an account, so a page resumes from the one before
// it and skips the regions already served of that account (matched by id: if another account slipped in between,
// it is served whole).
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "domain/account.h"
#include "domain/user.h"
#include "service/dashboard_service.h"
#include "store/cursor.h"

namespace ap::service {
namespace {

constexpr std::string_view kRowCursor = "dashboard_rows";
constexpr size_t kCursorFields = 8;

std::string OrderName(bool descending) { return descending ? "desc" : "asc"; }

// The cursor of phase `phase` at `pos` (three fields) for `plan`'s sort and filters.
template <typename P>
std::string RowCursor(const P& plan, const std::string& phase, std::vector<std::string> pos) {
  pos.resize(3);
  return store::EncodeCursor(
      kRowCursor, {plan.sort, OrderName(plan.descending), plan.team, plan.region, phase, pos[0], pos[1], pos[2]});
}

// True when `snapshot` has a value of `code` that the value index holds (fresh or stale, with a value).
bool HasIndexedValue(const domain::QuotaSnapshot& snapshot, const std::string& code) {
  const domain::QuotaValue* v = snapshot.Find(code);
  return v != nullptr && v->value && (v->state == domain::QuotaState::kOk || v->state == domain::QuotaState::kStale);
}

}  // namespace

Result<DashboardService::Plan> DashboardService::MakePlan(const RequestContext& ctx, const DashboardQuery& query,
                                                          const std::vector<ModelTotals>& models) const {
  Plan plan;
  if (!query.sort.empty() && query.sort != "name") {
    const size_t colon = query.sort.rfind(':');
    const std::string model_id = colon == std::string::npos ? query.sort : query.sort.substr(0, colon);
    const std::string dim = colon == std::string::npos ? "" : query.sort.substr(colon + 1);
    auto m = std::find_if(models.begin(), models.end(),
                          [&](const ModelTotals& mt) { return mt.model.model_id == model_id; });
    if (m == models.end()) {
      return InvalidArgument(
          "sort must be \"name\" or \"<model_id>:<dimension>\" of a dashboard model; \"" + model_id + "\" is not one",
          "sort");
    }
    for (const DimensionTotals& t : m->dimensions) {
      if (domain::DimensionKey(t.dimension) == dim) plan.code = domain::CodeFor(m->model, t.dimension);
    }
    if (!plan.code) {
      return InvalidArgument(
          "model " + model_id + " has no quota code for dimension \"" + dim + "\" (tpm, rpm, tpm_1m, rpm_1m)", "sort");
    }
    if (sort_index_ == nullptr)
      return InvalidArgument("sorting by a quota value is not supported on this store", "sort");
    plan.sort = model_id + ":" + dim;
    plan.descending = query.descending.value_or(true);
  } else if (query.descending.value_or(false)) {
    return InvalidArgument("rows by account name are ascending only", "order");
  }
  if (!query.team.empty()) {
    RETURN_IF_ERROR(domain::ValidateTeamId(query.team, "team"));
    const std::vector<std::string>& mine = ctx.principal.teams;
    if (!ctx.principal.is_admin() && std::find(mine.begin(), mine.end(), query.team) == mine.end()) {
      return PermissionDenied("you are not a member of team " + query.team);
    }
    plan.team = query.team;
  }
  if (!query.region.empty()) {
    if (!domain::IsKnownRegion(query.region)) return InvalidArgument("unknown region " + query.region, "region");
    plan.region = query.region;
  }
  if (!query.cursor.empty()) {
    ASSIGN_OR_RETURN(auto f, store::DecodeCursor(query.cursor, kRowCursor, kCursorFields));
    if (f[0] != plan.sort || f[1] != OrderName(plan.descending) || f[2] != plan.team || f[3] != plan.region) {
      return InvalidArgument("the cursor was made for another sort, order or filter", "cursor");
    }
    const bool valid = plan.code ? (f[4] == "v" || f[4] == "m") : f[4] == "n";
    if (!valid) return InvalidArgument("malformed cursor", "cursor");
    plan.phase = f[4];
    plan.pos = {f[5], f[6], f[7]};
  }
  return plan;
}

Status DashboardService::ReadRows(const RequestContext& ctx, const Plan& plan, DashboardStats* stats) {
  const size_t page_size = static_cast<size_t>(stats->page_size);
  std::vector<std::string> next;
  if (!plan.code) {
    RETURN_IF_ERROR(WalkAccounts(ctx, plan, plan.pos, page_size, stats, &next));
    if (!next.empty()) stats->next = RowCursor(plan, "n", next);
    return Status::Ok();
  }
  if (plan.phase != "m") {
    store::ValueSortQuery q;
    q.quota_code = *plan.code;
    q.descending = plan.descending;
    q.region = plan.region;
    q.fleet = ctx.principal.is_admin() && plan.team.empty();
    if (!q.fleet) q.teams = plan.team.empty() ? ctx.principal.teams : std::vector<std::string>{plan.team};
    q.cursor = plan.phase == "v" ? plan.pos[0] : "";
    q.limit = stats->page_size;
    ASSIGN_OR_RETURN(store::ValueSortPage page, sort_index_->ListRowsByValue(q));
    for (store::ValueSortRow& r : page.rows) {
      stats->rows.push_back(DashboardRow{std::move(r.account_id), std::move(r.account_name), std::move(r.region), {}});
    }
    if (!page.next.empty()) {
      stats->next = RowCursor(plan, "v", {page.next});
      return Status::Ok();
    }
    if (stats->rows.size() == page_size) {
      stats->next = RowCursor(plan, "m", {});  // the missing values follow; that page may be empty
      return Status::Ok();
    }
  }
  const std::vector<std::string> start = plan.phase == "m" ? plan.pos : std::vector<std::string>{};
  RETURN_IF_ERROR(WalkAccounts(ctx, plan, start, page_size - stats->rows.size(), stats, &next));
  if (!next.empty()) stats->next = RowCursor(plan, "m", next);
  return Status::Ok();
}

Status DashboardService::WalkAccounts(const RequestContext& ctx, const Plan& plan, const std::vector<std::string>& pos,
                                      size_t want, DashboardStats* stats, std::vector<std::string>* next) {
  next->clear();
  std::string from, resume_account, resume_after;
  if (pos.size() == 3) {
    from = pos[0];
    resume_account = pos[1];
    resume_after = pos[2];
  }
  const bool filtering = !plan.region.empty() || plan.code.has_value();
  size_t added = 0;
  int64_t examined = 0;
  // Where the account of the last row served was listed: the list cursor of its page and its index there.
  std::string last_from;
  size_t last_index = 0;
  AccountQuery q;
  q.status = domain::AccountStatus::kActive;
  q.team = plan.team;
  for (;;) {
    // Unfiltered, every account gives at least one row, so this many accounts fill the page and show whether one
    // more exists; filtered, a full list page.
    q.cursor = from;
    q.page_size = filtering ? 200 : static_cast<int64_t>(std::min<size_t>(200, want + 1 - added));
    ASSIGN_OR_RETURN(store::AccountPage listed, accounts_.List(ctx, q));
    examined += static_cast<int64_t>(listed.items.size());
    struct Candidate {
      size_t index;
      const domain::Account* account;
      const std::string* region;
    };
    std::vector<Candidate> candidates;
    for (size_t i = 0; i < listed.items.size(); ++i) {
      const domain::Account& a = listed.items[i];
      for (const std::string& region : a.regions) {
        if (a.account_id == resume_account && region <= resume_after) continue;  // served by the page before
        if (!plan.region.empty() && region != plan.region) continue;
        candidates.push_back({i, &a, &region});
      }
    }
    if (plan.code && !candidates.empty()) {
      // Keep the rows without an indexed value: one batch read of this list page's snapshots (≤ 1000 keys each).
      std::set<std::pair<std::string, std::string>> valued;
      for (size_t b = 0; b < candidates.size(); b += 1000) {
        std::vector<store::SnapshotKey> keys;
        for (size_t k = b; k < std::min(candidates.size(), b + 1000); ++k) {
          keys.push_back({candidates[k].account->account_id, *candidates[k].region});
        }
        ASSIGN_OR_RETURN(std::vector<domain::QuotaSnapshot> snaps, store_.GetQuotaSnapshots(keys));
        for (const domain::QuotaSnapshot& s : snaps) {
          if (HasIndexedValue(s, *plan.code)) valued.insert({s.account_id, s.region});
        }
      }
      std::erase_if(candidates, [&](const Candidate& c) { return valued.count({c.account->account_id, *c.region}); });
    }
    for (const Candidate& c : candidates) {
      if (added == want) {
        // One row beyond the page: there is a next page. It resumes just before the last row's account.
        std::string before = last_from;
        if (last_index > 0) {
          AccountQuery head = q;
          head.cursor = last_from;
          head.page_size = static_cast<int64_t>(last_index);
          ASSIGN_OR_RETURN(store::AccountPage prefix, accounts_.List(ctx, head));
          // Empty only if accounts vanished meanwhile: resuming earlier may repeat rows but skips none.
          if (!prefix.next.empty()) before = std::move(prefix.next);
        }
        const DashboardRow& last = stats->rows.back();
        *next = {before, last.account_id, last.region};
        return Status::Ok();
      }
      stats->rows.push_back(DashboardRow{c.account->account_id, c.account->account_name, *c.region, {}});
      ++added;
      last_from = from;
      last_index = c.index;
    }
    if (listed.next.empty()) return Status::Ok();
    if (filtering && examined >= kDashboardScanBudget) {
      // The budget is spent: the next page resumes after this list page (all of it was examined).
      *next = {listed.next, "", ""};
      return Status::Ok();
    }
    from = std::move(listed.next);
  }
}

}  // namespace ap::service
