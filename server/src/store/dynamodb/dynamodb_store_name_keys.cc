// DynamoDbStore: rebuilding the account list and search entries when their name key changes (docs/dynamodb.md,
// "Accounts, quota cache, aggregates": "Name keys").
//
// The entries' sort keys embed CollationKey(account name) (common/collation.h). Account writes keep them current
// (the intent deletes the entries of the account as it was and puts those of the account as it is), but only as
// long as the key function stays the same: when it changes (the folded-name keys before natural order, an ICU
// upgrade that changes CollationVersion(), or the search terms' encoding, ddb::kTermScheme: plain folded terms
// before NaturalTermKey), the stored entries no longer match what AccountIndexEntries computes,
// lists skip them as lagging entries, and the account writes can no longer delete them. So the entries are rebuilt
// once per key version, by one instance (lease "account-name-keys"), and the version is recorded as a setting
// (written once per version, so SettingStore's write-once contract holds).
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/collation.h"
#include "common/log.h"
#include "store/dynamodb/accounts_internal.h"
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store {

namespace ddb {

std::string NameKeySetting() { return "account_name_keys:" + CollationVersion() + ";" + kTermScheme; }

}  // namespace ddb

namespace {

using ddb::Item;
using Entry = std::pair<std::string, std::string>;  // pk, sk

constexpr char kLeaseName[] = "account-name-keys";
// Long enough for a large fleet's rebuild (a Scan and a Query per partition); a holder that dies leaves it to expire.
constexpr int64_t kLeaseTtlMs = int64_t{15} * 60 * 1000;

bool IsIndexPk(const std::string& pk) { return pk.rfind("IDX#", 0) == 0 || pk.rfind("TERM#", 0) == 0; }

}  // namespace

Result<int64_t> DynamoDbStore::RebuildAccountIndex() {
  ASSIGN_OR_RETURN(std::vector<Item> items, ddb::ScanSettledOwners(db_, intents_, tables_.accounts, {"account_id"}));
  std::set<Entry> expected;
  std::set<std::string> partitions;
  for (const char* status : {"active", "inactive"}) {
    partitions.insert(ddb::ListPk("all", status));
    partitions.insert(ddb::TermPk("all", status));
  }
  for (const Item& item : items) {
    ASSIGN_OR_RETURN(domain::Account a, ddb::AccountFromItem(item));
    for (const Entry& e : ddb::AccountIndexEntries(a)) {
      partitions.insert(e.first);
      expected.insert(e);
    }
    // The partitions of the other status too: an account's entries may lag a status change.
    for (const std::string& team : a.teams) {
      for (const char* status : {"active", "inactive"}) {
        partitions.insert(ddb::ListPk("team:" + team, status));
        partitions.insert(ddb::TermPk("team:" + team, status));
      }
    }
  }

  // Entries that look wrong are checked against the account as it is now (a write may have landed since the Scan).
  std::map<std::string, std::set<Entry>> now;  // account_id -> its entries now (empty: no such account)
  auto entries_now = [&](const std::string& account_id) -> Result<const std::set<Entry>*> {
    auto it = now.find(account_id);
    if (it != now.end()) return &it->second;
    ASSIGN_OR_RETURN(std::optional<Item> settled,
                     ddb::ReadSettledOwner(db_, intents_, tables_.accounts, Item{{"account_id", ddb::S(account_id)}}));
    std::set<Entry> entries;
    if (settled) {
      ASSIGN_OR_RETURN(domain::Account a, ddb::AccountFromItem(*settled));
      entries = ddb::AccountIndexEntries(a);
    }
    return &now.emplace(account_id, std::move(entries)).first->second;
  };

  int64_t changed = 0;
  std::set<Entry> found;
  for (const std::string& pk : partitions) {
    if (!IsIndexPk(pk)) continue;
    boost::json::object query = ddb::Request(tables_.main);
    query["ConsistentRead"] = true;
    query["KeyConditionExpression"] = "pk = :pk";
    query["ExpressionAttributeValues"] = {{":pk", ddb::S(pk)}};
    ASSIGN_OR_RETURN(std::vector<boost::json::object> stored, aws::QueryAll(db_, query, 0));
    for (const Item& item : stored) {
      Entry e{pk, ddb::GetS(item, "sk")};
      if (expected.contains(e)) {
        found.insert(std::move(e));
        continue;
      }
      Result<std::vector<std::string>> fields = ddb::SplitKey(e.second);
      if (fields.ok() && !fields->empty()) {
        ASSIGN_OR_RETURN(const std::set<Entry>* current, entries_now(fields->back()));
        if (current->contains(e)) continue;  // written since the Scan: keep it
      }
      boost::json::object del = ddb::Request(tables_.main);
      del["Key"] = ddb::MainKey(e.first, e.second);
      RETURN_IF_ERROR(db_.Call("DeleteItem", del).status());
      ++changed;
    }
  }
  for (const Entry& e : expected) {
    if (found.contains(e)) continue;
    ASSIGN_OR_RETURN(std::vector<std::string> fields, ddb::SplitKey(e.second));
    ASSIGN_OR_RETURN(const std::set<Entry>* current, entries_now(fields.back()));
    if (!current->contains(e)) continue;  // the account changed since the Scan: its own intent wrote its entries
    boost::json::object put = ddb::Request(tables_.main);
    put["Item"] = ddb::MainKey(e.first, e.second);
    RETURN_IF_ERROR(db_.Call("PutItem", put).status());
    ++changed;
  }
  return changed;
}

Status DynamoDbStore::EnsureAccountNameKeys(Duration max_wait) {
  const std::string setting = ddb::NameKeySetting();
  auto current = [&]() -> Result<bool> {
    Result<std::string> got = GetSetting(setting);
    if (got.ok()) return true;
    if (got.status().code() == StatusCode::kNotFound) return false;
    return got.status();
  };
  ASSIGN_OR_RETURN(bool done, current());
  if (done) return Status::Ok();
  const std::string holder = "name-keys-" + random_.HexString(8);
  const auto deadline = std::chrono::steady_clock::now() + max_wait;
  for (;;) {
    Result<Lease> lease = AcquireLease(kLeaseName, holder, clock_.NowUnixMillis(), kLeaseTtlMs);
    if (lease.ok()) {
      Status s = [&]() -> Status {
        ASSIGN_OR_RETURN(bool done_meanwhile, current());
        if (done_meanwhile) return Status::Ok();
        ASSIGN_OR_RETURN(int64_t changed, RebuildAccountIndex());
        // The value-sorted entries embed the name key too (their snapshots record it: the rebuild moves them).
        ASSIGN_OR_RETURN(int64_t sort_changed, RebuildSortIndex());
        changed += sort_changed;
        Status put = PutSettingIfAbsent(setting, CollationVersion());
        if (!put.ok() && put.code() != StatusCode::kAlreadyExists) return put;
        log::Info("account_name_keys_rebuilt",
                  {{"collation", CollationVersion()}, {"terms", ddb::kTermScheme}, {"entries_changed", changed}});
        return Status::Ok();
      }();
      Status released = ReleaseLease(kLeaseName, holder, lease->token);
      return s.ok() ? released : s;
    }
    if (lease.status().code() != StatusCode::kFailedPrecondition) return lease.status();
    ASSIGN_OR_RETURN(done, current());
    if (done) return Status::Ok();
    if (std::chrono::steady_clock::now() >= deadline) {
      log::Warn("account_name_keys_pending", {{"collation", CollationVersion()}});
      return Status::Ok();
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

}  // namespace ap::store
