// OrganizationOnboarding: onboarding the accounts of an AWS organization (issue 14 §3). Given a registered account
// that is the organization's management account or a delegated administrator, List shows the organization's
// accounts (AWS Organizations ListAccounts, every page, and the OU walk) with their AWS status, OU path and whether
// each is registered here; Register registers a selection through a role name and external id, each account checked
// with STS exactly as AccountService::Create checks a new account (AssumeRole with the platform's identity, then
// GetCallerIdentity must name the account).
//
// Cost: a List reads the organization from AWS (1 + pages of ListAccounts, and one or two calls per OU) at most once
// per `listing_ttl` per management account (cached here, at most 32 organizations: a listing may be that stale;
// registration is never cached), and the registration of the page's accounts from the store in batches
// (AccountStore::GetAccounts: O(page), never a scan). With the "registered" filter, the walk over the listing
// continues in batches until the page is full: O(organization) point reads at worst, for an organization of at most
// 10,000 accounts (AWS Organizations' own account quota is that order). Register is bounded: at most
// kMaxRegistrationBatch accounts per call, handled one after the other on the calling (AWS worker) thread.
//
// Who: admins only (PermissionDenied otherwise). Audited: organization.list, organization.register (outcome success
// / partial / failure, with the counts), and account.create per account through AccountService.
//
// Thread safety: safe from any thread. Blocking (AWS calls): call from the AWS worker pool, never an I/O thread.
// Ownership: references its collaborators, which must outlive it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/clients.h"
#include "common/clock.h"
#include "common/mutex.h"
#include "domain/account.h"
#include "service/account_credentials.h"
#include "service/account_service.h"
#include "service/audit_service.h"
#include "service/context.h"
#include "store/store.h"

namespace ap::service {

// Most accounts one Register call takes (more: InvalidArgument("account_ids")).
inline constexpr size_t kMaxRegistrationBatch = 100;
// The role name Register uses when none is given.
inline constexpr char kDefaultOrganizationRole[] = "OrganizationAccountAccessRole";

// One account of the organization as List shows it.
struct OrganizationMember {
  std::string account_id;
  std::string name;
  std::string email;
  std::string status;         // AWS: ACTIVE | SUSPENDED | PENDING_CLOSURE ("" when AWS sent none)
  std::string joined_method;  // AWS: INVITED | CREATED
  std::optional<int64_t> joined_at_ms;
  std::string ou_id;    // the root or OU holding the account; "" when the walk did not find it
  std::string ou_path;  // "Root/Workloads/Prod"; "" when unknown
  // The platform's registration: nullopt when the account is not registered here.
  std::optional<domain::AccountStatus> platform_status;
};

struct OrganizationQuery {
  std::optional<bool> registered;  // only registered (true) / unregistered (false) accounts; nullopt: all
  std::string cursor;              // "" = first page; OrganizationPage::next of the page before (same filters)
  int64_t page_size = 100;         // 1..200
};

struct OrganizationPage {
  std::string management_account_id;      // the registered account the organization was read through
  std::vector<OrganizationMember> items;  // by account id
  std::string next;                       // "" on the last page
  int64_t organization_accounts = 0;      // accounts in the organization (the listing's size, any filter)
  int64_t listed_at_ms = 0;               // when the listing was read from AWS
};

struct OrganizationRegistration {
  std::vector<std::string> account_ids;              // 1..kMaxRegistrationBatch, members of the organization
  std::string role_name = kDefaultOrganizationRole;  // assumed in each account: arn:<partition>:iam::<id>:role/<name>
  std::string external_id;                           // "" = none
  std::vector<std::string> teams;                    // as NewAccount::teams
  std::optional<std::vector<std::string>> regions;   // as NewAccount::regions
};

enum class RegistrationResult { kRegistered, kAlreadyRegistered, kFailed };
std::string_view RegistrationResultName(RegistrationResult r);  // "registered" | "already_registered" | "failed"

struct RegistrationOutcome {
  std::string account_id;
  RegistrationResult result = RegistrationResult::kFailed;
  Status error;  // kFailed: why (AWS's error code first when AWS refused; field "credentials" for STS refusals)
  std::optional<domain::Account> account;  // kRegistered: the new account
};

class OrganizationOnboarding {
 public:
  // `listing_ttl`: how long a listing read from AWS is reused for the same management account.
  OrganizationOnboarding(store::Store& store, AccountService& accounts, AccountCredentials& credentials,
                         aws::Organizations& organizations, AuditService& audit, const Clock& clock,
                         Duration listing_ttl = std::chrono::seconds(60));

  // One page of the organization of `management_account_id`. PermissionDenied unless admin; NotFound when the
  // account is not registered; FailedPrecondition when it is inactive, or when AWS refuses to list the organization
  // through it (not the management account nor a delegated administrator, no organization, a role without
  // organizations:List*; the message starts with AWS's error code); Unavailable / DeadlineExceeded when AWS cannot
  // be reached; InvalidArgument("page_size" / "cursor").
  Result<OrganizationPage> List(const RequestContext& ctx, const std::string& management_account_id,
                                const OrganizationQuery& query);

  // Registers the selection: one outcome per distinct id, in the order given. Errors of the whole call (nothing
  // registered): PermissionDenied unless admin; InvalidArgument naming the field ("account_ids": empty, more than
  // kMaxRegistrationBatch, a malformed id; "role_name", "external_id", "teams", "regions"); the List errors of
  // reading the organization. Ids that are not members of the organization fail individually (NotFound).
  Result<std::vector<RegistrationOutcome>> Register(const RequestContext& ctx, const std::string& management_account_id,
                                                    OrganizationRegistration request);

 private:
  struct Listing {
    std::vector<OrganizationMember> members;  // by account id; platform_status unset
    std::map<std::string, size_t> index;      // account id -> position in members
    std::string partition;                    // of the management account's role ARN ("aws" by default)
    TimePoint read_at;
  };
  // The management account's listing, from the cache or AWS.
  Result<std::shared_ptr<const Listing>> Read(const std::string& management_account_id);

  store::Store& store_;
  AccountService& accounts_;
  AccountCredentials& credentials_;
  aws::Organizations& organizations_;
  AuditService& audit_;
  const Clock& clock_;
  const Duration listing_ttl_;
  Mutex mu_;
  std::map<std::string, std::shared_ptr<const Listing>> cache_ GUARDED_BY(mu_);  // at most kMaxCachedListings
};

}  // namespace ap::service
