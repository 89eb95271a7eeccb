// AccountStore: the account registry, its list and search indexes, the per-status account counts and the contact
// information of each account.
//
// Ordering uses common/collation.h and matching ("case-insensitive") common/text_fold.h, the same in every backend:
//  - Lists are ordered by (name key, account_id), where name key = CollationKey(account_name) (natural and
//    locale-aware: "bench-2" < "bench-10", case ignored, Latin before Han, Han by pinyin), compared byte-wise,
//    then account_id byte-wise. A backend that stores keys rebuilds them when CollationVersion() changes.
//  - Search (AccountFilter::search) matches an account when SearchKey(search) is a prefix of one of the account's
//    terms: its account_id, or one of SearchTerms(account_name) (the name from the start of any of its words).
//    So "prod" finds "Production EU" and "my-prod", "eu w" finds "Prod EU West", "1234" finds account
//    123456789012; "duct" (inside a word) finds nothing.
//
// Cost: every operation reads or writes O(1) records, except ListAccounts: O(partitions × limit) index entries
// plus the `limit` accounts it returns, where partitions = (teams of the filter, or 1) × (statuses of the filter:
// 1, or 2 for any status); a search reads O(partitions × prefixes × limit), prefixes = NaturalQueryPrefixes of the
// query (1, or up to 31 when it ends in a digit). It never reads the whole registry. An implementation keeps, per
// account, one list entry and one search entry per term in each partition the account belongs to: the "all accounts"
// partition and one per team, each per status, keyed by the list's sort key (on DynamoDB: one item per entry, partition
// key = (scope, status), sort key = (term key,) name key, account_id; Query with a sort-key range from the cursor).
//
// Errors common to every method: Unavailable / Internal when the backend fails (I/O error, corrupt data); callers
// never see backend-specific error types. Team and region lists inside records come back sorted and without
// duplicates.
//
// Thread safety: safe to call concurrently from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/account.h"

namespace ap::store {

struct AccountFilter {
  std::optional<domain::AccountStatus> status;  // nullopt = any status
  // Non-empty: only accounts assigned to at least one of these teams (duplicates ignored).
  std::vector<std::string> any_of_teams;
  bool restrict_to_teams = false;  // true: apply any_of_teams even when empty (then nothing matches)
  // Non-empty after SearchKey(): only accounts it matches (see the header comment). Empty or white space only:
  // no search.
  std::string search;
  // "" = the first page; otherwise AccountPage::next of the page before, made with the same filter (a cursor of
  // a list without search is refused by a search and vice versa: InvalidArgument("cursor")).
  std::string cursor;
  int64_t limit = 50;  // 1..1000, else InvalidArgument("limit")
};

struct AccountPage {
  // Without search: ordered by (name key, account_id). With search: ordered by (matched term key, name key,
  // account_id), where the term key is NaturalTermKey(term) (common/text_fold.h) and the matched term is the
  // account's term with the smallest key the search matches; each account is listed once, at that term. Term keys
  // order digit runs as numbers ("bench-2" before "bench-10" for the search "bench") and other text by code point
  // (Latin before Han, Han not by pinyin: a term key must stay prefix-preserving, so that a search selects one key
  // range per NaturalQueryPrefixes prefix).
  std::vector<domain::Account> items;
  // The cursor of the next page; "" when this page is the last. It is the sort key of the last item served, so
  // following it is stable under concurrent writes: an account that exists unchanged from the first page to the
  // last is served exactly once; one inserted (or renamed) meanwhile is served iff its key sorts after the cursor.
  std::string next;
  // Set only when the filter has no team restriction and no search: the number of accounts of filter.status
  // (all of them for any status) from the maintained counts (CountAccounts), read by the same call.
  std::optional<int64_t> total;
};

// The maintained number of accounts per status.
struct AccountCounts {
  int64_t active = 0;
  int64_t inactive = 0;
};

// Most ids GetAccounts reads in one call.
inline constexpr size_t kMaxGetAccounts = 1000;

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // ---- Accounts ----------------------------------------------------------------------------------------
  // Stores a new account, only if no account with this account_id exists (whatever its status): else
  // AlreadyExists. Atomic: the account, its list and search entries, its status's count (+1) and the quota
  // aggregates' account contribution are written all or nothing.
  virtual Status CreateAccount(const domain::Account& account) = 0;
  // The stored account (inactive accounts are returned; status tells). NotFound if absent. Reads one record.
  virtual Result<domain::Account> GetAccount(const std::string& account_id) = 0;
  // The stored accounts among `account_ids` (any status; absent ids are left out), in no particular order. A batch
  // lookup: O(ids) records read in ceil(ids / 100) round trips (DynamoDB BatchGetItem; one SQLite query), never a
  // scan. InvalidArgument("account_ids") for more than 1,000 ids. Duplicates are read once. The default reads the
  // ids one by one with GetAccount (for wrappers and fakes); the backends override it.
  virtual Result<std::vector<domain::Account>> GetAccounts(const std::vector<std::string>& account_ids);
  // One page of the accounts matching `filter` (see AccountFilter and AccountPage). InvalidArgument("limit") or
  // ("cursor") for a limit out of range or a cursor that this list did not make.
  virtual Result<AccountPage> ListAccounts(const AccountFilter& filter) = 0;
  // Replaces the account, only if its stored version equals `expected_version`, storing account.version as given
  // (the caller sets expected_version + 1). NotFound if absent; FailedPrecondition if the version differs (then
  // nothing is written). Atomic: the account, its list and search entries (moved to the new name, status and
  // teams), the counts of the old and new status (-1 / +1 when it changes) and the quota aggregates' account
  // contribution are written all or nothing.
  virtual Status UpdateAccount(const domain::Account& account, int64_t expected_version) = 0;
  // The maintained per-status counts (reads O(1) records). They always equal the number of stored accounts of
  // each status, since every account write updates them atomically with the account.
  virtual Result<AccountCounts> CountAccounts() = 0;

  // ---- Contact information -----------------------------------------------------------------------------
  // Contact information of an account. NotFound if none was stored. Reads one record.
  virtual Result<domain::ContactInfo> GetContactInfo(const std::string& account_id) = 0;
  // Creates or replaces the contact information (one record), only if the account exists: else NotFound.
  virtual Status PutContactInfo(const std::string& account_id, const domain::ContactInfo& info) = 0;
};

inline Result<std::vector<domain::Account>> AccountStore::GetAccounts(const std::vector<std::string>& account_ids) {
  if (account_ids.size() > kMaxGetAccounts) {
    return InvalidArgument("at most " + std::to_string(kMaxGetAccounts) + " account ids per lookup", "account_ids");
  }
  std::vector<domain::Account> out;
  std::set<std::string> seen;
  for (const std::string& id : account_ids) {
    if (!seen.insert(id).second) continue;
    Result<domain::Account> a = GetAccount(id);
    if (a.ok()) {
      out.push_back(std::move(a).value());
    } else if (a.status().code() != StatusCode::kNotFound) {
      return a.status();
    }
  }
  return out;
}

}  // namespace ap::store
