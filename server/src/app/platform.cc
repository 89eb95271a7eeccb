#include "app/platform.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>

#include "api/api.h"
#include "app/catalogue_loader.h"
#include "app/master_key.h"
#include "aws/aws_clients.h"
#include "aws/environment.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/random.h"
#include "common/thread_pool.h"
#include "http/server.h"
#include "service/account_credentials.h"
#include "service/account_service.h"
#include "service/audit_service.h"
#include "service/auth_service.h"
#include "service/authorizer.h"
#include "service/aws_work_admission.h"
#include "service/contact_reader.h"
#include "service/crypto.h"
#include "service/dashboard_service.h"
#include "service/fleet_refresher.h"
#include "service/maintenance.h"
#include "service/model_discovery.h"
#include "service/quota_config_service.h"
#include "service/quota_refresher.h"
#include "service/quota_service.h"
#include "service/refresh_scheduler.h"
#include "service/role_assumer.h"
#include "store/sqlite/sqlite_store.h"

namespace ap::app {
namespace {

std::string Env(const char* name) {
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
    return Unavailable("cannot use data dir " + dir + ": " + std::strerror(errno));
  return Status::Ok();
}

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

}  // namespace

struct Platform::Parts {
  SystemClock& clock = SystemClock::Instance();
  MetricsRegistry metrics;
  std::chrono::seconds session_ttl{0};      // --session-ttl, parsed once
  std::chrono::seconds audit_retention{0};  // --audit-retention, parsed once (0 = keep forever)
  SecureRandom random;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<service::CredentialVault> vault;
  std::unique_ptr<service::AuditService> audit;
  // Password hashing (logins) runs here, never on the HTTP I/O threads: max(1, cores / 2) threads, so a login
  // storm leaves cores for the I/O threads, and a bounded queue (AuthOptions::hash_queue_limit, over it: 503).
  // Created before `auth` (which keeps a pointer) and declared after it, so it drains before `auth` goes away.
  std::unique_ptr<service::AuthService> auth;
  std::unique_ptr<ThreadPool> hash_pool;
  std::unique_ptr<service::AccountService> accounts;
  std::unique_ptr<service::QuotaConfigService> quota_config;
  std::unique_ptr<service::QuotaService> quota;
  std::unique_ptr<service::DashboardService> dashboard;
  std::unique_ptr<service::Authorizer> authorizer;
  aws::AwsClients aws;
  std::unique_ptr<service::RoleAssumer> assumer;
  std::unique_ptr<service::AccountCredentials> account_credentials;
  std::unique_ptr<TimerQueue> timers;
  std::unique_ptr<service::QuotaRefresher> refresher;
  std::unique_ptr<service::ModelDiscovery> discovery;
  std::unique_ptr<service::ContactReader> contact_reader;
  std::unique_ptr<service::AwsWorkAdmission> aws_admission;
  // Declared after what its tasks use, so that it is destroyed (draining its queue) before them.
  std::unique_ptr<ThreadPool> pool;
  std::unique_ptr<service::FleetRefresher> fleet;
  std::unique_ptr<service::RefreshScheduler> scheduler;
  std::unique_ptr<api::Api> api;
  std::unique_ptr<http::Server> server;
  std::unique_ptr<http::Server> metrics_server;
  std::thread metrics_thread;
  // serve only: purges expired sessions and old audit entries (and whatever else is added to it).
  std::unique_ptr<service::MaintenanceRunner> maintenance;

  // Background work stops before the objects it calls back into go away: the scheduler, then the fleet job
  // (in-flight accounts finish, the job is kept as interrupted), then the AWS worker pool drains.
  void StopBackgroundWork() {
    if (maintenance) maintenance->Stop();  // before the store goes: its runs write to it
    if (scheduler) scheduler->Stop();
    if (fleet) fleet->Shutdown();
    // Paced calls not yet due are dropped (nothing waits for them any more); the queue stays alive, refusing new
    // ones, while the pool drains tasks that may still try to schedule.
    if (timers) timers->Shutdown();
    pool.reset();
    timers.reset();
    hash_pool.reset();  // queued logins finish (their clients get an answer or have gone)
  }
  ~Parts() {
    StopBackgroundWork();
    if (metrics_server) metrics_server->Shutdown();
    if (metrics_thread.joinable()) metrics_thread.join();
  }
};

Platform::Platform(ServeOptions options) : options_(std::move(options)), parts_(std::make_unique<Parts>()) {}
Platform::~Platform() = default;

Status Platform::Start() {
  RETURN_IF_ERROR(BuildCore());
  // Only the serving process owns running jobs: a job left "running" belongs to a server that stopped. (The
  // CLI must not do this: a server may be running its job on the same database right now.)
  RETURN_IF_ERROR(parts_->fleet->RecoverInterrupted());
  return StartServing();
}

Status Platform::BuildCore() {
  Parts& p = *parts_;
  log::Level level;
  if (!log::ParseLevel(options_.log_level, &level))
    return InvalidArgument("--log-level: unknown level " + options_.log_level);
  log::SetLevel(level);
  ASSIGN_OR_RETURN(p.session_ttl, ParseDuration(options_.session_ttl, "--session-ttl"));
  const auto session_ttl = p.session_ttl;
  ASSIGN_OR_RETURN(auto cache_ttl, ParseDuration(options_.cache_ttl, "--cache-ttl"));
  ASSIGN_OR_RETURN(auto refresh_interval, ParseDuration(options_.refresh_interval, "--refresh-interval"));
  if (refresh_interval.count() > 0 && refresh_interval < std::chrono::minutes(1))
    return InvalidArgument("--refresh-interval must be 0 (off) or at least 1m");
  ASSIGN_OR_RETURN(p.audit_retention, ParseDuration(options_.audit_retention, "--audit-retention"));
  // An audit trail shorter than a year would not cover a yearly review.
  if (p.audit_retention.count() > 0 && p.audit_retention < std::chrono::hours(24 * 365))
    return InvalidArgument("--audit-retention must be 0 (keep forever) or at least 365d");

  aws::AwsClientOptions aws_options;
  aws_options.env = aws::ProcessEnvironment();
  MetricsRegistry* metrics = &p.metrics;
  aws_options.observer = [metrics](std::string_view service, std::string_view operation, std::string_view outcome,
                                   int attempts, double seconds) {
    metrics
        ->GetCounter("ap_aws_calls_total", "AWS API calls (after retries), by operation and outcome",
                     {{"service", std::string(service)},
                      {"operation", std::string(operation)},
                      {"outcome", std::string(outcome)}})
        .Add();
    if (attempts > 1)
      metrics
          ->GetCounter("ap_aws_retries_total", "AWS API attempts beyond the first, by operation",
                       {{"service", std::string(service)}, {"operation", std::string(operation)}})
          .Add(attempts - 1);
    metrics
        ->GetHistogram("ap_aws_call_duration_seconds", "AWS API call time including retries, by operation",
                       {{"operation", std::string(operation)}})
        .Observe(seconds);
  };
  ASSIGN_OR_RETURN(p.aws, aws::MakeAwsClients(aws_options, p.clock, p.random));
  if (session_ttl.count() <= 0) return InvalidArgument("--session-ttl must be positive");

  ASSIGN_OR_RETURN(p.store, OpenStore(options_.data_dir));
  bool key_created = false;
  ASSIGN_OR_RETURN(service::MasterKey key,
                   LoadOrCreateMasterKey(Env("AP_MASTER_KEY"), options_.data_dir, p.random, &key_created));
  if (key_created) log::Info("master_key_created", {{"path", options_.data_dir + "/master.key"}});
  p.vault = std::make_unique<service::CredentialVault>(key);

  service::AuthOptions ao;
  ao.session_ttl = session_ttl;
  ao.principal_cache_ttl = cache_ttl;
  ao.password_hash = HashOptions(options_.password_hash_memory_kib);
  p.hash_pool = std::make_unique<ThreadPool>(std::max<size_t>(1, std::thread::hardware_concurrency() / 2));
  ao.hash_pool = p.hash_pool.get();
  ao.hash_queue_limit = 16 * p.hash_pool->size();
  p.audit = std::make_unique<service::AuditService>(*p.store, p.clock, p.random);
  p.auth = std::make_unique<service::AuthService>(*p.store, p.clock, p.random, *p.audit, ao);
  p.assumer = std::make_unique<service::RoleAssumer>(*p.aws.sts, p.aws.default_credentials.get());
  p.accounts = std::make_unique<service::AccountService>(*p.store, p.clock, p.random, *p.vault, *p.audit, *p.auth,
                                                         *p.assumer, cache_ttl);
  p.quota_config =
      std::make_unique<service::QuotaConfigService>(*p.store, p.clock, *p.audit, BuiltInCatalogue(), cache_ttl);
  p.quota = std::make_unique<service::QuotaService>(*p.store, p.clock, *p.accounts, *p.quota_config, cache_ttl);
  p.dashboard = std::make_unique<service::DashboardService>(*p.store, *p.accounts, *p.quota_config);
  p.authorizer =
      std::make_unique<service::Authorizer>(*p.accounts, service::AuthorizerOptions{options_.users_may_refresh});
  p.pool = std::make_unique<ThreadPool>(static_cast<size_t>(options_.aws_workers));
  p.timers = std::make_unique<TimerQueue>();
  p.account_credentials = std::make_unique<service::AccountCredentials>(*p.accounts, *p.assumer, p.clock);
  p.refresher = std::make_unique<service::QuotaRefresher>(
      *p.accounts, *p.quota_config, *p.quota, *p.account_credentials, *p.aws.service_quotas, *p.audit, *p.store,
      p.clock, *p.pool, service::RefreshOptions{"bedrock", &p.metrics, p.timers.get()});
  p.discovery = std::make_unique<service::ModelDiscovery>(*p.accounts, *p.account_credentials, *p.aws.service_quotas,
                                                          *p.quota_config, p.clock, BuiltInCatalogue());
  p.contact_reader =
      std::make_unique<service::ContactReader>(*p.accounts, *p.account_credentials, *p.aws.account, p.clock);
  // Client requests may hold at most half of the workers (the rest stays for refreshes and fleet jobs), one user
  // at most --aws-requests-per-user of them.
  service::AwsWorkAdmissionOptions admission;
  admission.per_user = static_cast<size_t>(options_.aws_requests_per_user);
  admission.total = std::max<size_t>(1, static_cast<size_t>(options_.aws_workers) / 2);
  admission.max_queued = std::max<size_t>(1024, 8 * static_cast<size_t>(options_.aws_workers));
  admission.metrics = &p.metrics;
  p.aws_admission = std::make_unique<service::AwsWorkAdmission>(admission);
  service::FleetOptions fo;
  fo.account_concurrency = options_.fleet_concurrency;
  p.fleet =
      std::make_unique<service::FleetRefresher>(*p.accounts, *p.refresher, *p.store, *p.audit, p.clock, p.random, fo);
  service::SchedulerOptions sched;
  sched.interval = refresh_interval;
  p.scheduler = std::make_unique<service::RefreshScheduler>(*p.fleet, *p.quota, p.clock, p.random, sched);

  RETURN_IF_ERROR(p.quota_config->EnsureDefault());
  return Status::Ok();
}

Status Platform::StartServing() {
  Parts& p = *parts_;
  std::string admin_email = Env("AP_ADMIN_EMAIL");
  if (admin_email.empty()) admin_email = "admin@localhost";
  auto first_admin = p.auth->BootstrapAdmin(admin_email, Env("AP_ADMIN_PASSWORD"));
  if (!first_admin.ok()) {
    const Status& s = first_admin.status();
    if (s.field() == "email") return InvalidArgument("AP_ADMIN_EMAIL: " + s.message());
    if (s.field() == "password") return InvalidArgument("AP_ADMIN_PASSWORD: " + s.message());
    return s;
  }
  if (*first_admin) {
    std::cout << "First admin created: " << (*first_admin)->user.email;
    if ((*first_admin)->generated_password) {
      std::cout << "  password: " << *(*first_admin)->generated_password
                << "  (shown once; change it after logging in)";
    }
    std::cout << std::endl;
  }

  api::ApiOptions api_options;
  api_options.trusted_proxies = options_.trusted_proxies;
  api_options.cookie_secure = options_.cookie_secure;
  api_options.openapi_json = std::string(BuiltInOpenApiJson());
  api_options.session_ttl_seconds = p.session_ttl.count();
  p.api = std::make_unique<api::Api>(
      api::Services{*p.auth, *p.accounts, *p.quota, *p.quota_config, *p.dashboard, *p.audit, *p.authorizer, p.clock,
                    p.refresher.get(), p.fleet.get(), p.pool.get(), p.contact_reader.get(), p.discovery.get(),
                    &p.metrics, p.aws_admission.get()},
      api_options);

  http::ServerOptions so;
  so.listen = options_.listen;
  so.threads = options_.threads;
  so.web_root = options_.web_root;
  so.max_connections_per_ip = static_cast<size_t>(options_.max_connections_per_ip);
  so.unlimited_addresses = options_.trusted_proxies;
  api::Api* api_ptr = p.api.get();
  p.server = std::make_unique<http::Server>(
      so,
      [api_ptr](http::Request req, http::Responder respond) { api_ptr->Handle(std::move(req), std::move(respond)); },
      p.random);
  RETURN_IF_ERROR(p.server->Start());
  RegisterGauges();
  if (!options_.metrics_listen.empty()) {
    http::ServerOptions mo;
    mo.listen = options_.metrics_listen;
    mo.threads = 1;
    mo.app_prefixes = {"/metrics"};
    MetricsRegistry* registry = &p.metrics;
    p.metrics_server = std::make_unique<http::Server>(
        mo,
        [registry](http::Request req, http::Responder respond) {
          http::Response r;
          r.route = "/metrics";
          if (req.path != "/metrics" || (req.method != "GET" && req.method != "HEAD")) {
            respond(http::ErrorResponse(404, "not_found", "only GET /metrics is served here", req.request_id));
            return;
          }
          r.content_type = "text/plain; version=0.0.4; charset=utf-8";
          r.body = registry->Render();
          respond(std::move(r));
        },
        p.random);
    if (Status s = p.metrics_server->Start(); !s.ok()) return Status(s.code(), "--metrics-listen: " + s.message());
    http::Server* ms = p.metrics_server.get();
    p.metrics_thread = std::thread([ms] { ms->Run(); });
  }
  p.server->HandleSignals();
  p.scheduler->Start();
  service::MaintenanceOptions mo;
  mo.audit_retention = p.audit_retention;
  p.maintenance = std::make_unique<service::MaintenanceRunner>(*p.store, p.clock, p.random, mo);
  // Further purges are one line each, like this one.
  store::Store* store = p.store.get();
  p.maintenance->AddPurge("login_throttles",
                          [store](int64_t now_ms) { return store->DeleteExpiredLoginThrottles(now_ms); });
  p.maintenance->Start();
  std::string host = options_.listen.substr(0, options_.listen.rfind(':'));
  std::cout << "Account Platform listening on http://" << host << ":" << p.server->port() << std::endl;
  log::Info(
      "started",
      {{"listen", options_.listen}, {"port", static_cast<int64_t>(p.server->port())}, {"data_dir", options_.data_dir}});
  return Status::Ok();
}

void Platform::RegisterGauges() {
  Parts& p = *parts_;
  store::Store* store = p.store.get();
  service::QuotaConfigService* config = p.quota_config.get();
  // The cached quota values, one series per (account, region, model, dimension) with a value.
  p.metrics.AddGaugeCollector("ap_quota_value", "Cached quota value (last good value; state says whether it is fresh)",
                              [store, config](std::vector<std::pair<Labels, double>>* out) {
                                auto cfg = config->Get();
                                auto snapshots = store->ListQuotaSnapshots();
                                if (!cfg.ok() || !snapshots.ok()) return;
                                for (const domain::QuotaSnapshot& s : *snapshots) {
                                  for (const domain::ModelSpec& m : (*cfg)->models) {
                                    if (!m.enabled) continue;
                                    for (domain::QuotaDimension d : domain::kAllDimensions) {
                                      auto code = domain::CodeFor(m, d);
                                      if (!code) continue;
                                      const domain::QuotaValue* v = s.Find(*code);
                                      if (!v || !v->value) continue;  // missing is never zero: no sample at all
                                      out->push_back({{{"account_id", s.account_id},
                                                       {"region", s.region},
                                                       {"model_id", m.model_id},
                                                       {"dimension", std::string(domain::DimensionKey(d))},
                                                       {"state", std::string(domain::QuotaStateName(v->state))}},
                                                      *v->value});
                                    }
                                  }
                                }
                              });
  ThreadPool* hash_pool = p.hash_pool.get();
  p.metrics.AddGaugeCollector("ap_login_hash_queue", "Logins waiting for a password-hash thread",
                              [hash_pool](std::vector<std::pair<Labels, double>>* out) {
                                out->push_back({{}, static_cast<double>(hash_pool->queued())});
                              });
  ThreadPool* pool = p.pool.get();
  p.metrics.AddGaugeCollector("ap_aws_worker_queue", "AWS calls waiting for a worker thread",
                              [pool](std::vector<std::pair<Labels, double>>* out) {
                                out->push_back({{}, static_cast<double>(pool->queued())});
                              });
}

Status Platform::RefreshAllCommand(const std::string& team, const std::string& region, std::ostream& out,
                                   bool interactive) {
  RETURN_IF_ERROR(BuildCore());
  Parts& p = *parts_;
  service::RequestContext ctx = service::RequestContext::System();
  ctx.principal.user_id = "cli";
  service::FleetRequest req;
  req.team = team;
  req.region = region;
  ASSIGN_OR_RETURN(domain::Job job, p.fleet->Start(ctx, std::move(req)));
  out << "Refreshing " << job.total() << " account region(s) (job " << job.job_id << ")" << std::endl;
  int64_t last_reported = -1;
  for (;;) {
    bool running = p.fleet->Running().has_value();
    ASSIGN_OR_RETURN(service::JobProgress progress, p.fleet->Get(job.job_id));
    const domain::Job& j = progress.job;
    if (interactive) {
      // One line redrawn in place: a bar, counts and the estimate.
      constexpr int kWidth = 30;
      int filled = j.total() ? static_cast<int>(kWidth * j.done() / j.total()) : kWidth;
      out << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] " << j.done() << "/"
          << j.total() << " done, " << j.failed() << " failed";
      if (progress.eta_seconds) out << ", about " << *progress.eta_seconds << "s left   ";
      out << std::flush;
    } else if (j.done() != last_reported &&
               (j.done() == j.total() || j.done() - last_reported >= std::max<int64_t>(1, j.total() / 20))) {
      out << "progress: " << j.done() << "/" << j.total() << " done, " << j.failed() << " failed" << std::endl;
      last_reported = j.done();
    }
    if (!running) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(interactive ? 200 : 500));
  }
  if (interactive) out << std::endl;
  ASSIGN_OR_RETURN(service::JobProgress final_progress, p.fleet->Get(job.job_id));
  const domain::Job& j = final_progress.job;
  for (const domain::JobItem& item : j.items) {
    if (item.outcome == domain::JobItemOutcome::kFailed || item.outcome == domain::JobItemOutcome::kPartial)
      out << "  " << item.account_id << " " << item.region << ": " << domain::JobItemOutcomeName(item.outcome) << " — "
          << item.error << std::endl;
  }
  out << "Job " << j.job_id << " " << domain::JobStateName(j.state) << ": " << j.done() << "/" << j.total() << " done, "
      << j.failed() << " failed" << std::endl;
  if (j.state != domain::JobState::kSucceeded)
    return Unavailable("the refresh did not complete for every account (job " + j.job_id + ")");
  return Status::Ok();
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

}  // namespace ap::app
