// DynamoDbStore: users, teams and sessions (user_store.h, session_store.h) on the main table. Item shapes and the
// access pattern of each operation: docs/dynamodb.md "Users, teams, sessions, throttles, leases, epochs".
//
// A user is the owner record of its writes (dynamodb_store.h): the user item's conditional put (on its `rev`) is
// the commit; the counters and the release of an old email key follow from its intent. Email uniqueness lives
// in email key items `EMAIL#<email>`, reserved (conditional put) before the user write that claims the email;
// a reservation left by a writer that failed or died is recognised as dead (see ReserveEmail) and taken over.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/log.h"
#include "store/cursor.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/item.h"
#include "store/dynamodb/main_table_internal.h"
#include "store/dynamodb/users_internal.h"

namespace ap::store {

using ddb::DerivedWrite;
using ddb::Intent;
using ddb::Item;
using ddb::MainKey;
using ddb::ReadItem;
using ddb::S;
using ddb::SortNumber;

namespace {

constexpr int kMaxSessionsPerUser = 10000;
// Rounds of read-decide-write before a user write gives up under contention (Unavailable).
constexpr int kMaxRounds = 20;
// An email reservation whose writer may still be between its reservation and its user write is taken over only
// once it is this old (its writer crashed): a writer stalled for longer than this between the two writes could
// otherwise commit an email another user took meanwhile (docs/dynamodb.md).
constexpr int64_t kOrphanMs = 30'000;

Item UserKey(const std::string& user_id) { return MainKey("USER#" + user_id, "USER"); }
Item EmailKey(const std::string& email) { return MainKey("EMAIL#" + email, "EMAIL"); }
Item CounterKey() { return MainKey("COUNTER", "users"); }
Item TeamKey(const std::string& team_id) { return MainKey("TEAMS", team_id); }
Item SessionKey(const std::string& token_hash) { return MainKey("SESSION#" + token_hash, "SESSION"); }

bool IsEnabledAdmin(const domain::User& u) { return u.role == domain::Role::kAdmin && !u.disabled; }

Item UserItem(const domain::User& u, int64_t rev) {
  Item item = UserKey(u.user_id);
  item["user_id"] = S(u.user_id);
  item["email"] = S(u.email);
  item["role"] = S(domain::RoleName(u.role));
  item["teams"] = ddb::Ls(u.teams);
  item["disabled"] = ddb::B(u.disabled);
  item["password_hash"] = S(u.password_hash);
  if (u.must_change_password) item["must_change_password"] = ddb::B(true);  // absent: false (older items too)
  item["created_at_ms"] = ddb::N(u.created_at_ms);
  item["updated_at_ms"] = ddb::N(u.updated_at_ms);
  item["rev"] = ddb::N(rev);
  item["gsi1pk"] = S("USERS");
  item["gsi1sk"] = S(u.email);
  return item;
}

Result<domain::User> UserFromItem(const Item& item) {
  domain::User u;
  u.user_id = ddb::GetS(item, "user_id");
  u.email = ddb::GetS(item, "email");
  Result<domain::Role> role = domain::ParseRole(ddb::GetS(item, "role"));
  if (!role.ok()) return Internal("user " + u.user_id + " has an unreadable role");
  u.role = *role;
  u.teams = ddb::GetLs(item, "teams");
  u.disabled = ddb::GetB(item, "disabled");
  u.password_hash = ddb::GetS(item, "password_hash");
  u.must_change_password = ddb::GetB(item, "must_change_password", false);
  u.created_at_ms = ddb::GetN(item, "created_at_ms");
  u.updated_at_ms = ddb::GetN(item, "updated_at_ms");
  return u;
}

// A user item that is a user: present and not a tombstone (a deletion in progress).
bool IsLive(const std::optional<Item>& item) { return item && !ddb::GetB(*item, "deleted"); }
bool HasIntent(const Item& item) { return ddb::GetOptS(item, "intent_op").has_value(); }

Item SessionItem(const domain::Session& s) {
  Item item = SessionKey(s.token_hash);
  item["token_hash"] = S(s.token_hash);
  item["user_id"] = S(s.user_id);
  item["created_at_ms"] = ddb::N(s.created_at_ms);
  item["expires_at_ms"] = ddb::N(s.expires_at_ms);
  item["user_agent"] = S(s.user_agent);
  item["client_ip"] = S(s.client_ip);
  item["gsi1pk"] = S("USESS#" + s.user_id);
  item["gsi1sk"] = S(SortNumber(s.created_at_ms) + "#" + s.token_hash);
  item["gsi2pk"] = S("SESSEXP");
  item["gsi2sk"] = S(SortNumber(s.expires_at_ms) + "#" + s.token_hash);
  item["expires_at"] = ddb::N(ddb::TtlSeconds(s.expires_at_ms));
  return item;
}

domain::Session SessionFromItem(const Item& item) {
  domain::Session s;
  s.token_hash = ddb::GetS(item, "token_hash");
  s.user_id = ddb::GetS(item, "user_id");
  s.created_at_ms = ddb::GetN(item, "created_at_ms");
  s.expires_at_ms = ddb::GetN(item, "expires_at_ms");
  s.user_agent = ddb::GetS(item, "user_agent");
  s.client_ip = ddb::GetS(item, "client_ip");
  return s;
}

// A BatchWriteItem entry deleting the main-table record whose key `item` carries.
boost::json::object DeleteRequest(const Item& item) {
  return boost::json::object{
      {"DeleteRequest", boost::json::object{{"Key", MainKey(ddb::GetS(item, "pk"), ddb::GetS(item, "sk"))}}}};
}

// The keys of `user_id`'s sessions, newest first (created_at_ms, then token_hash, descending), through gsi1:
// eventually consistent, so a session created a moment ago on another instance may be missing.
Result<std::vector<Item>> SessionKeysOfUser(aws::DynamoDb& db, const std::string& table, const std::string& user_id) {
  boost::json::object query = ddb::Request(table);
  query["IndexName"] = "gsi1";
  query["KeyConditionExpression"] = "gsi1pk = :p";
  query["ExpressionAttributeValues"] = {{":p", S("USESS#" + user_id)}};
  query["ScanIndexForward"] = false;
  query["ProjectionExpression"] = "pk, sk";
  return aws::QueryAll(db, query);
}

// What the user functions below need of the store.
struct Users {
  aws::DynamoDb& db;
  const Clock& clock;
  ddb::IntentRunner& intents;
  const std::string& table;

  Result<std::optional<Item>> Read(const Item& key) const { return ReadItem(db, table, key, /*consistent=*/true); }

  // Reserves `email` for `holder` (whose stored rev is `holder_rev`; 0 when the holder is being created) with
  // reservation id `op`. The key item records holder, op, rev and time. OK when reserved (also when the holder's
  // own earlier reservation was refreshed, if `own_ok`); AlreadyExists when another user has the email or a
  // writer is still between its reservation and its user write.
  //
  // A reservation held by someone else is dead, and taken over (conditionally on its op, so a concurrent refresh
  // wins or loses as one write), when its holder is no user with that email and either the holder's rev moved
  // past the reservation's (the writer that reserved committed another email or lost its race) or the
  // reservation is older than kOrphanMs (its writer crashed). A holder with a pending intent (a move away from
  // the email, or a deletion, that releases the key) is finished first.
  Status ReserveEmail(const std::string& email, const std::string& holder, int64_t holder_rev, bool own_ok,
                      const std::string& op) const {
    for (int round = 0; round < kMaxRounds; ++round) {
      const int64_t now = clock.NowUnixMillis();
      Item key_item = EmailKey(email);
      key_item["user_id"] = S(holder);
      key_item["op"] = S(op);
      key_item["rev"] = ddb::N(holder_rev);
      key_item["at"] = ddb::N(now);
      Status put = ddb::PutItemIf(db, table, key_item, "attribute_not_exists(pk)");
      if (put.ok()) return put;
      if (!aws::IsConditionFailed(put)) return put;
      ASSIGN_OR_RETURN(std::optional<Item> seen, Read(EmailKey(email)));
      if (!seen) continue;  // released meanwhile
      const std::string seen_holder = ddb::GetS(*seen, "user_id");
      const boost::json::object same_op{{":op", S(ddb::GetS(*seen, "op"))}};
      if (seen_holder != holder || !own_ok) {
        ASSIGN_OR_RETURN(std::optional<Item> user, Read(UserKey(seen_holder)));
        if (user && HasIntent(*user)) {
          RETURN_IF_ERROR(intents.ApplyPending(table, UserKey(seen_holder), *user));
          continue;
        }
        if (IsLive(user) && ddb::GetS(*user, "email") == email)
          return AlreadyExists("a user with email " + email + " already exists");
        const bool superseded = IsLive(user) && ddb::GetN(*user, "rev") != ddb::GetN(*seen, "rev");
        if (!superseded && ddb::GetN(*seen, "at") + kOrphanMs > now)
          return AlreadyExists("email " + email + " is being taken by another user");
      }
      // Our own earlier reservation (refreshed so that it records our rev and op), or a dead one.
      Status taken = ddb::PutItemIf(db, table, key_item, "#op = :op", {{"#op", "op"}}, same_op);
      if (taken.ok() || !aws::IsConditionFailed(taken)) return taken;
    }
    return Unavailable("email " + email + " is contended; try again");
  }

  // Deletes the reservation `op` of `email` if it is still that one (best effort: a leftover is dead, see
  // ReserveEmail). Only called after a definite refusal of the user write, never after an uncertain failure (the
  // write may have happened).
  void ReleaseEmail(const std::string& email, const std::string& op) const {
    boost::json::object del = ddb::Request(table);
    del["Key"] = EmailKey(email);
    del["ConditionExpression"] = "#op = :op";
    del["ExpressionAttributeNames"] = {{"#op", "op"}};
    del["ExpressionAttributeValues"] = {{":op", S(op)}};
    db.Call("DeleteItem", del).status().IgnoreError();
  }

  // Commits `owner` (a user item or a tombstone) carrying `intent` (when it has writes) under `condition`,
  // then applies the intent. The commit is the operation: a failure to apply afterwards leaves the intent to the
  // next writer of this user or to SweepIntents, and the operation still succeeded.
  Status Commit(Item owner, const Intent& intent, const std::string& condition, boost::json::object names,
                boost::json::object values) const {
    const bool has_intent = !intent.writes.empty();
    if (has_intent) ddb::AddIntent(owner, intent, clock.NowUnixMillis());
    Item key = MainKey(ddb::GetS(owner, "pk"), ddb::GetS(owner, "sk"));
    RETURN_IF_ERROR(ddb::PutItemIf(db, table, std::move(owner), condition, std::move(names), std::move(values)));
    if (!has_intent) return Status::Ok();
    if (Status applied = intents.Apply(table, key, intent); !applied.ok())
      log::Warn("dynamodb_user_intent_pending", {{"record", ddb::GetS(key, "pk")}, {"error", applied.ToString()}});
    return Status::Ok();
  }

  // The stored user `user_id`, with any intent left on it finished first. nullopt when there is none (or only a
  // tombstone left by a finished deletion).
  Result<std::optional<Item>> ReadSettled(const std::string& user_id) const {
    for (int round = 0; round < kMaxRounds; ++round) {
      ASSIGN_OR_RETURN(std::optional<Item> item, Read(UserKey(user_id)));
      if (!item || !HasIntent(*item)) return IsLive(item) ? item : std::optional<Item>();
      RETURN_IF_ERROR(intents.ApplyPending(table, UserKey(user_id), *item));
    }
    return Unavailable("user " + user_id + " is contended; try again");
  }
};

// The condition of a user write that replaces the version it read.
constexpr char kSameRev[] = "#rev = :rev AND attribute_not_exists(intent_op) AND attribute_not_exists(deleted)";

}  // namespace

// ---- Users ---------------------------------------------------------------------------------------------

Status DynamoDbStore::CreateUser(const domain::User& user) {
  const Users users{db_, clock_, intents_, tables_.main};
  for (int round = 0; round < kMaxRounds; ++round) {
    Intent intent;
    intent.op_id = ddb::NewOpId(random_);
    std::vector<std::pair<std::string, double>> counts{{"users", 1}};
    if (IsEnabledAdmin(user)) counts.emplace_back("enabled_admins", 1);
    intent.writes.push_back(DerivedWrite::Add(tables_.main, CounterKey(), std::move(counts)));
    RETURN_IF_ERROR(users.ReserveEmail(user.email, user.user_id, 0, /*own_ok=*/false, intent.op_id));
    Status committed = users.Commit(UserItem(user, 1), intent, "attribute_not_exists(pk)", {}, {});
    if (committed.ok() || !aws::IsConditionFailed(committed)) return committed;
    users.ReleaseEmail(user.email, intent.op_id);
    // The id is taken, unless by a deletion still in progress: finish it and try again.
    ASSIGN_OR_RETURN(std::optional<Item> stored, users.Read(UserKey(user.user_id)));
    if (IsLive(stored)) return AlreadyExists("user " + user.user_id + " already exists");
    if (stored && HasIntent(*stored))
      RETURN_IF_ERROR(intents_.ApplyPending(tables_.main, UserKey(user.user_id), *stored));
  }
  return Unavailable("user " + user.user_id + " is contended; try again");
}

Result<domain::User> DynamoDbStore::GetUser(const std::string& user_id) {
  ASSIGN_OR_RETURN(std::optional<Item> item, ReadItem(db_, tables_.main, UserKey(user_id), options_.consistent_reads));
  if (!IsLive(item)) return NotFound("user " + user_id + " not found");
  return UserFromItem(*item);
}

Result<domain::User> DynamoDbStore::GetUserByEmail(const std::string& email) {
  // The email key names the user; the user item is the truth (a key whose user moved away is a leftover).
  ASSIGN_OR_RETURN(std::optional<Item> key, ReadItem(db_, tables_.main, EmailKey(email), options_.consistent_reads));
  if (key) {
    Result<domain::User> user = GetUser(ddb::GetS(*key, "user_id"));
    if (user.ok() && user->email == email) return user;
    if (!user.ok() && user.status().code() != StatusCode::kNotFound) return user.status();
  }
  return NotFound("no user with email " + email);
}

Result<UserPage> DynamoDbStore::ListUsers(const std::string& cursor, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  std::string after;
  if (!cursor.empty()) {
    ASSIGN_OR_RETURN(auto fields, DecodeCursor(cursor, "users", 1));
    after = fields[0];
  }
  // gsi1 (eventually consistent): every user under USERS, sorted by email.
  boost::json::object query = ddb::Request(tables_.main);
  query["IndexName"] = "gsi1";
  query["KeyConditionExpression"] = after.empty() ? "gsi1pk = :p" : "gsi1pk = :p AND gsi1sk > :after";
  query["ExpressionAttributeValues"] = {{":p", S("USERS")}};
  if (!after.empty()) query["ExpressionAttributeValues"].as_object()[":after"] = S(after);
  query["Limit"] = limit + 1;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items, aws::QueryAll(db_, query, static_cast<size_t>(limit) + 1));
  UserPage page;
  for (const Item& item : items) {
    ASSIGN_OR_RETURN(domain::User u, UserFromItem(item));
    page.items.push_back(std::move(u));
  }
  if (static_cast<int64_t>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next = EncodeCursor("users", {page.items.back().email});
  }
  return page;
}

Status DynamoDbStore::UpdateUser(const domain::User& user) {
  const Users users{db_, clock_, intents_, tables_.main};
  std::optional<std::string> reserved;  // the op of our reservation of user.email, if we made one
  for (int round = 0; round < kMaxRounds; ++round) {
    ASSIGN_OR_RETURN(std::optional<Item> stored, users.ReadSettled(user.user_id));
    if (!stored) {
      if (reserved) users.ReleaseEmail(user.email, *reserved);
      return NotFound("user " + user.user_id + " not found");
    }
    ASSIGN_OR_RETURN(domain::User before, UserFromItem(*stored));
    const int64_t rev = ddb::GetN(*stored, "rev");
    Intent intent;
    intent.op_id = ddb::NewOpId(random_);
    if (before.email != user.email) {
      RETURN_IF_ERROR(users.ReserveEmail(user.email, user.user_id, rev, /*own_ok=*/true, intent.op_id));
      reserved = intent.op_id;
      intent.writes.push_back(DerivedWrite::Delete(tables_.main, EmailKey(before.email)));
    }
    const int delta = (IsEnabledAdmin(user) ? 1 : 0) - (IsEnabledAdmin(before) ? 1 : 0);
    if (delta != 0) intent.writes.push_back(DerivedWrite::Add(tables_.main, CounterKey(), {{"enabled_admins", delta}}));
    Status committed =
        users.Commit(UserItem(user, rev + 1), intent, kSameRev, {{"#rev", "rev"}}, {{":rev", ddb::N(rev)}});
    // A condition failure: another writer changed the user since the read. Read again: next round our
    // reservation, if any, is refreshed with the new rev (or is already the user's own key, or is released if the
    // user is gone).
    if (committed.ok() || !aws::IsConditionFailed(committed)) return committed;
  }
  return Unavailable("user " + user.user_id + " is contended; try again");
}

Status DynamoDbStore::DeleteUser(const std::string& user_id) {
  const Users users{db_, clock_, intents_, tables_.main};
  for (int round = 0; round < kMaxRounds; ++round) {
    ASSIGN_OR_RETURN(std::optional<Item> stored, users.ReadSettled(user_id));
    if (!stored) return NotFound("user " + user_id + " not found");
    ASSIGN_OR_RETURN(domain::User before, UserFromItem(*stored));
    const int64_t rev = ddb::GetN(*stored, "rev");
    // A tombstone (out of the users index) whose intent releases the email, uncounts the user, then deletes it.
    Item tombstone = UserKey(user_id);
    tombstone["user_id"] = S(user_id);
    tombstone["email"] = S(before.email);
    tombstone["deleted"] = ddb::B(true);
    tombstone["rev"] = ddb::N(rev + 1);
    Intent intent;
    intent.op_id = ddb::NewOpId(random_);
    intent.delete_owner = true;
    intent.writes.push_back(DerivedWrite::Delete(tables_.main, EmailKey(before.email)));
    std::vector<std::pair<std::string, double>> counts{{"users", -1}};
    if (IsEnabledAdmin(before)) counts.emplace_back("enabled_admins", -1);
    intent.writes.push_back(DerivedWrite::Add(tables_.main, CounterKey(), std::move(counts)));
    Status committed = users.Commit(std::move(tombstone), intent, kSameRev, {{"#rev", "rev"}}, {{":rev", ddb::N(rev)}});
    if (committed.ok() || !aws::IsConditionFailed(committed)) return committed;
  }
  return Unavailable("user " + user_id + " is contended; try again");
}

Result<int64_t> DynamoDbStore::CountUsers() {
  ASSIGN_OR_RETURN(std::optional<Item> counters, ReadItem(db_, tables_.main, CounterKey(), options_.consistent_reads));
  return counters ? ddb::GetN(*counters, "users") : int64_t{0};
}

Result<int64_t> DynamoDbStore::CountEnabledAdmins() {
  ASSIGN_OR_RETURN(std::optional<Item> counters, ReadItem(db_, tables_.main, CounterKey(), options_.consistent_reads));
  return counters ? ddb::GetN(*counters, "enabled_admins") : int64_t{0};
}

namespace ddb {

Result<int64_t> RecountUserCounters(aws::DynamoDb& db, IntentRunner& intents, const std::string& main_table) {
  for (int round = 0; round < kMaxRounds; ++round) {
    ASSIGN_OR_RETURN(std::optional<Item> counters, ReadItem(db, main_table, CounterKey(), /*consistent=*/true));
    boost::json::object scan = Request(main_table);
    scan["ConsistentRead"] = true;
    scan["FilterExpression"] = "begins_with(pk, :u)";
    scan["ExpressionAttributeValues"] = {{":u", S("USER#")}};
    ASSIGN_OR_RETURN(std::vector<boost::json::object> records, aws::QueryAll(db, scan, 0, "Scan"));
    int64_t users = 0;
    int64_t admins = 0;
    bool settled = true;
    for (const Item& item : records) {
      if (HasIntent(item)) {  // its counter change may not have landed yet: finish it, then walk again
        RETURN_IF_ERROR(intents.ApplyPending(main_table, MainKey(GetS(item, "pk"), GetS(item, "sk")), item));
        settled = false;
        continue;
      }
      if (GetB(item, "deleted")) continue;
      ASSIGN_OR_RETURN(domain::User user, UserFromItem(item));
      ++users;
      if (IsEnabledAdmin(user)) ++admins;
    }
    if (!settled) continue;
    const int64_t stored_users = counters ? GetN(*counters, "users") : 0;
    const int64_t stored_admins = counters ? GetN(*counters, "enabled_admins") : 0;
    const int64_t corrected = (stored_users != users ? 1 : 0) + (stored_admins != admins ? 1 : 0);
    if (corrected == 0) return corrected;
    // Conditional on the values read before the walk (an absent attribute reads as 0).
    const auto unchanged = [](const char* name, const char* value, int64_t old) {
      const std::string same = std::string(name) + " = " + value;
      return old == 0 ? "(attribute_not_exists(" + std::string(name) + ") OR " + same + ")" : same;
    };
    boost::json::object update = Request(main_table);
    update["Key"] = CounterKey();
    update["UpdateExpression"] = "SET #u = :u, #a = :a";
    update["ConditionExpression"] =
        unchanged("#u", ":ou", stored_users) + " AND " + unchanged("#a", ":oa", stored_admins);
    update["ExpressionAttributeNames"] = {{"#u", "users"}, {"#a", "enabled_admins"}};
    update["ExpressionAttributeValues"] = {
        {":u", N(users)}, {":a", N(admins)}, {":ou", N(stored_users)}, {":oa", N(stored_admins)}};
    Status written = db.Call("UpdateItem", update).status();
    if (written.ok()) return corrected;
    if (!aws::IsConditionFailed(written)) return written;
  }
  return Unavailable("user counters: users kept changing during the recount; run it again");
}

}  // namespace ddb

// ---- Teams ---------------------------------------------------------------------------------------------

Status DynamoDbStore::PutTeam(const domain::Team& team) {
  boost::json::object update = ddb::Request(tables_.main);
  update["Key"] = TeamKey(team.team_id);
  update["UpdateExpression"] = "SET #n = :n, #c = if_not_exists(#c, :c)";  // a rename keeps created_at_ms
  update["ExpressionAttributeNames"] = {{"#n", "name"}, {"#c", "created_at_ms"}};
  update["ExpressionAttributeValues"] = {{":n", S(team.name)}, {":c", ddb::N(team.created_at_ms)}};
  return db_.Call("UpdateItem", update).status();
}

Status DynamoDbStore::PutTeamIfAbsent(const domain::Team& team) {
  Item item = TeamKey(team.team_id);
  item["name"] = S(team.name);
  item["created_at_ms"] = ddb::N(team.created_at_ms);
  Status put = ddb::PutItemIf(db_, tables_.main, std::move(item), "attribute_not_exists(pk)");
  return aws::IsConditionFailed(put) ? Status::Ok() : put;
}

Result<std::vector<domain::Team>> DynamoDbStore::ListTeams() {
  boost::json::object query = ddb::Request(tables_.main);
  query["KeyConditionExpression"] = "pk = :p";
  query["ExpressionAttributeValues"] = {{":p", S("TEAMS")}};
  if (options_.consistent_reads) query["ConsistentRead"] = true;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items, aws::QueryAll(db_, query));
  std::vector<domain::Team> teams;
  teams.reserve(items.size());
  for (const Item& item : items) {
    teams.push_back({ddb::GetS(item, "sk"), ddb::GetS(item, "name"), ddb::GetN(item, "created_at_ms")});
  }
  return teams;
}

Status DynamoDbStore::DeleteTeam(const std::string& team_id) {
  boost::json::object del = ddb::Request(tables_.main);
  del["Key"] = TeamKey(team_id);
  del["ConditionExpression"] = "attribute_exists(pk)";
  Status deleted = db_.Call("DeleteItem", del).status();
  if (aws::IsConditionFailed(deleted)) return NotFound("team " + team_id + " not found");
  return deleted;
}

// ---- Sessions ------------------------------------------------------------------------------------------

Status DynamoDbStore::CreateSession(const domain::Session& session, int max_sessions_per_user) {
  if (max_sessions_per_user < 1 || max_sessions_per_user > kMaxSessionsPerUser) {
    return InvalidArgument("max_sessions_per_user must be between 1 and 10000", "max_sessions_per_user");
  }
  // No cross-record condition: the user is checked by a read just before the write (session_store.h allows it).
  ASSIGN_OR_RETURN(std::optional<Item> user, ReadItem(db_, tables_.main, UserKey(session.user_id), true));
  if (!IsLive(user)) return NotFound("user " + session.user_id + " not found");
  Status put = ddb::PutItemIf(db_, tables_.main, SessionItem(session), "attribute_not_exists(pk)");
  // Never echo a token hash into messages or logs.
  if (aws::IsConditionFailed(put)) return AlreadyExists("session already exists");
  RETURN_IF_ERROR(put);

  // Eviction: the user's sessions newest first through gsi1 (eventually consistent: a session created a moment
  // ago elsewhere may be missed and is then evicted by the user's next login); keep the newest max - 1 others.
  ASSIGN_OR_RETURN(std::vector<Item> mine, SessionKeysOfUser(db_, tables_.main, session.user_id));
  const std::string own_pk = "SESSION#" + session.token_hash;
  std::vector<boost::json::object> evict;
  int kept = 0;
  for (const Item& item : mine) {
    if (ddb::GetS(item, "pk") == own_pk) continue;  // the new session is never evicted
    if (kept < max_sessions_per_user - 1) {
      ++kept;
      continue;
    }
    evict.push_back(DeleteRequest(item));
  }
  return aws::BatchWriteAll(db_, tables_.main, evict);
}

Result<domain::Session> DynamoDbStore::GetSession(const std::string& token_hash) {
  ASSIGN_OR_RETURN(std::optional<Item> item,
                   ReadItem(db_, tables_.main, SessionKey(token_hash), options_.consistent_reads));
  if (!item) return NotFound("session not found");
  return SessionFromItem(*item);
}

Status DynamoDbStore::DeleteSession(const std::string& token_hash) {
  boost::json::object del = ddb::Request(tables_.main);
  del["Key"] = SessionKey(token_hash);
  return db_.Call("DeleteItem", del).status();  // absent is fine: logout is idempotent
}

Status DynamoDbStore::DeleteSessionsOfUser(const std::string& user_id) {
  // A session created a moment ago elsewhere may be missed (gsi1, docs/dynamodb.md); the caller may call again.
  ASSIGN_OR_RETURN(std::vector<Item> mine, SessionKeysOfUser(db_, tables_.main, user_id));
  std::vector<boost::json::object> deletes;
  deletes.reserve(mine.size());
  for (const Item& item : mine) {
    deletes.push_back(DeleteRequest(item));
  }
  return aws::BatchWriteAll(db_, tables_.main, deletes);
}

Status DynamoDbStore::DeleteOtherSessionsOfUser(const std::string& user_id, const std::string& keep_token_hash) {
  ASSIGN_OR_RETURN(std::vector<Item> mine, SessionKeysOfUser(db_, tables_.main, user_id));
  const std::string kept_pk = "SESSION#" + keep_token_hash;
  std::vector<boost::json::object> deletes;
  for (const Item& item : mine) {
    if (ddb::GetS(item, "pk") != kept_pk) deletes.push_back(DeleteRequest(item));
  }
  return aws::BatchWriteAll(db_, tables_.main, deletes);
}

Result<int64_t> DynamoDbStore::DeleteExpiredSessions(int64_t now_ms) {
  // gsi2 orders sessions by expiry. One DeleteItem each, asking for the old item: only deletions that removed
  // something count, so instances sweeping at once (or an index entry lagging a deletion) never count twice.
  ASSIGN_OR_RETURN(std::vector<Item> expired, ddb::ExpiredKeys(db_, tables_.main, "SESSEXP", now_ms));
  int64_t deleted = 0;
  for (const Item& key : expired) {
    boost::json::object del = ddb::Request(tables_.main);
    del["Key"] = key;
    del["ReturnValues"] = "ALL_OLD";
    ASSIGN_OR_RETURN(boost::json::object answer, db_.Call("DeleteItem", del));
    if (answer.contains("Attributes")) ++deleted;
  }
  return deleted;
}

}  // namespace ap::store
