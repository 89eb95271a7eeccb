// ValueSortIndex: the dashboard's (account, region) rows ordered by one quota code's cached value, read one page at a
// time without reading the fleet.
//
// An optional capability of a Store backend (not part of store::Store): a backend that keeps the index also derives
// from ValueSortIndex (SqliteStore and DynamoDbStore do); one that does not is refused a value sort by callers (the
// dashboard answers 422 field sort) rather than scanned. Callers find it with dynamic_cast on the Store they were
// given (service_graph.cc).
//
// What it keeps. Per scope — the same scopes as the maintained aggregates of quota_cache_store.h: the fleet (every
// active account) and one per distinct team set of active accounts — and per quota code, one entry per (account,
// region) whose cached value of that code counts there as fresh or stale (state ok or stale, with a value; the
// account active and using the region), ordered by (value, account name key, account_id, region), where the name
// key is the account list's (account_store.h: CollationKey(account_name)). Values with no value (never read, error)
// and pairs with no snapshot have no entry: the caller lists those ("missing") another way.
//
// Maintenance: by the writes that maintain the aggregates, in the same atomic write (on DynamoDB: their intents).
// PutQuotaSnapshot replaces the entries of its (account, region); CreateAccount / UpdateAccount replace the account's
// entries when its name, status, regions or teams change (a rename moves them to the new name key; deactivation or a
// region removed takes them out; a team change moves them between team-set scopes). Entries are keyed by quota code, so
// a change of the quota config rewrites nothing. A backend's aggregate rebuild (`serve --rebuild-aggregates`) rebuilds
// the index too, and a change of collator version (account_store.h) recomputes its name keys.
//
// Thread safety: safe to call concurrently from many threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace ap::store {

struct ValueSortQuery {
  std::string quota_code;   // the code whose value orders the rows (required: else InvalidArgument("sort"))
  bool descending = false;  // false: smallest value first; true: largest first. Ties: name key, id, region ascending
  // Which scopes: the fleet when `fleet`; otherwise the team-set scopes that contain at least one of `teams` (each
  // account once, whatever the number of its teams among them; none when `teams` is empty).
  bool fleet = true;
  std::vector<std::string> teams;
  std::string region;  // "" = every region; else only entries of this region
  // "" = the first page; otherwise ValueSortPage::next of the page before, made with the same quota_code and
  // descending (InvalidArgument("cursor") otherwise, or for a cursor this list did not give out).
  std::string cursor;
  int64_t limit = 50;  // 1..200, else InvalidArgument("limit")
};

struct ValueSortRow {
  std::string account_id;
  std::string account_name;
  std::string region;
  double value = 0;
};

struct ValueSortPage {
  std::vector<ValueSortRow> rows;  // in the query's order
  // The cursor of the next page (the sort key of the last row served): "" when no entry follows. An entry that
  // exists unchanged from the first page to the last is served exactly once; one whose value changes meanwhile
  // moves (it may be served twice or not at all).
  std::string next;
};

class ValueSortIndex {
 public:
  virtual ~ValueSortIndex() = default;

  // One page of the (account, region) pairs with a fresh or stale value of query.quota_code in the query's scopes,
  // in the query's order. Cost: O(scopes × limit) index entries, where scopes = 1 for the fleet, else the team-set
  // scopes that contain one of query.teams (found by key, as QuotaCacheStore::GetTeamAggregates): never
  // O(accounts). The scopes' pages are read from one snapshot of the index.
  virtual Result<ValueSortPage> ListRowsByValue(const ValueSortQuery& query) = 0;
};

}  // namespace ap::store
