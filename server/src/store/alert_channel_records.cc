#include "store/alert_channel_records.h"

#include <boost/json.hpp>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/encoding.h"

namespace ap::store {
namespace {

using boost::json::object;
using boost::json::value;

std::string Str(const object& o, std::string_view name) {
  const value* v = o.if_contains(name);
  return v == nullptr ? std::string() : std::string(v->as_string());
}
int64_t Int(const object& o, std::string_view name) {
  const value* v = o.if_contains(name);
  return v == nullptr ? 0 : v->to_number<int64_t>();
}

std::string Encode(const std::string& bytes) {
  return Base64Encode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}
std::string Decode(const object& o, std::string_view name) {
  const std::string text = Str(o, name);
  if (text.empty()) return {};
  std::optional<std::vector<uint8_t>> bytes = Base64Decode(text);
  if (!bytes) throw std::runtime_error("unreadable " + std::string(name));
  return std::string(bytes->begin(), bytes->end());
}

}  // namespace

Status CheckAlertChannelWrite(const StoredAlertChannel& c, int64_t expected_version) {
  if (c.id.empty() || c.id.find('|') != std::string::npos)
    return InvalidArgument("channel id must be non-empty without '|'", "id");
  if (c.name.empty()) return InvalidArgument("channel name must not be empty", "name");
  if (expected_version < 0 || c.version != expected_version + 1)
    return InvalidArgument("channel version must be expected_version + 1", "version");
  return Status::Ok();
}

std::string AlertChannelToJson(const StoredAlertChannel& c) {
  object o;
  o["id"] = c.id;
  o["kind"] = domain::AlertChannelKindName(c.kind);
  o["name"] = c.name;
  o["enabled"] = c.enabled;
  o["url_shown"] = c.url_shown;
  o["sealed_url"] = Encode(c.sealed_url);
  o["sealed_secret"] = Encode(c.sealed_secret);
  o["topic_arn"] = c.topic_arn;
  o["region"] = c.region;
  o["version"] = c.version;
  o["created_at_ms"] = c.created_at_ms;
  o["updated_at_ms"] = c.updated_at_ms;
  o["updated_by"] = c.updated_by;
  return boost::json::serialize(o);
}

Result<StoredAlertChannel> AlertChannelFromJson(std::string_view json) {
  try {
    value v = boost::json::parse(json);
    const object& o = v.as_object();
    StoredAlertChannel c;
    c.id = Str(o, "id");
    std::optional<domain::AlertChannelKind> kind = domain::ParseAlertChannelKind(Str(o, "kind"));
    if (!kind) return Internal("stored alert channel has an unknown kind");
    c.kind = *kind;
    c.name = Str(o, "name");
    c.enabled = o.at("enabled").as_bool();
    c.url_shown = Str(o, "url_shown");
    c.sealed_url = Decode(o, "sealed_url");
    c.sealed_secret = Decode(o, "sealed_secret");
    c.topic_arn = Str(o, "topic_arn");
    c.region = Str(o, "region");
    c.version = Int(o, "version");
    c.created_at_ms = Int(o, "created_at_ms");
    c.updated_at_ms = Int(o, "updated_at_ms");
    c.updated_by = Str(o, "updated_by");
    return c;
  } catch (const std::exception& e) {
    return Internal(std::string("stored alert channel is unreadable: ") + e.what());
  }
}

}  // namespace ap::store
