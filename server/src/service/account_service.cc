#include "service/account_service.h"
#include "service/paging.h"

#include <sodium.h>

#include <algorithm>

#include "common/log.h"

namespace ap::service {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// The usage of (account_id, regions) goes with the account or the region: best effort after the account change,
// which has been made and stays (a failure is logged; the usage readers skip inactive accounts and regions the
// account no longer uses, and a later Delete retries).
void DropUsage(store::UsageStore& usage, const std::string& account_id, const std::vector<std::string>& regions) {
  if (regions.empty()) return;
  if (Status s = usage.DeleteAccountUsage(account_id, regions); !s.ok())
    log::Warn("account_usage_delete_failed", {{"account_id", account_id}, {"error", s.message()}});
}

}  // namespace

AccountService::AccountService(store::Store& store, const Clock& clock, Random& random, SecretSealer& sealer,
                               AuditService& audit, AuthService& auth, RoleAssumer& verifier, Duration cache_ttl,
                               Duration epoch_poll)
    : store_(store),
      clock_(clock),
      random_(random),
      sealer_(sealer),
      audit_(audit),
      auth_(auth),
      verifier_(verifier),
      epoch_(store, clock, kAccountsEpoch, epoch_poll),
      cache_(clock, cache_ttl, epoch_) {}

Result<std::string> AccountService::VerifiedAccountId(const domain::Credentials& c, const std::string& region) {
  auto id = verifier_.CallerAccount(c, region);
  if (id.ok()) return id;
  switch (id.status().code()) {
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
      return InvalidArgument("AWS rejected the credentials: " + id.status().message(), "credentials");
    case StatusCode::kFailedPrecondition:
      return InvalidArgument(id.status().message(), "credentials");
    default:
      return Unavailable("the credentials could not be checked with AWS STS: " + id.status().message());
  }
}

bool AccountService::Visible(const Principal& principal, const domain::Account& account) {
  if (principal.is_admin()) return true;
  return principal.authenticated && domain::SharesAny(principal.teams, account.teams);
}

Status AccountService::SealInto(domain::Account* account, const domain::Credentials& credentials) {
  std::string encoded = domain::EncodeCredentials(credentials);
  Result<std::string> sealed = sealer_.Seal(encoded, account->account_id);
  sodium_memzero(encoded.data(), encoded.size());
  if (!sealed.ok()) return Unavailable("the credentials cannot be stored now: " + sealed.status().message());
  account->credential_type = credentials.type;
  account->access_key_id_masked =
      credentials.type == domain::CredentialType::kAccessKey ? domain::MaskAccessKeyId(credentials.access_key_id) : "";
  account->role_arn = credentials.type == domain::CredentialType::kAssumeRole ? credentials.role_arn : "";
  account->sealed_credentials = std::move(sealed).value();
  return Status::Ok();
}

Result<domain::Account> AccountService::Create(const RequestContext& ctx, NewAccount request) {
  // Every attempt is audited (issue 16 §5), a rejected one too: refused input (422), a duplicate (409) or
  // credentials AWS refused are "denied"; AWS STS or the store failing is "failure". The entry names the account
  // being registered (id when known, its name beside it) and why it was refused.
  const std::string name = Trim(request.account_name);
  std::string account_id = request.account_id;
  Result<domain::Account> created = CreateChecked(ctx, std::move(request), &account_id);
  if (created.ok()) {
    audit_.RecordBestEffort(ctx, "account.create", "account", created->account_id, Outcome::kSuccess,
                            domain::AuditDetail({{"target_name", created->account_name}}));
    return created;
  }
  const Status& s = created.status();
  const StatusCode code = s.code();
  const bool denied = code == StatusCode::kInvalidArgument || code == StatusCode::kAlreadyExists ||
                      code == StatusCode::kPermissionDenied || code == StatusCode::kNotFound;
  audit_.RecordBestEffort(ctx, "account.create", "account", account_id, denied ? Outcome::kDenied : Outcome::kFailure,
                          domain::AuditDetail({{"target_name", name},
                                               {"code", std::string(StatusCodeName(code))},
                                               {"field", s.field()},
                                               {"error", s.message().substr(0, 300)}}));
  return created;
}

Result<domain::Account> AccountService::CreateChecked(const RequestContext& ctx, NewAccount request,
                                                      std::string* account_id) {
  RETURN_IF_ERROR(domain::ValidateAccountName(request.account_name));
  if (!request.account_id.empty()) RETURN_IF_ERROR(domain::ValidateAccountId(request.account_id));
  std::vector<std::string> regions =
      request.regions.value_or(std::vector<std::string>{std::string(domain::kDefaultRegion)});
  RETURN_IF_ERROR(domain::NormalizeRegions(&regions));
  RETURN_IF_ERROR(domain::ValidateCredentials(request.credentials));
  RETURN_IF_ERROR(auth_.EnsureTeams(&request.teams, "teams"));
  ASSIGN_OR_RETURN(std::string aws_account_id, VerifiedAccountId(request.credentials, regions[0]));
  *account_id = aws_account_id;
  if (!request.account_id.empty() && request.account_id != aws_account_id)
    return InvalidArgument("the credentials belong to AWS account " + aws_account_id + ", not " + request.account_id,
                           "account_id");
  domain::Account a;
  a.account_id = aws_account_id;
  a.account_name = Trim(request.account_name);
  a.regions = std::move(regions);
  a.teams = std::move(request.teams);
  a.created_at_ms = a.updated_at_ms = clock_.NowUnixMillis();
  a.created_by = ctx.principal.user_id;
  a.version = 1;
  RETURN_IF_ERROR(SealInto(&a, request.credentials));
  Status s = store_.CreateAccount(a);
  if (s.code() == StatusCode::kAlreadyExists)
    s = Status(StatusCode::kAlreadyExists, "account " + a.account_id + " is already registered", "account_id");
  RETURN_IF_ERROR(s);
  cache_.Put(a.account_id, std::make_shared<const domain::Account>(a));
  return a;
}

Result<store::AccountPage> AccountService::List(const RequestContext& ctx, const AccountQuery& query) {
  RETURN_IF_ERROR(CheckPageSize(query.page_size, 200));
  store::AccountFilter f;
  f.status = query.status;
  f.search = query.search;
  f.cursor = query.cursor;
  f.limit = query.page_size;
  if (!query.team.empty()) RETURN_IF_ERROR(domain::ValidateTeamId(query.team, "team"));
  if (ctx.principal.is_admin()) {
    if (!query.team.empty()) {
      f.any_of_teams = {query.team};
      f.restrict_to_teams = true;
    }
  } else {
    f.restrict_to_teams = true;
    if (query.team.empty()) {
      f.any_of_teams = ctx.principal.teams;
    } else if (std::binary_search(ctx.principal.teams.begin(), ctx.principal.teams.end(), query.team)) {
      f.any_of_teams = {query.team};
    }  // else: a team the user is not in — nothing matches
  }
  return store_.ListAccounts(f);
}

Result<std::shared_ptr<const domain::Account>> AccountService::Lookup(const std::string& account_id) {
  if (auto hit = cache_.Get(account_id)) return hit;
  if (!domain::ValidateAccountId(account_id).ok()) return NotFound("account " + account_id + " not found");
  const uint64_t stamp = cache_.InvalidationStamp();
  auto a = store_.GetAccount(account_id);
  if (!a.ok()) {
    if (a.status().code() == StatusCode::kNotFound) return NotFound("account " + account_id + " not found");
    return a.status();
  }
  auto shared = std::make_shared<const domain::Account>(std::move(a).value());
  cache_.PutLoaded(account_id, shared, stamp);
  return shared;
}

Result<std::vector<domain::Account>> AccountService::GetMany(const std::vector<std::string>& account_ids) {
  if (account_ids.empty()) return std::vector<domain::Account>{};
  return store_.GetAccounts(account_ids);
}

Result<domain::Account> AccountService::Update(const RequestContext& ctx, const std::string& account_id,
                                               const AccountPatch& patch) {
  ASSIGN_OR_RETURN(domain::Account a, store_.GetAccount(account_id));
  if (patch.expected_version && *patch.expected_version != a.version)
    return FailedPrecondition("the account was changed by someone else (version " + std::to_string(a.version) +
                              "); reload and try again");
  std::vector<std::string> changed;
  if (patch.account_name) {
    RETURN_IF_ERROR(domain::ValidateAccountName(*patch.account_name));
    a.account_name = Trim(*patch.account_name);
    changed.emplace_back("account_name");
  }
  std::vector<std::string> removed_regions;
  if (patch.regions) {
    std::vector<std::string> regions = *patch.regions;
    RETURN_IF_ERROR(domain::NormalizeRegions(&regions));
    for (const std::string& r : a.regions)
      if (std::find(regions.begin(), regions.end(), r) == regions.end()) removed_regions.push_back(r);
    a.regions = std::move(regions);
    changed.emplace_back("regions");
  }
  if (patch.teams) {
    std::vector<std::string> teams = *patch.teams;
    RETURN_IF_ERROR(auth_.EnsureTeams(&teams, "teams"));
    a.teams = std::move(teams);
    changed.emplace_back("teams");
  }
  if (patch.credentials) {
    RETURN_IF_ERROR(domain::ValidateCredentials(*patch.credentials));
    ASSIGN_OR_RETURN(std::string aws_account_id, VerifiedAccountId(*patch.credentials, a.regions[0]));
    if (aws_account_id != a.account_id)
      return InvalidArgument("the new credentials belong to AWS account " + aws_account_id + ", not " + a.account_id,
                             "credentials");
    if (Status sealed = SealInto(&a, *patch.credentials); !sealed.ok()) {
      audit_.RecordBestEffort(ctx, "account.rotate_credentials", "account", account_id, Outcome::kFailure,
                              domain::AuditDetail({{"target_name", a.account_name}}));
      return sealed;
    }
    changed.emplace_back("credentials");
  }
  if (patch.status) {
    a.status = *patch.status;
    changed.emplace_back("status");
  }
  int64_t expected = a.version;
  a.version = expected + 1;
  a.updated_at_ms = clock_.NowUnixMillis();
  Status s = store_.UpdateAccount(a, expected);
  std::string detail = domain::AuditDetail({{"target_name", a.account_name}, {"changed", changed}});
  audit_.RecordBestEffort(ctx, patch.credentials ? "account.rotate_credentials" : "account.update", "account",
                          account_id, s.ok() ? Outcome::kSuccess : Outcome::kFailure, detail);
  if (s.code() == StatusCode::kFailedPrecondition)
    return FailedPrecondition("the account was changed by someone else; reload and try again");
  RETURN_IF_ERROR(s);
  cache_.Put(account_id, std::make_shared<const domain::Account>(a));
  DropUsage(store_, account_id, removed_regions);
  RETURN_IF_ERROR(epoch_.Bump());
  return a;
}

Status AccountService::Delete(const RequestContext& ctx, const std::string& account_id) {
  ASSIGN_OR_RETURN(domain::Account a, store_.GetAccount(account_id));
  if (a.status == domain::AccountStatus::kInactive) {
    DropUsage(store_, account_id, a.regions);  // idempotent: finishes what an earlier Delete could not
    return Status::Ok();
  }
  int64_t expected = a.version;
  a.status = domain::AccountStatus::kInactive;
  a.version = expected + 1;
  a.updated_at_ms = clock_.NowUnixMillis();
  Status s = store_.UpdateAccount(a, expected);
  audit_.RecordBestEffort(ctx, "account.delete", "account", account_id, s.ok() ? Outcome::kSuccess : Outcome::kFailure,
                          domain::AuditDetail({{"target_name", a.account_name}}));
  RETURN_IF_ERROR(s);
  cache_.Put(account_id, std::make_shared<const domain::Account>(a));
  DropUsage(store_, account_id, a.regions);
  return epoch_.Bump();
}

Result<domain::Credentials> AccountService::OpenCredentials(const domain::Account& account) const {
  ASSIGN_OR_RETURN(std::string plain, sealer_.Open(account.sealed_credentials, account.account_id));
  Result<domain::Credentials> decoded = domain::DecodeCredentials(plain);
  sodium_memzero(plain.data(), plain.size());
  return decoded;
}

Result<domain::Credentials> AccountService::ExportCredentials(const RequestContext& ctx,
                                                              const std::string& account_id) {
  ASSIGN_OR_RETURN(auto account, Lookup(account_id));
  auto creds = OpenCredentials(*account);
  if (!creds.ok()) {
    audit_.RecordBestEffort(ctx, "credentials.export", "account", account_id, Outcome::kFailure,
                            domain::AuditDetail({{"target_name", account->account_name}}));
    if (creds.status().code() == StatusCode::kUnavailable) return creds.status();
    return Internal("stored credentials cannot be decrypted: " + creds.status().message());
  }
  // The export is only as good as its audit trail: no entry, no secret. Durable, because once the secret has
  // left, a power cut must not be able to take the entry with it.
  if (Status s = audit_.RecordDurably(ctx, "credentials.export", "account", account_id, Outcome::kSuccess,
                                      domain::AuditDetail({{"target_name", account->account_name}}));
      !s.ok())
    return Unavailable("the export could not be audited; try again");
  return creds;
}

Result<domain::ContactInfo> AccountService::GetContactInfo(const std::string& account_id) {
  ASSIGN_OR_RETURN(auto account, Lookup(account_id));
  auto info = store_.GetContactInfo(account_id);
  if (!info.ok() && info.status().code() == StatusCode::kNotFound)
    return NotFound("no contact information is stored for account " + account_id);
  return info;
}

Result<domain::ContactInfo> AccountService::PutContactInfo(const RequestContext& ctx, const std::string& account_id,
                                                           domain::ContactInfo info) {
  ASSIGN_OR_RETURN(auto account, Lookup(account_id));
  RETURN_IF_ERROR(domain::ValidateContactInfo(info));
  info.updated_at_ms = clock_.NowUnixMillis();
  info.updated_by = ctx.principal.user_id;
  Status s = store_.PutContactInfo(account_id, info);
  audit_.RecordBestEffort(ctx, "account.billing.update", "account", account_id,
                          s.ok() ? Outcome::kSuccess : Outcome::kFailure,
                          domain::AuditDetail({{"target_name", account->account_name}}));
  RETURN_IF_ERROR(s);
  return info;
}

Result<std::string> AccountRegion(const domain::Account& account, const std::string& region) {
  const auto& regions = account.regions;
  std::string r = region.empty() ? (regions.empty() ? std::string(domain::kDefaultRegion) : regions[0]) : region;
  if (std::find(regions.begin(), regions.end(), r) == regions.end())
    return InvalidArgument("account " + account.account_id + " does not use region \"" + r + "\"", "region");
  return r;
}

Result<ActiveAccountRegion> LookupActiveInRegion(AccountService& accounts, const std::string& account_id,
                                                 const std::string& region, std::string_view action) {
  ActiveAccountRegion out;
  ASSIGN_OR_RETURN(out.account, accounts.Lookup(account_id));
  if (out.account->status != domain::AccountStatus::kActive)
    return FailedPrecondition("account " + account_id + " is inactive; reactivate it before " + std::string(action));
  ASSIGN_OR_RETURN(out.region, AccountRegion(*out.account, region));
  return out;
}

}  // namespace ap::service
