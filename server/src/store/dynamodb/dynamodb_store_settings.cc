// DynamoDbStore: installation settings (store/setting_store.h; docs/dynamodb.md): one item per setting in `main`,
// pk "SETTING#<name>", sk "SETTING", attribute `value`.
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/item.h"

namespace ap::store {
namespace {

boost::json::object SettingKey(const std::string& name) {
  return {{"pk", ddb::S("SETTING#" + name)}, {"sk", ddb::S("SETTING")}};
}

}  // namespace

Result<std::string> DynamoDbStore::GetSetting(const std::string& name) {
  RETURN_IF_ERROR(CheckSetting(name, nullptr));
  boost::json::object request = ddb::Request(tables_.main);
  request["Key"] = SettingKey(name);
  request["ConsistentRead"] = options_.consistent_reads;
  ASSIGN_OR_RETURN(boost::json::object answer, db_.Call("GetItem", request));
  const ddb::Item* item = ddb::ItemOf(answer);
  if (item == nullptr) return NotFound("setting " + name + " not found");
  return ddb::GetS(*item, "value");
}

Status DynamoDbStore::PutSettingIfAbsent(const std::string& name, const std::string& value) {
  RETURN_IF_ERROR(CheckSetting(name, &value));
  boost::json::object item = SettingKey(name);
  item["value"] = ddb::S(value);
  boost::json::object request = ddb::Request(tables_.main);
  request["Item"] = std::move(item);
  request["ConditionExpression"] = "attribute_not_exists(pk)";
  Result<boost::json::object> put = db_.Call("PutItem", request);
  if (!put.ok() && aws::IsConditionFailed(put.status())) return AlreadyExists("setting " + name + " exists");
  return put.status();
}

}  // namespace ap::store
