// A complete service graph (service::ServiceGraph, the one the server builds) on an in-memory SQLite store, a
// FakeClock, a FakeRandom, a FakeSts and a FakeIdentity — for unit tests of services and of the api layer (no
// sockets). TestEnv only supplies the fakes and the options; the wiring is ServiceGraph::Build's. The AWS work
// layer (refresher, fleet, discovery, contact reader, worker pool) is not built: tests that need one build it on
// the env's services with their own fakes, and api::ServicesOf(*env.graph) leaves those routes at 503.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

#include "common/clock.h"
#include "common/random.h"
#include "domain/catalogue.h"
#include "fake_aws.h"
#include "service/service_graph.h"
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
  std::vector<domain::CatalogueQuota> out = {q("L-27C57EE8", "Claude Sonnet 4.5", "V1", "tokens-per-minute", false),
                                             q("L-DB84CE56", "Claude Sonnet 4.5", "V1", "requests-per-minute", false),
                                             q("L-4B26E44A", "Claude Sonnet 4.5", "V1", "tokens-per-minute", true),
                                             q("L-C0D53EFB", "Claude Sonnet 4.5", "V1", "requests-per-minute", true),
                                             q("L-3ABF6ACC", "Claude Opus 4.5", "", "tokens-per-minute", false),
                                             q("L-58424D95", "Claude Opus 4.5", "", "requests-per-minute", false)};
  out[0].adjustable = true;
  out.back().adjustable = false;  // increase requests: one code AWS does not raise (the others: unknown)
  return out;
}

// The options TestEnv builds its graph with: the cheapest password hash, no hash pool, 5 s caches.
inline service::ServiceGraphOptions TestGraphOptions() {
  service::ServiceGraphOptions o;
  o.auth.password_hash.ops_limit = 1;
  o.auth.password_hash.mem_limit = 8192;  // argon2id's minimum: tests need no real cost
  o.cache_ttl = std::chrono::seconds(5);
  return o;
}

struct TestEnv {
  explicit TestEnv(service::ServiceGraphOptions options = TestGraphOptions())
      : store(OpenStore()),
        graph(BuildGraph(std::move(options))),
        assumer(*graph->assumer),
        sealer(graph->sealer),
        audit(graph->audit.get()),
        auth(graph->auth.get()),
        accounts(graph->accounts.get()),
        quota_config(graph->quota_config.get()),
        quota(graph->quota.get()),
        dashboard(graph->dashboard.get()),
        authorizer(graph->authorizer.get()) {}

  // The fakes the graph is built on (declared first: they outlive it).
  FakeClock clock;
  FakeRandom random{1234};
  FakeSts sts;
  FakeIdentity identity;
  std::unique_ptr<store::SqliteStore> store;
  service::MasterKey key = TestMasterKey();
  std::unique_ptr<service::ServiceGraph> graph;
  // Shorthands for the graph's services.
  service::RoleAssumer& assumer;
  service::SecretSealer* sealer;
  service::AuditService* audit;
  service::AuthService* auth;
  service::AccountService* accounts;
  service::QuotaConfigService* quota_config;
  service::QuotaService* quota;
  service::DashboardService* dashboard;
  service::Authorizer* authorizer;

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

 private:
  static service::MasterKey TestMasterKey() {
    service::MasterKey k{};
    for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(i);
    return k;
  }
  static std::unique_ptr<store::SqliteStore> OpenStore() {
    store::SqliteStoreOptions so;
    so.path = ":memory:";
    auto opened = store::SqliteStore::Open(so);
    if (!opened.ok()) Abort("in-memory store", opened.status());
    return std::move(opened).value();
  }
  std::unique_ptr<service::ServiceGraph> BuildGraph(service::ServiceGraphOptions options) {
    auto built = service::ServiceGraph::Build(
        service::ServiceGraphDeps{
            .store = *store,
            .clock = clock,
            .random = random,
            .master_key = key,
            .sts = sts,
            .platform_identity = &identity,
            .catalogue = TestCatalogue(),
        },
        std::move(options));
    if (!built.ok()) Abort("service graph", built.status());
    return std::move(built).value();
  }
  // Nothing can run without the env: stop here rather than crash on a null service later.
  [[noreturn]] static void Abort(const char* what, const Status& status) {
    ADD_FAILURE() << what << ": " << status.ToString();
    std::abort();
  }
};

}  // namespace ap::testing
