// ap-bench-seed: fills a data dir with N accounts (sealed credentials, teams) and a cached quota snapshot for
// each (every code of the default config, fresh values), for the read-path benchmark. Not a test.
//
//   ap-bench-seed --data-dir D --accounts 10000
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "app/catalogue_loader.h"
#include "app/master_key.h"
#include "common/clock.h"
#include "common/random.h"
#include "domain/catalogue.h"
#include "domain/quota_config.h"
#include "service/crypto.h"
#include "store/sqlite/sqlite_store.h"

int main(int argc, char** argv) {
  CLI::App cli{"seed a data dir for benchmarks"};
  std::string data_dir;
  int accounts = 10000;
  cli.add_option("--data-dir", data_dir)->required();
  cli.add_option("--accounts", accounts)->check(CLI::Range(1, 1000000));
  CLI11_PARSE(cli, argc, argv);

  ap::SecureRandom random;
  bool created = false;
  auto key = ap::app::LoadOrCreateMasterKey("", data_dir, random, &created);
  if (!key.ok()) {
    std::cerr << key.status().ToString() << "\n";
    return 1;
  }
  ap::service::CredentialVault vault(*key);
  ap::store::SqliteStoreOptions so;
  so.path = data_dir + "/account-platform.db";
  auto store = ap::store::SqliteStore::Open(so);
  if (!store.ok()) {
    std::cerr << store.status().ToString() << "\n";
    return 1;
  }
  auto& clock = ap::SystemClock::Instance();
  ap::domain::QuotaConfig config =
      ap::domain::BuildDefaultQuotaConfig(ap::app::BuiltInCatalogue(), clock.NowUnixMillis());
  std::vector<std::string> codes;
  for (const auto& m : config.models)
    for (auto d : ap::domain::kAllDimensions)
      if (auto c = ap::domain::CodeFor(m, d)) codes.push_back(*c);
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());

  int64_t now = clock.NowUnixMillis();
  for (int i = 0; i < accounts; ++i) {
    ap::domain::Account a;
    a.account_id = std::to_string(200000000000LL + i);
    a.account_name = "bench-" + std::to_string(i);
    a.regions = {"us-east-1"};
    a.teams = {"team-" + std::to_string(i % 20)};
    a.created_at_ms = a.updated_at_ms = now;
    a.created_by = "bench";
    ap::domain::Credentials c;
    c.access_key_id = "AKIABENCH" + std::to_string(1000000 + i);
    c.secret_access_key = "benchsecretbenchsecretbenchsecret";
    a.access_key_id_masked = ap::domain::MaskAccessKeyId(c.access_key_id);
    a.sealed_credentials = vault.Seal(ap::domain::EncodeCredentials(c), a.account_id, random);
    if (auto s = (*store)->CreateAccount(a); !s.ok() && s.code() != ap::StatusCode::kAlreadyExists) {
      std::cerr << s.ToString() << "\n";
      return 1;
    }
    ap::domain::QuotaSnapshot snap;
    snap.account_id = a.account_id;
    snap.region = "us-east-1";
    snap.updated_at_ms = now;
    for (size_t k = 0; k < codes.size(); ++k) {
      ap::domain::QuotaValue v;
      v.quota_code = codes[k];
      v.value = 100000.0 * static_cast<double>(1 + (i + k) % 50);
      v.state = ap::domain::QuotaState::kOk;
      v.read_at_ms = v.attempted_at_ms = now;
      snap.values.push_back(v);
    }
    if (auto s = (*store)->PutQuotaSnapshot(snap); !s.ok()) {
      std::cerr << s.ToString() << "\n";
      return 1;
    }
  }
  std::cout << "seeded " << accounts << " accounts with " << codes.size() << " cached quota codes each\n";
  return 0;
}
