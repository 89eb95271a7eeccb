// DynamoDbStore: accounts, their list and search index entries, the per-status counts, and contact information
// (docs/dynamodb.md, "Accounts, quota cache, aggregates").
//
// The account item (table `accounts`) is the owner: CreateAccount and UpdateAccount commit with one conditional
// PutItem ("absent" / "version = expected") carrying the intent that moves everything derived from it: the index
// entries on `main`, the status counts, the aggregates' account contribution, the team-set lookup items and one
// "recount" follow-up per region the account used or uses (dynamodb_store_quota.cc moves its snapshots'
// contributions). A list walks the index partitions of its filter from the cursor and merges them, as the SQLite
// store does (a search: one Query stream per partition and query prefix, NaturalQueryPrefixes, at most 31 per
// partition for a query ending in digits, so a page costs O(partitions × prefixes × page)), then reads the accounts it
// serves and skips entries that no longer match their account (an entry can lag its account while the writer applies
// the intent).
#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/collation.h"
#include "common/encoding.h"
#include "common/text_fold.h"
#include "store/cursor.h"
#include "store/dynamodb/accounts_internal.h"
#include "store/dynamodb/dynamodb_store.h"

namespace ap::store {

namespace ddb {

std::string EscapeKeyField(const std::string& field) {
  std::string out;
  out.reserve(field.size());
  for (char c : field) {
    if (c == '\x00') {
      out += "\x01\x02";
    } else if (c == '\x01') {
      out += "\x01\x03";
    } else {
      out += c;
    }
  }
  return out;
}

std::string JoinKey(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i != 0) out += "\x01\x01";
    out += EscapeKeyField(fields[i]);
  }
  return out;
}

Result<std::vector<std::string>> SplitKey(const std::string& key) {
  std::vector<std::string> fields(1);
  for (size_t i = 0; i < key.size(); ++i) {
    if (key[i] != '\x01') {
      fields.back() += key[i];
      continue;
    }
    if (i + 1 == key.size()) return Internal("unreadable index sort key");
    const char next = key[++i];
    if (next == '\x01') {
      fields.emplace_back();
    } else if (next == '\x02') {
      fields.back() += '\x00';
    } else if (next == '\x03') {
      fields.back() += '\x01';
    } else {
      return Internal("unreadable index sort key");
    }
  }
  return fields;
}

namespace {

std::vector<std::string> ScopesOf(const domain::Account& a) {
  std::vector<std::string> scopes = {"all"};
  for (const std::string& team : a.teams) scopes.push_back("team:" + team);
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
  return scopes;
}

}  // namespace

std::string ListPk(const std::string& scope, const std::string& status) { return "IDX#" + scope + "#" + status; }
std::string TermPk(const std::string& scope, const std::string& status) { return "TERM#" + scope + "#" + status; }

std::vector<std::string> TermsOf(const domain::Account& a) {
  std::vector<std::string> terms = {NaturalTermKey(a.account_id)};
  for (const std::string& t : SearchTerms(a.account_name)) terms.push_back(NaturalTermKey(t));
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

std::set<std::pair<std::string, std::string>> AccountIndexEntries(const domain::Account& a) {
  std::set<std::pair<std::string, std::string>> out;
  const std::string name_key = CollationKey(a.account_name);
  const std::string status(domain::AccountStatusName(a.status));
  const std::vector<std::string> terms = TermsOf(a);
  for (const std::string& scope : ScopesOf(a)) {
    out.emplace(ListPk(scope, status), ddb::JoinKey({name_key, a.account_id}));
    for (const std::string& term : terms) {
      out.emplace(TermPk(scope, status), ddb::JoinKey({term, name_key, a.account_id}));
    }
  }
  return out;
}

namespace {

std::vector<std::string> SortedUnique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

Item AccountToItem(const domain::Account& a) {
  const std::string& sealed = a.sealed_credentials;
  return Item{
      {"account_id", S(a.account_id)},
      {"account_name", S(a.account_name)},
      {"regions", Ls(SortedUnique(a.regions))},
      {"teams", Ls(SortedUnique(a.teams))},
      {"status", S(domain::AccountStatusName(a.status))},
      {"credential_type", S(domain::CredentialTypeName(a.credential_type))},
      {"access_key_id_masked", S(a.access_key_id_masked)},
      {"role_arn", S(a.role_arn)},
      {"sealed_credentials",
       boost::json::object{{"B", Base64Encode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(sealed.data()),
                                                                       sealed.size()))}}},
      {"created_at_ms", N(a.created_at_ms)},
      {"updated_at_ms", N(a.updated_at_ms)},
      {"created_by", S(a.created_by)},
      {"version", N(a.version)},
  };
}

Result<domain::Account> AccountFromItem(const Item& item) {
  domain::Account a;
  a.account_id = GetS(item, "account_id");
  a.account_name = GetS(item, "account_name");
  a.regions = GetLs(item, "regions");
  a.teams = GetLs(item, "teams");
  ASSIGN_OR_RETURN(a.status, domain::ParseAccountStatus(GetS(item, "status")));
  ASSIGN_OR_RETURN(a.credential_type, domain::ParseCredentialType(GetS(item, "credential_type")));
  a.access_key_id_masked = GetS(item, "access_key_id_masked");
  a.role_arn = GetS(item, "role_arn");
  if (const Item* typed = item.if_contains("sealed_credentials") ? item.at("sealed_credentials").if_object() : nullptr;
      typed != nullptr && typed->contains("B") && typed->at("B").is_string()) {
    std::optional<std::vector<uint8_t>> bytes = Base64Decode(typed->at("B").as_string());
    if (!bytes) return Internal("account " + a.account_id + ": unreadable sealed_credentials");
    a.sealed_credentials.assign(bytes->begin(), bytes->end());
  }
  a.created_at_ms = GetN(item, "created_at_ms");
  a.updated_at_ms = GetN(item, "updated_at_ms");
  a.created_by = GetS(item, "created_by");
  a.version = GetN(item, "version");
  return a;
}

}  // namespace ddb

namespace {

using ddb::Item;

// ".n": name keys in natural order (common/collation.h); cursors made before are InvalidArgument("cursor").
constexpr char kListCursor[] = "accounts.n";
constexpr char kSearchCursor[] = "account-search.n2";  // ".n2": terms as NaturalTermKey (an ".n" one is refused)
constexpr int kMaxCommitAttempts = 20;

std::string StatusName(domain::AccountStatus s) { return std::string(domain::AccountStatusName(s)); }

// The derived writes of an account going from `before` (nullptr: created) to `after`.
ddb::Intent AccountIntent(const std::string& main_table, const domain::Account* before, const domain::Account& after,
                          Random& random) {
  ddb::Intent intent;
  intent.op_id = ddb::NewOpId(random);
  const auto old_entries =
      before != nullptr ? ddb::AccountIndexEntries(*before) : std::set<std::pair<std::string, std::string>>{};
  const auto new_entries = ddb::AccountIndexEntries(after);
  for (const auto& [pk, sk] : old_entries) {
    if (!new_entries.contains({pk, sk})) {
      intent.writes.push_back(ddb::DerivedWrite::Delete(main_table, ddb::MainKey(pk, sk)));
    }
  }
  for (const auto& [pk, sk] : new_entries) {
    if (!old_entries.contains({pk, sk}))
      intent.writes.push_back(ddb::DerivedWrite::Put(main_table, ddb::MainKey(pk, sk)));
  }

  const ddb::Counted now = ddb::Counted::Of(after);
  ddb::CounterDelta delta;
  std::optional<ddb::Counted> was;
  if (before != nullptr) {
    was = ddb::Counted::Of(*before);
    delta.AddStatus(before->status, -1);
    delta.AddAccount(*was, -1);
  }
  delta.AddStatus(after.status, +1);
  delta.AddAccount(now, +1);
  for (ddb::DerivedWrite& w : delta.Writes(main_table)) intent.writes.push_back(std::move(w));

  // A rename of an active account moves its value-sorted entries (their name key): its snapshots are recounted.
  const bool renamed = before != nullptr && before->account_name != after.account_name && now.active;
  if (was && *was == now && !renamed) return intent;  // nothing that counts changed: no lookups, no recounts
  if (now.active) {
    const std::string set_pk = ddb::TeamSetPk(now.teams);
    for (const std::string& team : now.teams) {
      const std::string pk = ddb::TeamLookupPk(team);
      intent.writes.push_back(
          ddb::DerivedWrite::Put(main_table, Item{{"pk", ddb::S(pk)}, {"sk", ddb::S(set_pk)}, {"team", ddb::S(team)}}));
    }
  }
  std::set<std::string> regions(now.regions.begin(), now.regions.end());
  if (was) regions.insert(was->regions.begin(), was->regions.end());
  for (const std::string& region : regions) {
    intent.writes.push_back(ddb::DerivedWrite::FollowUp("recount " + after.account_id + " " + region));
  }
  return intent;
}

domain::Account Normalized(domain::Account a) {
  std::sort(a.regions.begin(), a.regions.end());
  a.regions.erase(std::unique(a.regions.begin(), a.regions.end()), a.regions.end());
  std::sort(a.teams.begin(), a.teams.end());
  a.teams.erase(std::unique(a.teams.begin(), a.teams.end()), a.teams.end());
  return a;
}

// A sort key of a list entry: (name_key, account_id), or (term, name_key, account_id) for search.
using Key = std::vector<std::string>;

}  // namespace

Status DynamoDbStore::CreateAccount(const domain::Account& account_in) {
  const domain::Account account = Normalized(account_in);
  const int64_t now = clock_.NowUnixMillis();
  ddb::Intent intent = AccountIntent(tables_.main, nullptr, account, random_);
  Item item = ddb::AccountToItem(account);
  ddb::AddIntent(item, intent, now);
  boost::json::object put = ddb::Request(tables_.accounts);
  put["Item"] = std::move(item);
  put["ConditionExpression"] = "attribute_not_exists(account_id)";
  Result<boost::json::object> done = db_.Call("PutItem", put);
  if (!done.ok()) {
    if (aws::IsConditionFailed(done.status())) {
      return AlreadyExists("account " + account.account_id + " already exists");
    }
    return done.status();
  }
  return intents_.Apply(tables_.accounts, Item{{"account_id", ddb::S(account.account_id)}}, intent);
}

Result<domain::Account> DynamoDbStore::GetAccount(const std::string& account_id) {
  boost::json::object get = ddb::Request(tables_.accounts);
  get["Key"] = Item{{"account_id", ddb::S(account_id)}};
  get["ConsistentRead"] = options_.consistent_reads;
  ASSIGN_OR_RETURN(boost::json::object answer, db_.Call("GetItem", get));
  const Item* item = ddb::ItemOf(answer);
  if (item == nullptr) return NotFound("account " + account_id + " not found");
  return ddb::AccountFromItem(*item);
}

Result<std::vector<domain::Account>> DynamoDbStore::GetAccounts(const std::vector<std::string>& account_ids) {
  if (account_ids.size() > kMaxGetAccounts) {
    return InvalidArgument("at most " + std::to_string(kMaxGetAccounts) + " account ids per lookup", "account_ids");
  }
  const std::set<std::string> ids(account_ids.begin(), account_ids.end());
  std::vector<boost::json::object> keys;
  keys.reserve(ids.size());
  for (const std::string& id : ids) keys.push_back(Item{{"account_id", ddb::S(id)}});
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items,
                   aws::BatchGetAll(db_, tables_.accounts, keys, options_.consistent_reads));
  std::vector<domain::Account> out;
  for (const Item& item : items) {
    ASSIGN_OR_RETURN(domain::Account a, ddb::AccountFromItem(item));
    out.push_back(std::move(a));
  }
  return out;
}

Status DynamoDbStore::UpdateAccount(const domain::Account& account_in, int64_t expected_version) {
  const domain::Account account = Normalized(account_in);
  const Item key{{"account_id", ddb::S(account.account_id)}};
  for (int attempt = 0; attempt < kMaxCommitAttempts; ++attempt) {
    // The derived writes of the previous change go first, so that they happen in commit order.
    ASSIGN_OR_RETURN(std::optional<Item> stored, ddb::ReadSettledOwner(db_, intents_, tables_.accounts, key));
    if (!stored) return NotFound("account " + account.account_id + " not found");
    ASSIGN_OR_RETURN(domain::Account before, ddb::AccountFromItem(*stored));
    if (before.version != expected_version) {
      return FailedPrecondition("account " + account.account_id + " is at version " + std::to_string(before.version) +
                                ", not " + std::to_string(expected_version) + "; reload and retry");
    }
    ddb::Intent intent = AccountIntent(tables_.main, &before, account, random_);
    Item item = ddb::AccountToItem(account);
    if (!intent.writes.empty()) ddb::AddIntent(item, intent, clock_.NowUnixMillis());
    boost::json::object put = ddb::Request(tables_.accounts);
    put["Item"] = std::move(item);
    put["ConditionExpression"] = std::string("version = :v AND ") + ddb::kNoPendingIntent;
    put["ExpressionAttributeValues"] = {{":v", ddb::N(expected_version)}};
    Result<boost::json::object> done = db_.Call("PutItem", put);
    if (!done.ok()) {
      if (aws::IsConditionFailed(done.status())) continue;  // changed meanwhile: the re-read decides
      return done.status();
    }
    if (intent.writes.empty()) return Status::Ok();
    return intents_.Apply(tables_.accounts, key, intent);
  }
  return Unavailable("account " + account.account_id + " keeps changing; try again");
}

Result<AccountCounts> DynamoDbStore::CountAccounts() {
  boost::json::object get = ddb::Request(tables_.main);
  get["Key"] = ddb::MainKey(ddb::kCounterPk, ddb::kAccountCounterSk);
  get["ConsistentRead"] = options_.consistent_reads;
  ASSIGN_OR_RETURN(boost::json::object answer, db_.Call("GetItem", get));
  AccountCounts counts;
  if (const Item* item = ddb::ItemOf(answer)) {
    counts.active = ddb::GetN(*item, StatusName(domain::AccountStatus::kActive));
    counts.inactive = ddb::GetN(*item, StatusName(domain::AccountStatus::kInactive));
  }
  return counts;
}

Result<AccountPage> DynamoDbStore::ListAccounts(const AccountFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  const bool filter_teams = filter.restrict_to_teams || !filter.any_of_teams.empty();
  const std::string query = SearchKey(filter.search);
  const bool search = !query.empty();
  const std::vector<std::string> prefixes = NaturalQueryPrefixes(query);
  const char* kind = search ? kSearchCursor : kListCursor;

  Key after;
  if (!filter.cursor.empty()) {
    ASSIGN_OR_RETURN(after, DecodeCursor(filter.cursor, kind, search ? 3 : 2));
  }
  if (filter_teams && filter.any_of_teams.empty()) return AccountPage{};
  if (search && prefixes.empty()) return AccountPage{};  // a control character: no term starts with it

  std::set<std::string> scopes;
  if (filter_teams) {
    for (const std::string& team : filter.any_of_teams) scopes.insert("team:" + team);
  } else {
    scopes.insert("all");
  }
  std::vector<std::string> statuses;
  if (filter.status) {
    statuses.push_back(StatusName(*filter.status));
  } else {
    statuses = {StatusName(domain::AccountStatus::kActive), StatusName(domain::AccountStatus::kInactive)};
  }
  // The streams: each partition's list entries, or for a search each (partition, query prefix)'s entries (the
  // prefixes' key ranges are disjoint, so the union of the streams is their merge): at most partitions × 31.
  struct Stream {
    std::string pk;
    std::string escaped_prefix;  // search only: EscapeKeyField(prefix), a prefix of the escaped sort keys
  };
  std::vector<Stream> streams;
  for (const std::string& scope : scopes) {
    for (const std::string& status : statuses) {
      if (!search) {
        streams.push_back({ddb::ListPk(scope, status), ""});
        continue;
      }
      for (const std::string& prefix : prefixes) {
        streams.push_back({ddb::TermPk(scope, status), ddb::EscapeKeyField(prefix)});
      }
    }
  }

  // One stream's entries after `from` (empty: from the start), in key order, at most `n`.
  auto read_partition = [&](const Stream& stream, const Key& from, int64_t n) -> Result<std::vector<Key>> {
    const std::string& pk = stream.pk;
    const std::string& escaped_query = stream.escaped_prefix;
    boost::json::object req = ddb::Request(tables_.main);
    req["ConsistentRead"] = options_.consistent_reads;
    req["Limit"] = n;
    boost::json::object values{{":pk", ddb::S(pk)}};
    const std::string from_sk = from.empty() ? std::string() : ddb::JoinKey(from);
    if (!search) {
      if (from.empty()) {
        req["KeyConditionExpression"] = "pk = :pk";
      } else {
        req["KeyConditionExpression"] = "pk = :pk AND sk > :after";
        values[":after"] = ddb::S(from_sk);
      }
    } else {
      req["KeyConditionExpression"] = "pk = :pk AND begins_with(sk, :prefix)";
      values[":prefix"] = ddb::S(escaped_query);
      if (!from.empty()) {
        if (from_sk.compare(0, escaped_query.size(), escaped_query) == 0) {
          req["ExclusiveStartKey"] = ddb::MainKey(pk, from_sk);
        } else if (from_sk > escaped_query) {
          return std::vector<Key>{};  // past every term of this prefix
        }
      }
    }
    req["ExpressionAttributeValues"] = std::move(values);
    ASSIGN_OR_RETURN(std::vector<boost::json::object> items, aws::QueryAll(db_, req, static_cast<size_t>(n)));
    std::vector<Key> out;
    for (const Item& item : items) {
      ASSIGN_OR_RETURN(Key k, ddb::SplitKey(ddb::GetS(item, "sk")));
      if (k.size() != (search ? 3u : 2u)) return Internal("unreadable index sort key");
      out.push_back(std::move(k));
    }
    return out;
  };

  AccountPage page;
  std::vector<Key> served;
  const size_t want = static_cast<size_t>(filter.limit) + 1;  // one more than a page tells whether there is a next
  const int64_t batch = filter.limit + 1;
  std::map<std::string, std::optional<domain::Account>> accounts;  // fetched so far (nullopt: absent)
  bool done = false;
  Key from = after;
  while (!done) {
    // The union of the partitions in key order (an entry present in several partitions once), up to the smallest
    // last key of a full partition read: entries above it may be missing.
    std::vector<Key> merged;
    std::optional<Key> bound;
    for (const Stream& stream : streams) {
      ASSIGN_OR_RETURN(std::vector<Key> r, read_partition(stream, from, batch));
      if (static_cast<int64_t>(r.size()) == batch && (!bound || r.back() < *bound)) bound = r.back();
      merged.insert(merged.end(), r.begin(), r.end());
    }
    std::sort(merged.begin(), merged.end());
    merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
    if (bound) merged.erase(std::upper_bound(merged.begin(), merged.end(), *bound), merged.end());
    for (size_t i = 0; i < merged.size() && !done; ++i) {
      const Key& k = merged[i];
      if (!accounts.contains(k.back())) {
        // Fetch the accounts of the next entries, as many as the page still needs (at most 100 per call).
        std::vector<boost::json::object> keys;
        std::set<std::string> asked;
        const size_t need = std::max<size_t>(want - page.items.size(), 1);
        for (size_t j = i; j < merged.size() && keys.size() < std::min<size_t>(need, 100); ++j) {
          const std::string& id = merged[j].back();
          if (accounts.contains(id) || !asked.insert(id).second) continue;
          keys.push_back(Item{{"account_id", ddb::S(id)}});
        }
        ASSIGN_OR_RETURN(std::vector<boost::json::object> items,
                         aws::BatchGetAll(db_, tables_.accounts, keys, options_.consistent_reads));
        for (const std::string& id : asked) accounts[id] = std::nullopt;
        for (const Item& item : items) {
          ASSIGN_OR_RETURN(domain::Account a, ddb::AccountFromItem(item));
          accounts[a.account_id] = std::move(a);
        }
      }
      const std::optional<domain::Account>& a = accounts[k.back()];
      if (!a) continue;  // never serve a ghost
      // An entry is served only while it is its account's: name, status and teams as the account has them now.
      const std::string name_key = CollationKey(a->account_name);
      if (name_key != k[search ? 1 : 0]) continue;
      if (filter.status && a->status != *filter.status) continue;
      if (filter_teams) {
        bool shared = false;
        for (const std::string& team : a->teams) shared = shared || scopes.contains("team:" + team);
        if (!shared) continue;
      }
      if (search) {
        // Served only at its first matching term (TermsOf is sorted), so that it is listed once.
        const std::vector<std::string> terms = ddb::TermsOf(*a);
        auto first =
            std::find_if(terms.begin(), terms.end(), [&](const std::string& t) { return StartsWithAny(t, prefixes); });
        if (first == terms.end() || *first != k[0]) continue;
      }
      if (page.items.size() + 1 == want) {
        page.next = EncodeCursor(kind, served.back());
        done = true;
        break;
      }
      page.items.push_back(*a);
      served.push_back(k);
    }
    if (!bound) break;
    from = *bound;
  }
  if (!filter_teams && !search) {
    ASSIGN_OR_RETURN(AccountCounts counts, CountAccounts());
    if (!filter.status) {
      page.total = counts.active + counts.inactive;
    } else {
      page.total = *filter.status == domain::AccountStatus::kActive ? counts.active : counts.inactive;
    }
  }
  return page;
}

// ---- Contact information -------------------------------------------------------------------------------

namespace {

// The contact fields as (attribute, member) pairs, so the codec is written once.
std::vector<std::pair<const char*, std::string domain::ContactInfo::*>> ContactFields() {
  using C = domain::ContactInfo;
  return {{"full_name", &C::full_name},
          {"address_line1", &C::address_line1},
          {"address_line2", &C::address_line2},
          {"address_line3", &C::address_line3},
          {"city", &C::city},
          {"company_name", &C::company_name},
          {"country_code", &C::country_code},
          {"district_or_county", &C::district_or_county},
          {"phone_number", &C::phone_number},
          {"postal_code", &C::postal_code},
          {"state_or_region", &C::state_or_region},
          {"website_url", &C::website_url},
          {"updated_by", &C::updated_by}};
}

std::string ContactPk(const std::string& account_id) { return "CONTACT#" + account_id; }
constexpr char kContactSk[] = "contact";

}  // namespace

Result<domain::ContactInfo> DynamoDbStore::GetContactInfo(const std::string& account_id) {
  boost::json::object get = ddb::Request(tables_.main);
  get["Key"] = ddb::MainKey(ContactPk(account_id), kContactSk);
  get["ConsistentRead"] = options_.consistent_reads;
  ASSIGN_OR_RETURN(boost::json::object answer, db_.Call("GetItem", get));
  const Item* item = ddb::ItemOf(answer);
  if (item == nullptr) return NotFound("no contact information for account " + account_id);
  domain::ContactInfo info;
  for (const auto& [name, member] : ContactFields()) info.*member = ddb::GetS(*item, name);
  info.updated_at_ms = ddb::GetN(*item, "updated_at_ms");
  return info;
}

Status DynamoDbStore::PutContactInfo(const std::string& account_id, const domain::ContactInfo& info) {
  // Accounts are never deleted, so "the account exists" read here still holds when the put lands.
  boost::json::object get = ddb::Request(tables_.accounts);
  get["Key"] = Item{{"account_id", ddb::S(account_id)}};
  get["ConsistentRead"] = true;
  get["ProjectionExpression"] = "account_id";
  ASSIGN_OR_RETURN(boost::json::object answer, db_.Call("GetItem", get));
  if (ddb::ItemOf(answer) == nullptr) return NotFound("account " + account_id + " not found");
  Item item = ddb::MainKey(ContactPk(account_id), kContactSk);
  for (const auto& [name, member] : ContactFields()) item[name] = ddb::S(info.*member);
  item["updated_at_ms"] = ddb::N(info.updated_at_ms);
  boost::json::object put = ddb::Request(tables_.main);
  put["Item"] = std::move(item);
  return db_.Call("PutItem", put).status();
}

}  // namespace ap::store
