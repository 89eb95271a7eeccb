// Opaque list cursors. A cursor is the sort key of the last item a page served, so the next page starts right
// after it: stable under concurrent inserts (an item inserted before the cursor is not served twice, nor does it
// shift the page), and O(page) for any backend that keeps the list's order in an index. Clients treat it as an
// opaque string; its form (base64url of length-prefixed fields, tagged with the list's kind) may change.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::store {

// The cursor of `kind` ("accounts", "audit", ...) whose key is `fields`.
std::string EncodeCursor(std::string_view kind, const std::vector<std::string>& fields);

// The fields of a cursor made by EncodeCursor(kind, ...) with exactly `field_count` fields.
// InvalidArgument("cursor") for anything else: not base64url, truncated, another kind, another field count.
Result<std::vector<std::string>> DecodeCursor(std::string_view cursor, std::string_view kind, size_t field_count);

// The limit check every store list applies: OK for 1 <= limit <= max_limit; otherwise InvalidArgument("limit")
// "limit must be between 1 and <max_limit>". Shared so that every backend refuses the same limits the same way.
Status CheckLimit(int64_t limit, int64_t max_limit = 1000);

}  // namespace ap::store
