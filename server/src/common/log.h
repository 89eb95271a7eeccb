// Structured logging: one JSON object per line on stderr (spdlog underneath, so writes are thread-safe and
// cheap when a level is filtered out).
//
// Every line has "ts", "level" and "msg"; callers add fields as key/value pairs, e.g.
//   log::Info("request", {{"request_id", id}, {"status", 200}});
// Values are strings, integers or doubles; they are JSON-escaped here, and strings that are not valid UTF-8 are
// repaired (ill-formed sequences become U+FFFD), so every line is valid UTF-8 JSON whatever a client sent.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace ap::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };

// Parses "debug", "info", "warn", "error", "off"; false on anything else.
bool ParseLevel(std::string_view text, Level* out);
void SetLevel(Level level);
bool Enabled(Level level);

using Value = std::variant<std::string_view, int64_t, double, bool>;
struct Field {
  std::string_view key;
  Value value;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, int64_t v) : key(k), value(v) {}
  Field(std::string_view k, uint64_t v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
};

void Write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});
inline void Debug(std::string_view msg, std::initializer_list<Field> f = {}) { Write(Level::kDebug, msg, f); }
inline void Info(std::string_view msg, std::initializer_list<Field> f = {}) { Write(Level::kInfo, msg, f); }
inline void Warn(std::string_view msg, std::initializer_list<Field> f = {}) { Write(Level::kWarn, msg, f); }
inline void Error(std::string_view msg, std::initializer_list<Field> f = {}) { Write(Level::kError, msg, f); }

// Appends `s` to `out` as the body of a JSON string (without quotes): control characters, '"' and '\\' escaped,
// ill-formed UTF-8 replaced by U+FFFD (see common/utf8.h), so the result is always valid UTF-8.
void AppendJsonEscaped(std::string* out, std::string_view s);

}  // namespace ap::log
