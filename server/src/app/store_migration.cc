#include "app/store_migration.h"

#include "app/master_key.h"

#include <cinttypes>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <string_view>

namespace ap::app {
namespace {

constexpr int64_t kPage = 1000;
constexpr int64_t kHistoryPage = 10000;

// ---- Walks: every list followed to its end -----------------------------------------------------------------

// Follows a cursor list to its end: `fetch(cursor)` reads the page after `cursor` ("" = the first page) and `fn`
// is given each non-empty page's items.
template <typename Fetch, typename Fn>
Status ForEachPage(const Fetch& fetch, const Fn& fn) {
  std::string cursor;
  do {
    auto page = fetch(cursor);
    if (!page.ok()) return page.status();
    if (!page->items.empty()) RETURN_IF_ERROR(fn(page->items));
    cursor = page->next;
  } while (!cursor.empty());
  return Status::Ok();
}

// ForEachPage, item by item.
template <typename Fetch, typename Fn>
Status ForEachItem(const Fetch& fetch, const Fn& fn) {
  return ForEachPage(fetch, [&fn](const auto& items) -> Status {
    for (const auto& item : items) RETURN_IF_ERROR(fn(item));
    return Status::Ok();
  });
}

// `filter` asking for the page after `cursor`, `limit` entries long.
template <typename Filter>
Filter PageAfter(Filter filter, const std::string& cursor, int64_t limit = kPage) {
  filter.cursor = cursor;
  filter.limit = limit;
  return filter;
}

Status WalkUsers(store::Store& s, const std::function<Status(const domain::User&)>& fn) {
  return ForEachItem([&s](const std::string& cursor) { return s.ListUsers(cursor, kPage); }, fn);
}

Status WalkAccounts(store::Store& s, const std::function<Status(const domain::Account&)>& fn) {
  // Any status.
  return ForEachItem([&s](const std::string& c) { return s.ListAccounts(PageAfter(store::AccountFilter{}, c)); }, fn);
}

Status WalkSnapshots(store::Store& s, const std::function<Status(const domain::QuotaSnapshot&)>& fn) {
  return ForEachItem([&s](const std::string& cursor) { return s.ListQuotaSnapshots(cursor, kPage); }, fn);
}

// The (account, region) pairs whose history is reachable: each account's regions and each snapshot's key.
Result<std::map<std::string, std::set<std::string>>> HistoryKeys(store::Store& s) {
  std::map<std::string, std::set<std::string>> keys;
  RETURN_IF_ERROR(WalkAccounts(s, [&](const domain::Account& a) {
    keys[a.account_id].insert(a.regions.begin(), a.regions.end());
    return Status::Ok();
  }));
  RETURN_IF_ERROR(WalkSnapshots(s, [&](const domain::QuotaSnapshot& snap) {
    keys[snap.account_id].insert(snap.region);
    return Status::Ok();
  }));
  return keys;
}

// Each page of one (account, region)'s history, newest page first.
Status WalkHistory(store::Store& s, const std::string& account_id, const std::string& region,
                   const std::function<Status(const std::vector<domain::QuotaHistoryEntry>&)>& fn) {
  store::QuotaHistoryFilter filter;
  filter.account_id = account_id;
  filter.region = region;
  return ForEachPage([&](const std::string& c) { return s.ListQuotaHistory(PageAfter(filter, c, kHistoryPage)); }, fn);
}

Status WalkJobs(store::Store& s, const std::function<Status(const domain::Job&)>& fn) {
  return ForEachItem([&s](const std::string& c) { return s.ListJobs(PageAfter(store::JobFilter{}, c)); }, fn);
}

Status WalkJobItems(store::Store& s, const std::string& job_id,
                    const std::function<Status(const std::vector<domain::JobItem>&)>& fn) {
  return ForEachPage([&](const std::string& c) { return s.ListJobItems(job_id, PageAfter(store::JobItemFilter{}, c)); },
                     fn);
}

Status WalkAudit(store::Store& s, const std::function<Status(const domain::AuditEntry&)>& fn) {
  return ForEachItem([&s](const std::string& c) { return s.ListAudit(PageAfter(store::AuditFilter{}, c)); }, fn);
}

uint64_t Fnv1a(std::string_view text) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string ValueLine(const domain::QuotaSnapshot& snap, const domain::QuotaValue& v) {
  char number[32] = "-";
  if (v.value) std::snprintf(number, sizeof number, "%.17g", *v.value);
  std::string line = snap.account_id;
  line.append("\t").append(snap.region).append("\t").append(v.quota_code).append("\t").append(number);
  line.append("\t").append(domain::QuotaStateName(v.state));
  return line;
}

// OK for `s`, and for the codes a re-run expects: the record is already there.
bool IsOkOr(const Status& s, StatusCode code) { return s.ok() || s.code() == code; }

// Adds context to a failed write so that the operator knows which record stopped the copy.
Status Context(const Status& s, const std::string& what) {
  return s.ok() ? s : Status(s.code(), what + ": " + s.message());
}

// ---- The copy, one kind at a time ----------------------------------------------------------------------------

Result<int64_t> CopyUsers(store::Store& from, store::Store& to) {
  int64_t n = 0;
  RETURN_IF_ERROR(WalkUsers(from, [&](const domain::User& u) {
    Status s = to.CreateUser(u);
    if (s.code() == StatusCode::kAlreadyExists) s = to.UpdateUser(u);
    ++n;
    return Context(s, "user " + u.email);
  }));
  return n;
}

Result<int64_t> CopyTeams(store::Store& from, store::Store& to) {
  ASSIGN_OR_RETURN(std::vector<domain::Team> teams, from.ListTeams());
  for (const domain::Team& t : teams) RETURN_IF_ERROR(Context(to.PutTeam(t), "team " + t.team_id));
  return static_cast<int64_t>(teams.size());
}

bool SameAccount(const domain::Account& a, const domain::Account& b) {
  return a.account_name == b.account_name && a.regions == b.regions && a.teams == b.teams && a.status == b.status &&
         a.credential_type == b.credential_type && a.access_key_id_masked == b.access_key_id_masked &&
         a.role_arn == b.role_arn && a.sealed_credentials == b.sealed_credentials &&
         a.created_at_ms == b.created_at_ms && a.updated_at_ms == b.updated_at_ms && a.created_by == b.created_by &&
         a.version == b.version;
}

// Accounts with their contact information.
Result<int64_t> CopyAccounts(store::Store& from, store::Store& to, int64_t* contacts) {
  int64_t n = 0;
  RETURN_IF_ERROR(WalkAccounts(from, [&](const domain::Account& a) -> Status {
    const std::string what = "account " + a.account_id;
    Status s = to.CreateAccount(a);
    if (s.code() == StatusCode::kAlreadyExists) {
      ASSIGN_OR_RETURN(domain::Account existing, to.GetAccount(a.account_id));
      s = SameAccount(existing, a) ? Status::Ok() : to.UpdateAccount(a, existing.version);
    }
    RETURN_IF_ERROR(Context(s, what));
    ++n;
    Result<domain::ContactInfo> contact = from.GetContactInfo(a.account_id);
    if (contact.ok()) {
      RETURN_IF_ERROR(Context(to.PutContactInfo(a.account_id, *contact), what + " contact information"));
      ++*contacts;
    } else if (contact.status().code() != StatusCode::kNotFound) {
      return Context(contact.status(), what + " contact information");
    }
    return Status::Ok();
  }));
  return n;
}

Result<int64_t> CopySnapshots(store::Store& from, store::Store& to) {
  int64_t n = 0;
  RETURN_IF_ERROR(WalkSnapshots(from, [&](const domain::QuotaSnapshot& snap) {
    ++n;
    return Context(to.PutQuotaSnapshot(snap), "quota snapshot " + snap.account_id + " " + snap.region);
  }));
  return n;
}

// 1 when the source has a config (copied or already equal), 0 when it has none.
Result<int64_t> CopyQuotaConfig(store::Store& from, store::Store& to) {
  Result<domain::QuotaConfig> source = from.GetQuotaConfig();
  if (source.status().code() == StatusCode::kNotFound) return 0;
  RETURN_IF_ERROR(source.status());
  Result<domain::QuotaConfig> target = to.GetQuotaConfig();
  int64_t expected = 0;
  if (target.ok()) {
    if (target->models == source->models) return 1;
    expected = target->version;
  } else if (target.status().code() != StatusCode::kNotFound) {
    return target.status();
  }
  domain::QuotaConfig copy = *source;
  copy.version = expected + 1;
  RETURN_IF_ERROR(Context(to.PutQuotaConfig(copy, expected), "quota config"));
  return 1;
}

Result<int64_t> CopyHistory(store::Store& from, store::Store& to) {
  ASSIGN_OR_RETURN(auto keys, HistoryKeys(from));
  int64_t n = 0;
  for (const auto& [account, regions] : keys) {
    const std::string& account_id = account;  // a structured binding cannot be captured (C++20)
    for (const std::string& region : regions) {
      RETURN_IF_ERROR(WalkHistory(from, account_id, region, [&](const std::vector<domain::QuotaHistoryEntry>& page) {
        n += static_cast<int64_t>(page.size());
        return Context(to.AppendQuotaHistory(page),
                       std::string("quota history ").append(account_id).append(" ").append(region));
      }));
    }
  }
  return n;
}

// Jobs: the header (counters start at 0 and follow the items), the items as pending, then each finished item's
// outcome, which moves the target's counters to the source's.
Result<int64_t> CopyJobs(store::Store& from, store::Store& to, int64_t* items) {
  int64_t n = 0;
  RETURN_IF_ERROR(WalkJobs(from, [&](const domain::Job& job) -> Status {
    const std::string what = "job " + job.job_id;
    domain::Job header = job;
    header.counters = {};
    Status created = to.CreateJob(header);
    if (!IsOkOr(created, StatusCode::kAlreadyExists)) return Context(created, what);
    ++n;
    return WalkJobItems(from, job.job_id, [&](const std::vector<domain::JobItem>& page) -> Status {
      for (size_t i = 0; i < page.size(); i += store::kMaxJobItemsPerAdd) {
        std::vector<domain::JobItem> batch;
        for (size_t k = i; k < page.size() && k < i + store::kMaxJobItemsPerAdd; ++k) {
          domain::JobItem pending;
          pending.seq = page[k].seq;
          pending.account_id = page[k].account_id;
          pending.region = page[k].region;
          batch.push_back(std::move(pending));
        }
        Status added = to.AddJobItems(job.job_id, batch);
        if (!IsOkOr(added, StatusCode::kAlreadyExists)) return Context(added, what + " items");
      }
      for (const domain::JobItem& item : page) {
        ++*items;
        if (item.outcome == domain::JobItemOutcome::kPending) continue;
        store::JobItemResult result;
        result.outcome = item.outcome;
        result.values_ok = item.values_ok;
        result.values_failed = item.values_failed;
        result.error = item.error;
        result.finished_at_ms = item.finished_at_ms;
        Status finished = to.FinishJobItem(job.job_id, item.seq, result);
        // FailedPrecondition: finished by an earlier run.
        if (!IsOkOr(finished, StatusCode::kFailedPrecondition))
          return Context(finished, what + " item " + std::to_string(item.seq));
      }
      return Status::Ok();
    });
  }));
  return n;
}

Result<int64_t> CopyAudit(store::Store& from, store::Store& to) {
  int64_t n = 0;
  RETURN_IF_ERROR(WalkAudit(from, [&](const domain::AuditEntry& e) -> Status {
    ++n;
    Result<domain::AuditEntry> appended = to.AppendAudit(e);
    if (IsOkOr(appended.status(), StatusCode::kAlreadyExists)) return Status::Ok();
    return Context(appended.status(), "audit entry " + e.audit_id);
  }));
  return n;
}

// The master-key canary (master_key.h), so that the target accepts the source's key and only it. A target that
// has another canary was started with another key: its sealed credentials and the copied ones could not both open.
Status CopyCanary(store::Store& from, store::Store& to) {
  Result<std::string> canary = from.GetSetting(kMasterKeyCanary);
  if (canary.status().code() == StatusCode::kNotFound) return Status::Ok();
  RETURN_IF_ERROR(Context(canary.status(), "master key canary"));
  Status put = to.PutSettingIfAbsent(kMasterKeyCanary, *canary);
  if (put.code() != StatusCode::kAlreadyExists) return Context(put, "master key canary");
  ASSIGN_OR_RETURN(std::string existing, to.GetSetting(kMasterKeyCanary));
  if (existing != *canary)
    return FailedPrecondition("the target was started with another master key (its master key canary differs)");
  return Status::Ok();
}

}  // namespace

Result<StoreInventory> TakeInventory(store::Store& s) {
  int64_t users = 0, accounts = 0, contacts = 0, snapshots = 0, values = 0, history = 0, jobs = 0, items = 0, audit = 0,
          models = 0;
  uint64_t checksum = 0;
  RETURN_IF_ERROR(WalkUsers(s, [&](const domain::User&) {
    ++users;
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(std::vector<domain::Team> teams, s.ListTeams());
  RETURN_IF_ERROR(WalkAccounts(s, [&](const domain::Account& a) -> Status {
    ++accounts;
    Result<domain::ContactInfo> contact = s.GetContactInfo(a.account_id);
    if (contact.ok()) ++contacts;
    return contact.ok() || contact.status().code() == StatusCode::kNotFound ? Status::Ok() : contact.status();
  }));
  RETURN_IF_ERROR(WalkSnapshots(s, [&](const domain::QuotaSnapshot& snap) {
    ++snapshots;
    for (const domain::QuotaValue& v : snap.values) {
      ++values;
      checksum += Fnv1a(ValueLine(snap, v));
    }
    return Status::Ok();
  }));
  Result<domain::QuotaConfig> config = s.GetQuotaConfig();
  if (config.ok()) {
    models = static_cast<int64_t>(config->models.size());
  } else if (config.status().code() != StatusCode::kNotFound) {
    return config.status();
  }
  ASSIGN_OR_RETURN(auto keys, HistoryKeys(s));
  for (const auto& [account_id, regions] : keys) {
    for (const std::string& region : regions) {
      RETURN_IF_ERROR(WalkHistory(s, account_id, region, [&](const std::vector<domain::QuotaHistoryEntry>& page) {
        history += static_cast<int64_t>(page.size());
        return Status::Ok();
      }));
    }
  }
  RETURN_IF_ERROR(WalkJobs(s, [&](const domain::Job& job) {
    ++jobs;
    return WalkJobItems(s, job.job_id, [&](const std::vector<domain::JobItem>& page) {
      items += static_cast<int64_t>(page.size());
      return Status::Ok();
    });
  }));
  RETURN_IF_ERROR(WalkAudit(s, [&](const domain::AuditEntry&) {
    ++audit;
    return Status::Ok();
  }));
  StoreInventory inv;
  inv.kinds = {{"users", users},
               {"teams", static_cast<int64_t>(teams.size())},
               {"accounts", accounts},
               {"contact_info", contacts},
               {"quota_snapshots", snapshots},
               {"quota_values", values},
               {"quota_config_models", models},
               {"quota_history", history},
               {"jobs", jobs},
               {"job_items", items},
               {"audit_entries", audit}};
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016" PRIx64, checksum);
  inv.values_checksum = hex;
  return inv;
}

bool MigrationReport::matches() const {
  if (source.values_checksum != target.values_checksum || source.kinds.size() != target.kinds.size()) return false;
  for (size_t i = 0; i < source.kinds.size(); ++i) {
    if (source.kinds[i].name != target.kinds[i].name || source.kinds[i].count != target.kinds[i].count) return false;
  }
  return true;
}

Result<MigrationReport> MigrateStore(store::Store& from, store::Store& to, std::ostream& out) {
  RETURN_IF_ERROR(CopyCanary(from, to));
  int64_t contacts = 0;
  int64_t items = 0;
  // In this order: teams before the users and accounts that name them, accounts before what belongs to them.
  const std::vector<std::pair<const char*, std::function<Result<int64_t>()>>> steps = {
      {"teams", [&] { return CopyTeams(from, to); }},
      {"users", [&] { return CopyUsers(from, to); }},
      {"accounts", [&] { return CopyAccounts(from, to, &contacts); }},
      {"quota_config", [&] { return CopyQuotaConfig(from, to); }},
      {"quota_snapshots", [&] { return CopySnapshots(from, to); }},
      {"quota_history", [&] { return CopyHistory(from, to); }},
      {"jobs", [&] { return CopyJobs(from, to, &items); }},
      {"audit_entries", [&] { return CopyAudit(from, to); }},
  };
  for (const auto& [kind, copy] : steps) {
    ASSIGN_OR_RETURN(int64_t n, copy());
    out << "copied " << kind << ": " << n << std::endl;
  }
  out << "copied contact_info: " << contacts << std::endl;
  out << "copied job_items: " << items << std::endl;
  out << "not copied: sessions (everyone logs in again) and login throttles" << std::endl;

  MigrationReport report;
  ASSIGN_OR_RETURN(report.source, TakeInventory(from));
  ASSIGN_OR_RETURN(report.target, TakeInventory(to));
  out << "verification (source / target):" << std::endl;
  for (size_t i = 0; i < report.source.kinds.size(); ++i) {
    const int64_t a = report.source.kinds[i].count;
    const int64_t b = i < report.target.kinds.size() ? report.target.kinds[i].count : -1;
    out << "  " << report.source.kinds[i].name << ": " << a << " / " << b << (a == b ? "" : "  MISMATCH") << std::endl;
  }
  out << "  quota values checksum: " << report.source.values_checksum << " / " << report.target.values_checksum
      << (report.source.values_checksum == report.target.values_checksum ? "" : "  MISMATCH") << std::endl;
  return report;
}

}  // namespace ap::app
