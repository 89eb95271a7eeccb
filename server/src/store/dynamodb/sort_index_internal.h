// The value-sorted dashboard index of DynamoDbStore (contract in store/value_sort_index.h; items in
// docs/dynamodb.md, "Value-sorted index"). Private to store/dynamodb; defined in dynamodb_store_sort_index.cc.
//
// Entries. Per (scope, quota code, region filter, direction) one partition on `main`:
//   pk = "SORT#" + JoinKey({scope, code, region or "" for every region, "a" | "d"})
//   sk = JoinKey({value key, name key, account_id, region}),  attribute `n` = the account name
// where scope is the aggregates' scope pk (kFleetPk or a TeamSetPk) and the value key is SortValueKey(value) in an
// "a" partition and its bitwise complement in a "d" partition, so a forward Query of either partition gives the
// contract's order (value ascending / descending, ties by name key, id, region ascending). A counted value of an
// (account, region) has 2 scopes × 2 region partitions × 2 directions = 8 entries.
//
// Owner. The snapshot item (table `quota-cache`) owns the entries of its (account, region): it records the state
// they were written with (SortState: scope = its `counted`, plus `sort_key` and `sort_name`), so that the next
// write of the snapshot (a new snapshot, or the recount follow-up after an account change) can compute the entries
// that exist from the item alone and move exactly those. The move is one follow-up of the snapshot's intent,
// "sort <json>", carrying the old and the new (state, values); applying it deletes the entries of the old that the
// new does not have and puts the new ones (BatchWriteItem): idempotent, so an intent finished again converges.
//
// Thread safety: pure functions, except ApplySortFollowUp (as safe as its DynamoDb).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aws/dynamodb.h"
#include "common/status.h"
#include "domain/account.h"
#include "domain/quota.h"
#include "store/dynamodb/item.h"

namespace ap::store::ddb {

inline constexpr char kSortPkPrefix[] = "SORT#";
inline constexpr char kSortFollowUp[] = "sort ";

// The state a snapshot's entries are written with; scope "" = the snapshot has no entries.
struct SortState {
  std::string scope;     // the team-set scope pk (CountingScope), also the snapshot's `counted`
  std::string name_key;  // CollationKey(account name) when written
  std::string name;      // the account name when written
  bool operator==(const SortState&) const = default;
};

// The state the snapshot of `region` should have for `account` (nullptr: absent): no entries unless the account is
// active and uses the region.
SortState SortStateOf(const domain::Account* account, const std::string& region);
// The state recorded on a snapshot item (none when it has no `sort_key`: written before the index existed).
SortState StoredSortState(const Item& snapshot_item);
// Records `state` on a snapshot item being written (nothing for the empty state).
void SetSortState(Item& snapshot_item, const SortState& state);

// The order-preserving key of a double: 16 hex digits of its IEEE bits, the sign bit flipped for values >= 0 and
// every bit inverted for negatives (-0 is written as 0). NaN is not allowed (snapshots refuse it).
std::string SortValueKey(double value);
// The value of a SortValueKey (or of its complement, `descending`); nullopt when `key` is not one.
std::optional<double> SortValueOfKey(const std::string& key, bool descending);

// The partition of (scope, code, region filter: "" = every region, direction).
std::string SortPk(const std::string& scope, const std::string& code, const std::string& region, bool descending);

// The values of a snapshot that have entries (state ok or stale, with a value): code -> value, sorted by code.
std::vector<std::pair<std::string, double>> SortedValues(const std::vector<domain::QuotaValue>& values);

// Every entry of (account_id, region) in `state` with `values`: (pk, sk) -> item.
std::map<std::pair<std::string, std::string>, Item> SortEntries(
    const SortState& state, const std::string& account_id, const std::string& region,
    const std::vector<std::pair<std::string, double>>& values);

// The follow-up instruction that moves the entries of (account_id, region) from (old_state, old_values) to
// (new_state, new_values); nullopt when both give the same entries.
std::optional<std::string> SortFollowUp(const std::string& account_id, const std::string& region,
                                        const SortState& old_state, const std::vector<domain::QuotaValue>& old_values,
                                        const SortState& new_state, const std::vector<domain::QuotaValue>& new_values);

// Applies a SortFollowUp instruction on `main_table`: deletes the old entries the new ones do not have, puts the new
// ones. Idempotent. Internal when the instruction is unreadable; the DynamoDB error otherwise.
Status ApplySortFollowUp(aws::DynamoDb& db, const std::string& main_table, const std::string& instruction);

}  // namespace ap::store::ddb
