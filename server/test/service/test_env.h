// A complete service graph on an in-memory SQLite store, a FakeClock and a FakeRandom — for unit tests of
// services and of the api layer (no sockets).
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "common/clock.h"
#include "common/random.h"
#include "domain/catalogue.h"
#include "fake_aws.h"
#include "service/account_service.h"
#include "service/audit_service.h"
#include "service/auth_service.h"
#include "service/authorizer.h"
#include "service/crypto.h"
#include "service/dashboard_service.h"
#include "service/quota_config_service.h"
#include "service/quota_service.h"
#include "service/role_assumer.h"
#include "store/sqlite/sqlite_store.h"

namespace ap::testing {

// Two confirmed catalogue models are enough for the default config used in tests.
inline std::vector<domain::CatalogueQuota> TestCatalogue() {
  auto q = [](std::string code, std::string family, std::string suffix, std::string metric, bool one_m) {
    domain::CatalogueQuota c;
    c.code = std::move(code);
    c.name = std::string("Global cross-region model inference ") +
             (metric == "tokens-per-minute" ? "tokens" : "requests") + " per minute for Anthropic " + family +
             (suffix.empty() ? "" : " " + suffix) + (one_m ? " 1M Context Length" : "");
    c.model_family = std::move(family);
    c.version_suffix = std::move(suffix);
    c.scope = "global-cross-region";
    c.metric = std::move(metric);
    c.long_context_1m = one_m;
    return c;
  };
  return {q("L-27C57EE8", "Claude Sonnet 4.5", "V1", "tokens-per-minute", false),
          q("L-DB84CE56", "Claude Sonnet 4.5", "V1", "requests-per-minute", false),
          q("L-4B26E44A", "Claude Sonnet 4.5", "V1", "tokens-per-minute", true),
          q("L-C0D53EFB", "Claude Sonnet 4.5", "V1", "requests-per-minute", true),
          q("L-3ABF6ACC", "Claude Opus 4.5", "", "tokens-per-minute", false),
          q("L-58424D95", "Claude Opus 4.5", "", "requests-per-minute", false)};
}

struct TestEnv {
  FakeClock clock;
  FakeRandom random{1234};
  FakeSts sts;
  FakeIdentity identity;
  service::RoleAssumer assumer{sts, &identity};
  std::unique_ptr<store::SqliteStore> store;
  service::MasterKey key{};
  std::unique_ptr<service::CredentialVault> vault;
  std::unique_ptr<service::AuditService> audit;
  std::unique_ptr<service::AuthService> auth;
  std::unique_ptr<service::AccountService> accounts;
  std::unique_ptr<service::QuotaConfigService> quota_config;
  std::unique_ptr<service::QuotaService> quota;
  std::unique_ptr<service::DashboardService> dashboard;
  std::unique_ptr<service::Authorizer> authorizer;

  TestEnv() {
    store::SqliteStoreOptions so;
    so.path = ":memory:";
    auto opened = store::SqliteStore::Open(so);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    store = std::move(opened).value();
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i);
    vault = std::make_unique<service::CredentialVault>(key);
    service::AuthOptions ao;
    ao.password_hash.ops_limit = 1;
    ao.password_hash.mem_limit = 8192;  // argon2id's minimum: tests need no real cost
    audit = std::make_unique<service::AuditService>(*store, clock, random);
    auth = std::make_unique<service::AuthService>(*store, clock, random, *audit, ao);
    accounts = std::make_unique<service::AccountService>(*store, clock, random, *vault, *audit, *auth, assumer,
                                                         std::chrono::seconds(5));
    quota_config =
        std::make_unique<service::QuotaConfigService>(*store, clock, *audit, TestCatalogue(), std::chrono::seconds(5));
    quota = std::make_unique<service::QuotaService>(*store, clock, *accounts, *quota_config, std::chrono::seconds(5));
    dashboard = std::make_unique<service::DashboardService>(*store, *accounts, *quota_config);
    authorizer = std::make_unique<service::Authorizer>(*accounts, service::AuthorizerOptions{});
    EXPECT_TRUE(quota_config->EnsureDefault().ok());
  }

  service::RequestContext Admin() {
    service::RequestContext c;
    c.principal.authenticated = true;
    c.principal.user_id = "u_admin";
    c.principal.role = domain::Role::kAdmin;
    c.request_id = "req-admin";
    c.client_ip = "127.0.0.1";
    return c;
  }
  service::RequestContext UserOf(std::vector<std::string> teams) {
    service::RequestContext c;
    c.principal.authenticated = true;
    c.principal.user_id = "u_user";
    c.principal.role = domain::Role::kUser;
    c.principal.teams = std::move(teams);
    c.request_id = "req-user";
    return c;
  }

  service::NewAccount AccessKeyAccount(std::string id, std::vector<std::string> teams = {}) {
    service::NewAccount a;
    a.account_name = "Account " + id;
    a.account_id = std::move(id);
    a.teams = std::move(teams);
    a.credentials.access_key_id = "AKIATEST" + a.account_id;  // FakeSts: these keys belong to that account
    a.credentials.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    return a;
  }
};

}  // namespace ap::testing
