// What every UsageStore backend (usage_store.h) shares: the validation of its inputs and the encodings of its
// records, so that SQLite and DynamoDB refuse the same inputs and store the same text.
//
// Encodings (JSON text, Boost.JSON): chosen over a packed blob because both backends store it as it is (a TEXT
// column, a DynamoDB string), an operator can read it (sqlite3, the DynamoDB console), and it is small enough:
//  - Points of an hour record: an array of [minute − hour, invocations, input_tokens, output_tokens, throttles,
//    cache_read, cache_write], a field null when absent (missing is never zero). At most 60 rows, about 3 KB.
//  - Summaries of a snapshot: {"m": [[model_id, usage]...], "s": [[series, scope, model_id|null, counts, usage]...]}
//    where usage is [end, burndown, tpm|null, rpm|null, [window...]] and a window is [key, start, end, requests,
//    weighted_tokens, throttles|null, throttled_minutes, throttle_minutes_without_data, headroom_tpm|null,
//    headroom_rpm|null] with a stat as [peak|null, p95|null, minutes_with_data, minutes_without_data]. Every
//    field is kept, so a snapshot reads back equal. About 0.5 KB per model or series: a snapshot at its bounds
//    (200 models, 200 series) is about 200 KB, half of DynamoDB's item limit.
//  - Headroom sort key: a double as 16 hex digits whose text order is the numeric order (negatives first; -0 is
//    written as 0). The headroom index orders and pages on it exactly.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/usage_store.h"

namespace ap::store::usage_records {

// The longest account id, region and series a record may have (bytes).
inline constexpr size_t kMaxUsageKeyBytes = 512;

// The checks PutUsageHours documents, on every record (OK, or the InvalidArgument of the first bad record).
// Also refuses a negative hour ("hour") and expires_at <= hour ("expires_at").
Status ValidateUsageHours(const std::vector<UsageHour>& hours);
// The checks ListUsageHours documents; also InvalidArgument("from_hour") for a negative from_hour.
Status ValidateHourRange(int64_t from_hour, int64_t to_hour);
// The checks PutUsageSnapshot documents: account_id / region ("account_id" / "region": empty or over-long), teams
// ("teams": unsorted, repeated or empty), models ("models": unsorted, repeated, empty id, more than
// kMaxUsageSeriesPerSnapshot), series ("series": likewise), a non-finite number anywhere ("models" / "series"),
// negative expected_revision ("expected_revision").
Status ValidateUsageSnapshot(const UsageSnapshot& snapshot, int64_t expected_revision);

std::string EncodePoints(const std::vector<domain::UsagePoint>& points, int64_t hour);
// Internal when `text` is not what EncodePoints writes.
Result<std::vector<domain::UsagePoint>> DecodePoints(std::string_view text, int64_t hour);

// The models and series of `snapshot`.
std::string EncodeSummaries(const UsageSnapshot& snapshot);
// Sets snapshot->models and ->series from EncodeSummaries' text; Internal when it is not that.
Status DecodeSummaries(std::string_view text, UsageSnapshot* snapshot);

std::string_view UsageStateName(UsageState state);  // "ok" | "stale"
Result<UsageState> ParseUsageState(std::string_view name);

// REQUIRES: std::isfinite(headroom).
std::string HeadroomSortKey(double headroom);
// The double of a HeadroomSortKey; InvalidArgument("cursor") when `key` is not one.
Result<double> HeadroomFromSortKey(std::string_view key);

}  // namespace ap::store::usage_records
