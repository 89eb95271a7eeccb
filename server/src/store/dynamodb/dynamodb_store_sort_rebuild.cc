// DynamoDbStore::RebuildSortIndex: brings the value-sorted index (sort_index_internal.h) back to what the accounts
// and snapshots say, for `serve --rebuild-aggregates` (through RebuildAggregates), `migrate`, and a change of the
// name key function (EnsureAccountNameKeys). A full walk, O(fleet): never a request path.
//
// First every snapshot whose recorded state (`counted`, `sort_key`, `sort_name`) is not the one its account gives
// now is recounted: its own intent then moves its entries (this is also how the snapshots written before the index
// existed get theirs, and how a new collator's name keys reach the entries). Then the stored entries (a Scan of
// `main` filtered to the SORT# partitions) are compared with the entries the snapshots' states give: an entry no
// snapshot has is deleted, a missing one is put, each after re-reading its snapshot (a write since the Scan wins).
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/dynamodb/accounts_internal.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/sort_index_internal.h"

namespace ap::store {

namespace {

using ddb::Item;
using EntryKey = std::pair<std::string, std::string>;  // pk, sk
using Entries = std::map<EntryKey, Item>;

Item SnapshotKeyOf(const std::string& account_id, const std::string& region) {
  return Item{{"account_id", ddb::S(account_id)}, {"region", ddb::S(region)}};
}

}  // namespace

Result<int64_t> DynamoDbStore::RebuildSortIndex() {
  int64_t corrected = 0;
  ASSIGN_OR_RETURN(auto accounts, ddb::ScanSettledAccounts(db_, intents_, tables_.accounts));
  ASSIGN_OR_RETURN(std::vector<Item> snapshot_items,
                   ddb::ScanSettledOwners(db_, intents_, tables_.quota_cache, {"account_id", "region"}));
  Entries expected;
  for (const Item& item : snapshot_items) {
    const std::string account_id = ddb::GetS(item, "account_id");
    const std::string region = ddb::GetS(item, "region");
    auto account = accounts.find(account_id);
    const ddb::SortState want = ddb::SortStateOf(account == accounts.end() ? nullptr : &account->second, region);
    if (ddb::StoredSortState(item) != want || ddb::GetS(item, "counted") != want.scope) {
      RETURN_IF_ERROR(RunFollowUp(std::string("recount ").append(account_id).append(" ").append(region)));
      ++corrected;
    }
    ASSIGN_OR_RETURN(domain::QuotaSnapshot snapshot, ddb::SnapshotFromItem(item));
    expected.merge(ddb::SortEntries(want, account_id, region, ddb::SortedValues(snapshot.values)));
  }

  boost::json::object scan = ddb::Request(tables_.main);
  scan["ConsistentRead"] = true;
  scan["FilterExpression"] = "begins_with(pk, :sort)";
  scan["ExpressionAttributeValues"] = {{":sort", ddb::S(ddb::kSortPkPrefix)}};
  ASSIGN_OR_RETURN(std::vector<boost::json::object> stored_items, aws::QueryAll(db_, scan, 0, "Scan"));
  Entries stored;
  for (Item& item : stored_items) {
    EntryKey key{ddb::GetS(item, "pk"), ddb::GetS(item, "sk")};
    stored.emplace(std::move(key), std::move(item));
  }

  // The entries a snapshot has now, as its item (re-read, settled) records them.
  std::map<EntryKey, Entries> now;  // (account_id, region) -> entries
  auto entries_now = [&](const std::string& account_id, const std::string& region) -> Result<const Entries*> {
    auto it = now.find({account_id, region});
    if (it != now.end()) return &it->second;
    ASSIGN_OR_RETURN(std::optional<Item> settled,
                     ddb::ReadSettledOwner(db_, intents_, tables_.quota_cache, SnapshotKeyOf(account_id, region)));
    Entries entries;
    if (settled) {
      ASSIGN_OR_RETURN(domain::QuotaSnapshot snapshot, ddb::SnapshotFromItem(*settled));
      entries =
          ddb::SortEntries(ddb::StoredSortState(*settled), account_id, region, ddb::SortedValues(snapshot.values));
    }
    return &now.emplace(EntryKey{account_id, region}, std::move(entries)).first->second;
  };
  // The (account_id, region) of an entry's sort key; nullopt for a key this store did not write.
  auto owner_of = [](const std::string& sk) -> std::optional<EntryKey> {
    Result<std::vector<std::string>> fields = ddb::SplitKey(sk);
    if (!fields.ok() || fields->size() != 4) return std::nullopt;
    return EntryKey{(*fields)[2], (*fields)[3]};
  };

  for (const auto& [key, item] : stored) {
    if (expected.contains(key)) continue;  // kept (rewritten below when its attributes differ)
    if (std::optional<EntryKey> owner = owner_of(key.second)) {
      ASSIGN_OR_RETURN(const Entries* current, entries_now(owner->first, owner->second));
      auto it = current->find(key);
      if (it != current->end() && it->second == item) continue;  // written since the Scan: keep it
    }
    boost::json::object del = ddb::Request(tables_.main);
    del["Key"] = ddb::MainKey(key.first, key.second);
    RETURN_IF_ERROR(db_.Call("DeleteItem", del).status());
    ++corrected;
  }
  for (const auto& [key, item] : expected) {
    auto got = stored.find(key);
    if (got != stored.end() && got->second == item) continue;
    std::optional<EntryKey> owner = owner_of(key.second);
    if (!owner) continue;
    ASSIGN_OR_RETURN(const Entries* current, entries_now(owner->first, owner->second));
    auto it = current->find(key);
    if (it == current->end()) continue;  // the snapshot changed since the Scan: its own intent wrote its entries
    boost::json::object put = ddb::Request(tables_.main);
    put["Item"] = it->second;
    RETURN_IF_ERROR(db_.Call("PutItem", put).status());
    ++corrected;
  }
  return corrected;
}

}  // namespace ap::store
