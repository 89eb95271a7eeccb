// SqliteStore: accounts (with their team index) and contact information.
#include <cstdint>
#include <string>
#include <vector>

#include "store/cursor.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace ap::store {

using sqlite_internal::Connection;
using sqlite_internal::Exists;
using sqlite_internal::ReadTransaction;
using sqlite_internal::Stmt;
using sqlite_internal::WhereClause;
using sqlite_internal::WriteTransaction;

namespace {

const std::string kSelectAccount = "SELECT " + sqlite_internal::SelectColumns<domain::Account>() + " FROM accounts";

// SQLite's lower() and NOCASE fold ASCII only; the search term is folded the same way so both sides agree.
std::string AsciiLower(std::string s) {
  for (char& ch : s) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return s;
}

// Rewrites the team index of an account to match account.teams. Runs inside the caller's write transaction.
void WriteAccountTeams(Connection& c, const domain::Account& account) {
  {
    Stmt del = c.Prepare("DELETE FROM account_teams WHERE account_id = ?1");
    del->bind(1, account.account_id);
    del->exec();
  }
  for (const std::string& team : account.teams) {
    // OR IGNORE: a duplicated team in the input is the same membership, not a conflict.
    Stmt insert = c.Prepare("INSERT OR IGNORE INTO account_teams (account_id, team_id) VALUES (?1, ?2)");
    insert->bind(1, account.account_id);
    insert->bind(2, team);
    insert->exec();
  }
}

}  // namespace

Status SqliteStore::CreateAccount(const domain::Account& account) {
  return Write("CreateAccount", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    if (Exists(c, "SELECT 1 FROM accounts WHERE account_id = ?1", account.account_id)) {
      return AlreadyExists("account " + account.account_id + " already exists");
    }
    {
      Stmt insert = c.Prepare("INSERT INTO accounts (" + sqlite_internal::InsertColumns<domain::Account>() +
                              ") VALUES (" + sqlite_internal::InsertPlaceholders<domain::Account>() + ")");
      sqlite_internal::Bind(*insert, account);
      insert->exec();
    }
    WriteAccountTeams(c, account);
    sqlite_internal::ApplyAccountToAggregates(c, nullptr, account);
    txn.Commit();
    return Status::Ok();
  });
}

Result<domain::Account> SqliteStore::GetAccount(const std::string& account_id) {
  return Read("GetAccount", [&](Connection& c) -> Result<domain::Account> {
    Stmt stmt = c.Prepare(kSelectAccount + " WHERE account_id = ?1");
    stmt->bind(1, account_id);
    if (!stmt->executeStep()) return NotFound("account " + account_id + " not found");
    return sqlite_internal::Read<domain::Account>(*stmt);
  });
}

Result<AccountPage> SqliteStore::ListAccounts(const AccountFilter& filter) {
  RETURN_IF_ERROR(sqlite_internal::ValidatePage(0, filter.limit));
  const bool filter_teams = filter.restrict_to_teams || !filter.any_of_teams.empty();
  // Restricted to no team at all: nothing can match, and "IN ()" is not valid SQL.
  if (filter_teams && filter.any_of_teams.empty()) return AccountPage{};

  WhereClause where;
  if (filter.status) where.Add("status = ?", {std::string(domain::AccountStatusName(*filter.status))});
  if (filter_teams) {
    std::string in =
        "EXISTS (SELECT 1 FROM account_teams t WHERE t.account_id = accounts.account_id AND "
        "t.team_id IN (";
    std::vector<WhereClause::Arg> teams;
    for (const std::string& team : filter.any_of_teams) {
      in += teams.empty() ? "?" : ", ?";
      teams.emplace_back(team);
    }
    in += "))";
    where.Add(in, std::move(teams));
  }
  if (!filter.search.empty()) {
    where.Add("(instr(lower(account_name), ?) > 0 OR substr(account_id, 1, length(?)) = ?)",
              {AsciiLower(filter.search), filter.search, filter.search});
  }

  if (!filter.cursor.empty()) {
    ASSIGN_OR_RETURN(auto after, DecodeCursor(filter.cursor, "accounts", 2));
    where.Add("(account_name COLLATE NOCASE, account_id) > (? COLLATE NOCASE, ?)", {after[0], after[1]});
  }
  return Read("ListAccounts", [&](Connection& c) -> Result<AccountPage> {
    AccountPage page;
    Stmt stmt = c.Prepare("SELECT " + sqlite_internal::SelectColumns<domain::Account>() + " FROM accounts" +
                          where.sql() + " ORDER BY account_name COLLATE NOCASE, account_id LIMIT ?");
    stmt->bind(where.Bind(*stmt), filter.limit + 1);
    while (stmt->executeStep()) page.items.push_back(sqlite_internal::Read<domain::Account>(*stmt));
    if (page.items.size() > static_cast<size_t>(filter.limit)) {
      page.items.pop_back();
      page.next = EncodeCursor("accounts", {page.items.back().account_name, page.items.back().account_id});
    }
    return page;
  });
}

Status SqliteStore::UpdateAccount(const domain::Account& account, int64_t expected_version) {
  return Write("UpdateAccount", [&](Connection& c) -> Status {
    // Compare and set under one write transaction: nobody can slip in between the check and the update.
    WriteTransaction txn(c);
    domain::Account before;
    {
      Stmt current = c.Prepare(kSelectAccount + " WHERE account_id = ?1");
      current->bind(1, account.account_id);
      if (!current->executeStep()) return NotFound("account " + account.account_id + " not found");
      before = sqlite_internal::Read<domain::Account>(*current);
      const int64_t stored = before.version;
      if (stored != expected_version) {
        return FailedPrecondition("account " + account.account_id + " is at version " + std::to_string(stored) +
                                  ", not " + std::to_string(expected_version) + "; reload and retry");
      }
    }
    {
      Stmt update = c.Prepare("UPDATE accounts SET " + sqlite_internal::UpdateAssignments<domain::Account>() +
                              " WHERE account_id = ?1");
      sqlite_internal::Bind(*update, account);
      update->exec();
    }
    WriteAccountTeams(c, account);
    sqlite_internal::ApplyAccountToAggregates(c, &before, account);
    txn.Commit();
    return Status::Ok();
  });
}

// ---- Contact information -------------------------------------------------------------------------------

Result<domain::ContactInfo> SqliteStore::GetContactInfo(const std::string& account_id) {
  return Read("GetContactInfo", [&](Connection& c) -> Result<domain::ContactInfo> {
    Stmt stmt = c.Prepare("SELECT " + sqlite_internal::SelectColumns<domain::ContactInfo>() +
                          " FROM contact_info WHERE account_id = ?1");
    stmt->bind(1, account_id);
    if (!stmt->executeStep()) return NotFound("no contact information for account " + account_id);
    return sqlite_internal::Read<domain::ContactInfo>(*stmt);
  });
}

Status SqliteStore::PutContactInfo(const std::string& account_id, const domain::ContactInfo& info) {
  return Write("PutContactInfo", [&](Connection& c) -> Status {
    WriteTransaction txn(c);
    if (!Exists(c, "SELECT 1 FROM accounts WHERE account_id = ?1", account_id)) {
      return NotFound("account " + account_id + " not found");
    }
    {
      // REPLACE is safe here: nothing references contact_info, so the implied delete cascades nowhere.
      Stmt upsert = c.Prepare("INSERT OR REPLACE INTO contact_info (account_id, " +
                              sqlite_internal::InsertColumns<domain::ContactInfo>() + ") VALUES (?1, " +
                              sqlite_internal::InsertPlaceholders<domain::ContactInfo>() + ")");
      upsert->bind(1, account_id);
      sqlite_internal::Bind(*upsert, info);
      upsert->exec();
    }
    txn.Commit();
    return Status::Ok();
  });
}

}  // namespace ap::store
