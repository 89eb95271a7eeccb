// Building and reading DynamoDB items (the typed JSON of the wire: {"name":{"S":"x"}}) for store/dynamodb. Private
// to this folder.
//
// Numbers: integers are written as decimal text; doubles with 17 significant digits (they read back to the same
// double). NaN and infinities cannot be stored (DynamoDB has no such numbers): callers reject them first.
//
// Thread safety: pure functions.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::store::ddb {

using Item = boost::json::object;

// Attribute values.
boost::json::value S(std::string_view s);
boost::json::value N(int64_t n);
boost::json::value Nd(double d);
boost::json::value B(bool b);                                 // {"BOOL": b}
boost::json::value SS(const std::vector<std::string>& set);   // string set; REQUIRES non-empty (DynamoDB rule)
boost::json::value Ls(const std::vector<std::string>& list);  // list of S (may be empty)
boost::json::value M(const Item& map);

// Readers: the attribute when present with the right type, else the fallback / nullopt.
std::string GetS(const Item& item, std::string_view name, std::string fallback = "");
std::optional<std::string> GetOptS(const Item& item, std::string_view name);
int64_t GetN(const Item& item, std::string_view name, int64_t fallback = 0);
std::optional<double> GetOptNd(const Item& item, std::string_view name);
bool GetB(const Item& item, std::string_view name, bool fallback = false);
std::vector<std::string> GetSS(const Item& item, std::string_view name);  // SS or L of S; empty when absent
std::vector<std::string> GetLs(const Item& item, std::string_view name);  // L of S or SS; empty when absent
const Item* GetM(const Item& item, std::string_view name);

// The "Item" member of a GetItem answer; nullptr when absent (no such item).
const Item* ItemOf(const boost::json::object& answer);

// A request object with TableName set.
boost::json::object Request(const std::string& table);

}  // namespace ap::store::ddb
