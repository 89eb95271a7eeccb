// UserStore: users and teams.
//
// Thread safety: safe to call concurrently from many threads.
// The contracts common to every store interface are in store/store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/user.h"

namespace ap::store {

class UserStore {
 public:
  virtual ~UserStore() = default;

  // ---- Users -------------------------------------------------------------------------------------------
  // AlreadyExists if the email or user_id is taken.
  virtual Status CreateUser(const domain::User& user) = 0;
  // NotFound if absent.
  virtual Result<domain::User> GetUser(const std::string& user_id) = 0;
  virtual Result<domain::User> GetUserByEmail(const std::string& email) = 0;
  // Every user, ordered by email.
  virtual Result<std::vector<domain::User>> ListUsers() = 0;
  // Replaces the stored user with the same user_id. NotFound if absent; AlreadyExists if the new email is taken.
  virtual Status UpdateUser(const domain::User& user) = 0;
  // Deletes the user and their sessions. NotFound if absent.
  virtual Status DeleteUser(const std::string& user_id) = 0;
  virtual Result<int64_t> CountUsers() = 0;

  // ---- Teams -------------------------------------------------------------------------------------------
  // Creates or renames (a rename keeps the original created_at_ms).
  virtual Status PutTeam(const domain::Team& team) = 0;
  // Ordered by team_id.
  virtual Result<std::vector<domain::Team>> ListTeams() = 0;
  // NotFound if absent. Does not touch users or accounts that name the team.
  virtual Status DeleteTeam(const std::string& team_id) = 0;
};

}  // namespace ap::store
