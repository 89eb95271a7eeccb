// The maintained quota aggregates of the SQLite store (contract in quota_cache_store.h; tables in
// migration_aggregates.cc).
//
// Every write that changes what counts (a snapshot, an account's status, regions or teams) builds an
// AggregateDelta inside its own write transaction — the old contribution taken out, the new one put in — and
// applies it before committing, so the aggregates change in the same atomic write as the record.
#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::ReadTransaction;
using sqlite_internal::Stmt;

namespace sqlite_internal {
namespace {

// What of an account the aggregates look at, with its lists sorted and de-duplicated (an account written by a
// caller may carry them in any order).
struct Counted {
  std::string account_id;
  bool active = false;
  std::vector<std::string> regions;
  std::vector<std::string> teams;

  static Counted Of(const domain::Account& a) {
    return {a.account_id, a.status == domain::AccountStatus::kActive, SortedUnique(a.regions), SortedUnique(a.teams)};
  }
  // From the status, regions and teams columns of an accounts row.
  static Counted FromRow(std::string account_id, const std::string& status, const std::string& regions,
                         const std::string& teams) {
    auto parsed = domain::ParseAccountStatus(status);
    if (!parsed.ok()) throw CorruptRow("accounts.status: " + parsed.status().message());
    return {std::move(account_id), *parsed == domain::AccountStatus::kActive, SortedUnique(DecodeList(regions)),
            SortedUnique(DecodeList(teams))};
  }
  bool UsesRegion(const std::string& region) const {
    return std::binary_search(regions.begin(), regions.end(), region);
  }
};

// The cached values of (account_id, region), as much of them as the aggregates look at.
std::vector<domain::QuotaValue> CachedValues(Connection& c, const std::string& account_id, const std::string& region) {
  Stmt stmt = c.Prepare("SELECT quota_code, value, state FROM quota_values WHERE account_id = ?1 AND region = ?2");
  stmt->bind(1, account_id);
  stmt->bind(2, region);
  std::vector<domain::QuotaValue> values;
  while (stmt->executeStep()) {
    domain::QuotaValue& v = values.emplace_back();
    v.quota_code = stmt->getColumn(0).getString();
    if (!stmt->isColumnNull(1)) v.value = stmt->getColumn(1).getDouble();
    auto state = domain::ParseQuotaState(stmt->getColumn(2).getString());
    if (!state.ok()) throw CorruptRow("quota_values.state: " + state.status().message());
    v.state = *state;
  }
  return values;
}

// A change to the aggregates, accumulated in memory (contributions taken out with sign -1, put in with +1) and
// written once: pairs that cancel out (an account moved between two states that count the same) cost nothing.
class AggregateDelta {
 public:
  // An active account's 1 account and |regions| pairs in the fleet and its team-set scope.
  void AddAccount(const Counted& a, int sign) {
    if (!a.active) return;
    const int64_t regions = static_cast<int64_t>(a.regions.size());
    for (Scope* s : ScopesOf(a)) {
      s->accounts += sign;
      s->pairs += sign * regions;
    }
  }
  // The values of (a, region), when a is active and uses the region.
  void AddValues(const Counted& a, const std::string& region, const std::vector<domain::QuotaValue>& values, int sign) {
    if (!a.active || !a.UsesRegion(region)) return;
    for (const domain::QuotaValue& v : values) {
      if (!v.value) continue;
      const bool fresh = v.state == domain::QuotaState::kOk;
      if (!fresh && v.state != domain::QuotaState::kStale) continue;
      for (Scope* s : ScopesOf(a)) {
        CodeDelta& d = s->codes[v.quota_code];
        if (fresh) {
          d.fresh += sign;
          d.sum += sign * *v.value;
        } else {
          d.stale += sign;
        }
      }
    }
  }
  // The cached values of every region of `a` (read from quota_values).
  void AddCachedValues(Connection& c, const Counted& a, int sign) {
    if (!a.active) return;
    for (const std::string& region : a.regions) AddValues(a, region, CachedValues(c, a.account_id, region), sign);
  }

  void Apply(Connection& c) const;

 private:
  struct CodeDelta {
    double sum = 0;
    int64_t fresh = 0;
    int64_t stale = 0;
  };
  struct Scope {
    std::vector<std::string> teams;
    int64_t accounts = 0;
    int64_t pairs = 0;
    std::map<std::string, CodeDelta> codes;
  };

  std::array<Scope*, 2> ScopesOf(const Counted& a) {
    Scope& team_set = scopes_[TeamSetScope(a.teams)];
    team_set.teams = a.teams;
    return {&scopes_[kFleetScope], &team_set};
  }

  std::map<std::string, Scope> scopes_;  // by scope key
};

void AggregateDelta::Apply(Connection& c) const {
  for (const auto& [key, d] : scopes_) {
    bool changes = d.accounts != 0 || d.pairs != 0;
    for (const auto& [code, cd] : d.codes) changes = changes || cd.fresh != 0 || cd.stale != 0 || cd.sum != 0;
    if (!changes) continue;
    {
      Stmt upsert = c.Prepare(
          "INSERT INTO quota_aggregate_scopes (scope, teams, active_accounts, account_regions) "
          "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (scope) DO UPDATE SET "
          "active_accounts = active_accounts + excluded.active_accounts, "
          "account_regions = account_regions + excluded.account_regions");
      upsert->bind(1, key);
      upsert->bind(2, EncodeList(d.teams));
      upsert->bind(3, d.accounts);
      upsert->bind(4, d.pairs);
      upsert->exec();
    }
    if (d.accounts > 0 && key != kFleetScope) {
      // The lookup rows from each team to the scopes that contain it (GetTeamAggregates).
      for (const std::string& team : d.teams) {
        Stmt link = c.Prepare("INSERT OR IGNORE INTO quota_aggregate_team_scopes (team_id, scope) VALUES (?1, ?2)");
        link->bind(1, team);
        link->bind(2, key);
        link->exec();
      }
    }
    for (const auto& [code, cd] : d.codes) {
      if (cd.fresh == 0 && cd.stale == 0 && cd.sum == 0) continue;
      {
        Stmt upsert = c.Prepare(
            "INSERT INTO quota_aggregate_codes (scope, quota_code, sum, fresh, stale) VALUES (?1, ?2, ?3, ?4, ?5) "
            "ON CONFLICT (scope, quota_code) DO UPDATE SET sum = sum + excluded.sum, fresh = fresh + excluded.fresh, "
            "stale = stale + excluded.stale");
        upsert->bind(1, key);
        upsert->bind(2, code);
        upsert->bind(3, cd.sum);
        upsert->bind(4, cd.fresh);
        upsert->bind(5, cd.stale);
        upsert->exec();
      }
      {
        // A sum with nothing fresh in it is 0: rounding left by non-integer values does not accumulate.
        Stmt reset = c.Prepare(
            "UPDATE quota_aggregate_codes SET sum = 0 WHERE scope = ?1 AND quota_code = ?2 AND fresh = 0 AND sum <> 0");
        reset->bind(1, key);
        reset->bind(2, code);
        reset->exec();
      }
      {
        Stmt drop = c.Prepare(
            "DELETE FROM quota_aggregate_codes WHERE scope = ?1 AND quota_code = ?2 AND fresh = 0 AND stale = 0");
        drop->bind(1, key);
        drop->bind(2, code);
        drop->exec();
      }
    }
    if (d.accounts < 0) {
      // A scope left without accounts is dropped with its codes and lookup rows, so that a user's read touches
      // only the team sets that still have accounts.
      Stmt empty = c.Prepare("SELECT 1 FROM quota_aggregate_scopes WHERE scope = ?1 AND active_accounts = 0");
      empty->bind(1, key);
      if (!empty->executeStep()) continue;
      for (const char* sql : {"DELETE FROM quota_aggregate_codes WHERE scope = ?1",
                              "DELETE FROM quota_aggregate_team_scopes WHERE scope = ?1",
                              "DELETE FROM quota_aggregate_scopes WHERE scope = ?1"}) {
        Stmt del = c.Prepare(sql);
        del->bind(1, key);
        del->exec();
      }
    }
  }
}

}  // namespace

void ApplyAccountToAggregates(Connection& c, const domain::Account* before, const domain::Account& after) {
  ApplyAccountToSortIndex(c, before, after);
  const Counted now = Counted::Of(after);
  AggregateDelta delta;
  if (before != nullptr) {
    const Counted was = Counted::Of(*before);
    // Most updates (a rename, a credential rotation) change nothing that counts: skip the value reads.
    if (was.active == now.active && was.regions == now.regions && was.teams == now.teams) return;
    delta.AddAccount(was, -1);
    delta.AddCachedValues(c, was, -1);
  }
  delta.AddAccount(now, +1);
  delta.AddCachedValues(c, now, +1);
  delta.Apply(c);
}

void ApplySnapshotToAggregates(Connection& c, const domain::QuotaSnapshot& snapshot) {
  ApplySnapshotToSortIndex(c, snapshot);
  Stmt stmt = c.Prepare("SELECT status, regions, teams FROM accounts WHERE account_id = ?1");
  stmt->bind(1, snapshot.account_id);
  if (!stmt->executeStep()) return;  // a snapshot of an unknown account counts nowhere
  const Counted account = Counted::FromRow(snapshot.account_id, stmt->getColumn(0).getString(),
                                           stmt->getColumn(1).getString(), stmt->getColumn(2).getString());
  if (!account.active || !account.UsesRegion(snapshot.region)) return;
  AggregateDelta delta;
  delta.AddValues(account, snapshot.region, CachedValues(c, snapshot.account_id, snapshot.region), -1);
  delta.AddValues(account, snapshot.region, snapshot.values, +1);
  delta.Apply(c);
}

void RebuildAggregates(Connection& c) {
  for (const char* sql : {"DELETE FROM quota_aggregate_codes", "DELETE FROM quota_aggregate_team_scopes",
                          "DELETE FROM quota_aggregate_scopes"}) {
    c.Exec(sql);
  }
  AggregateDelta delta;
  Stmt accounts = c.Prepare("SELECT account_id, status, regions, teams FROM accounts");
  while (accounts->executeStep()) {
    const Counted account = Counted::FromRow(accounts->getColumn(0).getString(), accounts->getColumn(1).getString(),
                                             accounts->getColumn(2).getString(), accounts->getColumn(3).getString());
    delta.AddAccount(account, +1);
    delta.AddCachedValues(c, account, +1);
  }
  delta.Apply(c);
}

}  // namespace sqlite_internal

// ---- Reads ---------------------------------------------------------------------------------------------

namespace {

// The scope row `key` and its codes, or nullopt when the scope has no row. REQUIRES: a transaction open on `c`.
std::optional<ScopeAggregate> ReadScope(Connection& c, const std::string& key) {
  ScopeAggregate out;
  {
    Stmt head =
        c.Prepare("SELECT teams, active_accounts, account_regions FROM quota_aggregate_scopes WHERE scope = ?1");
    head->bind(1, key);
    if (!head->executeStep()) return std::nullopt;
    out.fleet = key == sqlite_internal::kFleetScope;
    out.teams = sqlite_internal::DecodeList(head->getColumn(0).getString());
    out.active_accounts = head->getColumn(1).getInt64();
    out.account_regions = head->getColumn(2).getInt64();
  }
  Stmt codes =
      c.Prepare("SELECT quota_code, sum, fresh, stale FROM quota_aggregate_codes WHERE scope = ?1 ORDER BY quota_code");
  codes->bind(1, key);
  while (codes->executeStep()) {
    out.codes.push_back(CodeAggregate{codes->getColumn(0).getString(), codes->getColumn(1).getDouble(),
                                      codes->getColumn(2).getInt64(), codes->getColumn(3).getInt64()});
  }
  return out;
}

}  // namespace

Status SqliteStore::RebuildAggregates() {
  return Write("RebuildAggregates", [&](Connection& c) -> Status {
    sqlite_internal::WriteTransaction txn(c);
    sqlite_internal::RebuildAggregates(c);
    sqlite_internal::RebuildSortIndex(c);
    txn.Commit();
    return Status::Ok();
  });
}

Result<ScopeAggregate> SqliteStore::GetFleetAggregate() {
  return Read("GetFleetAggregate", [&](Connection& c) -> Result<ScopeAggregate> {
    ReadTransaction txn(c);  // the scope row and its codes from one snapshot
    ScopeAggregate fleet = ReadScope(c, sqlite_internal::kFleetScope).value_or(ScopeAggregate{});
    fleet.fleet = true;
    return fleet;
  });
}

Result<std::vector<ScopeAggregate>> SqliteStore::GetTeamAggregates(const std::vector<std::string>& teams) {
  return Read("GetTeamAggregates", [&](Connection& c) -> Result<std::vector<ScopeAggregate>> {
    ReadTransaction txn(c);
    std::vector<std::string> keys;  // each scope once, however many of `teams` it holds
    for (const std::string& team : teams) {
      Stmt stmt = c.Prepare("SELECT scope FROM quota_aggregate_team_scopes WHERE team_id = ?1");
      stmt->bind(1, team);
      while (stmt->executeStep()) keys.push_back(stmt->getColumn(0).getString());
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::vector<ScopeAggregate> scopes;
    for (const std::string& key : keys) {
      if (auto scope = ReadScope(c, key)) scopes.push_back(std::move(*scope));
    }
    std::sort(scopes.begin(), scopes.end(),
              [](const ScopeAggregate& a, const ScopeAggregate& b) { return a.teams < b.teams; });
    return scopes;
  });
}

}  // namespace ap::store
