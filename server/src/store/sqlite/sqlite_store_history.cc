// SqliteStore: quota history (quota_history_store.h). The table's key (account_id, region, history_id) is also
// the list order, because history_id starts with the entry's time (domain::HistoryId).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "store/cursor.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::Stmt;
using sqlite_internal::WriteTransaction;

namespace {

constexpr size_t kMaxHistoryCodes = 8;

}  // namespace

Status SqliteStore::AppendQuotaHistory(const std::vector<domain::QuotaHistoryEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  for (const auto& e : entries) {
    if ((e.value && std::isnan(*e.value)) || (e.previous_value && std::isnan(*e.previous_value)))
      return InvalidArgument("history value of " + e.quota_code + " is NaN", "entries");
    if (e.history_id.empty()) return InvalidArgument("history entry of " + e.quota_code + " has no id", "entries");
  }
  return Write("AppendQuotaHistory", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    // REPLACE: the same id is the same event (a retried append), see the contract.
    const std::string sql = "INSERT OR REPLACE INTO quota_history (" +
                            sqlite_internal::InsertColumns<domain::QuotaHistoryEntry>() + ") VALUES (" +
                            sqlite_internal::InsertPlaceholders<domain::QuotaHistoryEntry>() + ")";
    for (const auto& e : entries) {
      Stmt s = c.Prepare(sql);
      sqlite_internal::Bind(*s, e);
      s->exec();
    }
    txn.Commit();
    return Status::Ok();
  });
}

Result<QuotaHistoryPage> SqliteStore::ListQuotaHistory(const QuotaHistoryFilter& f) {
  RETURN_IF_ERROR(CheckLimit(f.limit, 10000));
  if (f.account_id.empty() || f.region.empty()) return InvalidArgument("account_id and region are required");
  if (f.quota_codes.size() > kMaxHistoryCodes)
    return InvalidArgument("at most 8 quota codes can be filtered on", "quota_codes");
  sqlite_internal::WhereClause where;
  where.Add("account_id = ?", {f.account_id});
  where.Add("region = ?", {f.region});
  if (!f.quota_codes.empty()) {
    // '+': the codes filter the pages of the primary key's range; they must not pick the plan.
    std::string in = "+quota_code IN (";
    std::vector<sqlite_internal::WhereClause::Arg> args;
    for (size_t i = 0; i < f.quota_codes.size(); ++i) {
      in += i ? ", ?" : "?";
      args.emplace_back(f.quota_codes[i]);
    }
    where.Add(in + ")", std::move(args));
  }
  if (!f.cursor.empty()) {
    ASSIGN_OR_RETURN(auto before, DecodeCursor(f.cursor, "quota_history", 1));
    where.Add("history_id < ?", {before[0]});
  }
  return Read("ListQuotaHistory", [&](Connection& c) -> Result<QuotaHistoryPage> {
    // Newest first through the key, one more than asked to learn whether older entries exist.
    Stmt s = c.Prepare("SELECT " + sqlite_internal::SelectColumns<domain::QuotaHistoryEntry>() + " FROM quota_history" +
                       where.sql() + " ORDER BY history_id DESC LIMIT ?");
    s->bind(where.Bind(*s), f.limit + 1);
    QuotaHistoryPage page;
    while (s->executeStep()) page.items.push_back(sqlite_internal::Read<domain::QuotaHistoryEntry>(*s));
    if (static_cast<int64_t>(page.items.size()) > f.limit) {
      page.items.pop_back();
      page.next = EncodeCursor("quota_history", {page.items.back().history_id});
    }
    std::reverse(page.items.begin(), page.items.end());
    return page;
  });
}

}  // namespace ap::store
