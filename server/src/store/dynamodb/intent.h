// Intents: how DynamoDbStore changes several records without a multi-item transaction (dynamodb_store.h's file
// comment). Private to store/dynamodb.
//
// Protocol for one operation on an *owner* record (an account, a snapshot, a job item, a user, ...):
//  1. Commit: one conditional write of the owner that also stores the intent (AddIntent: attributes `intent`
//     (the derived writes, JSON text), `intent_op` (a random op id), `intent_at`, `intent_shard`) and whose
//     condition includes kNoPendingIntent. Once it succeeds the operation has happened.
//  2. Apply (IntentRunner::Apply): every kPut / kDelete (idempotent), every kAdd as `ADD <counters> SET g_<op>`
//     conditioned on `attribute_not_exists(g_<op>)` (so a counter never counts one op twice); then the owner is
//     marked `intent_phase = applied`; then the follow-ups run (idempotent by contract); then every guard g_<op>
//     is removed; then the intent attributes are removed from the owner (and the owner deleted when
//     Intent::delete_owner: a deletion commits as a tombstone `deleted = true` carrying its intent).
//  3. Anyone who reads an owner with an intent (a later writer; the sweeper for intents older than a few seconds)
//     runs Apply for it; a crash at any step leaves the intent on the owner, so it is finished later, once.
// Guards exist only while their intent is pending, so counter items stay small.
// One runner at a time: the commit write also *claims* the intent for its writer (`intent_claim_until` = commit
// time + kClaimMs); another runner takes it over only once that claim has expired (a conditional write), so two
// runners never apply one intent at the same time unless one stalled for longer than kClaimMs (then a counter
// could count twice: RebuildAggregates finds and repairs such drift).
//
// Thread safety: IntentRunner is safe from many threads; two Applies of one intent may run at once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aws/dynamodb.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "store/dynamodb/item.h"

namespace ap::store::ddb {

struct DerivedWrite {
  enum class Kind { kPut, kDelete, kAdd, kFollowUp };
  Kind kind = Kind::kPut;
  std::string table;  // full table name (not kFollowUp)
  Item item;          // kPut: the whole item, key included
  Item key;           // kDelete / kAdd: the key of the item
  // kAdd: top-level numeric attributes and the amount added to each (the item is created if absent).
  std::vector<std::pair<std::string, double>> add;
  // kFollowUp: an instruction for the store's follow-up handler (e.g. "recount <account>/<region>"), run after
  // the other writes; it must be idempotent.
  std::string follow_up;

  static DerivedWrite Put(std::string table, Item item);
  static DerivedWrite Delete(std::string table, Item key);
  static DerivedWrite Add(std::string table, Item key, std::vector<std::pair<std::string, double>> add);
  static DerivedWrite FollowUp(std::string instruction);
};

struct Intent {
  std::string op_id;  // NewOpId()
  std::vector<DerivedWrite> writes;
  bool delete_owner = false;  // the owner is a tombstone: delete it once the intent is applied
};

// How long the committing writer's claim on its intent lasts (see the file comment).
inline constexpr int64_t kClaimMs = 5000;

// A new random op id (16 bytes, hex).
std::string NewOpId(Random& random);

// The condition every commit write must include (with AND): the owner has no pending intent.
inline constexpr char kNoPendingIntent[] = "attribute_not_exists(intent_op)";

// Adds the intent's attributes to an owner item about to be written by PutItem (step 1).
void AddIntent(Item& owner_item, const Intent& intent, int64_t now_ms);
// The intent stored on an owner item, if any (nullopt when none; Internal when it is unreadable).
Result<std::optional<Intent>> PendingIntent(const Item& owner_item);

class IntentRunner {
 public:
  using FollowUpHandler = std::function<Status(const std::string& instruction)>;

  IntentRunner(aws::DynamoDb& db, const Clock& clock, FollowUpHandler follow_up)
      : db_(db), clock_(clock), follow_up_(std::move(follow_up)) {}

  // Step 2 for `intent`, which the caller committed (and so holds the claim of) on the owner (owner_table,
  // owner_key). OK when done (also when another runner finished it first); the first error otherwise (the
  // intent stays on the owner for a later ApplyPending).
  Status Apply(const std::string& owner_table, const Item& owner_key, const Intent& intent, bool phase_applied = false);
  // If `owner_item` (as just read) carries an intent, finishes it: takes the claim once the committing writer's
  // has expired (waiting for it up to about kClaimMs + 1 s, re-reading the owner), then Apply. OK when the item
  // carries no intent or the intent was finished meanwhile; Unavailable when the claim could not be had in time.
  // After OK the caller re-reads the owner before writing it.
  Status ApplyPending(const std::string& owner_table, const Item& owner_key, const Item& owner_item);

 private:
  aws::DynamoDb& db_;
  const Clock& clock_;
  FollowUpHandler follow_up_;
};

}  // namespace ap::store::ddb
