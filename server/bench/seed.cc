// ap-bench-seed: fills a data dir for the benchmarks (scripts/bench, scripts/bench-fleet). Not a test.
//
//   ap-bench-seed --data-dir D --accounts 10000 [--regions 2] [--admin-email E --admin-password P]
//                 [--audit 5000] [--history-pairs 200] [--job] [--sim-seeded]
//                 [--dynamodb-table-prefix P] [--threads N]
//
// With --dynamodb-table-prefix the records go to DynamoDB instead of the data dir's SQLite file (the tables are
// created when missing; DynamoDB is found as `serve --store dynamodb` finds it: AWS_REGION,
// AWS_ENDPOINT_URL_DYNAMODB, the platform's own credentials); the data dir still holds the master key. --threads N
// seeds the accounts and their snapshots on N threads (the store is thread-safe), for slow backends.
//
// What it writes, all through the Store interfaces (so whatever a store maintains on writes is maintained):
//  - N accounts "bench-<i>" with sealed credentials in 1..8 regions (us-east-1, us-west-2, eu-west-1, ...); teams
//    team-<i % 20>, every 7th account also in the next team, every 13th in none;
//  - a cached snapshot per (account, region) with every code of the default config: fresh values, except every
//    50th pair has one stale value and every 100th pair one value that never read (error, no value);
//  - with --admin-email/--admin-password: that admin, and users bench-user-1@<domain> (team-1) and
//    bench-user-2@<domain> (team-2, team-3) with the same password; argon2id at --password-hash-memory-kib
//    (default 8192, the integration suite's cost) so that a login does not dominate the server's peak RSS;
//  - --audit N: N audit entries, one a second up to now, over a few actions and actors;
//  - --history-pairs K: for the first K (account, region) pairs, a first read and a change of every code;
//  - --job: one finished fleet job (succeeded) with an item per (account, region);
//  - --sim-seeded: account i (0-based) is the AWS simulator's seeded account i + 1 (`aws-sim --seed-accounts N`:
//    id 100000000000 + i + 1, its access key and secret), so that refreshes against that simulator succeed;
//    otherwise ids are 200000000000 + i with keys no AWS knows.
#include <sodium.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/catalogue_loader.h"
#include "app/dynamodb_backend.h"
#include "app/master_key.h"
#include "aws/aws_clients.h"
#include "aws/environment.h"
#include "common/clock.h"
#include "common/random.h"
#include "domain/audit.h"
#include "domain/catalogue.h"
#include "domain/ids.h"
#include "domain/job.h"
#include "domain/quota_config.h"
#include "domain/quota_history.h"
#include "domain/user.h"
#include "service/crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace {

constexpr const char* kRegions[] = {"us-east-1",      "us-west-2",      "eu-west-1", "eu-central-1",
                                    "ap-northeast-1", "ap-southeast-2", "us-east-2", "eu-west-2"};

std::string Sha256(const std::string& text) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

// The secret of the simulator's seeded account `seed` (tools/aws-sim/state.mjs secretFrom): the alphanumerics of
// base64(sha256("secret:<seed>")), first 30, then the first 10 hex digits of sha256("secret2:<seed>").
std::string SimSecret(const std::string& seed) {
  const std::string a = Sha256("secret:" + seed);
  std::string b64(sodium_base64_ENCODED_LEN(a.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(a.data()), a.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  std::string alnum;
  for (char c : b64)
    if (std::isalnum(static_cast<unsigned char>(c))) alnum += c;
  const std::string b = Sha256("secret2:" + seed);
  std::string hex(b.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(b.data()), b.size());
  return alnum.substr(0, 30) + hex.substr(0, 10);
}

int Fail(const ap::Status& s) {
  std::cerr << s.ToString() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"seed a data dir for benchmarks"};
  std::string data_dir, admin_email, admin_password;
  int accounts = 10000;
  int regions = 1;
  int audit = 0;
  int history_pairs = 0;
  int hash_memory_kib = 8192;
  bool job = false;
  bool sim_seeded = false;
  std::string dynamodb_prefix;
  int threads = 1;
  cli.add_option("--data-dir", data_dir)->required();
  cli.add_option("--accounts", accounts)->check(CLI::Range(1, 1000000));
  cli.add_option("--regions", regions, "regions per account")->check(CLI::Range(1, 8));
  cli.add_option("--admin-email", admin_email, "create this admin (and two team users)");
  cli.add_option("--admin-password", admin_password, "their password");
  cli.add_option("--password-hash-memory-kib", hash_memory_kib)->check(CLI::Range(8, 1 << 22));
  cli.add_option("--audit", audit, "audit entries")->check(CLI::Range(0, 10000000));
  cli.add_option("--history-pairs", history_pairs, "(account, region) pairs with history")
      ->check(CLI::Range(0, 10000000));
  cli.add_flag("--job", job, "one finished fleet job over every (account, region)");
  cli.add_flag("--sim-seeded", sim_seeded, "ids and keys of the AWS simulator's --seed-accounts");
  cli.add_option("--dynamodb-table-prefix", dynamodb_prefix, "seed DynamoDB tables of this prefix instead of SQLite");
  cli.add_option("--threads", threads, "threads seeding accounts")->check(CLI::Range(1, 64));
  CLI11_PARSE(cli, argc, argv);
  if (admin_email.empty() != admin_password.empty()) {
    std::cerr << "--admin-email and --admin-password go together\n";
    return 2;
  }
  if (sodium_init() < 0) return Fail(ap::Internal("libsodium failed to initialise"));

  ap::SecureRandom random;
  bool created = false;
  auto key = ap::app::LoadOrCreateMasterKey("", data_dir, random, &created);
  if (!key.ok()) return Fail(key.status());
  ap::service::CredentialVault vault(*key);
  auto& clock = ap::SystemClock::Instance();
  std::unique_ptr<ap::store::Store> sqlite;
  ap::aws::AwsClients aws_clients;
  ap::app::DynamoDbBackend dynamodb;
  if (dynamodb_prefix.empty()) {
    ap::store::SqliteStoreOptions so;
    so.path = data_dir + "/account-platform.db";
    auto opened = ap::store::SqliteStore::Open(so);
    if (!opened.ok()) return Fail(opened.status());
    sqlite = std::move(opened).value();
  } else {
    if (auto s = ap::app::CreateTablesCommand(dynamodb_prefix, std::chrono::seconds(60), std::cerr); !s.ok())
      return Fail(s);
    ap::aws::AwsClientOptions ao;
    ao.env = ap::aws::ProcessEnvironment();
    ao.rate_limits = false;
    auto clients = ap::aws::MakeAwsClients(ao, clock, random);
    if (!clients.ok()) return Fail(clients.status());
    aws_clients = std::move(clients).value();
    auto backend = ap::app::OpenDynamoDbBackend(aws_clients, ao.env, dynamodb_prefix, clock, random);
    if (!backend.ok()) return Fail(backend.status());
    dynamodb = std::move(backend).value();
  }
  ap::store::Store& store = sqlite ? *sqlite : static_cast<ap::store::Store&>(*dynamodb.store);
  const int64_t now = clock.NowUnixMillis();
  ap::domain::QuotaConfig config = ap::domain::BuildDefaultQuotaConfig(ap::app::BuiltInCatalogue(), now);
  std::vector<std::string> codes;
  for (const auto& m : config.models)
    for (auto d : ap::domain::kAllDimensions)
      if (auto c = ap::domain::CodeFor(m, d)) codes.push_back(*c);
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());

  if (!admin_email.empty()) {
    ap::service::PasswordHashOptions ho;
    ho.mem_limit = static_cast<size_t>(hash_memory_kib) * 1024;
    auto hash = ap::service::HashPassword(admin_password, ho);
    if (!hash.ok()) return Fail(hash.status());
    const std::string domain = admin_email.substr(admin_email.find('@') + 1);
    struct Seeded {
      std::string email;
      ap::domain::Role role;
      std::vector<std::string> teams;
    };
    for (const Seeded& s : {Seeded{admin_email, ap::domain::Role::kAdmin, {}},
                            Seeded{"bench-user-1@" + domain, ap::domain::Role::kUser, {"team-1"}},
                            Seeded{"bench-user-2@" + domain, ap::domain::Role::kUser, {"team-2", "team-3"}}}) {
      ap::domain::User u;
      u.user_id = "u_" + random.HexString(12);
      u.email = s.email;
      u.role = s.role;
      u.teams = s.teams;
      u.password_hash = *hash;
      u.created_at_ms = u.updated_at_ms = now;
      if (auto st = store.CreateUser(u); !st.ok() && st.code() != ap::StatusCode::kAlreadyExists) return Fail(st);
    }
  }

  // (account_id, region) of pair p = i * regions + r (every account has `regions` regions, sorted).
  std::vector<std::pair<std::string, std::string>> pairs(static_cast<size_t>(accounts) * regions);
  auto seed_account = [&](int i) -> ap::Status {
    ap::domain::Account a;
    ap::domain::Credentials c;
    if (sim_seeded) {
      const std::string n = std::to_string(i + 1);
      a.account_id = std::to_string(100000000000LL + i + 1);
      c.access_key_id = "AKIASIM" + std::string(13 - std::min<size_t>(13, n.size()), '0') + n;
      c.secret_access_key = SimSecret("seed-" + n);
    } else {
      a.account_id = std::to_string(200000000000LL + i);
      c.access_key_id = "AKIABENCH" + std::to_string(1000000 + i);
      c.secret_access_key = "benchsecretbenchsecretbenchsecret";
    }
    a.account_name = "bench-" + std::to_string(i);
    for (int r = 0; r < regions; ++r) a.regions.push_back(kRegions[r]);
    std::sort(a.regions.begin(), a.regions.end());
    if (i % 13 != 0) a.teams.push_back("team-" + std::to_string(i % 20));
    if (i % 7 == 0 && i % 13 != 0) a.teams.push_back("team-" + std::to_string((i + 1) % 20));
    ap::domain::NormalizeIdList(&a.teams);
    a.created_at_ms = a.updated_at_ms = now;
    a.created_by = "bench";
    a.access_key_id_masked = ap::domain::MaskAccessKeyId(c.access_key_id);
    a.sealed_credentials = vault.Seal(ap::domain::EncodeCredentials(c), a.account_id, random);
    if (auto s = store.CreateAccount(a); !s.ok() && s.code() != ap::StatusCode::kAlreadyExists) return s;
    for (size_t r = 0; r < a.regions.size(); ++r) {
      const std::string& region = a.regions[r];
      const size_t pair = static_cast<size_t>(i) * a.regions.size() + r;
      pairs[pair] = {a.account_id, region};
      ap::domain::QuotaSnapshot snap;
      snap.account_id = a.account_id;
      snap.region = region;
      snap.updated_at_ms = now;
      for (size_t k = 0; k < codes.size(); ++k) {
        ap::domain::QuotaValue v;
        v.quota_code = codes[k];
        v.value = 100000.0 * static_cast<double>(1 + (i + k) % 50);
        v.state = ap::domain::QuotaState::kOk;
        v.read_at_ms = v.attempted_at_ms = now;
        if (k == 0 && pair % 50 == 49) {
          v.state = ap::domain::QuotaState::kStale;
          v.reason = "ThrottlingException: Rate exceeded";
          v.read_at_ms = now - 3600 * 1000;
        } else if (k == 1 && pair % 100 == 99) {
          v.value.reset();
          v.state = ap::domain::QuotaState::kError;
          v.reason = "AccessDeniedException: not authorized";
          v.read_at_ms = 0;
        }
        snap.values.push_back(v);
      }
      if (auto s = store.PutQuotaSnapshot(snap); !s.ok()) return s;
      if (static_cast<int>(pair) < history_pairs) {
        std::vector<ap::domain::QuotaHistoryEntry> entries;
        for (const ap::domain::QuotaValue& v : snap.values) {
          if (!v.value) continue;
          ap::domain::QuotaHistoryEntry first;
          first.account_id = a.account_id;
          first.region = region;
          first.quota_code = v.quota_code;
          first.at_ms = now - 86400 * 1000;
          first.event = ap::domain::QuotaEvent::kFirstRead;
          first.value = *v.value / 2;
          first.state = ap::domain::QuotaState::kOk;
          first.history_id = ap::domain::HistoryId(first.at_ms, first.quota_code);
          ap::domain::QuotaHistoryEntry changed = first;
          changed.at_ms = now - 3600 * 1000;
          changed.history_id = ap::domain::HistoryId(changed.at_ms, changed.quota_code);
          changed.event = ap::domain::QuotaEvent::kChanged;
          changed.previous_value = *v.value / 2;
          changed.value = *v.value;
          entries.push_back(first);
          entries.push_back(changed);
        }
        if (auto s = store.AppendQuotaHistory(entries); !s.ok()) return s;
      }
    }
    return ap::Status::Ok();
  };
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  ap::Status first_error = ap::Status::Ok();
  std::mutex error_mu;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = next++; i < accounts && !failed; i = next++) {
        if (ap::Status s = seed_account(i); !s.ok()) {
          std::lock_guard lock(error_mu);
          if (!failed.exchange(true)) first_error = s;
        }
      }
    });
  }
  for (std::thread& w : workers) w.join();
  if (failed) return Fail(first_error);

  static const char* kActions[] = {"account.update", "quota.refresh", "auth.login", "account.create"};
  for (int k = 0; k < audit; ++k) {
    ap::domain::AuditEntry e;
    e.at_ms = now - static_cast<int64_t>(audit - k) * 1000;
    e.audit_id = ap::domain::NewTimeOrderedId("a_", e.at_ms, random);
    e.actor_id = k % 3 == 0 ? "system" : "u_bench";
    e.actor_email = k % 3 == 0 ? "" : "bench@bench.local";
    e.action = kActions[k % 4];
    e.target_type = "account";
    e.target_id = pairs[static_cast<size_t>(k) % pairs.size()].first;
    e.outcome = k % 17 == 0 ? "failure" : "success";
    e.client_ip = "127.0.0.1";
    e.request_id = random.HexString(16);
    if (auto s = store.AppendAudit(e); !s.ok()) return Fail(s.status());
  }

  if (job) {
    // As a fleet job writes it: the header, the items in batches, each item finished, then the final state.
    ap::domain::Job j;
    j.created_at_ms = now - 600 * 1000;
    j.job_id = ap::domain::NewTimeOrderedId("j_", j.created_at_ms, random);
    j.kind = "quota_refresh_all";
    j.state = ap::domain::JobState::kRunning;
    j.created_by = "system";
    j.updated_at_ms = j.created_at_ms;
    if (auto s = store.CreateJob(j); !s.ok()) return Fail(s);
    const int64_t finished_at = now - 60 * 1000;
    std::vector<ap::domain::JobItem> batch;
    for (size_t k = 0; k < pairs.size(); ++k) {
      ap::domain::JobItem item;
      item.seq = static_cast<int64_t>(k);
      item.account_id = pairs[k].first;
      item.region = pairs[k].second;
      batch.push_back(std::move(item));
      if (static_cast<int64_t>(batch.size()) == ap::store::kMaxJobItemsPerAdd || k + 1 == pairs.size()) {
        if (auto s = store.AddJobItems(j.job_id, batch); !s.ok()) return Fail(s);
        batch.clear();
      }
    }
    for (size_t k = 0; k < pairs.size(); ++k) {
      ap::store::JobItemResult r;
      r.outcome = ap::domain::JobItemOutcome::kOk;
      r.values_ok = static_cast<int64_t>(codes.size());
      r.finished_at_ms = finished_at;
      if (auto s = store.FinishJobItem(j.job_id, static_cast<int64_t>(k), r); !s.ok()) return Fail(s);
    }
    if (auto s = store.UpdateJobState(j.job_id,
                                      {ap::domain::JobState::kRunning, ap::domain::JobState::kSucceeded, finished_at});
        !s.ok())
      return Fail(s);
  }
  std::cout << "seeded " << accounts << " accounts x " << regions << " regions with " << codes.size()
            << " cached quota codes each";
  if (!admin_email.empty()) std::cout << ", admin " << admin_email;
  std::cout << ", " << audit << " audit entries, history of " << std::min<size_t>(history_pairs, pairs.size())
            << " pairs" << (job ? ", one finished job" : "") << "\n";
  return 0;
}
