// AccountStore: the account registry and its contact information.
//
// Thread safety: safe to call concurrently from many threads.
// The contracts common to every store interface are in store/store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/account.h"

namespace ap::store {

struct AccountFilter {
  std::optional<domain::AccountStatus> status;  // nullopt = any status
  // Non-empty: only accounts assigned to at least one of these teams.
  std::vector<std::string> any_of_teams;
  bool restrict_to_teams = false;  // true: apply any_of_teams even when empty (then nothing matches)
  std::string search;              // case-insensitive substring of account_name or prefix of account_id
  std::string cursor;              // "" = the first page; otherwise AccountPage::next of the page before
  int64_t limit = 50;              // 1..1000
};

struct AccountPage {
  std::vector<domain::Account> items;  // ordered by account_name (case-insensitive), then account_id
  std::string next;                    // the cursor of the next page; "" when this page is the last
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // ---- Accounts ----------------------------------------------------------------------------------------
  // AlreadyExists if account_id is taken (whatever its status).
  virtual Status CreateAccount(const domain::Account& account) = 0;
  // NotFound if absent (inactive accounts are returned; status tells).
  virtual Result<domain::Account> GetAccount(const std::string& account_id) = 0;
  virtual Result<AccountPage> ListAccounts(const AccountFilter& filter) = 0;
  // Replaces the account if its stored version equals `expected_version`, storing account.version as given
  // (the caller sets expected_version + 1). NotFound if absent; FailedPrecondition if the version differs.
  virtual Status UpdateAccount(const domain::Account& account, int64_t expected_version) = 0;

  // Contact information of an account. NotFound if none was stored.
  virtual Result<domain::ContactInfo> GetContactInfo(const std::string& account_id) = 0;
  // Creates or replaces. NotFound if the account does not exist.
  virtual Status PutContactInfo(const std::string& account_id, const domain::ContactInfo& info) = 0;
};

}  // namespace ap::store
