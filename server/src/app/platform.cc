#include "app/platform.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <system_error>
#include <thread>

#include "api/api.h"
#include "app/catalogue_loader.h"
#include "app/cli_progress.h"
#include "app/dynamodb_backend.h"
#include "app/first_admin.h"
#include "app/iam_policy.h"
#include "app/litellm_export_cli.h"
#include "app/master_key.h"
#include "app/metrics_endpoint.h"
#include "app/secrets_rewrap.h"
#include "app/store_migration.h"
#include "app/webhook_poster.h"
#include "aws/aws_clients.h"
#include "aws/environment.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/periodic.h"
#include "common/random.h"
#include "domain/ids.h"
#include "http/address_set.h"
#include "http/server.h"
#include "service/maintenance.h"
#include "service/service_graph.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/sqlite/sqlite_store.h"

namespace ap::app {
namespace {

std::string Env(const char* name) {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read while the command starts, and nothing here calls setenv.
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// Creates the data dir if needed and checks that it is a writable directory.
Status PrepareDataDir(const std::string& dir) {
  std::error_code ec;
  bool created = std::filesystem::create_directories(dir, ec);
  if (ec) return Unavailable("cannot create data dir " + dir + ": " + ec.message());
  // The database holds password hashes and sealed credentials: a new data dir is the owner's alone.
  if (created) std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  if (!std::filesystem::is_directory(dir, ec)) return Unavailable("data dir " + dir + " is not a directory");
  if (::access(dir.c_str(), R_OK | W_OK | X_OK) != 0)
    return Unavailable("cannot use data dir " + dir + ": " + std::generic_category().message(errno));
  return Status::Ok();
}

// With --store dynamodb, intents left by a writer that stopped part-way (dynamodb_store.h) are applied this often,
// once they are this old (a live writer applies its own within a few requests), this many per run.
constexpr Duration kIntentSweepInterval = std::chrono::seconds(5);
constexpr Duration kIntentSweepAge = std::chrono::seconds(5);
constexpr int64_t kIntentSweepLimit = 100;

Result<std::unique_ptr<store::SqliteStore>> OpenStore(const std::string& data_dir) {
  RETURN_IF_ERROR(PrepareDataDir(data_dir));
  store::SqliteStoreOptions so;
  so.path = data_dir + "/account-platform.db";
  return store::SqliteStore::Open(so);
}

service::PasswordHashOptions HashOptions(int memory_kib) {
  service::PasswordHashOptions h;
  h.mem_limit = static_cast<size_t>(memory_kib) * 1024;
  return h;
}

// Counts every finished AWS call (after retries) in `metrics`: calls by outcome, retries, and call time.
std::function<void(std::string_view, std::string_view, std::string_view, int, double)> AwsCallObserver(
    MetricsRegistry& metrics) {
  MetricsRegistry* m = &metrics;
  return [m](std::string_view service, std::string_view operation, std::string_view outcome, int attempts,
             double seconds) {
    m->GetCounter(
         "ap_aws_calls_total", "AWS API calls (after retries), by operation and outcome",
         {{"service", std::string(service)}, {"operation", std::string(operation)}, {"outcome", std::string(outcome)}})
        .Add();
    if (attempts > 1)
      m->GetCounter("ap_aws_retries_total", "AWS API attempts beyond the first, by operation",
                    {{"service", std::string(service)}, {"operation", std::string(operation)}})
          .Add(attempts - 1);
    m->GetHistogram("ap_aws_call_duration_seconds", "AWS API call time including retries, by operation",
                    {{"operation", std::string(operation)}})
        .Observe(seconds);
  };
}

}  // namespace

struct Platform::Parts {
  SystemClock& clock = SystemClock::Instance();
  MetricsRegistry metrics;
  std::chrono::seconds session_ttl{0};      // --session-ttl, parsed once
  std::chrono::seconds audit_retention{0};  // --audit-retention, parsed once (0 = keep forever)
  http::AddressSet trusted_proxies;         // --trusted-proxy, parsed once
  SecureRandom random;
  aws::AwsClients aws;
  // The store (declared after the AWS clients: the DynamoDB store calls them). Exactly one of sqlite / dynamodb is
  // set, by --store; `store` is that one.
  std::unique_ptr<store::SqliteStore> sqlite;
  DynamoDbBackend dynamodb;
  store::Store* store = nullptr;
  // What seals account credentials (after the AWS clients it may call; before the services that use it).
  SecretsSetup secrets;
  // --store dynamodb, serve only: SweepIntents every kIntentSweepInterval.
  std::unique_ptr<TickThread> intent_sweeper;
  TimePoint next_sweep;
  // Alert delivery's HTTP POSTs (webhook and Slack channels), before the services that send through it.
  std::unique_ptr<service::WebhookPoster> webhook_poster;
  // Declared after what it uses (store, AWS clients, metrics), so that it is destroyed before them.
  std::unique_ptr<service::ServiceGraph> services;
  std::unique_ptr<api::Api> api;
  std::unique_ptr<http::Server> server;
  std::unique_ptr<http::Server> metrics_server;
  std::thread metrics_thread;
  // serve only: purges expired sessions and old audit entries (and whatever else is added to it).
  std::unique_ptr<service::MaintenanceRunner> maintenance;

  // Background work stops before the objects it calls back into go away (see ServiceGraph::Stop). The metrics
  // port closes first: its gauges read the pools that Stop() drains and frees.
  void StopBackgroundWork() {
    if (metrics_server) metrics_server->Shutdown();
    if (metrics_thread.joinable()) metrics_thread.join();
    if (maintenance) maintenance->Stop();  // before the store goes: its runs write to it
    if (intent_sweeper) intent_sweeper->Stop();
    if (services) services->Stop();
  }
  ~Parts() { StopBackgroundWork(); }
};

Platform::Platform(ServeOptions options) : options_(std::move(options)), parts_(std::make_unique<Parts>()) {}
Platform::~Platform() = default;

Status Platform::Start() {
  RETURN_IF_ERROR(BuildCore());
  // A job left "running" by an instance that died is resumed here once its lease expired (now, or by the fleet's
  // tick); a live instance's job is never touched. Only servers take jobs over (StartTicks(true)), not the CLI.
  RETURN_IF_ERROR(parts_->services->fleet->TakeOverAbandonedJob());
  return StartServing();
}

Status Platform::BuildCore() {
  Parts& p = *parts_;
  log::Level level;
  if (!log::ParseLevel(options_.log_level, &level))
    return InvalidArgument("--log-level: unknown level " + options_.log_level);
  log::SetLevel(level);
  ASSIGN_OR_RETURN(p.session_ttl, ParseDuration(options_.session_ttl, "--session-ttl"));
  ASSIGN_OR_RETURN(p.trusted_proxies, http::AddressSet::Parse(options_.trusted_proxies, "--trusted-proxy"));
  ASSIGN_OR_RETURN(auto cache_ttl, ParseDuration(options_.cache_ttl, "--cache-ttl"));
  ASSIGN_OR_RETURN(auto refresh_lease_ttl, ParseDuration(options_.refresh_lease_ttl, "--refresh-lease-ttl"));
  if (refresh_lease_ttl < std::chrono::seconds(1) || refresh_lease_ttl > std::chrono::hours(1))
    return InvalidArgument("--refresh-lease-ttl must be between 1s and 1h");
  ASSIGN_OR_RETURN(auto refresh_interval, ParseDuration(options_.refresh_interval, "--refresh-interval"));
  if (refresh_interval.count() > 0 && refresh_interval < std::chrono::minutes(1))
    return InvalidArgument("--refresh-interval must be 0 (off) or at least 1m");
  ASSIGN_OR_RETURN(auto increase_check_interval,
                   ParseDuration(options_.increase_check_interval, "--increase-check-interval"));
  if (increase_check_interval.count() > 0 && increase_check_interval < std::chrono::seconds(1))
    return InvalidArgument("--increase-check-interval must be 0 (off) or at least 1s");
  ASSIGN_OR_RETURN(auto usage_interval, ParseDuration(options_.usage_interval, "--usage-interval"));
  if (usage_interval.count() > 0 && usage_interval < std::chrono::minutes(1))
    return InvalidArgument("--usage-interval must be 0 (off) or at least 1m");
  ASSIGN_OR_RETURN(auto alert_sweep_interval, ParseDuration(options_.alert_sweep_interval, "--alert-sweep-interval"));
  if (alert_sweep_interval.count() > 0 &&
      (alert_sweep_interval < std::chrono::seconds(1) || alert_sweep_interval > std::chrono::hours(1)))
    return InvalidArgument("--alert-sweep-interval must be 0 (off) or between 1s and 1h");
  ASSIGN_OR_RETURN(p.audit_retention, ParseDuration(options_.audit_retention, "--audit-retention"));
  // An audit trail shorter than a year would not cover a yearly review.
  if (p.audit_retention.count() > 0 && p.audit_retention < std::chrono::hours(24 * 365))
    return InvalidArgument("--audit-retention must be 0 (keep forever) or at least 365d");
  ASSIGN_OR_RETURN(auto fleet_lease_ttl, ParseDuration(options_.fleet_lease_ttl, "--fleet-lease-ttl"));
  if (fleet_lease_ttl < std::chrono::seconds(1) || fleet_lease_ttl > std::chrono::hours(1))
    return InvalidArgument("--fleet-lease-ttl must be between 1s and 1h");

  aws::AwsClientOptions aws_options;
  aws_options.env = aws::ProcessEnvironment();
  aws_options.observer = AwsCallObserver(p.metrics);
  ASSIGN_OR_RETURN(p.aws, aws::MakeAwsClients(aws_options, p.clock, p.random));
  if (p.session_ttl.count() <= 0) return InvalidArgument("--session-ttl must be positive");

  if (options_.store == "dynamodb") {
    ASSIGN_OR_RETURN(p.dynamodb,
                     OpenDynamoDbBackend(p.aws, aws_options.env, options_.dynamodb_table_prefix, p.clock, p.random));
    p.store = p.dynamodb.store.get();
    // Account list entries whose name keys another collator version made are rebuilt once, by one instance
    // (store/dynamodb/dynamodb_store.h); the others wait for it up to a minute.
    RETURN_IF_ERROR(p.dynamodb.store->EnsureAccountNameKeys(std::chrono::minutes(1)));
    // The data dir holds only master.key here, read or created when AP_MASTER_KEY is unset in local mode. With the
    // key in the environment, or with KMS (which only reads a master.key that already exists, for old local
    // blobs), the data dir is never created: a container with a read-only root needs no volume.
    if (Env("AP_MASTER_KEY").empty() && options_.secrets != "kms") RETURN_IF_ERROR(PrepareDataDir(options_.data_dir));
  } else {
    ASSIGN_OR_RETURN(p.sqlite, OpenStore(options_.data_dir));
    p.store = p.sqlite.get();
  }
  if (options_.rebuild_aggregates) {
    Status s = p.sqlite ? p.sqlite->RebuildAggregates() : p.dynamodb.store->RebuildAggregates().status();
    // On DynamoDB the account list entries too (e.g. after a rolling deployment in which instances with another
    // collator version still wrote entries).
    if (s.ok() && !p.sqlite) s = p.dynamodb.store->RebuildAccountIndex().status();
    if (!s.ok()) return Status(s.code(), "--rebuild-aggregates: " + s.message());
    log::Info("quota aggregates rebuilt", {});
  }
  SecretsOptions so;
  so.mode = options_.secrets;
  so.kms_key_id = options_.kms_key_id;
  so.read_kms = read_kms_;
  so.master_key_env = Env("AP_MASTER_KEY");
  so.data_dir = options_.data_dir;
  ASSIGN_OR_RETURN(p.secrets, SetUpSecrets(so, p.aws, aws_options.env, p.clock, p.random));
  if (p.secrets.master_key_created) log::Info("master_key_created", {{"path", options_.data_dir + "/master.key"}});
  if (p.secrets.master_key) {
    // The canary guards the local key wherever one is in use (kms mode reads old local blobs with it).
    bool canary_created = false;
    RETURN_IF_ERROR(CheckMasterKeyCanary(*p.store, *p.secrets.master_key, p.random, &canary_created));
    if (canary_created) log::Info("master_key_canary_created", {});
  }
  if (options_.secrets == "kms") log::Info("secrets_kms", {{"kms_key_id", options_.kms_key_id}});

  service::ServiceGraphOptions go;
  // This process among the instances sharing the store (the holder of its leases): new at every start.
  go.instance_id = domain::NewTimeOrderedId("i_", p.clock.NowUnixMillis(), p.random);
  go.auth.session_ttl = p.session_ttl;
  go.auth.principal_cache_ttl = cache_ttl;
  go.auth.password_hash = HashOptions(options_.password_hash_memory_kib);
  // Password hashing (logins) runs on max(1, cores / 2) threads, never on the HTTP I/O threads, so a login storm
  // leaves cores for the I/O threads; beyond a bounded queue, logins are refused (503).
  go.hash_threads = std::max<size_t>(1, std::thread::hardware_concurrency() / 2);
  go.auth.hash_queue_limit = 16 * go.hash_threads;
  go.cache_ttl = cache_ttl;
  go.refresh_lease_ttl = refresh_lease_ttl;
  go.authorizer.users_may_refresh = options_.users_may_refresh;
  go.authorizer.users_may_request = options_.users_may_request;
  go.increase_tracker.interval = increase_check_interval;
  go.aws_workers = static_cast<size_t>(options_.aws_workers);
  go.aws_requests_per_user = static_cast<size_t>(options_.aws_requests_per_user);
  go.fleet.account_concurrency = options_.fleet_concurrency;
  go.fleet.lease_ttl = fleet_lease_ttl;
  // Instances on DynamoDB come and go (rolling deployments, scale-in): a stopping one hands its fleet job over to
  // the others instead of leaving it interrupted until someone resumes it.
  go.fleet.hand_over_on_shutdown = options_.store == "dynamodb";
  go.scheduler.interval = refresh_interval;
  go.usage_scheduler.interval = usage_interval;
  go.usage_scheduler.max_concurrent = options_.usage_concurrency;
  go.alert_runner.sweep_interval = alert_sweep_interval;
  ASSIGN_OR_RETURN(p.webhook_poster, MakeWebhookPoster());
  ASSIGN_OR_RETURN(p.services, service::ServiceGraph::Build(
                                   service::ServiceGraphDeps{
                                       .store = *p.store,
                                       .clock = p.clock,
                                       .random = p.random,
                                       .master_key = p.secrets.master_key.value_or(service::MasterKey{}),
                                       .sealer = p.secrets.sealer.get(),
                                       .sts = *p.aws.sts,
                                       .platform_identity = p.aws.default_credentials.get(),
                                       .service_quotas = p.aws.service_quotas.get(),
                                       .account_api = p.aws.account.get(),
                                       .cloudwatch = p.aws.cloudwatch.get(),
                                       .organizations = p.aws.organizations.get(),
                                       .webhook_poster = p.webhook_poster.get(),
                                       .sns = p.aws.sns.get(),
                                       .metrics = &p.metrics,
                                       .catalogue = BuiltInCatalogue(),
                                   },
                                   go));
  return Status::Ok();
}

Status Platform::StartServing() {
  Parts& p = *parts_;
  RETURN_IF_ERROR(EnsureFirstAdmin(*p.services->auth, Env("AP_ADMIN_EMAIL"), Env("AP_ADMIN_PASSWORD"), std::cout));

  api::ApiOptions api_options;
  api_options.trusted_proxies = p.trusted_proxies;
  api_options.cookie_secure = options_.cookie_secure;
  api_options.openapi_json = std::string(BuiltInOpenApiJson());
  api_options.session_ttl_seconds = p.session_ttl.count();
  // The add-account form's documents: the same text `account-platform iam-policy` prints (one source).
  api_options.member_role_policies = [](const std::map<std::string, std::string>& values) {
    return SubstitutePlaceholders(IamPolicies().at("member_role"), values);
  };
  p.api = std::make_unique<api::Api>(api::ServicesOf(*p.services), api_options);

  http::ServerOptions so;
  so.listen = options_.listen;
  so.threads = options_.threads;
  so.web_root = options_.web_root;
  so.max_connections_per_ip = static_cast<size_t>(options_.max_connections_per_ip);
  so.unlimited_addresses = p.trusted_proxies;
  api::Api* api_ptr = p.api.get();
  p.server = std::make_unique<http::Server>(
      so,
      [api_ptr](http::Request req, http::Responder respond) { api_ptr->Handle(std::move(req), std::move(respond)); },
      p.random);
  RETURN_IF_ERROR(p.server->Start());
  RegisterGauges(p.metrics, *p.store, *p.services, GaugeOptions{.per_value = options_.metrics_per_value});
  if (!options_.metrics_listen.empty()) {
    http::ServerOptions mo;
    mo.listen = options_.metrics_listen;
    mo.threads = 1;
    mo.app_prefixes = {"/metrics"};
    p.metrics_server = std::make_unique<http::Server>(mo, MetricsHandler(p.metrics), p.random);
    if (Status s = p.metrics_server->Start(); !s.ok()) return Status(s.code(), "--metrics-listen: " + s.message());
    http::Server* ms = p.metrics_server.get();
    p.metrics_thread = std::thread([ms] { ms->Run(); });
  }
  p.server->HandleSignals();
  p.services->scheduler->Start();
  if (p.services->usage_scheduler) p.services->usage_scheduler->Start();
  if (p.services->alert_runner) p.services->alert_runner->Start();
  p.services->fleet->StartTicks(/*take_over=*/true);
  if (p.services->increase_jobs) p.services->increase_jobs->StartTicks();
  if (p.services->increase_tracker) p.services->increase_tracker->Start();
  service::MaintenanceOptions mo;
  mo.audit_retention = p.audit_retention;
  p.maintenance = std::make_unique<service::MaintenanceRunner>(*p.store, p.clock, p.random, mo);
  // Further purges are one line each, like this one.
  store::Store* store = p.store;
  p.maintenance->AddPurge("login_throttles",
                          [store](int64_t now_ms) { return store->DeleteExpiredLoginThrottles(now_ms); });
  // Usage hour records past their retention (SQLite deletes; DynamoDB returns 0: TTL), in short batches of 1,000
  // (each one short write), at most 100 a run; a larger backlog shrinks run by run.
  p.maintenance->AddPurge("usage_hours", [store](int64_t now_ms) -> Result<int64_t> {
    int64_t removed = 0;
    for (int batch = 0; batch < 100; ++batch) {
      ASSIGN_OR_RETURN(int64_t n, store->DeleteExpiredUsageHours(now_ms / 1000, 1000));
      removed += n;
      if (n < 1000) break;
    }
    return removed;
  });
  p.maintenance->Start();
  if (store::DynamoDbStore* ddb = p.dynamodb.store.get()) {
    p.next_sweep = p.clock.Now();
    p.intent_sweeper = std::make_unique<TickThread>(
        p.clock, [&p] { return p.next_sweep; },
        [&p, ddb] {
          Result<int64_t> swept = ddb->SweepIntents(kIntentSweepAge, kIntentSweepLimit);
          if (!swept.ok()) {
            log::Warn("intent_sweep_failed", {{"error", swept.status().message()}});
          } else if (*swept > 0) {
            log::Info("intents_swept", {{"count", *swept}});
          }
          p.next_sweep = p.clock.Now() + kIntentSweepInterval;
        });
    p.intent_sweeper->Start();
  }
  std::string host = options_.listen.substr(0, options_.listen.rfind(':'));
  std::cout << "Account Platform listening on http://" << host << ":" << p.server->port() << std::endl;
  log::Info("started", {{"listen", options_.listen},
                        {"port", static_cast<int64_t>(p.server->port())},
                        {"store", options_.store},
                        {"data_dir", options_.data_dir},
                        {"instance_id", p.services->instance_id}});
  return Status::Ok();
}

Status Platform::RefreshAllCommand(const std::string& team, const std::string& region, std::ostream& out,
                                   bool interactive) {
  RETURN_IF_ERROR(BuildCore());
  service::FleetRefresher& fleet = *parts_->services->fleet;
  service::RequestContext ctx = service::RequestContext::System();
  ctx.principal.user_id = "cli";
  service::FleetRequest req;
  req.team = team;
  req.region = region;
  fleet.StartTicks(/*take_over=*/false);  // renews the job's lease; a command that exits takes no job over
  ASSIGN_OR_RETURN(domain::Job job, fleet.Start(ctx, req));
  return FollowFleetJob(fleet, job, out, interactive);
}

Status Platform::WithServices(const std::function<Status(service::ServiceGraph&)>& fn) {
  RETURN_IF_ERROR(BuildCore());
  return fn(*parts_->services);
}

Status Platform::RewrapSecretsCommand(const std::string& to, std::ostream& out) {
  options_.secrets = to;
  read_kms_ = true;
  RETURN_IF_ERROR(BuildCore());
  Parts& p = *parts_;
  out << "Rewrapping the stored credentials for "
      << (to == "kms" ? "KMS key " + options_.kms_key_id : std::string("the local master key")) << std::endl;
  ASSIGN_OR_RETURN(RewrapReport report, RewrapSecrets(*p.store, *p.secrets.sealer, p.clock, out));
  out << "rewrapped " << report.rewrapped << ", already " << report.already << ", failed " << report.failed
      << std::endl;
  out << "alert channels: rewrapped " << report.channels_rewrapped << ", already " << report.channels_already
      << ", failed " << report.channels_failed << std::endl;
  service::RequestContext ctx = service::RequestContext::System();
  ctx.principal.user_id = "cli";
  p.services->audit->RecordBestEffort(
      ctx, "secrets.rewrap", "secrets", to,
      report.failed == 0 && report.channels_failed == 0 ? service::Outcome::kSuccess : service::Outcome::kFailure,
      domain::AuditDetail({{"to", to},
                           {"kms_key_id", options_.kms_key_id},
                           {"rewrapped", report.rewrapped},
                           {"already", report.already},
                           {"failed", report.failed},
                           {"channels_rewrapped", report.channels_rewrapped},
                           {"channels_failed", report.channels_failed}}));
  if (report.failed > 0 || report.channels_failed > 0)
    return Unavailable(std::to_string(report.failed) + " accounts and " + std::to_string(report.channels_failed) +
                       " alert channels could not be rewrapped (see the lines above)");
  return Status::Ok();
}

Status Platform::LitellmExportCommand(const service::LitellmExportRequest& request, const std::string& output,
                                      const std::string& env_output, std::ostream& out) {
  RETURN_IF_ERROR(BuildCore());
  service::RequestContext ctx = service::RequestContext::System();
  ctx.principal.user_id = "cli";
  return RunLitellmExport(*parts_->services->gateway_export, ctx, request, output, env_output, out);
}

void Platform::Run() {
  parts_->server->Run();
  parts_->StopBackgroundWork();
}
void Platform::Shutdown() {
  if (parts_->server) parts_->server->Shutdown();
}
uint16_t Platform::port() const { return parts_->server ? parts_->server->port() : 0; }

Status AddUserCommand(const std::string& data_dir, const std::string& email, const std::string& role,
                      const std::vector<std::string>& teams, const std::string& password, int hash_memory_kib) {
  ASSIGN_OR_RETURN(auto store, OpenStore(data_dir));
  SecureRandom random;
  service::AuditService audit(*store, SystemClock::Instance(), random);
  service::AuthOptions ao;
  ao.password_hash = HashOptions(hash_memory_kib);
  service::AuthService auth(*store, SystemClock::Instance(), random, audit, ao);
  service::NewUser req;
  req.email = email;
  ASSIGN_OR_RETURN(req.role, domain::ParseRole(role));
  req.teams = teams;
  if (!password.empty()) req.password = password;
  service::RequestContext ctx = service::RequestContext::System();
  ctx.principal.user_id = "cli";
  ASSIGN_OR_RETURN(service::CreatedUser created, auth.CreateUser(ctx, std::move(req)));
  std::cout << "Created " << domain::RoleName(created.user.role) << " " << created.user.email << " ("
            << created.user.user_id << ")";
  if (created.generated_password) std::cout << "  password: " << *created.generated_password << "  (shown once)";
  std::cout << std::endl;
  return Status::Ok();
}

Status MigrateCommand(const std::string& from, const std::string& to, const std::string& table_prefix,
                      std::ostream& out) {
  if (from.rfind("sqlite:", 0) != 0 || from.size() == 7)
    return InvalidArgument("--from: expected sqlite:DIR (the data dir of the SQLite platform)");
  if (to != "dynamodb") return InvalidArgument("--to: expected dynamodb");
  const std::string dir = from.substr(7);
  const std::string db_path = dir + "/account-platform.db";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db_path, ec)) return InvalidArgument("--from: no database at " + db_path);
  ASSIGN_OR_RETURN(auto source, OpenStore(dir));

  aws::AwsClientOptions aws_options;
  aws_options.env = aws::ProcessEnvironment();
  SecureRandom random;
  ASSIGN_OR_RETURN(aws::AwsClients aws, aws::MakeAwsClients(aws_options, SystemClock::Instance(), random));
  ASSIGN_OR_RETURN(DynamoDbBackend target,
                   OpenDynamoDbBackend(aws, aws_options.env, table_prefix, SystemClock::Instance(), random));
  out << "Migrating " << db_path << " to the DynamoDB tables of prefix \"" << table_prefix << "\"" << std::endl;
  ASSIGN_OR_RETURN(MigrationReport report, MigrateStore(*source, *target.store, out));
  if (!report.matches()) return FailedPrecondition("the copy does not match the source (see the figures above)");
  // The copy's list entries were made by this binary: record their key version so that `serve` does not rebuild.
  RETURN_IF_ERROR(target.store->EnsureAccountNameKeys(std::chrono::minutes(1)));
  out << "Done: the copy matches the source" << std::endl;
  return Status::Ok();
}

}  // namespace ap::app
