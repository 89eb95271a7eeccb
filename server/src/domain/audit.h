// Audit log entries: who did what to which target, when, from where, and how it ended.
//
// One entry may stand for several identical events (coalescing, see AuditService): `count` of them, the first at
// `at_ms` and the last at `last_at_ms`; the other fields (request_id, user_agent, detail) are the first event's.
// Pure value types. Thread safety: value types.
#pragma once

#include <cstdint>
#include <string>

namespace ap::domain {

struct AuditEntry {
  int64_t seq = 0;       // assigned by the store, increasing; 0 before it is stored
  std::string audit_id;  // "a_" + random hex, unique
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
  std::string detail;      // a short JSON object or plain text; never secrets
  int64_t count = 1;       // how many identical events this entry stands for (>= 1)
  int64_t last_at_ms = 0;  // when the last of them happened (>= at_ms; the store raises a smaller value)
};

}  // namespace ap::domain
