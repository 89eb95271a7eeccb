// DynamoDbStore: the maintained quota aggregates and account counts (contract in quota_cache_store.h; items in
// docs/dynamodb.md, "Accounts, quota cache, aggregates").
//
// One counter item per scope on `main` (pk AGG#fleet or AGG#set:<teams>, sk "agg") and one for the account counts
// (pk COUNTER, sk accounts). Every change to them is an ADD of an intent (intent.h) whose owner is exactly one
// account write (the account's own contribution: active_accounts, account_regions, the status counts) or one
// snapshot write (its values' contribution; the snapshot item records the scope it counts in, so a later write
// takes out exactly what it put in). RebuildAggregates recomputes all of it from the owners.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/dynamodb/accounts_internal.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/users_internal.h"

namespace ap::store {

namespace ddb {

Result<std::vector<Item>> ScanSettledOwners(aws::DynamoDb& db, IntentRunner& intents, const std::string& table,
                                            const std::vector<std::string>& key_names) {
  boost::json::object scan = Request(table);
  scan["ConsistentRead"] = true;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items, aws::QueryAll(db, scan, 0, "Scan"));
  std::vector<Item> out;
  for (Item& item : items) {
    if (!GetOptS(item, "intent_op")) {
      out.push_back(std::move(item));
      continue;
    }
    Item key;
    for (const std::string& name : key_names) key[name] = item.at(name);
    ASSIGN_OR_RETURN(std::optional<Item> settled, ReadSettledOwner(db, intents, table, key));
    if (settled) out.push_back(std::move(*settled));
  }
  return out;
}

Result<std::map<std::string, domain::Account>> ScanSettledAccounts(aws::DynamoDb& db, IntentRunner& intents,
                                                                   const std::string& accounts_table) {
  ASSIGN_OR_RETURN(std::vector<Item> items, ScanSettledOwners(db, intents, accounts_table, {"account_id"}));
  std::map<std::string, domain::Account> accounts;
  for (const Item& item : items) {
    ASSIGN_OR_RETURN(domain::Account a, AccountFromItem(item));
    accounts.emplace(a.account_id, std::move(a));
  }
  return accounts;
}

namespace {

constexpr char kSetPrefix[] = "AGG#set:";
// Fresh values of this magnitude or more cannot be summed as DynamoDB numbers (38 digits, |n| < 1e126) next to
// millionths: they make the sum read as an infinity instead.
constexpr double kHugeValue = 1e20;

}  // namespace

std::string TeamSetPk(const std::vector<std::string>& teams) {
  std::string pk = kSetPrefix;
  for (const std::string& team : teams) pk += std::to_string(team.size()) + ":" + team;
  return pk;
}

Result<std::vector<std::string>> TeamsOfSetPk(const std::string& pk) {
  if (pk.rfind(kSetPrefix, 0) != 0) return InvalidArgument("not a team-set key: " + pk);
  std::vector<std::string> teams;
  size_t at = sizeof(kSetPrefix) - 1;
  while (at < pk.size()) {
    const size_t colon = pk.find(':', at);
    if (colon == std::string::npos || colon == at) return InvalidArgument("not a team-set key: " + pk);
    size_t len = 0;
    for (size_t i = at; i < colon; ++i) {
      if (pk[i] < '0' || pk[i] > '9') return InvalidArgument("not a team-set key: " + pk);
      len = len * 10 + static_cast<size_t>(pk[i] - '0');
    }
    if (colon + 1 + len > pk.size()) return InvalidArgument("not a team-set key: " + pk);
    teams.push_back(pk.substr(colon + 1, len));
    at = colon + 1 + len;
  }
  return teams;
}

std::string TeamLookupPk(const std::string& team) { return "AGGTEAM#" + team; }

Result<std::optional<Item>> ReadSettledOwner(aws::DynamoDb& db, IntentRunner& intents, const std::string& table,
                                             const Item& key) {
  // Each round either finds no intent or finishes one; an owner changing faster than this reads it gives up.
  for (int round = 0; round < 20; ++round) {
    boost::json::object get = Request(table);
    get["Key"] = key;
    get["ConsistentRead"] = true;
    ASSIGN_OR_RETURN(boost::json::object answer, db.Call("GetItem", get));
    const Item* item = ItemOf(answer);
    if (item == nullptr) return std::optional<Item>();
    if (!GetOptS(*item, "intent_op")) return std::optional<Item>(*item);
    RETURN_IF_ERROR(intents.ApplyPending(table, key, *item));
  }
  return Unavailable("a record of " + table + " keeps changing; try again");
}

Item MainKey(const std::string& pk, const std::string& sk) { return Item{{"pk", S(pk)}, {"sk", S(sk)}}; }

Counted Counted::Of(const domain::Account& a) {
  Counted c;
  c.active = a.status == domain::AccountStatus::kActive;
  c.regions = a.regions;
  std::sort(c.regions.begin(), c.regions.end());
  c.regions.erase(std::unique(c.regions.begin(), c.regions.end()), c.regions.end());
  c.teams = a.teams;
  std::sort(c.teams.begin(), c.teams.end());
  c.teams.erase(std::unique(c.teams.begin(), c.teams.end()), c.teams.end());
  return c;
}

bool Counted::UsesRegion(const std::string& region) const {
  return std::binary_search(regions.begin(), regions.end(), region);
}

std::string CountingScope(const domain::Account* account, const std::string& region) {
  if (account == nullptr) return "";
  const Counted c = Counted::Of(*account);
  if (!c.active || !c.UsesRegion(region)) return "";
  return TeamSetPk(c.teams);
}

std::string SumAttr(const std::string& code) { return "sum_" + code; }
std::string FreshAttr(const std::string& code) { return "fresh_" + code; }
std::string StaleAttr(const std::string& code) { return "stale_" + code; }
std::string HugePosAttr(const std::string& code) { return "hpos_" + code; }
std::string HugeNegAttr(const std::string& code) { return "hneg_" + code; }

std::pair<std::string, double> SumContribution(const std::string& code, double value) {
  if (value >= kHugeValue) return {HugePosAttr(code), 1};
  if (value <= -kHugeValue) return {HugeNegAttr(code), 1};
  // Millionths as integers: ADDs of integers are exact, so taking out what was put in leaves exactly 0.
  return {SumAttr(code), std::nearbyint(value * 1e6)};
}

void CounterDelta::AddAccount(const Counted& a, int sign) {
  if (!a.active) return;
  for (const std::string& pk : {std::string(kFleetPk), TeamSetPk(a.teams)}) {
    items_[pk]["active_accounts"] += sign;
    items_[pk]["account_regions"] += sign * static_cast<double>(a.regions.size());
  }
}

void CounterDelta::AddValues(const std::string& scope, const std::vector<domain::QuotaValue>& values, int sign) {
  if (scope.empty()) return;
  for (const std::string& pk : {std::string(kFleetPk), scope}) {
    std::map<std::string, double>& item = items_[pk];
    for (const domain::QuotaValue& v : values) {
      if (!v.value || std::isnan(*v.value)) continue;
      if (v.state == domain::QuotaState::kOk) {
        item[FreshAttr(v.quota_code)] += sign;
        auto [attr, amount] = SumContribution(v.quota_code, *v.value);
        item[attr] += sign * amount;
      } else if (v.state == domain::QuotaState::kStale) {
        item[StaleAttr(v.quota_code)] += sign;
      }
    }
  }
}

void CounterDelta::AddStatus(domain::AccountStatus status, int sign) {
  items_[kCounterPk][std::string(domain::AccountStatusName(status))] += sign;
}

bool CounterDelta::empty() const {
  for (const auto& [pk, attrs] : items_) {
    for (const auto& [name, amount] : attrs) {
      if (amount != 0) return false;
    }
  }
  return true;
}

std::vector<DerivedWrite> CounterDelta::Writes(const std::string& main_table) const {
  std::vector<DerivedWrite> out;
  for (const auto& [pk, attrs] : items_) {
    std::vector<std::pair<std::string, double>> add;
    for (const auto& [name, amount] : attrs) {
      if (amount != 0) add.emplace_back(name, amount);
    }
    if (add.empty()) continue;
    out.push_back(
        DerivedWrite::Add(main_table, MainKey(pk, pk == kCounterPk ? kAccountCounterSk : kAggSk), std::move(add)));
  }
  return out;
}

}  // namespace ddb

namespace {

using ddb::Item;

// A scope as its counter item says (missing item: zeros). Codes that count nothing are left out; a code's sum
// reads 0 while nothing fresh counts, and +-inf (NaN for both) while a huge fresh value counts.
ScopeAggregate ScopeFromItem(const Item* item) {
  ScopeAggregate out;
  if (item == nullptr) return out;
  out.active_accounts = ddb::GetN(*item, "active_accounts");
  out.account_regions = ddb::GetN(*item, "account_regions");
  std::map<std::string, std::map<std::string, double>> codes;  // code -> counter -> value
  for (const auto& [name, value] : *item) {
    const std::string attr(name);
    const size_t underscore = attr.find('_');
    if (underscore == std::string::npos) continue;
    const std::string kind = attr.substr(0, underscore);
    if (kind != "sum" && kind != "fresh" && kind != "stale" && kind != "hpos" && kind != "hneg") continue;
    codes[attr.substr(underscore + 1)][kind] = ddb::GetOptNd(*item, attr).value_or(0);
  }
  for (auto& [code, counters] : codes) {
    CodeAggregate c;
    c.quota_code = code;
    c.fresh = static_cast<int64_t>(std::llround(counters["fresh"]));
    c.stale = static_cast<int64_t>(std::llround(counters["stale"]));
    if (c.fresh == 0 && c.stale == 0) continue;
    if (c.fresh != 0) {
      const bool pos = counters["hpos"] > 0;
      const bool neg = counters["hneg"] > 0;
      if (pos && neg) {
        c.sum = std::numeric_limits<double>::quiet_NaN();
      } else if (pos) {
        c.sum = std::numeric_limits<double>::infinity();
      } else if (neg) {
        c.sum = -std::numeric_limits<double>::infinity();
      } else {
        c.sum = counters["sum"] / 1e6;
      }
    }
    out.codes.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<ScopeAggregate> DynamoDbStore::GetFleetAggregate() {
  boost::json::object get = ddb::Request(tables_.main);
  get["Key"] = ddb::MainKey(ddb::kFleetPk, ddb::kAggSk);
  get["ConsistentRead"] = options_.consistent_reads;
  ASSIGN_OR_RETURN(boost::json::object answer, db_.Call("GetItem", get));
  ScopeAggregate fleet = ScopeFromItem(ddb::ItemOf(answer));
  fleet.fleet = true;
  return fleet;
}

Result<std::vector<ScopeAggregate>> DynamoDbStore::GetTeamAggregates(const std::vector<std::string>& teams_in) {
  std::set<std::string> teams(teams_in.begin(), teams_in.end());
  std::set<std::string> set_pks;  // each scope once, however many of `teams` it holds
  for (const std::string& team : teams) {
    boost::json::object query = ddb::Request(tables_.main);
    query["KeyConditionExpression"] = "pk = :pk";
    query["ExpressionAttributeValues"] = {{":pk", ddb::S(ddb::TeamLookupPk(team))}};
    query["ConsistentRead"] = options_.consistent_reads;
    ASSIGN_OR_RETURN(std::vector<boost::json::object> lookups, aws::QueryAll(db_, query));
    for (const Item& lookup : lookups) set_pks.insert(ddb::GetS(lookup, "sk"));
  }
  std::vector<boost::json::object> keys;
  keys.reserve(set_pks.size());
  for (const std::string& pk : set_pks) keys.push_back(ddb::MainKey(pk, ddb::kAggSk));
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items,
                   aws::BatchGetAll(db_, tables_.main, keys, options_.consistent_reads));
  std::vector<ScopeAggregate> scopes;
  for (const Item& item : items) {
    ScopeAggregate scope = ScopeFromItem(&item);
    if (scope.active_accounts <= 0) continue;  // a team set whose accounts all left it
    ASSIGN_OR_RETURN(scope.teams, ddb::TeamsOfSetPk(ddb::GetS(item, "pk")));
    scopes.push_back(std::move(scope));
  }
  std::sort(scopes.begin(), scopes.end(),
            [](const ScopeAggregate& a, const ScopeAggregate& b) { return a.teams < b.teams; });
  return scopes;
}

// ---- RebuildAggregates ------------------------------------------------------------------------------------

namespace {

bool SameCount(double want, double got) {
  return want == got || std::fabs(want - got) <= 1e-12 * std::max(std::fabs(want), std::fabs(got));
}

}  // namespace

Result<int64_t> DynamoDbStore::RebuildAggregates() {
  int64_t corrected = 0;
  ASSIGN_OR_RETURN(auto accounts, ddb::ScanSettledAccounts(db_, intents_, tables_.accounts));

  // Snapshots: each must count in the scope its account gives it (a recount moves it there), then the expected
  // counters are recomputed from the accounts and the snapshots.
  ASSIGN_OR_RETURN(std::vector<Item> snapshot_items,
                   ddb::ScanSettledOwners(db_, intents_, tables_.quota_cache, {"account_id", "region"}));
  ddb::CounterDelta expected;
  for (const auto& [id, a] : accounts) {
    expected.AddStatus(a.status, +1);
    expected.AddAccount(ddb::Counted::Of(a), +1);
  }
  for (const Item& item : snapshot_items) {
    const std::string account_id = ddb::GetS(item, "account_id");
    const std::string region = ddb::GetS(item, "region");
    auto account = accounts.find(account_id);
    const std::string scope = ddb::CountingScope(account == accounts.end() ? nullptr : &account->second, region);
    if (ddb::GetS(item, "counted") != scope) {
      RETURN_IF_ERROR(RunFollowUp(std::string("recount ").append(account_id).append(" ").append(region)));
      ++corrected;
    }
    ASSIGN_OR_RETURN(domain::QuotaSnapshot snapshot, ddb::SnapshotFromItem(item));
    expected.AddValues(scope, snapshot.values, +1);
  }

  // The counter items and team lookups as stored (a Scan of `main` filtered to them: maintenance only).
  boost::json::object scan = ddb::Request(tables_.main);
  scan["ConsistentRead"] = true;
  // (The user counters share the COUNTER partition: RecountUserCounters below keeps them.)
  scan["FilterExpression"] = "begins_with(pk, :agg) OR (pk = :counter AND sk = :accounts)";
  scan["ExpressionAttributeValues"] = {
      {":agg", ddb::S("AGG")}, {":counter", ddb::S(ddb::kCounterPk)}, {":accounts", ddb::S(ddb::kAccountCounterSk)}};
  ASSIGN_OR_RETURN(std::vector<boost::json::object> stored_items, aws::QueryAll(db_, scan, 0, "Scan"));
  std::map<std::string, Item> counters;  // pk -> counter item
  std::set<std::pair<std::string, std::string>> lookups;
  for (Item& item : stored_items) {
    const std::string pk = ddb::GetS(item, "pk");
    if (pk.rfind("AGGTEAM#", 0) == 0) {
      lookups.emplace(pk, ddb::GetS(item, "sk"));
    } else {
      counters.emplace(pk, std::move(item));
    }
  }

  std::set<std::string> pks;
  for (const auto& [pk, attrs] : expected.items()) pks.insert(pk);
  for (const auto& [pk, item] : counters) pks.insert(pk);
  static const std::map<std::string, double> kNone;
  for (const std::string& pk : pks) {
    auto want_it = expected.items().find(pk);
    const std::map<std::string, double>& want = want_it == expected.items().end() ? kNone : want_it->second;
    auto got_it = counters.find(pk);
    bool differs = false;
    std::set<std::string> names;
    for (const auto& [name, amount] : want) names.insert(name);
    if (got_it != counters.end()) {
      for (const auto& [name, value] : got_it->second) {
        if (name != "pk" && name != "sk" && name.rfind("g_", 0) != 0) names.insert(std::string(name));
      }
    }
    for (const std::string& name : names) {
      auto w = want.find(name);
      const double want_value = w == want.end() ? 0 : w->second;
      const double got_value = got_it == counters.end() ? 0 : ddb::GetOptNd(got_it->second, name).value_or(0);
      differs = differs || !SameCount(want_value, got_value);
    }
    if (!differs) continue;
    Item item = ddb::MainKey(pk, pk == ddb::kCounterPk ? ddb::kAccountCounterSk : ddb::kAggSk);
    for (const auto& [name, amount] : want) {
      if (amount != 0) item[name] = ddb::Nd(amount);
    }
    boost::json::object put = ddb::Request(tables_.main);
    put["Item"] = std::move(item);
    RETURN_IF_ERROR(db_.Call("PutItem", put).status());
    ++corrected;
  }

  // Every team of a set with active accounts finds it through its lookup item.
  for (const auto& [id, a] : accounts) {
    const ddb::Counted c = ddb::Counted::Of(a);
    if (!c.active) continue;
    const std::string set_pk = ddb::TeamSetPk(c.teams);
    for (const std::string& team : c.teams) {
      if (!lookups.emplace(ddb::TeamLookupPk(team), set_pk).second) continue;
      boost::json::object put = ddb::Request(tables_.main);
      put["Item"] = Item{{"pk", ddb::S(ddb::TeamLookupPk(team))}, {"sk", ddb::S(set_pk)}, {"team", ddb::S(team)}};
      RETURN_IF_ERROR(db_.Call("PutItem", put).status());
      ++corrected;
    }
  }
  ASSIGN_OR_RETURN(int64_t user_counters, ddb::RecountUserCounters(db_, intents_, tables_.main));
  ASSIGN_OR_RETURN(int64_t sort_entries, RebuildSortIndex());
  return corrected + user_counters + sort_entries;
}

}  // namespace ap::store
