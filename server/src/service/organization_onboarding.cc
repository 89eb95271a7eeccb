#include "service/organization_onboarding.h"

#include <algorithm>
#include <regex>
#include <set>

#include "service/paging.h"

namespace ap::service {
namespace {

constexpr size_t kMaxCachedListings = 32;
constexpr size_t kLookupBatch = 200;

// AWS refusing or failing, as this service reports it: the organization cannot be read through this account (409)
// unless AWS could not be reached (503 / 504), which a retry may fix.
Status FromAws(const Status& s, const std::string& management_account_id) {
  switch (s.code()) {
    case StatusCode::kUnavailable:
    case StatusCode::kResourceExhausted:
      return Unavailable("AWS Organizations could not be reached: " + s.message());
    case StatusCode::kDeadlineExceeded:
      return s;
    case StatusCode::kInternal:
      return Internal("AWS Organizations: " + s.message());
    default:
      return Status(StatusCode::kFailedPrecondition,
                    "the organization cannot be read through account " + management_account_id + ": " + s.message(),
                    "account_id");
  }
}

// IAM role names, with an optional path: [\w+=,.@-]{1,64} per element.
bool ValidRoleName(const std::string& name) {
  static const std::regex kRe(R"(^(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,64}$)");
  return name.size() <= 512 && std::regex_match(name, kRe);
}

std::string PartitionOf(const std::string& role_arn) {
  // arn:<partition>:iam::…
  if (role_arn.rfind("arn:", 0) != 0) return "aws";
  size_t end = role_arn.find(':', 4);
  return end == std::string::npos ? "aws" : role_arn.substr(4, end - 4);
}

}  // namespace

std::string_view RegistrationResultName(RegistrationResult r) {
  switch (r) {
    case RegistrationResult::kRegistered:
      return "registered";
    case RegistrationResult::kAlreadyRegistered:
      return "already_registered";
    case RegistrationResult::kFailed:
      break;
  }
  return "failed";
}

OrganizationOnboarding::OrganizationOnboarding(store::Store& store, AccountService& accounts,
                                               AccountCredentials& credentials, aws::Organizations& organizations,
                                               AuditService& audit, const Clock& clock, Duration listing_ttl)
    : store_(store),
      accounts_(accounts),
      credentials_(credentials),
      organizations_(organizations),
      audit_(audit),
      clock_(clock),
      listing_ttl_(listing_ttl) {}

Result<std::shared_ptr<const OrganizationOnboarding::Listing>> OrganizationOnboarding::Read(
    const std::string& management_account_id) {
  RETURN_IF_ERROR(domain::ValidateAccountId(management_account_id));
  const TimePoint now = clock_.Now();
  {
    MutexLock lock(mu_);
    auto it = cache_.find(management_account_id);
    if (it != cache_.end() && now - it->second->read_at < listing_ttl_) return it->second;
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const domain::Account> account, accounts_.Lookup(management_account_id));
  if (account->status != domain::AccountStatus::kActive) {
    return Status(StatusCode::kFailedPrecondition,
                  "account " + management_account_id + " is inactive; reactivate it before listing its organization",
                  "account_id");
  }
  const std::string region = account->regions.empty() ? std::string(domain::kDefaultRegion) : account->regions.front();
  Result<aws::Credentials> creds = credentials_.For(*account, region);
  if (!creds.ok()) return FromAws(creds.status(), management_account_id);
  Result<std::vector<aws::OrganizationAccount>> listed = organizations_.ListAccounts(*creds);
  if (!listed.ok()) return FromAws(listed.status(), management_account_id);
  Result<aws::OrganizationTree> tree = organizations_.WalkTree(*creds);
  if (!tree.ok()) return FromAws(tree.status(), management_account_id);

  auto listing = std::make_shared<Listing>();
  listing->read_at = now;
  listing->partition = PartitionOf(account->role_arn);
  std::map<std::string, const aws::OrganizationalUnit*> units;
  for (const auto& u : tree->units) units[u.id] = &u;
  for (aws::OrganizationAccount& a : *listed) {
    if (domain::ValidateAccountId(a.id).ok() == false) continue;  // never list what could not be registered
    OrganizationMember m;
    m.account_id = std::move(a.id);
    m.name = std::move(a.name);
    m.email = std::move(a.email);
    m.status = std::move(a.status);
    m.joined_method = std::move(a.joined_method);
    if (a.joined_timestamp) {
      m.joined_at_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(a.joined_timestamp->time_since_epoch()).count();
    }
    if (auto p = tree->account_parent.find(m.account_id); p != tree->account_parent.end()) {
      m.ou_id = p->second;
      if (auto u = units.find(p->second); u != units.end()) m.ou_path = u->second->path;
    }
    listing->members.push_back(std::move(m));
  }
  std::sort(listing->members.begin(), listing->members.end(),
            [](const OrganizationMember& x, const OrganizationMember& y) { return x.account_id < y.account_id; });
  listing->members.erase(std::unique(listing->members.begin(), listing->members.end(),
                                     [](const OrganizationMember& x, const OrganizationMember& y) {
                                       return x.account_id == y.account_id;
                                     }),
                         listing->members.end());
  for (size_t i = 0; i < listing->members.size(); ++i) listing->index[listing->members[i].account_id] = i;

  MutexLock lock(mu_);
  if (cache_.size() >= kMaxCachedListings) {
    // Drop the oldest listing (the cache is a speed-up only; a miss reads AWS again).
    auto oldest = std::min_element(cache_.begin(), cache_.end(),
                                   [](const auto& x, const auto& y) { return x.second->read_at < y.second->read_at; });
    cache_.erase(oldest);
  }
  cache_[management_account_id] = listing;
  return std::shared_ptr<const Listing>(listing);
}

Result<OrganizationPage> OrganizationOnboarding::List(const RequestContext& ctx,
                                                      const std::string& management_account_id,
                                                      const OrganizationQuery& query) {
  if (!ctx.principal.is_admin()) return PermissionDenied("only admins may onboard organizations");
  RETURN_IF_ERROR(CheckPageSize(query.page_size, 200));
  if (!query.cursor.empty() && !domain::ValidateAccountId(query.cursor).ok()) {
    return InvalidArgument("not a cursor of this list", "cursor");
  }
  Result<std::shared_ptr<const Listing>> read = Read(management_account_id);
  audit_.RecordBestEffort(ctx, "organization.list", "account", management_account_id,
                          read.ok() ? Outcome::kSuccess : Outcome::kFailure);
  if (!read.ok()) return read.status();
  const Listing& listing = **read;

  OrganizationPage page;
  page.management_account_id = management_account_id;
  page.organization_accounts = static_cast<int64_t>(listing.members.size());
  page.listed_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(listing.read_at.time_since_epoch()).count();
  auto it = std::upper_bound(listing.members.begin(), listing.members.end(), query.cursor,
                             [](const std::string& c, const OrganizationMember& m) { return c < m.account_id; });
  const size_t want = static_cast<size_t>(query.page_size);
  while (it != listing.members.end() && page.items.size() < want) {
    // The registration of the next batch, read in one lookup.
    const size_t batch = query.registered ? kLookupBatch : std::min(kLookupBatch, want - page.items.size());
    auto end = it + static_cast<std::ptrdiff_t>(std::min<size_t>(batch, listing.members.end() - it));
    std::vector<std::string> ids;
    for (auto i = it; i != end; ++i) ids.push_back(i->account_id);
    ASSIGN_OR_RETURN(std::vector<domain::Account> stored, store_.GetAccounts(ids));
    std::map<std::string, domain::AccountStatus> status;
    for (const domain::Account& a : stored) status[a.account_id] = a.status;
    for (; it != end && page.items.size() < want; ++it) {
      OrganizationMember m = *it;
      if (auto s = status.find(m.account_id); s != status.end()) m.platform_status = s->second;
      if (query.registered && *query.registered != m.platform_status.has_value()) continue;
      page.items.push_back(std::move(m));
    }
  }
  if (it != listing.members.end() && !page.items.empty()) page.next = page.items.back().account_id;
  return page;
}

Result<std::vector<RegistrationOutcome>> OrganizationOnboarding::Register(const RequestContext& ctx,
                                                                          const std::string& management_account_id,
                                                                          OrganizationRegistration request) {
  if (!ctx.principal.is_admin()) return PermissionDenied("only admins may onboard organizations");
  if (request.account_ids.empty()) return InvalidArgument("select at least one account", "account_ids");
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const std::string& id : request.account_ids) {
    RETURN_IF_ERROR(domain::ValidateAccountId(id, "account_ids"));
    if (seen.insert(id).second) ids.push_back(id);
  }
  if (ids.size() > kMaxRegistrationBatch) {
    return InvalidArgument("at most " + std::to_string(kMaxRegistrationBatch) + " accounts per call", "account_ids");
  }
  if (request.role_name.empty()) request.role_name = kDefaultOrganizationRole;
  if (!ValidRoleName(request.role_name)) {
    return InvalidArgument("must be an IAM role name (with an optional path), e.g. OrganizationAccountAccessRole",
                           "role_name");
  }
  // The external id and the other fields are validated by AccountService::Create for every account; check them
  // once here so that a bad value fails the call instead of every account.
  if (!request.external_id.empty()) {
    domain::Credentials probe;
    probe.type = domain::CredentialType::kAssumeRole;
    probe.role_arn = "arn:aws:iam::" + ids.front() + ":role/" + request.role_name;
    probe.external_id = request.external_id;
    if (Status s = domain::ValidateCredentials(probe); !s.ok()) return InvalidArgument(s.message(), "external_id");
  }
  for (const std::string& team : request.teams) RETURN_IF_ERROR(domain::ValidateTeamId(team, "teams"));
  if (request.regions) {
    std::vector<std::string> regions = *request.regions;
    RETURN_IF_ERROR(domain::NormalizeRegions(&regions));
  }

  Result<std::shared_ptr<const Listing>> read = Read(management_account_id);
  if (!read.ok()) {
    audit_.RecordBestEffort(ctx, "organization.register", "account", management_account_id, Outcome::kFailure);
    return read.status();
  }
  const Listing& listing = **read;
  ASSIGN_OR_RETURN(std::vector<domain::Account> stored, store_.GetAccounts(ids));
  std::set<std::string> registered;
  for (const domain::Account& a : stored) registered.insert(a.account_id);

  std::vector<RegistrationOutcome> out;
  int ok = 0;
  int failed = 0;
  for (const std::string& id : ids) {
    RegistrationOutcome o;
    o.account_id = id;
    auto member = listing.index.find(id);
    if (member == listing.index.end()) {
      std::string message = "account " + id;
      message += " is not a member of the organization of ";
      message += management_account_id;
      o.error = Status(StatusCode::kNotFound, message, "account_ids");
    } else if (registered.count(id)) {
      o.result = RegistrationResult::kAlreadyRegistered;
    } else {
      NewAccount n;
      const OrganizationMember& m = listing.members[member->second];
      n.account_name = m.name.empty() ? id : m.name;
      if (!domain::ValidateAccountName(n.account_name).ok()) n.account_name = id;
      n.account_id = id;
      n.regions = request.regions;
      n.teams = request.teams;
      n.credentials.type = domain::CredentialType::kAssumeRole;
      n.credentials.role_arn = "arn:" + listing.partition + ":iam::" + id + ":role/" + request.role_name;
      n.credentials.external_id = request.external_id;
      Result<domain::Account> created = accounts_.Create(ctx, std::move(n));
      if (created.ok()) {
        o.result = RegistrationResult::kRegistered;
        o.account = std::move(created).value();
      } else if (created.status().code() == StatusCode::kAlreadyExists) {
        o.result = RegistrationResult::kAlreadyRegistered;  // registered by someone else meanwhile
      } else {
        o.error = created.status();
      }
    }
    if (o.result == RegistrationResult::kFailed) ++failed;
    if (o.result == RegistrationResult::kRegistered) ++ok;
    out.push_back(std::move(o));
  }
  const Outcome outcome = failed == 0                              ? Outcome::kSuccess
                          : failed == static_cast<int>(out.size()) ? Outcome::kFailure
                                                                   : Outcome::kPartial;
  audit_.RecordBestEffort(ctx, "organization.register", "account", management_account_id, outcome,
                          "registered=" + std::to_string(ok) + " failed=" + std::to_string(failed) +
                              " selected=" + std::to_string(out.size()) + " role=" + request.role_name);
  return out;
}

}  // namespace ap::service
