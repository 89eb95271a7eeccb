// ServiceGraph: every service of the platform, built once and in dependency order from what the caller injects
// (store, clock, randomness, master key, AWS clients, metrics) and from options. The one place the service graph
// is wired: app/ builds it for the server and the CLI from the command line, the service and api tests (and the
// fuzz targets) build it on an in-memory store with fakes (test/service/test_env.h).
//
// Two layers, the second optional:
//   core       audit, sealer, auth (+ its password-hash pool), role assumer, accounts, quota config, usage reads,
//              quota, dashboard, authorizer, alert channels and alerts (+ the alert sender when a webhook poster is
//              given) — always built.
//   AWS work   the AWS worker pool, pacing timers, account credentials, quota refresher, model discovery, contact
//              reader, AWS work admission, fleet refresher, refresh scheduler, usage poller and scheduler (these
//              two only with ServiceGraphDeps::cloudwatch), alert evaluator and runner (only when the alert
//              sender is built), quota increase requests (service, bulk job runner, tracker) — built only when
//              ServiceGraphDeps::service_quotas and ::account_api are both given (else their members stay null, and
//              the api answers their routes 503).
//
// Ownership: owns every service it builds; references the injected dependencies, which must outlive it.
// Thread safety: Build and Stop from one thread; the services themselves are safe from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "aws/clients.h"
#include "aws/sleeper.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "common/random.h"
#include "common/status.h"
#include "common/thread_pool.h"
#include "common/timer_queue.h"
#include "domain/catalogue.h"
#include "service/account_credentials.h"
#include "service/account_service.h"
#include "service/alert_delivery.h"
#include "service/alert_evaluator.h"
#include "service/alert_runner.h"
#include "service/alert_service.h"
#include "service/audit_service.h"
#include "service/auth_service.h"
#include "service/authorizer.h"
#include "service/aws_work_admission.h"
#include "service/contact_reader.h"
#include "service/crypto.h"
#include "service/dashboard_service.h"
#include "service/export_service.h"
#include "service/fleet_refresher.h"
#include "service/gateway_export.h"
#include "service/increase_job_runner.h"
#include "service/increase_tracker.h"
#include "service/model_discovery.h"
#include "service/organization_onboarding.h"
#include "service/platform_identity.h"
#include "service/quota_config_service.h"
#include "service/quota_increase_service.h"
#include "service/quota_refresher.h"
#include "service/quota_service.h"
#include "service/refresh_scheduler.h"
#include "service/role_assumer.h"
#include "service/secret_sealer.h"
#include "service/stored_channel_directory.h"
#include "service/usage_poller.h"
#include "service/usage_scheduler.h"
#include "service/usage_service.h"
#include "store/store.h"

namespace ap::service {

// The injection points. Everything referenced here must outlive the graph.
struct ServiceGraphDeps {
  store::Store& store;
  const Clock& clock;
  Random& random;
  MasterKey master_key{};  // seals account credentials (LocalSealer) unless `sealer` is given
  // Seals account credentials instead of the master key (app/: KMS); null: a LocalSealer over master_key.
  SecretSealer* sealer = nullptr;
  aws::Sts& sts;
  // The platform's own identity, for AssumeRole into the accounts; null: accounts need their own access keys.
  aws::CredentialsProvider* platform_identity = nullptr;
  // The AWS work layer is built only when both are given (see the file comment).
  aws::ServiceQuotas* service_quotas = nullptr;
  aws::AccountApi* account_api = nullptr;
  // CloudWatch (usage against quota): with the AWS work layer, the usage poller and its scheduler are built only
  // when it is given (else they stay null, and the usage refresh route answers 503).
  aws::CloudWatch* cloudwatch = nullptr;
  // AWS Organizations (onboarding an organization's accounts): with the AWS work layer, `organizations` is built
  // only when it is given (else it stays null, and the organizations routes answer 503).
  aws::Organizations* organizations = nullptr;
  // Alert delivery (alert_sender): webhook and Slack POSTs through `webhook_poster` (app/webhook_poster.h), SNS
  // Publish through `sns` signed with platform_identity. No poster: no sender (channel tests answer 503). No sns
  // or no platform identity: SNS deliveries fail with Unavailable. `sleeper` waits between retries (null: real).
  WebhookPoster* webhook_poster = nullptr;
  aws::Sns* sns = nullptr;
  aws::Sleeper* sleeper = nullptr;
  // Refresh and admission metrics; null: none.
  MetricsRegistry* metrics = nullptr;
  // The quota catalogue (config defaults, model discovery).
  std::vector<domain::CatalogueQuota> catalogue;
};

struct ServiceGraphOptions {
  // This process's id among the instances sharing the store: the holder of the leases it takes (fleet job,
  // scheduled refresh, refreshes of one account and region). Distinct per process. Empty (default): Build makes a
  // random "i_..." one (ServiceGraph::instance_id).
  std::string instance_id;
  // Login sessions, throttling and password hashing; `auth.hasher` injects a PasswordHasher (tests: a fake), else
  // argon2id at `auth.password_hash`. `auth.hash_pool` is ignored: see hash_threads.
  AuthOptions auth;
  // Threads of the pool password hashes run on (off the caller's thread); 0: no pool, logins hash inline.
  size_t hash_threads = 0;
  // How stale the in-memory caches of accounts, the quota config and quota reads may be (principals:
  // auth.principal_cache_ttl). Default 5 s.
  Duration cache_ttl = std::chrono::seconds(5);
  // How often the caches of sessions, accounts and the quota config read their store epochs (epoch_watch.h): the
  // bound within which a change made on another instance is seen here. Default 1 s. Overrides auth.epoch_poll.
  Duration epoch_poll = std::chrono::seconds(1);
  // The lease of one (account, region) refresh across instances (RefreshOptions::lease_ttl). Default 60 s.
  Duration refresh_lease_ttl = std::chrono::seconds(60);
  AuthorizerOptions authorizer;
  // The region the platform asks STS who it is in (PlatformIdentity). Default us-east-1.
  std::string identity_region = "us-east-1";

  // The AWS work layer (used only when it is built):
  // Threads making AWS calls (refreshes, fleet jobs, blocking client requests). >= 1. Default 32.
  size_t aws_workers = 32;
  // Client requests of one user that may hold AWS workers at once. Clients together hold at most half of the
  // workers; the rest stays for refreshes and fleet jobs. Default 8.
  size_t aws_requests_per_user = 8;
  FleetOptions fleet;
  SchedulerOptions scheduler;
  // Scheduled usage polls (interval 0 = off); instance_id is the graph's. The poller's lease ttl is
  // refresh_lease_ttl.
  UsageSchedulerOptions usage_scheduler;
  // Alerts: evaluation after every usage poll and quota refresh of an (account, region) on the AWS worker pool, and
  // the delivery sweeper (alert_runner.sweep_interval; 0 = off). alert_evaluator.instance_id and
  // alert_runner.metrics are the graph's.
  AlertEvaluatorOptions alert_evaluator;
  AlertRunnerOptions alert_runner;
  // Quota increase requests (issue 14 §1), with the AWS work layer: the service (increase.on_approved is the
  // graph's: a refresh of the approved (account, region)), the bulk job runner (instance_id is the graph's) and
  // the tracker (interval 0 = off; instance_id is the graph's).
  IncreaseOptions increase;
  IncreaseJobOptions increase_jobs;
  IncreaseTrackerOptions increase_tracker;
};

struct ServiceGraph {
  // Builds the graph and applies the first-start default (the default quota config when none is stored).
  // Returns the store's error when that fails; InvalidArgument when aws_workers is 0 with the AWS work layer.
  static Result<std::unique_ptr<ServiceGraph>> Build(ServiceGraphDeps deps, const ServiceGraphOptions& options);

  ServiceGraph(const ServiceGraph&) = delete;
  ServiceGraph& operator=(const ServiceGraph&) = delete;
  ~ServiceGraph();  // Stop()

  // Stops the background work before what it calls back into goes away: the alert runner (no new evaluations; the
  // sweeper's current sweep ends), the schedulers, then the fleet job
  // (in-flight accounts finish, the job is kept as interrupted), then the AWS worker pool drains (paced calls not
  // yet due are dropped), then queued logins finish. Idempotent; the services stay usable for synchronous calls.
  void Stop();

  // Members are declared in dependency order, so that each is destroyed before what it uses.
  std::unique_ptr<SecretSealer> local_sealer;  // null when ServiceGraphDeps::sealer is given
  SecretSealer* sealer = nullptr;              // the one accounts use: deps.sealer or local_sealer
  std::unique_ptr<AuditService> audit;
  // Created before `auth` (which keeps a pointer to it) and declared after it, so it drains before `auth` goes.
  std::unique_ptr<AuthService> auth;
  std::unique_ptr<ThreadPool> hash_pool;  // null when hash_threads is 0
  std::unique_ptr<RoleAssumer> assumer;
  std::unique_ptr<PlatformIdentity> platform_identity;  // always built (Get() fails without an identity)
  std::unique_ptr<AccountService> accounts;
  std::unique_ptr<QuotaConfigService> quota_config;
  std::unique_ptr<UsageService> usage;  // usage reads (built with the core: they never call AWS)
  std::unique_ptr<QuotaService> quota;
  std::unique_ptr<DashboardService> dashboard;
  std::unique_ptr<GatewayExport> gateway_export;  // the LiteLLM routing export (store reads only)
  std::unique_ptr<ExportService> exports;         // CSV/JSON downloads (issue 14 §2), core: they only read the store
  std::unique_ptr<Authorizer> authorizer;
  // Alerts (issue 13 §3): the channel directory over the store (always), the sender (only with
  // ServiceGraphDeps::webhook_poster; null otherwise) and the alerts API's service. The evaluator and its sweeper
  // reuse alert_channels and alert_sender. alert_sender is used from many threads: deps.random must be thread-safe
  // (SecureRandom in the server).
  std::unique_ptr<StoredChannelDirectory> alert_channels;
  std::unique_ptr<aws::Sns> alert_sns_fallback;                    // when deps.sns is null
  std::unique_ptr<aws::CredentialsProvider> alert_no_credentials;  // when deps.platform_identity is null
  std::unique_ptr<ChannelSender> alert_sender;
  std::unique_ptr<AlertService> alerts;

  // The AWS work layer: all null unless built.
  std::unique_ptr<AccountCredentials> account_credentials;
  std::unique_ptr<TimerQueue> timers;
  std::unique_ptr<QuotaRefresher> refresher;
  std::unique_ptr<ModelDiscovery> discovery;
  std::unique_ptr<ContactReader> contact_reader;
  std::unique_ptr<OrganizationOnboarding> organizations;  // null unless ServiceGraphDeps::organizations is given
  std::unique_ptr<AwsWorkAdmission> aws_admission;
  // Declared after what its tasks use, so that it is destroyed (draining its queue) before them.
  std::unique_ptr<ThreadPool> pool;
  // Usage against quota: null unless the AWS work layer is built and ServiceGraphDeps::cloudwatch is given.
  // Declared before the fleet, whose jobs may poll usage through it (so destroyed after it).
  std::unique_ptr<UsagePoller> usage_poller;
  std::unique_ptr<FleetRefresher> fleet;
  std::unique_ptr<RefreshScheduler> scheduler;
  std::unique_ptr<UsageScheduler> usage_scheduler;
  // Quota increase requests: null unless the AWS work layer is built. The runner and the tracker use the service.
  std::unique_ptr<QuotaIncreaseService> increases;
  std::unique_ptr<IncreaseJobRunner> increase_jobs;
  std::unique_ptr<IncreaseTracker> increase_tracker;
  // Alerts: null unless the AWS work layer and alert_sender are built (over alert_channels and alert_sender).
  // The refresher and the usage poller call alert_runner->Enqueue when they finish (their on_refreshed / on_polled).
  std::unique_ptr<AlertEvaluator> alert_evaluator;
  std::unique_ptr<AlertRunner> alert_runner;

  MetricsRegistry* metrics = nullptr;  // ServiceGraphDeps::metrics
  const Clock& clock;
  std::string instance_id;  // ServiceGraphOptions::instance_id, or the one Build made

 private:
  explicit ServiceGraph(const Clock& c) : clock(c) {}
};

}  // namespace ap::service
