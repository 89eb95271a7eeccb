#include "api/json.h"

#include <cmath>

#include "common/clock.h"

namespace ap::api {

Result<json::object> ParseObject(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return InvalidArgument("the request body is not valid JSON", std::string(kMalformedBody));
  if (!v.is_object()) return InvalidArgument("the request body must be a JSON object", std::string(kMalformedBody));
  return std::move(v.as_object());
}

Result<std::string> ObjectReader::String(std::string_view key) const {
  const json::value* v = obj_.if_contains(key);
  if (!v || v->is_null()) return InvalidArgument("is required", FieldName(key));
  if (!v->is_string()) return InvalidArgument("must be a string", FieldName(key));
  return std::string(v->as_string());
}

Result<std::optional<std::string>> ObjectReader::OptString(std::string_view key) const {
  const json::value* v = obj_.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return InvalidArgument("must be a string or null", FieldName(key));
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::optional<bool>> ObjectReader::OptBool(std::string_view key) const {
  const json::value* v = obj_.if_contains(key);
  if (!v || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return InvalidArgument("must be true or false", FieldName(key));
  return std::optional<bool>(v->as_bool());
}

Result<std::optional<int64_t>> ObjectReader::OptInt(std::string_view key) const {
  const json::value* v = obj_.if_contains(key);
  if (!v || v->is_null()) return std::optional<int64_t>();
  if (v->is_int64()) return std::optional<int64_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX))
    return std::optional<int64_t>(static_cast<int64_t>(v->as_uint64()));
  return InvalidArgument("must be an integer", FieldName(key));
}

Result<std::optional<std::vector<std::string>>> ObjectReader::OptStringList(std::string_view key) const {
  const json::value* v = obj_.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return InvalidArgument("must be a list of strings", FieldName(key));
  std::vector<std::string> out;
  const json::array& arr = v->as_array();
  if (arr.size() > 1000) return InvalidArgument("has too many elements (at most 1000)", FieldName(key));
  for (size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string()) return InvalidArgument("must be a string", FieldName(key) + "[" + std::to_string(i) + "]");
    out.emplace_back(arr[i].as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<const json::object*> ObjectReader::Object(std::string_view key) const {
  const json::value* v = obj_.if_contains(key);
  if (!v || v->is_null()) return InvalidArgument("is required", FieldName(key));
  if (!v->is_object()) return InvalidArgument("must be an object", FieldName(key));
  return &v->as_object();
}

Result<const json::array*> ObjectReader::Array(std::string_view key) const {
  const json::value* v = obj_.if_contains(key);
  if (!v || v->is_null()) return InvalidArgument("is required", FieldName(key));
  if (!v->is_array()) return InvalidArgument("must be a list", FieldName(key));
  return &v->as_array();
}

json::value NumberOrNull(const std::optional<double>& v) {
  if (!v) return nullptr;
  double d = *v;
  if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15) return static_cast<int64_t>(d);
  return d;
}

json::value TimeOrNull(int64_t unix_ms) {
  if (unix_ms <= 0) return nullptr;
  return json::string(FormatIso8601Millis(unix_ms));
}

std::string Serialize(const json::value& v) { return json::serialize(v); }

}  // namespace ap::api
