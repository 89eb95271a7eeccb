#include "store/dynamodb/intent.h"

#include <chrono>
#include <thread>

namespace ap::store::ddb {
namespace {

constexpr char kApplied[] = "applied";

boost::json::object Encode(const DerivedWrite& w) {
  boost::json::object o;
  switch (w.kind) {
    case DerivedWrite::Kind::kPut:
      o = {{"k", "put"}, {"t", w.table}, {"i", w.item}};
      break;
    case DerivedWrite::Kind::kDelete:
      o = {{"k", "del"}, {"t", w.table}, {"key", w.key}};
      break;
    case DerivedWrite::Kind::kAdd: {
      boost::json::array add;
      for (const auto& [name, delta] : w.add) add.push_back(boost::json::array{name, delta});
      o = {{"k", "add"}, {"t", w.table}, {"key", w.key}, {"a", std::move(add)}};
      break;
    }
    case DerivedWrite::Kind::kFollowUp:
      o = {{"k", "fu"}, {"f", w.follow_up}};
      break;
  }
  return o;
}

Result<DerivedWrite> Decode(const boost::json::value& v) {
  const boost::json::object* o = v.if_object();
  if (o == nullptr || !o->contains("k") || !o->at("k").is_string()) return Internal("unreadable intent entry");
  const std::string kind(o->at("k").as_string());
  auto str = [&](const char* name) -> std::string {
    const boost::json::value* f = o->if_contains(name);
    return f != nullptr && f->is_string() ? std::string(f->as_string()) : std::string();
  };
  auto obj = [&](const char* name) -> Item {
    const boost::json::value* f = o->if_contains(name);
    return f != nullptr && f->is_object() ? f->as_object() : Item();
  };
  if (kind == "put") return DerivedWrite::Put(str("t"), obj("i"));
  if (kind == "del") return DerivedWrite::Delete(str("t"), obj("key"));
  if (kind == "fu") return DerivedWrite::FollowUp(str("f"));
  if (kind == "add") {
    std::vector<std::pair<std::string, double>> add;
    const boost::json::value* a = o->if_contains("a");
    if (a == nullptr || !a->is_array()) return Internal("unreadable intent counter");
    for (const boost::json::value& pair : a->as_array()) {
      const boost::json::array* p = pair.if_array();
      if (p == nullptr || p->size() != 2 || !(*p)[0].is_string() || !(*p)[1].is_number())
        return Internal("unreadable intent counter");
      add.emplace_back(std::string((*p)[0].as_string()), (*p)[1].to_number<double>());
    }
    return DerivedWrite::Add(str("t"), obj("key"), std::move(add));
  }
  return Internal("unknown intent entry kind " + kind);
}

Status IgnoreConditionFailure(const Result<boost::json::object>& r) {
  if (r.ok() || aws::IsConditionFailed(r.status())) return Status::Ok();
  return r.status();
}

}  // namespace

DerivedWrite DerivedWrite::Put(std::string table, Item item) {
  DerivedWrite w;
  w.kind = Kind::kPut;
  w.table = std::move(table);
  w.item = std::move(item);
  return w;
}
DerivedWrite DerivedWrite::Delete(std::string table, Item key) {
  DerivedWrite w;
  w.kind = Kind::kDelete;
  w.table = std::move(table);
  w.key = std::move(key);
  return w;
}
DerivedWrite DerivedWrite::Add(std::string table, Item key, std::vector<std::pair<std::string, double>> add) {
  DerivedWrite w;
  w.kind = Kind::kAdd;
  w.table = std::move(table);
  w.key = std::move(key);
  w.add = std::move(add);
  return w;
}
DerivedWrite DerivedWrite::FollowUp(std::string instruction) {
  DerivedWrite w;
  w.kind = Kind::kFollowUp;
  w.follow_up = std::move(instruction);
  return w;
}

std::string NewOpId(Random& random) { return random.HexString(16); }

void AddIntent(Item& owner_item, const Intent& intent, int64_t now_ms) {
  boost::json::array writes;
  for (const DerivedWrite& w : intent.writes) writes.push_back(Encode(w));
  boost::json::object doc{{"w", std::move(writes)}, {"d", intent.delete_owner}};
  owner_item["intent"] = S(boost::json::serialize(doc));
  owner_item["intent_op"] = S(intent.op_id);
  owner_item["intent_at"] = N(now_ms);
  owner_item["intent_shard"] = S("I");
  owner_item["intent_claim_until"] = N(now_ms + kClaimMs);
}

Result<std::optional<Intent>> PendingIntent(const Item& owner_item) {
  std::optional<std::string> op = GetOptS(owner_item, "intent_op");
  if (!op) return std::optional<Intent>();
  Intent intent;
  intent.op_id = *op;
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(GetS(owner_item, "intent"), ec);
  if (ec || !doc.is_object()) return Internal("unreadable intent on a record (op " + *op + ")");
  const boost::json::value* w = doc.as_object().if_contains("w");
  if (w == nullptr || !w->is_array()) return Internal("unreadable intent on a record (op " + *op + ")");
  for (const boost::json::value& e : w->as_array()) {
    ASSIGN_OR_RETURN(DerivedWrite write, Decode(e));
    intent.writes.push_back(std::move(write));
  }
  const boost::json::value* d = doc.as_object().if_contains("d");
  intent.delete_owner = d != nullptr && d->is_bool() && d->as_bool();
  return std::optional<Intent>(std::move(intent));
}

Status IntentRunner::Apply(const std::string& owner_table, const Item& owner_key, const Intent& intent,
                           bool phase_applied) {
  const std::string guard = "g_" + intent.op_id;
  const boost::json::object op_value{{":op", S(intent.op_id)}};
  if (!phase_applied) {
    for (const DerivedWrite& w : intent.writes) {
      if (w.kind == DerivedWrite::Kind::kPut) {
        boost::json::object req = Request(w.table);
        req["Item"] = w.item;
        RETURN_IF_ERROR(db_.Call("PutItem", req).status());
      } else if (w.kind == DerivedWrite::Kind::kDelete) {
        boost::json::object req = Request(w.table);
        req["Key"] = w.key;
        RETURN_IF_ERROR(db_.Call("DeleteItem", req).status());
      } else if (w.kind == DerivedWrite::Kind::kAdd && !w.add.empty()) {
        boost::json::object names{{"#g", guard}};
        boost::json::object values{{":one", N(1)}};
        std::string adds;
        for (size_t i = 0; i < w.add.size(); ++i) {
          const std::string n = "#a" + std::to_string(i);
          const std::string v = ":v" + std::to_string(i);
          names[n] = w.add[i].first;
          values[v] = Nd(w.add[i].second);
          if (i != 0) adds += ", ";
          adds.append(n).append(" ").append(v);
        }
        boost::json::object req = Request(w.table);
        req["Key"] = w.key;
        req["UpdateExpression"] = "ADD " + adds + " SET #g = :one";
        req["ConditionExpression"] = "attribute_not_exists(#g)";
        req["ExpressionAttributeNames"] = std::move(names);
        req["ExpressionAttributeValues"] = std::move(values);
        RETURN_IF_ERROR(IgnoreConditionFailure(db_.Call("UpdateItem", req)));
      }
    }
    boost::json::object mark = Request(owner_table);
    mark["Key"] = owner_key;
    mark["UpdateExpression"] = "SET intent_phase = :applied";
    mark["ConditionExpression"] = "intent_op = :op";
    mark["ExpressionAttributeValues"] = {{":op", S(intent.op_id)}, {":applied", S(kApplied)}};
    Result<boost::json::object> marked = db_.Call("UpdateItem", mark);
    if (!marked.ok()) {
      // Another runner finished the intent (it is gone from the owner): nothing is left to do.
      if (aws::IsConditionFailed(marked.status())) return Status::Ok();
      return marked.status();
    }
  }
  for (const DerivedWrite& w : intent.writes) {
    if (w.kind == DerivedWrite::Kind::kFollowUp && follow_up_) RETURN_IF_ERROR(follow_up_(w.follow_up));
  }
  for (const DerivedWrite& w : intent.writes) {
    if (w.kind != DerivedWrite::Kind::kAdd || w.add.empty()) continue;
    boost::json::object req = Request(w.table);
    req["Key"] = w.key;
    req["UpdateExpression"] = "REMOVE #g";
    req["ExpressionAttributeNames"] = {{"#g", guard}};
    RETURN_IF_ERROR(db_.Call("UpdateItem", req).status());
  }
  boost::json::object clear = Request(owner_table);
  clear["Key"] = owner_key;
  clear["UpdateExpression"] = "REMOVE intent, intent_op, intent_at, intent_shard, intent_phase, intent_claim_until";
  clear["ConditionExpression"] = "intent_op = :op";
  clear["ExpressionAttributeValues"] = op_value;
  RETURN_IF_ERROR(IgnoreConditionFailure(db_.Call("UpdateItem", clear)));
  if (intent.delete_owner) {
    boost::json::object del = Request(owner_table);
    del["Key"] = owner_key;
    del["ConditionExpression"] = "attribute_not_exists(intent_op) AND deleted = :yes";
    del["ExpressionAttributeValues"] = {{":yes", B(true)}};
    RETURN_IF_ERROR(IgnoreConditionFailure(db_.Call("DeleteItem", del)));
  }
  return Status::Ok();
}

Status IntentRunner::ApplyPending(const std::string& owner_table, const Item& owner_key, const Item& owner_item) {
  Item current = owner_item;
  // Waits in steps of 20..200 ms for the committing writer to finish (or its claim to expire).
  for (int round = 0;; ++round) {
    ASSIGN_OR_RETURN(std::optional<Intent> intent, PendingIntent(current));
    if (!intent) return Status::Ok();
    const int64_t now = clock_.NowUnixMillis();
    if (GetN(current, "intent_claim_until") <= now) {
      boost::json::object claim = Request(owner_table);
      claim["Key"] = owner_key;
      claim["UpdateExpression"] = "SET intent_claim_until = :until";
      claim["ConditionExpression"] = "intent_op = :op AND intent_claim_until = :seen";
      claim["ExpressionAttributeValues"] = {
          {":op", S(intent->op_id)}, {":seen", N(GetN(current, "intent_claim_until"))}, {":until", N(now + kClaimMs)}};
      Result<boost::json::object> claimed = db_.Call("UpdateItem", claim);
      if (claimed.ok()) return Apply(owner_table, owner_key, *intent, GetS(current, "intent_phase") == kApplied);
      if (!aws::IsConditionFailed(claimed.status())) return claimed.status();
    } else if (int64_t{round} * 100 > kClaimMs + 1000) {
      return Unavailable("a record is being changed by another writer; try again");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(round < 10 ? 20 : 200));
    boost::json::object get = Request(owner_table);
    get["Key"] = owner_key;
    get["ConsistentRead"] = true;
    ASSIGN_OR_RETURN(boost::json::object answer, db_.Call("GetItem", get));
    const Item* item = ItemOf(answer);
    if (item == nullptr) return Status::Ok();
    current = *item;
  }
}

}  // namespace ap::store::ddb
