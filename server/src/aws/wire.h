// Wire-format helpers shared by the AWS clients and credential providers: Boost.JSON parsing and member access
// that never throw, and AWS timestamps. Internal to aws/ (no other module includes this).
//
// Thread safety: pure functions.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"

namespace ap::aws {

// Parses a JSON object. InvalidArgument ("<what>: malformed JSON …") when the text is not a JSON object.
Result<boost::json::object> ParseJsonObject(std::string_view text, std::string_view what);

// Member accessors: the value when present with the right type, otherwise "" / nullopt / false.
std::string JsonStr(const boost::json::object& obj, std::string_view key);
std::optional<double> JsonNumber(const boost::json::object& obj, std::string_view key);
bool JsonBool(const boost::json::object& obj, std::string_view key);
const boost::json::object* JsonObj(const boost::json::object& obj, std::string_view key);
const boost::json::array* JsonArr(const boost::json::object& obj, std::string_view key);

// "2026-11-28T08:20:41Z", with optional fractional seconds ("…41.123Z") or a "+00:00" offset. False otherwise.
bool ParseAwsTimestamp(std::string_view text, TimePoint* out);
// Epoch seconds (JSON 1.1 / REST-JSON timestamps), possibly fractional. nullopt when `seconds` is not finite or
// outside what a TimePoint holds (about ±292 years around 1970), e.g. epoch milliseconds sent where seconds belong.
std::optional<TimePoint> FromEpochSeconds(double seconds);

}  // namespace ap::aws
