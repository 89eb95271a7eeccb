// AccountService: the registry of AWS accounts — create, list (with visibility), change, soft delete,
// credential export, and the contact information kept per account.
//
// Visibility: admins see every account; a user sees the accounts assigned to at least one of their teams.
// Credentials are sealed with the SecretSealer (secret_sealer.h: the local master key or a KMS key; bound to the
// account id) before they reach the store, and never appear in an Account returned to callers except through
// ExportCredentials. With KMS, sealing and opening may block on KMS (Create, Update with credentials,
// ExportCredentials, OpenCredentials): call them off the HTTP I/O threads.
// Lookup() serves the hot path (authorization, quota reads) from a TTL cache that this instance keeps current;
// Update and Delete bump the store's "accounts" epoch (epoch_watch.h), so that every other instance drops its
// cached accounts within `epoch_poll` (+ the requests already past their lookup).
//
// Thread safety: safe from any thread. Does not own its collaborators.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "domain/account.h"
#include "service/audit_service.h"
#include "service/auth_service.h"
#include "service/context.h"
#include "service/epoch_watch.h"
#include "service/role_assumer.h"
#include "service/secret_sealer.h"
#include "service/ttl_cache.h"
#include "store/store.h"

namespace ap::service {

struct NewAccount {
  std::string account_name;
  std::string account_id;                           // empty: taken from AWS (STS GetCallerIdentity)
  std::optional<std::vector<std::string>> regions;  // nullopt: ["us-east-1"]; empty: InvalidArgument
  std::vector<std::string> teams;
  domain::Credentials credentials;
};

struct AccountPatch {
  std::optional<std::string> account_name;
  std::optional<std::vector<std::string>> regions;
  std::optional<std::vector<std::string>> teams;
  std::optional<domain::Credentials> credentials;  // rotation
  std::optional<domain::AccountStatus> status;     // reactivate a deleted account
  std::optional<int64_t> expected_version;         // when set, a different stored version → FailedPrecondition
};

struct AccountQuery {
  std::optional<domain::AccountStatus> status = domain::AccountStatus::kActive;  // nullopt = any
  std::string team;  // only accounts of this team (empty = any)
  // An account id prefix or the prefix of a word of the name (several words as they appear in the name),
  // case-insensitively with Unicode case folding: store::AccountFilter::search.
  std::string search;
  std::string cursor;      // "" = the first page; AccountPage::next of the page before (same filters)
  int64_t page_size = 50;  // 1..200
};

// The region a request about `account` means: `region`, or the account's first region when empty (the default
// region when it has none). InvalidArgument("region") when the account does not use it.
Result<std::string> AccountRegion(const domain::Account& account, const std::string& region);

class AccountService;

// An active account and the region a request about it means.
struct ActiveAccountRegion {
  std::shared_ptr<const domain::Account> account;
  std::string region;
};
// Looks the account up (NotFound), refuses an inactive one (FailedPrecondition "account <id> is inactive;
// reactivate it before <action>") and resolves the region as AccountRegion does.
Result<ActiveAccountRegion> LookupActiveInRegion(AccountService& accounts, const std::string& account_id,
                                                 const std::string& region, std::string_view action);

class AccountService {
 public:
  // `verifier` checks new and rotated credentials with AWS (STS GetCallerIdentity, after AssumeRole for roles).
  // Cached accounts live `cache_ttl`; the store's "accounts" epoch is read at most every `epoch_poll`.
  AccountService(store::Store& store, const Clock& clock, Random& random, SecretSealer& sealer, AuditService& audit,
                 AuthService& auth, RoleAssumer& verifier, Duration cache_ttl,
                 Duration epoch_poll = std::chrono::seconds(1));

  // Verifies the credentials with AWS and registers the account under the id AWS reports. InvalidArgument
  // naming the field: malformed input; "credentials" when AWS rejects them (the message starts with AWS's
  // error code); "account_id" when the request names another account than AWS. Unavailable when STS cannot
  // be reached, or when the credentials cannot be sealed (KMS): nothing is stored then. AlreadyExists("account_id")
  // if registered. Blocking (STS, KMS). Audited, a refused or failed attempt too (outcome denied for 422 / 409,
  // failure for STS or the store failing; detail: target_name, code, field, error).
  Result<domain::Account> Create(const RequestContext& ctx, NewAccount request);
  // One page of the accounts the principal may see, in the order of store::AccountPage (by folded name, then id;
  // search results by matched term first). Costs O(page × teams of the query), never O(registry). page.total is
  // set only for an admin's list without team and search (the maintained count of that status).
  // InvalidArgument("page_size"/"team"/"cursor").
  Result<store::AccountPage> List(const RequestContext& ctx, const AccountQuery& query);
  // The account (any status). NotFound. Cached; see class comment.
  Result<std::shared_ptr<const domain::Account>> Lookup(const std::string& account_id);
  // The stored accounts among `account_ids` (any status; absent ids left out; no order), for showing names beside
  // ids: one batch read (store::AccountStore::GetAccounts: O(ids), never a scan). InvalidArgument("account_ids") for
  // more than 1,000 ids.
  Result<std::vector<domain::Account>> GetMany(const std::vector<std::string>& account_ids);
  // True when the principal may see the account.
  static bool Visible(const Principal& principal, const domain::Account& account);
  // NotFound; InvalidArgument; FailedPrecondition for a stale expected_version. Rotated credentials are verified
  // like Create's and must belong to the same account. Blocking (STS) when credentials change. Audited.
  // Unavailable when rotated credentials cannot be sealed (KMS): the account is unchanged then.
  // Announced through the "accounts" epoch; a failed bump is returned as the store's error although the change is
  // stored (other instances then see it within cache_ttl; a retry announces it). Regions taken away lose their
  // usage (UsageStore::DeleteAccountUsage) once the change is stored; a failure there is logged, not returned.
  Result<domain::Account> Update(const RequestContext& ctx, const std::string& account_id, const AccountPatch& patch);
  // Soft delete: status becomes inactive. NotFound. Idempotent. Audited. Announced like Update. The usage of
  // every region is deleted once the account is inactive (also when it already was: a retry finishes it); a
  // failure there is logged, not returned.
  Status Delete(const RequestContext& ctx, const std::string& account_id);
  // Decrypted credentials. NotFound; Internal if they cannot be decrypted; Unavailable when KMS cannot be used now.
  // Blocking with KMS. Audited as credentials.export, durably
  // (AuditService::RecordDurably: on stable storage before the secret is returned); if the audit entry cannot be
  // written the export fails (Unavailable) without the secret.
  Result<domain::Credentials> ExportCredentials(const RequestContext& ctx, const std::string& account_id);
  // For service-internal use (AWS calls): decrypts without auditing. Errors as SecretSealer::Open.
  Result<domain::Credentials> OpenCredentials(const domain::Account& account) const;

  // NotFound when the account or its contact information is absent.
  Result<domain::ContactInfo> GetContactInfo(const std::string& account_id);
  // InvalidArgument naming the field; NotFound. Audited.
  Result<domain::ContactInfo> PutContactInfo(const RequestContext& ctx, const std::string& account_id,
                                             domain::ContactInfo info);

 private:
  // Create without its audit entry; sets *account_id once AWS named the account.
  Result<domain::Account> CreateChecked(const RequestContext& ctx, NewAccount request, std::string* account_id);
  // Unavailable (the sealer's message) when the credentials cannot be sealed; `account` is then unchanged.
  Status SealInto(domain::Account* account, const domain::Credentials& credentials);
  // The account id AWS reports for `c` (called in `region`), with AWS rejections as InvalidArgument("credentials").
  Result<std::string> VerifiedAccountId(const domain::Credentials& c, const std::string& region);

  store::Store& store_;
  const Clock& clock_;
  Random& random_;
  SecretSealer& sealer_;
  AuditService& audit_;
  AuthService& auth_;
  RoleAssumer& verifier_;
  EpochWatch epoch_;  // kAccountsEpoch
  TtlCache<domain::Account> cache_;
};

}  // namespace ap::service
