// JSON helpers of the api layer (Boost.JSON): reading request bodies with field-named errors, and writing
// numbers and timestamps the way the wire contract wants them.
//
// Errors: a body that is not JSON (or not an object) is a malformed request (HTTP 400); a well-formed body with
// a missing or mistyped field is a validation error naming the field (HTTP 422).
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::api {

namespace json = boost::json;

// The field name that marks a Status as "malformed request body" (mapped to 400, not 422).
inline constexpr std::string_view kMalformedBody = "(body)";

// Parses `body` as a JSON object. InvalidArgument with field kMalformedBody when it is not one.
Result<json::object> ParseObject(std::string_view body);

// Typed access to a request object. Each getter returns InvalidArgument naming `prefix + key` when the value
// has the wrong type; Opt* return nullopt when the key is absent (and, for nullable fields, when null).
class ObjectReader {
 public:
  explicit ObjectReader(const json::object& obj, std::string prefix = {}) : obj_(obj), prefix_(std::move(prefix)) {}

  bool Has(std::string_view key) const { return obj_.contains(key); }
  Result<std::string> String(std::string_view key) const;  // required
  Result<std::optional<std::string>> OptString(std::string_view key) const;
  Result<std::optional<bool>> OptBool(std::string_view key) const;
  Result<std::optional<int64_t>> OptInt(std::string_view key) const;
  Result<std::optional<std::vector<std::string>>> OptStringList(std::string_view key) const;
  // Required object; returns a reader for it (prefix "key.").
  Result<const json::object*> Object(std::string_view key) const;
  Result<const json::array*> Array(std::string_view key) const;

  std::string FieldName(std::string_view key) const { return prefix_ + std::string(key); }

 private:
  const json::object& obj_;
  std::string prefix_;
};

// A quota value or total: integral values as integers (400000, not 4E5), others as doubles; absent as null.
json::value NumberOrNull(const std::optional<double>& v);
// ISO-8601 UTC for a unix-millisecond time; null for 0 ("never").
json::value TimeOrNull(int64_t unix_ms);
// Serialises with a trailing newline-free compact form.
std::string Serialize(const json::value& v);

}  // namespace ap::api
