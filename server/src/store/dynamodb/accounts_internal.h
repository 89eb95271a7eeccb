// Shared by dynamodb_store_accounts.cc, dynamodb_store_quota.cc and dynamodb_store_aggregates.cc: the account
// item codec, the keys of the account indexes, counters and aggregate items on `main`, and the aggregate deltas
// that account and snapshot writes put in their intents. Private to store/dynamodb; docs/dynamodb.md
// ("Accounts, quota cache, aggregates") describes the items.
//
// Thread safety: pure functions and value types.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/account.h"
#include "domain/quota.h"
#include "store/dynamodb/intent.h"
#include "store/dynamodb/item.h"

namespace ap::store::ddb {

// ---- Sort keys ----------------------------------------------------------------------------------------------
// The fields of a composite sort key joined so that byte-wise order of the joined text is the tuple order of the
// fields: each byte 0x00 / 0x01 of a field becomes 0x01 0x02 / 0x01 0x03 and fields are separated by 0x01 0x01
// (lower than anything a field can hold there). A field's escape is a prefix of another's exactly when the field
// is, so a prefix search is a begins_with on the escaped prefix. The result never holds a 0x00 byte.
std::string EscapeKeyField(const std::string& field);
std::string JoinKey(const std::vector<std::string>& fields);
// The fields of a JoinKey; Internal when `key` is not one.
Result<std::vector<std::string>> SplitKey(const std::string& key);

// ---- Account items (table `accounts`) -----------------------------------------------------------------------
// The account as its item (lists sorted and de-duplicated; sealed credentials as binary). No intent attributes.
Item AccountToItem(const domain::Account& account);
// The account of an item; Internal when an attribute is unreadable.
Result<domain::Account> AccountFromItem(const Item& item);

// ---- Account list and search entries (items of `main`: the key alone) ----------------------------------------
// The partition of the list entries / search entries of (scope, status): "IDX#<scope>#<status>" /
// "TERM#<scope>#<status>", scope "all" or "team:<team_id>".
std::string ListPk(const std::string& scope, const std::string& status);
std::string TermPk(const std::string& scope, const std::string& status);
// The search terms of an account as stored: NaturalTermKey (common/text_fold.h: digit runs length-prefixed, so
// that they order as numbers) of its id and of each of SearchTerms(name), sorted, unique.
std::vector<std::string> TermsOf(const domain::Account& a);
// Every index entry of an account as (pk, sk): in ListPk(scope, status) the sk JoinKey({name_key, account_id}),
// in TermPk(scope, status) one JoinKey({term, name_key, account_id}) per term, name_key = CollationKey(name), for
// scope "all" and each of its teams, at its status.
std::set<std::pair<std::string, std::string>> AccountIndexEntries(const domain::Account& a);

// The scheme of the stored search terms: bumped when TermsOf changes (NaturalTermKey: "terms2"; the plain folded
// terms before it had no marker), so that a new binary rebuilds the entries once (EnsureAccountNameKeys).
inline constexpr char kTermScheme[] = "terms2";

// The setting (SettingStore) recorded once every entry's name_key is CollationKey as computed by
// CollationVersion() and every term is as kTermScheme makes it: "account_name_keys:<version>;<kTermScheme>"
// (dynamodb_store_name_keys.cc). A setting of another collator version or term scheme does not count.
std::string NameKeySetting();

// ---- Owners scan (maintenance only) ---------------------------------------------------------------------------
// Every item of `table` (a consistent Scan, never a request path), pending intents finished first so that the
// owners read are the committed ones with their derived writes done. Defined in dynamodb_store_aggregates.cc.
Result<std::vector<Item>> ScanSettledOwners(aws::DynamoDb& db, IntentRunner& intents, const std::string& table,
                                            const std::vector<std::string>& key_names);
// Every account of `accounts_table` (ScanSettledOwners), by account id; Internal when an item is unreadable.
// Defined in dynamodb_store_aggregates.cc.
Result<std::map<std::string, domain::Account>> ScanSettledAccounts(aws::DynamoDb& db, IntentRunner& intents,
                                                                   const std::string& accounts_table);

// ---- Snapshot items (table `quota-cache`) ---------------------------------------------------------------------
// The snapshot of an item (values in the stored order: sorted by code); Internal when a value is unreadable.
// Defined in dynamodb_store_quota.cc.
Result<domain::QuotaSnapshot> SnapshotFromItem(const Item& item);

// ---- Owners ---------------------------------------------------------------------------------------------------
// The owner item `key` of `table` as committed with its derived writes done: a consistent GetItem, and when the
// item carries a pending intent, IntentRunner::ApplyPending and a re-read. nullopt when there is no such item.
Result<std::optional<Item>> ReadSettledOwner(aws::DynamoDb& db, IntentRunner& intents, const std::string& table,
                                             const Item& key);

// ---- Records on `main` ---------------------------------------------------------------------------------------
inline constexpr char kAggSk[] = "agg";
inline constexpr char kFleetPk[] = "AGG#fleet";
inline constexpr char kCounterPk[] = "COUNTER";
inline constexpr char kAccountCounterSk[] = "accounts";

// The pk of the aggregate item of the team set `teams` (REQUIRES: sorted, unique): "AGG#set:" followed by each
// team as "<length>:<team>", so any team id is unambiguous; the empty set is "AGG#set:".
std::string TeamSetPk(const std::vector<std::string>& teams);
// The teams of a TeamSetPk; InvalidArgument when `pk` is not one.
Result<std::vector<std::string>> TeamsOfSetPk(const std::string& pk);
// The pk of the lookup items of one team ("AGGTEAM#<team>"); their sk is the TeamSetPk of a set holding it.
std::string TeamLookupPk(const std::string& team);

Item MainKey(const std::string& pk, const std::string& sk);

// What of an account the aggregates look at.
struct Counted {
  bool active = false;
  std::vector<std::string> regions;  // sorted, unique
  std::vector<std::string> teams;    // sorted, unique
  static Counted Of(const domain::Account& a);
  bool UsesRegion(const std::string& region) const;
  bool operator==(const Counted&) const = default;
};

// The aggregate scope (a TeamSetPk) in which the snapshot of `region` of this account counts, or "" when it does
// not count (the account is absent, inactive, or does not use the region).
std::string CountingScope(const domain::Account* account, const std::string& region);

// The counters of a code in an aggregate item.
std::string SumAttr(const std::string& code);      // sum of the fresh values, in millionths (integers)
std::string FreshAttr(const std::string& code);    // fresh values
std::string StaleAttr(const std::string& code);    // stale values (with a value)
std::string HugePosAttr(const std::string& code);  // fresh values >= 1e20 (or +inf): the sum reads +inf
std::string HugeNegAttr(const std::string& code);  // fresh values <= -1e20 (or -inf): the sum reads -inf

// A change to the counter items, accumulated in memory and turned into the ADDs of an intent; contributions that
// cancel out cost nothing.
class CounterDelta {
 public:
  // An active account's 1 account and |regions| pairs in the fleet and its team-set scope (sign +1 / -1).
  void AddAccount(const Counted& a, int sign);
  // The values of one snapshot counting in the fleet and the team-set scope `scope` ("" = counts nowhere).
  void AddValues(const std::string& scope, const std::vector<domain::QuotaValue>& values, int sign);
  // The per-status account count.
  void AddStatus(domain::AccountStatus status, int sign);
  bool empty() const;
  // One kAdd per counter item with a non-zero change, on `main_table`.
  std::vector<DerivedWrite> Writes(const std::string& main_table) const;
  // The accumulated changes: counter item pk -> attribute -> amount (zeros included).
  const std::map<std::string, std::map<std::string, double>>& items() const { return items_; }

 private:
  std::map<std::string, std::map<std::string, double>> items_;  // pk -> attribute -> amount
};

// A code's contribution to the sum counters of one fresh value: {attribute, amount}.
std::pair<std::string, double> SumContribution(const std::string& code, double value);

}  // namespace ap::store::ddb
