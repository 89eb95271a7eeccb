// Audit log entries: who did what to which target, when, from where, and how it ended.
//
// One entry may stand for several identical events (coalescing, see AuditService): `count` of them, the first at
// `at_ms` and the last at `last_at_ms`; the other fields (request_id, user_agent, detail) are the first event's.
// Pure value types. Thread safety: value types.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ap::domain {

struct AuditEntry {
  // Unique; made by domain::NewTimeOrderedId("a_", at_ms, random) (entries written before schema 8 keep their
  // older "a_" + random hex ids, which do not sort by time: lists order by (at_ms, audit_id), never by id alone).
  std::string audit_id;
  int64_t at_ms = 0;     // when the (first) event happened
  std::string actor_id;  // user id, or "system", or "anonymous"
  std::string actor_email;
  std::string action;       // dotted verb: "account.create", "credentials.export", "auth.login", ...
  std::string target_type;  // "account", "user", "quota_config", "session", ...
  std::string target_id;
  std::string outcome;  // "success" | "denied" | "failure"
  std::string client_ip;
  std::string user_agent;
  std::string request_id;
  std::string detail;      // a short JSON object (see AuditDetail) or plain text; never secrets
  int64_t count = 1;       // how many identical events this entry stands for (>= 1)
  int64_t last_at_ms = 0;  // when the last of them happened (>= at_ms; the store raises a smaller value)
};

// One field of an audit detail object: a string, an integer, a number (or null when absent) or a list of strings.
// Holds views of its arguments: use it only within the AuditDetail() call that it is built for.
struct AuditField {
  std::string_view key;
  std::variant<std::string_view, int64_t, std::optional<double>, const std::vector<std::string>*> value;
  AuditField(std::string_view k, std::string_view v) : key(k), value(v) {}
  AuditField(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  AuditField(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  AuditField(std::string_view k, int v) : key(k), value(static_cast<int64_t>(v)) {}
  AuditField(std::string_view k, int64_t v) : key(k), value(v) {}
  AuditField(std::string_view k, std::optional<double> v) : key(k), value(v) {}
  AuditField(std::string_view k, const std::vector<std::string>& v) : key(k), value(&v) {}
};

// The `detail` of an audit entry as a flat JSON object with `fields` in the given order and no spaces, e.g.
// {"region":"us-east-1","ok":6,"failed":0}. Strings are JSON-escaped; numbers are written with up to 17
// significant digits ("2.5", "400000"), an absent number as null. The one way details are built.
std::string AuditDetail(std::initializer_list<AuditField> fields);

}  // namespace ap::domain
