// The table definitions (docs/dynamodb.md) and CreateDynamoDbTables.
#include <chrono>
#include <map>
#include <thread>

#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/item.h"

namespace ap::store {
namespace {

struct Index {
  const char* name;
  const char* hash;
  const char* hash_type;  // "S" or "N"
  const char* range;      // nullptr: none
  const char* range_type;
  bool keys_only = false;
};

struct TableDef {
  std::string name;
  const char* hash;
  const char* range;  // nullptr: none
  std::vector<Index> indexes;
  bool ttl = false;  // DynamoDB TTL on `expires_at` (epoch seconds)
};

// The sparse index of pending intents (store/dynamodb/intent.h) on every table that holds owner records.
constexpr Index kIntents{"intents", "intent_shard", "S", "intent_at", "N", true};

std::vector<TableDef> Definitions(const DynamoDbTables& t) {
  return {
      {t.accounts, "account_id", nullptr, {kIntents}},
      {t.quota_cache, "account_id", "region", {kIntents}},
      {t.quota_config, "config_id", nullptr, {}},
      {t.audit,
       "audit_id",
       nullptr,
       {{"by_time", "audit_all", "S", "at_key", "S"},
        {"by_actor", "actor_id", "S", "at_key", "S"},
        {"by_action", "action", "S", "at_key", "S"},
        {"by_action_prefix", "action_prefix", "S", "at_key", "S"},
        {"by_target", "target", "S", "at_key", "S"},
        {"by_outcome", "outcome", "S", "at_key", "S"}}},
      {t.main,
       "pk",
       "sk",
       {{"gsi1", "gsi1pk", "S", "gsi1sk", "S"}, {"gsi2", "gsi2pk", "S", "gsi2sk", "S"}, kIntents},
       true},
  };
}

boost::json::object CreateRequest(const TableDef& def) {
  std::map<std::string, std::string> attributes{{def.hash, "S"}};
  boost::json::array key{{{"AttributeName", def.hash}, {"KeyType", "HASH"}}};
  if (def.range != nullptr) {
    attributes[def.range] = "S";
    key.push_back({{"AttributeName", def.range}, {"KeyType", "RANGE"}});
  }
  boost::json::array gsis;
  for (const Index& ix : def.indexes) {
    attributes[ix.hash] = ix.hash_type;
    boost::json::array schema{{{"AttributeName", ix.hash}, {"KeyType", "HASH"}}};
    if (ix.range != nullptr) {
      attributes[ix.range] = ix.range_type;
      schema.push_back({{"AttributeName", ix.range}, {"KeyType", "RANGE"}});
    }
    gsis.push_back({{"IndexName", ix.name},
                    {"KeySchema", std::move(schema)},
                    {"Projection", {{"ProjectionType", ix.keys_only ? "KEYS_ONLY" : "ALL"}}}});
  }
  boost::json::array defs;
  for (const auto& [name, type] : attributes) defs.push_back({{"AttributeName", name}, {"AttributeType", type}});
  boost::json::object req{{"TableName", def.name},
                          {"BillingMode", "PAY_PER_REQUEST"},
                          {"AttributeDefinitions", std::move(defs)},
                          {"KeySchema", std::move(key)}};
  if (!gsis.empty()) req["GlobalSecondaryIndexes"] = std::move(gsis);
  return req;
}

}  // namespace

DynamoDbTables DynamoDbTables::WithPrefix(const std::string& prefix) {
  return {prefix + "accounts", prefix + "quota-cache", prefix + "quota-config", prefix + "audit", prefix + "main"};
}

Status ValidateTablePrefix(const std::string& prefix) {
  if (prefix.size() > 200) return InvalidArgument("table_prefix: at most 200 characters");
  for (char c : prefix) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!ok) return InvalidArgument("table_prefix: only letters, digits, '_', '-' and '.'");
  }
  return Status::Ok();
}

boost::json::object DynamoDbTableDefinitions(const std::string& prefix) {
  const DynamoDbTables tables = DynamoDbTables::WithPrefix(prefix);
  boost::json::array out;
  for (const TableDef& def : Definitions(tables)) {
    out.push_back(
        {{"suffix", def.name.substr(prefix.size())}, {"create_table", CreateRequest(def)}, {"time_to_live", def.ttl}});
  }
  return {{"table_prefix", prefix}, {"ttl_attribute", "expires_at"}, {"tables", std::move(out)}};
}

Status CreateDynamoDbTables(aws::DynamoDb& db, const std::string& prefix, Duration timeout,
                            const std::function<void(const std::string&)>& progress) {
  RETURN_IF_ERROR(ValidateTablePrefix(prefix));
  const auto say = [&](const std::string& line) {
    if (progress) progress(line);
  };
  const DynamoDbTables tables = DynamoDbTables::WithPrefix(prefix);
  for (const TableDef& def : Definitions(tables)) {
    Result<boost::json::object> described = db.Call("DescribeTable", ddb::Request(def.name));
    if (described.ok()) {
      say("table " + def.name + " exists");
    } else if (described.status().code() == StatusCode::kNotFound) {
      Result<boost::json::object> created = db.Call("CreateTable", CreateRequest(def));
      // ResourceInUseException: another instance created it meanwhile.
      if (!created.ok() && created.status().message().rfind("ResourceInUseException", 0) != 0) {
        return created.status();
      }
      say("table " + def.name + " created");
    } else {
      return described.status();
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const TableDef& def : Definitions(tables)) {
    for (;;) {
      ASSIGN_OR_RETURN(boost::json::object described, db.Call("DescribeTable", ddb::Request(def.name)));
      const boost::json::value* table = described.if_contains("Table");
      const boost::json::value* status =
          table != nullptr && table->is_object() ? table->as_object().if_contains("TableStatus") : nullptr;
      if (status != nullptr && status->is_string() && status->as_string() == "ACTIVE") break;
      if (std::chrono::steady_clock::now() >= deadline) {
        return DeadlineExceeded("table " + def.name + " is not active after the timeout");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (def.ttl) {
      boost::json::object ttl = ddb::Request(def.name);
      ttl["TimeToLiveSpecification"] = {{"AttributeName", "expires_at"}, {"Enabled", true}};
      Result<boost::json::object> enabled = db.Call("UpdateTimeToLive", ttl);
      // Already enabled (ValidationException), or a DynamoDB stand-in without TTL (dynalite): expiry is enforced
      // by the store on read and by the sweeps either way; TTL only reclaims storage.
      say(enabled.ok() ? "TTL on " + def.name + ".expires_at enabled"
                       : "TTL on " + def.name + " not changed: " + enabled.status().message());
    }
  }
  say("tables ready");
  return Status::Ok();
}

}  // namespace ap::store
