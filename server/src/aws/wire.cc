#include "aws/wire.h"

#include <cctype>
#include <cmath>

namespace ap::aws {

Result<boost::json::object> ParseJsonObject(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return InvalidArgument(std::string(what) + ": malformed JSON (" + ec.message() + ")");
  if (!v.is_object()) return InvalidArgument(std::string(what) + ": JSON body is not an object");
  return std::move(v.get_object());
}

std::string JsonStr(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_string()) return {};
  return std::string(it->value().get_string());
}

std::optional<double> JsonNumber(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  const boost::json::value& v = it->value();
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return std::nullopt;
}

bool JsonBool(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && it->value().is_bool() && it->value().get_bool();
}

const boost::json::object* JsonObj(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && it->value().is_object() ? &it->value().get_object() : nullptr;
}

const boost::json::array* JsonArr(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && it->value().is_array() ? &it->value().get_array() : nullptr;
}

bool ParseAwsTimestamp(std::string_view text, TimePoint* out) {
  // "YYYY-MM-DDTHH:MM:SS" is 19 characters; what follows is a fraction and/or the zone.
  if (text.size() < 20) return false;
  std::string_view rest = text.substr(19);
  double fraction = 0;
  if (rest.front() == '.') {
    size_t i = 1;
    double scale = 0.1;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) {
      fraction += (rest[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == 1) return false;
    rest = rest.substr(i);
  }
  if (rest != "Z" && rest != "+00:00" && rest != "+0000") return false;
  std::string whole(text.substr(0, 19));
  whole.push_back('Z');
  TimePoint t;
  if (!ParseIso8601(whole, &t)) return false;
  *out = t + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(fraction));
  return true;
}

std::optional<TimePoint> FromEpochSeconds(double seconds) {
  // Converting a double outside the integer range of Duration is undefined behaviour, so check first (with a
  // margin: the bound itself is not exactly representable as a double).
  constexpr double kMaxSeconds =
      static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(Duration::max()).count()) - 1;
  if (!std::isfinite(seconds) || seconds > kMaxSeconds || seconds < -kMaxSeconds) return std::nullopt;
  return TimePoint(std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds)));
}

}  // namespace ap::aws
