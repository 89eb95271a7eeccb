// Audit log entries: who did what to which target, when, from where, and how it ended.
// Pure value types. Thread safety: value types.
#pragma once

#include <cstdint>
#include <string>

namespace ap::domain {

struct AuditEntry {
  int64_t seq = 0;           // assigned by the store, increasing; 0 before it is stored
  std::string audit_id;      // "a_" + random hex, unique
  int64_t at_ms = 0;
  std::string actor_id;      // user id, or "system", or "anonymous"
  std::string actor_email;
  std::string action;        // dotted verb: "account.create", "credentials.export", "auth.login", ...
  std::string target_type;   // "account", "user", "quota_config", "session", ...
  std::string target_id;
  std::string outcome;       // "success" | "denied" | "failure"
  std::string client_ip;
  std::string user_agent;
  std::string request_id;
  std::string detail;        // a short JSON object or plain text; never secrets
};

}  // namespace ap::domain
