// UserStore: users and teams.
//
// Users are keyed by user_id, and unique by email (a second index, which also orders the user list). The store
// keeps two counters next to the users, updated in the same atomic write as every user write: how many users
// exist and how many of them are enabled admins; reading either is O(1). Users are listed by cursor
// (store/cursor.h) in email order.
//
// Common contracts: Unavailable / Internal when the backend fails (a failed write writes nothing); limits
// outside their documented range are InvalidArgument("limit"); a cursor this list did not return is
// InvalidArgument("cursor").
//
// Thread safety: safe to call concurrently from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/user.h"

namespace ap::store {

struct UserPage {
  std::vector<domain::User> items;  // ordered by email
  std::string next;                 // the cursor of the following page; empty when this is the last
};

class UserStore {
 public:
  virtual ~UserStore() = default;

  // ---- Users -------------------------------------------------------------------------------------------
  // Atomic: the user, its email key and the counters are written all or nothing, only if neither the user_id
  // nor the email exists (AlreadyExists otherwise).
  virtual Status CreateUser(const domain::User& user) = 0;
  // NotFound if absent.
  virtual Result<domain::User> GetUser(const std::string& user_id) = 0;
  virtual Result<domain::User> GetUserByEmail(const std::string& email) = 0;
  // One page of users ordered by email, starting after `cursor` (empty = the first page). `limit` 1..1000.
  virtual Result<UserPage> ListUsers(const std::string& cursor, int64_t limit) = 0;
  // Replaces the stored user with the same user_id. Atomic: the user, its email key (moved when the email
  // changes) and the enabled-admin counter are written all or nothing, only if the user exists (NotFound
  // otherwise) and the new email belongs to no other user (AlreadyExists otherwise).
  virtual Status UpdateUser(const domain::User& user) = 0;
  // Deletes the user. Atomic: the user, its email key and the counters, only if the user exists (NotFound
  // otherwise). Does not delete the user's sessions: the caller does (SessionStore::DeleteSessionsOfUser;
  // AuthService deletes them first). A backend may drop them too (SQLite's foreign key does); callers rely on
  // neither.
  virtual Status DeleteUser(const std::string& user_id) = 0;
  // The number of users: the maintained counter, O(1).
  virtual Result<int64_t> CountUsers() = 0;
  // The number of users with role admin that are not disabled: the maintained counter, O(1).
  virtual Result<int64_t> CountEnabledAdmins() = 0;

  // ---- Teams -------------------------------------------------------------------------------------------
  // Teams are few (an organisation's teams: each one is created by an admin or named by a user or an account),
  // so they are listed whole.
  // Creates or renames (a rename keeps the original created_at_ms). Atomic: one record.
  virtual Status PutTeam(const domain::Team& team) = 0;
  // Creates the team only if no team has its team_id (an existing team keeps its name). Atomic: one
  // conditional write. OK either way.
  virtual Status PutTeamIfAbsent(const domain::Team& team) = 0;
  // Every team, ordered by team_id.
  virtual Result<std::vector<domain::Team>> ListTeams() = 0;
  // NotFound if absent. Does not touch users or accounts that name the team.
  virtual Status DeleteTeam(const std::string& team_id) = 0;
};

}  // namespace ap::store
