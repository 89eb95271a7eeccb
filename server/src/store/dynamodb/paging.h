// Paging helpers for store/dynamodb's lists. Private to this folder.
//
// Sort keys that start with a number (a time, a seq): the number is written as 16 zero-padded decimal digits so
// that keys sort as strings in numeric order ("0000000000001000#a_1"). A list's cursor (store/cursor.h) is the
// sort key of the last item it served.
//
// Thread safety: pure functions, except QueryPage, which is as safe as its DynamoDb.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "aws/dynamodb.h"
#include "common/status.h"
#include "store/cursor.h"

namespace ap::store::ddb {

// The largest number Padded can write (16 digits).
inline constexpr int64_t kMaxPadded = 9'999'999'999'999'999;

// `n` as 16 zero-padded decimal digits. REQUIRES: 0 <= n <= kMaxPadded (callers refuse other numbers first).
inline std::string Padded(int64_t n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016lld", static_cast<long long>(n));
  return buf;
}

// True for 0 <= n <= kMaxPadded.
inline bool Paddable(int64_t n) { return n >= 0 && n <= kMaxPadded; }

// True when `key` is 16 decimal digits, followed (with_rest) by '#' and at least one more character, or
// (!with_rest) by nothing: the keys Padded builds. Used to refuse cursors this store did not make.
inline bool IsPaddedKey(std::string_view key, bool with_rest) {
  if (key.size() < 16) return false;
  for (size_t i = 0; i < 16; ++i)
    if (key[i] < '0' || key[i] > '9') return false;
  if (!with_rest) return key.size() == 16;
  return key.size() > 17 && key[16] == '#';
}

// The sort key a list's `cursor` names: "" for the first page (empty cursor); InvalidArgument("cursor") unless
// it is a cursor of `kind` holding one key of IsPaddedKey(with_rest) form.
inline Result<std::string> CursorKey(const std::string& cursor, std::string_view kind, bool with_rest) {
  if (cursor.empty()) return std::string();
  ASSIGN_OR_RETURN(std::vector<std::string> fields, DecodeCursor(cursor, kind, 1));
  if (!IsPaddedKey(fields[0], with_rest)) return InvalidArgument("malformed cursor", "cursor");
  return std::move(fields[0]);
}

// One page of a Query: at most `limit` items (following LastEvaluatedKey as needed), and whether more follow
// (*more: one more item was read). Sets the request's Limit to limit + 1.
inline Result<std::vector<boost::json::object>> QueryPage(aws::DynamoDb& db, boost::json::object request, int64_t limit,
                                                          bool* more) {
  request["Limit"] = limit + 1;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items, aws::QueryAll(db, request, static_cast<size_t>(limit) + 1));
  *more = static_cast<int64_t>(items.size()) > limit;
  if (*more) items.pop_back();
  return items;
}

}  // namespace ap::store::ddb
