// SqliteStore: accounts (with their list and search indexes and per-status counts) and contact information.
//
// Index tables (migration 5, migration_accounts.cc), shaped as DynamoDB partitions would be:
// name_key is CollationKey(account_name) (common/collation.h: natural, locale-aware order, hex so that SQLite's
// BINARY comparison orders it; migration 18 and EnsureAccountNameKeys keep stored keys current).
//  - account_list(scope, status, name_key, account_id): one row per (scope, status) partition an account belongs
//    to, scope "*" (every account) or "team:<team_id>" (one per team of the account).
//  - account_terms(scope, status, term, name_key, account_id): the same partitions, one row per search term
//    (the account id and SearchTerms(account_name)), term = NaturalTermKey(term) (common/text_fold.h: digit runs
//    length-prefixed so that they order as numbers; migration 19 re-encoded the terms stored before).
//  - account_counts(status, count): the maintained per-status counts.
// A list reads each partition of its filter from the cursor with LIMIT and merges them here, so a page costs
// O(partitions × page) whatever the size of the registry; a search reads one stream per (partition, query prefix)
// (NaturalQueryPrefixes: at most 31 for a query ending in digits, else 1), so O(partitions × prefixes × page).
#include <algorithm>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/collation.h"
#include "common/text_fold.h"
#include "store/cursor.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::Exists;
using sqlite_internal::ReadTransaction;
using sqlite_internal::Stmt;
using sqlite_internal::WriteTransaction;

namespace sqlite_internal {

void WriteAccountIndex(Connection& c, const std::string& account_id, const std::string& account_name,
                       std::string_view status, const std::vector<std::string>& teams) {
  for (const char* sql :
       {"DELETE FROM account_list WHERE account_id = ?1", "DELETE FROM account_terms WHERE account_id = ?1"}) {
    Stmt del = c.Prepare(sql);
    del->bind(1, account_id);
    del->exec();
  }
  std::set<std::string> scopes = {"*"};
  for (const std::string& team : teams) scopes.insert("team:" + team);
  std::set<std::string> terms = {NaturalTermKey(account_id)};
  for (const std::string& t : SearchTerms(account_name)) terms.insert(NaturalTermKey(t));
  const std::string name_key = CollationKey(account_name);
  const std::string st(status);
  for (const std::string& scope : scopes) {
    {
      Stmt insert =
          c.Prepare("INSERT OR IGNORE INTO account_list (scope, status, name_key, account_id) VALUES (?1, ?2, ?3, ?4)");
      insert->bind(1, scope);
      insert->bind(2, st);
      insert->bind(3, name_key);
      insert->bind(4, account_id);
      insert->exec();
    }
    for (const std::string& term : terms) {
      Stmt insert = c.Prepare(
          "INSERT OR IGNORE INTO account_terms (scope, status, term, name_key, account_id) "
          "VALUES (?1, ?2, ?3, ?4, ?5)");
      insert->bind(1, scope);
      insert->bind(2, st);
      insert->bind(3, term);
      insert->bind(4, name_key);
      insert->bind(5, account_id);
      insert->exec();
    }
  }
}

}  // namespace sqlite_internal

namespace {

const std::string kSelectAccount = "SELECT " + sqlite_internal::SelectColumns<domain::Account>() + " FROM accounts";

// ".n": keys in natural order (migration 18); a cursor made before it (folded-name keys) is refused as
// InvalidArgument("cursor") rather than silently resuming at a meaningless place. ".n2": search terms as
// NaturalTermKey (migration 19); an ".n" search cursor holds a plain term and is refused the same way.
constexpr char kListCursor[] = "accounts.n";
constexpr char kSearchCursor[] = "account-search.n2";

void WriteAccountIndex(Connection& c, const domain::Account& a) {
  sqlite_internal::WriteAccountIndex(c, a.account_id, a.account_name, domain::AccountStatusName(a.status), a.teams);
}

void AddToCount(Connection& c, domain::AccountStatus status, int64_t delta) {
  Stmt add = c.Prepare(
      "INSERT INTO account_counts (status, count) VALUES (?1, ?2) "
      "ON CONFLICT (status) DO UPDATE SET count = count + excluded.count");
  add->bind(1, std::string(domain::AccountStatusName(status)));
  add->bind(2, delta);
  add->exec();
}

AccountCounts ReadCounts(Connection& c) {
  AccountCounts counts;
  Stmt stmt = c.Prepare("SELECT status, count FROM account_counts");
  while (stmt->executeStep()) {
    const std::string status = stmt->getColumn(0).getString();
    const int64_t n = stmt->getColumn(1).getInt64();
    if (status == domain::AccountStatusName(domain::AccountStatus::kActive)) counts.active = n;
    if (status == domain::AccountStatusName(domain::AccountStatus::kInactive)) counts.inactive = n;
  }
  return counts;
}

// A sort key: (name_key, account_id) for lists, (term, name_key, account_id) for search. account_id is last.
using Key = std::vector<std::string>;

struct Partition {
  std::string scope;
  std::string status;
};

// One partition's entries after `after`, in key order, at most `n`. `prefix`: search terms (NaturalTermKey)
// starting with it.
std::vector<Key> ReadPartition(Connection& c, const Partition& p, const Key& after, const std::string* prefix,
                               int64_t n) {
  std::vector<Key> out;
  if (prefix == nullptr) {
    Stmt stmt = c.Prepare(
        "SELECT name_key, account_id FROM account_list WHERE scope = ?1 AND status = ?2 "
        "AND (name_key, account_id) > (?3, ?4) ORDER BY name_key, account_id LIMIT ?5");
    stmt->bind(1, p.scope);
    stmt->bind(2, p.status);
    stmt->bind(3, after[0]);
    stmt->bind(4, after[1]);
    stmt->bind(5, n);
    while (stmt->executeStep()) out.push_back({stmt->getColumn(0).getString(), stmt->getColumn(1).getString()});
    return out;
  }
  // Every term key (valid UTF-8 and markers < 0x20) that starts with the prefix sorts below prefix + 0xFF (a byte
  // neither uses).
  Stmt stmt = c.Prepare(
      "SELECT term, name_key, account_id FROM account_terms WHERE scope = ?1 AND status = ?2 "
      "AND term >= ?3 AND term < ?4 AND (term, name_key, account_id) > (?5, ?6, ?7) "
      "ORDER BY term, name_key, account_id LIMIT ?8");
  stmt->bind(1, p.scope);
  stmt->bind(2, p.status);
  stmt->bind(3, *prefix);
  stmt->bind(4, *prefix + '\xFF');
  stmt->bind(5, after[0]);
  stmt->bind(6, after[1]);
  stmt->bind(7, after[2]);
  stmt->bind(8, n);
  while (stmt->executeStep()) {
    out.push_back({stmt->getColumn(0).getString(), stmt->getColumn(1).getString(), stmt->getColumn(2).getString()});
  }
  return out;
}

// Walks the union of the streams in key order from `after` (an entry present in several partitions once), calling
// visit(key) until it returns false or the entries run out. The streams: each partition's list entries when
// `prefixes` is null, else each (partition, prefix)'s search entries (the prefixes' key ranges are disjoint, so
// the union is their merge). Reads each stream `batch` entries at a time, so a walk that stops after k entries
// reads O(streams × (k + batch)) entries.
void MergedWalk(Connection& c, const std::vector<Partition>& partitions, Key after,
                const std::vector<std::string>* prefixes, int64_t batch, const std::function<bool(const Key&)>& visit) {
  std::vector<std::pair<const Partition*, const std::string*>> streams;
  for (const Partition& p : partitions) {
    if (prefixes == nullptr) {
      streams.emplace_back(&p, nullptr);
    } else {
      for (const std::string& prefix : *prefixes) streams.emplace_back(&p, &prefix);
    }
  }
  for (;;) {
    std::vector<Key> merged;
    const Key* bound = nullptr;  // entries above the smallest last key of a full stream may be missing
    std::vector<std::vector<Key>> reads;
    reads.reserve(streams.size());
    for (const auto& [p, prefix] : streams) {
      reads.push_back(ReadPartition(c, *p, after, prefix, batch));
      const std::vector<Key>& r = reads.back();
      if (static_cast<int64_t>(r.size()) == batch && (bound == nullptr || r.back() < *bound)) bound = &r.back();
      merged.insert(merged.end(), r.begin(), r.end());
    }
    std::sort(merged.begin(), merged.end());
    merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
    for (const Key& k : merged) {
      if (bound != nullptr && *bound < k) break;
      if (!visit(k)) return;
    }
    if (bound == nullptr) return;
    after = *bound;
  }
}

std::string NameOf(domain::AccountStatus s) { return std::string(domain::AccountStatusName(s)); }

}  // namespace

Status SqliteStore::CreateAccount(const domain::Account& account) {
  return Write("CreateAccount", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    if (Exists(c, "SELECT 1 FROM accounts WHERE account_id = ?1", account.account_id)) {
      return AlreadyExists("account " + account.account_id + " already exists");
    }
    {
      Stmt insert = c.Prepare("INSERT INTO accounts (" + sqlite_internal::InsertColumns<domain::Account>() +
                              ") VALUES (" + sqlite_internal::InsertPlaceholders<domain::Account>() + ")");
      sqlite_internal::Bind(*insert, account);
      insert->exec();
    }
    WriteAccountIndex(c, account);
    AddToCount(c, account.status, +1);
    sqlite_internal::ApplyAccountToAggregates(c, nullptr, account);
    txn.Commit();
    return Status::Ok();
  });
}

Result<domain::Account> SqliteStore::GetAccount(const std::string& account_id) {
  return Read("GetAccount", [&](Connection& c) -> Result<domain::Account> {
    Stmt stmt = c.Prepare(kSelectAccount + " WHERE account_id = ?1");
    stmt->bind(1, account_id);
    if (!stmt->executeStep()) return NotFound("account " + account_id + " not found");
    return sqlite_internal::Read<domain::Account>(*stmt);
  });
}

Result<std::vector<domain::Account>> SqliteStore::GetAccounts(const std::vector<std::string>& account_ids) {
  if (account_ids.size() > kMaxGetAccounts) {
    return InvalidArgument("at most " + std::to_string(kMaxGetAccounts) + " account ids per lookup", "account_ids");
  }
  const std::set<std::string> ids(account_ids.begin(), account_ids.end());
  return Read("GetAccounts", [&](Connection& c) -> Result<std::vector<domain::Account>> {
    // One primary-key lookup per id inside one read transaction (a consistent snapshot, no scan).
    Stmt stmt = c.Prepare(kSelectAccount + " WHERE account_id = ?1");
    std::vector<domain::Account> out;
    for (const std::string& id : ids) {
      stmt->reset();
      stmt->bind(1, id);
      if (stmt->executeStep()) out.push_back(sqlite_internal::Read<domain::Account>(*stmt));
    }
    return out;
  });
}

Result<AccountPage> SqliteStore::ListAccounts(const AccountFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  const bool filter_teams = filter.restrict_to_teams || !filter.any_of_teams.empty();
  const std::string query = SearchKey(filter.search);
  const bool search = !query.empty();
  const std::vector<std::string> prefixes = NaturalQueryPrefixes(query);

  Key after = search ? Key{"", "", ""} : Key{"", ""};
  if (!filter.cursor.empty()) {
    ASSIGN_OR_RETURN(after, DecodeCursor(filter.cursor, search ? kSearchCursor : kListCursor, after.size()));
  }
  // Restricted to no team at all, or a query no term can start with (a control character): nothing can match.
  if (filter_teams && filter.any_of_teams.empty()) return AccountPage{};
  if (search && prefixes.empty()) return AccountPage{};

  std::vector<Partition> partitions;
  std::set<std::string> scopes;
  if (filter_teams) {
    for (const std::string& team : filter.any_of_teams) scopes.insert("team:" + team);
  } else {
    scopes.insert("*");
  }
  for (const std::string& scope : scopes) {
    if (filter.status) {
      partitions.push_back({scope, NameOf(*filter.status)});
    } else {
      partitions.push_back({scope, NameOf(domain::AccountStatus::kActive)});
      partitions.push_back({scope, NameOf(domain::AccountStatus::kInactive)});
    }
  }

  return Read("ListAccounts", [&](Connection& c) -> Result<AccountPage> {
    ReadTransaction snapshot(c);  // the index entries and the accounts they name from one snapshot
    AccountPage page;
    std::vector<Key> served;
    const auto want = static_cast<size_t>(filter.limit) + 1;  // one more than a page tells whether there is a next
    MergedWalk(c, partitions, after, search ? &prefixes : nullptr, filter.limit + 1, [&](const Key& k) {
      Stmt stmt = c.Prepare(kSelectAccount + " WHERE account_id = ?1");
      stmt->bind(1, k.back());
      if (!stmt->executeStep()) return true;  // cannot happen within one snapshot; never serve a ghost
      domain::Account a = sqlite_internal::Read<domain::Account>(*stmt);
      if (search) {
        // Serve the account only at its first matching term (key), so that it is listed once.
        std::vector<std::string> terms = SearchTerms(a.account_name);
        terms.push_back(a.account_id);
        std::string first;
        bool matched = false;
        for (const std::string& t : terms) {
          std::string key = NaturalTermKey(t);
          if (StartsWithAny(key, prefixes) && (!matched || key < first)) {
            first = std::move(key);
            matched = true;
          }
        }
        if (!matched || first != k[0]) return true;
      }
      if (page.items.size() + 1 == want) {
        page.next = EncodeCursor(search ? kSearchCursor : kListCursor, served.back());
        return false;
      }
      page.items.push_back(std::move(a));
      served.push_back(k);
      return true;
    });
    if (!filter_teams && !search) {
      const AccountCounts counts = ReadCounts(c);
      if (!filter.status) {
        page.total = counts.active + counts.inactive;
      } else {
        page.total = *filter.status == domain::AccountStatus::kActive ? counts.active : counts.inactive;
      }
    }
    return page;
  });
}

Status SqliteStore::UpdateAccount(const domain::Account& account, int64_t expected_version) {
  return Write("UpdateAccount", [&](Connection& c) -> Status {
    // Compare and set under one write transaction: nobody can slip in between the check and the update.
    WriteTransaction txn(c);
    domain::Account before;
    {
      Stmt current = c.Prepare(kSelectAccount + " WHERE account_id = ?1");
      current->bind(1, account.account_id);
      if (!current->executeStep()) return NotFound("account " + account.account_id + " not found");
      before = sqlite_internal::Read<domain::Account>(*current);
      const int64_t stored = before.version;
      if (stored != expected_version) {
        return FailedPrecondition("account " + account.account_id + " is at version " + std::to_string(stored) +
                                  ", not " + std::to_string(expected_version) + "; reload and retry");
      }
    }
    {
      Stmt update = c.Prepare("UPDATE accounts SET " + sqlite_internal::UpdateAssignments<domain::Account>() +
                              " WHERE account_id = ?1");
      sqlite_internal::Bind(*update, account);
      update->exec();
    }
    WriteAccountIndex(c, account);
    if (before.status != account.status) {
      AddToCount(c, before.status, -1);
      AddToCount(c, account.status, +1);
    }
    sqlite_internal::ApplyAccountToAggregates(c, &before, account);
    txn.Commit();
    return Status::Ok();
  });
}

Result<AccountCounts> SqliteStore::CountAccounts() {
  return Read("CountAccounts", [&](Connection& c) -> Result<AccountCounts> { return ReadCounts(c); });
}

// ---- Contact information -------------------------------------------------------------------------------

Result<domain::ContactInfo> SqliteStore::GetContactInfo(const std::string& account_id) {
  return Read("GetContactInfo", [&](Connection& c) -> Result<domain::ContactInfo> {
    Stmt stmt = c.Prepare("SELECT " + sqlite_internal::SelectColumns<domain::ContactInfo>() +
                          " FROM contact_info WHERE account_id = ?1");
    stmt->bind(1, account_id);
    if (!stmt->executeStep()) return NotFound("no contact information for account " + account_id);
    return sqlite_internal::Read<domain::ContactInfo>(*stmt);
  });
}

Status SqliteStore::PutContactInfo(const std::string& account_id, const domain::ContactInfo& info) {
  return Write("PutContactInfo", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    if (!Exists(c, "SELECT 1 FROM accounts WHERE account_id = ?1", account_id)) {
      return NotFound("account " + account_id + " not found");
    }
    {
      // REPLACE is safe here: nothing references contact_info, so the implied delete cascades nowhere.
      Stmt upsert = c.Prepare("INSERT OR REPLACE INTO contact_info (account_id, " +
                              sqlite_internal::InsertColumns<domain::ContactInfo>() + ") VALUES (?1, " +
                              sqlite_internal::InsertPlaceholders<domain::ContactInfo>() + ")");
      upsert->bind(1, account_id);
      sqlite_internal::Bind(*upsert, info);
      upsert->exec();
    }
    txn.Commit();
    return Status::Ok();
  });
}

}  // namespace ap::store
