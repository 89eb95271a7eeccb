// Users, teams and sessions: who may use the platform and what they may see.
// Pure value types and rules; no I/O. Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::domain {

enum class Role { kAdmin, kUser };

std::string_view RoleName(Role role);  // "admin" | "user"
// InvalidArgument naming `field` unless `text` is "admin" or "user".
Result<Role> ParseRole(std::string_view text, std::string_view field = "role");

struct User {
  std::string user_id;  // "u_" + random hex; immutable
  std::string email;    // normalised: trimmed, lower-case; unique
  Role role = Role::kUser;
  std::vector<std::string> teams;  // team ids, sorted, unique
  bool disabled = false;
  // Set by an admin (a forced reset): until the user sets a new password, the API answers their session only
  // on the routes that let them do so (403 password_change_required elsewhere). Cleared by ChangePassword.
  bool must_change_password = false;
  std::string password_hash;  // argon2id encoded string (libsodium crypto_pwhash_str); never leaves the service
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct Team {
  std::string team_id;  // slug: ^[a-z0-9][a-z0-9_-]{0,63}$
  std::string name;     // display name
  int64_t created_at_ms = 0;
};

// A login session. The bearer token itself is never stored, only its SHA-256 (hex).
struct Session {
  std::string token_hash;
  std::string user_id;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
  std::string user_agent;
  std::string client_ip;
};

// Trims and lower-cases; InvalidArgument("email") unless it looks like local@domain (no spaces, <= 254 chars).
Result<std::string> NormalizeEmail(std::string_view email, std::string_view field = "email");
// InvalidArgument naming `field` unless `id` is a valid team slug.
Status ValidateTeamId(std::string_view id, std::string_view field = "teams");
// InvalidArgument("password") when shorter than 8 or longer than 1024 bytes.
Status ValidatePassword(std::string_view password, std::string_view field = "password");

// Sorts and removes duplicates in place.
void NormalizeIdList(std::vector<std::string>* ids);
// True when the two sorted lists share an element.
bool SharesAny(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace ap::domain
