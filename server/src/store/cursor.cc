#include "store/cursor.h"

#include <cstdint>

#include "common/encoding.h"

namespace ap::store {
namespace {

void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

Status Bad() { return InvalidArgument("is not a cursor this list gave out", "cursor"); }

}  // namespace

std::string EncodeCursor(std::string_view kind, const std::vector<std::string>& fields) {
  std::string raw;
  AppendField(raw, kind);
  for (const std::string& f : fields) AppendField(raw, f);
  return Base64UrlEncode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()));
}

Result<std::vector<std::string>> DecodeCursor(std::string_view cursor, std::string_view kind, size_t field_count) {
  if (cursor.empty() || cursor.size() > 4096) return Bad();
  auto bytes = Base64Decode(cursor);
  if (!bytes) return Bad();
  std::string_view raw(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  std::vector<std::string> fields;
  while (!raw.empty()) {
    size_t colon = raw.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 4) return Bad();
    size_t len = 0;
    for (char c : raw.substr(0, colon)) {
      if (c < '0' || c > '9') return Bad();
      len = len * 10 + static_cast<size_t>(c - '0');
    }
    raw.remove_prefix(colon + 1);
    if (len > raw.size()) return Bad();
    fields.emplace_back(raw.substr(0, len));
    raw.remove_prefix(len);
  }
  if (fields.empty() || fields.front() != kind || fields.size() != field_count + 1) return Bad();
  fields.erase(fields.begin());
  return fields;
}

Status CheckLimit(int64_t limit, int64_t max_limit) {
  if (limit < 1 || limit > max_limit)
    return InvalidArgument("limit must be between 1 and " + std::to_string(max_limit), "limit");
  return Status::Ok();
}

}  // namespace ap::store
