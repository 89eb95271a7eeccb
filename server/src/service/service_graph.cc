#include "service/service_graph.h"

#include <algorithm>
#include <utility>

#include "domain/ids.h"
#include "store/value_sort_index.h"

namespace ap::service {
namespace {

// What alert delivery uses when the server has no SNS client or no identity of its own: SNS deliveries fail with a
// reason (retryable: a restart with the client configured delivers them).
class UnconfiguredSns final : public aws::Sns {
 public:
  Result<std::string> Publish(const aws::Credentials&, const std::string&, const std::string&, const std::string&,
                              const std::string&) override {
    return Unavailable("SNS is not configured on this server");
  }
};
class NoCredentials final : public aws::CredentialsProvider {
 public:
  Result<aws::Credentials> Get() override { return Unavailable("the server has no AWS identity of its own"); }
};

}  // namespace

Result<std::unique_ptr<ServiceGraph>> ServiceGraph::Build(ServiceGraphDeps deps, const ServiceGraphOptions& options) {
  const bool aws_work = deps.service_quotas != nullptr && deps.account_api != nullptr;
  if (aws_work && options.aws_workers == 0) return InvalidArgument("aws_workers must be at least 1");
  std::unique_ptr<ServiceGraph> g(new ServiceGraph(deps.clock));
  ServiceGraph& s = *g;
  const Duration cache_ttl = options.cache_ttl;
  s.metrics = deps.metrics;
  s.instance_id = options.instance_id.empty() ? domain::NewTimeOrderedId("i_", deps.clock.NowUnixMillis(), deps.random)
                                              : options.instance_id;

  if (deps.sealer != nullptr) {
    s.sealer = deps.sealer;
  } else {
    s.local_sealer = std::make_unique<LocalSealer>(deps.master_key, deps.random);
    s.sealer = s.local_sealer.get();
  }
  s.audit = std::make_unique<AuditService>(deps.store, deps.clock, deps.random);
  AuthOptions ao = options.auth;
  ao.hash_pool = nullptr;
  ao.epoch_poll = options.epoch_poll;
  if (options.hash_threads > 0) {
    s.hash_pool = std::make_unique<ThreadPool>(options.hash_threads);
    ao.hash_pool = s.hash_pool.get();
  }
  s.auth = std::make_unique<AuthService>(deps.store, deps.clock, deps.random, *s.audit, ao);
  s.assumer = std::make_unique<RoleAssumer>(deps.sts, deps.platform_identity);
  s.platform_identity =
      std::make_unique<PlatformIdentity>(deps.sts, deps.platform_identity, deps.clock, options.identity_region);
  s.accounts = std::make_unique<AccountService>(deps.store, deps.clock, deps.random, *s.sealer, *s.audit, *s.auth,
                                                *s.assumer, cache_ttl, options.epoch_poll);
  s.quota_config = std::make_unique<QuotaConfigService>(deps.store, deps.clock, *s.audit, deps.catalogue, cache_ttl,
                                                        options.epoch_poll);
  s.usage = std::make_unique<UsageService>(deps.store, deps.clock, *s.accounts, *s.quota_config, cache_ttl);
  s.quota =
      std::make_unique<QuotaService>(deps.store, deps.clock, *s.accounts, *s.quota_config, cache_ttl, s.usage.get(),
                                     std::make_shared<const domain::CatalogueIndex>(deps.catalogue));
  // The value-sorted index is a capability of some backends (store/value_sort_index.h): null elsewhere.
  s.dashboard = std::make_unique<DashboardService>(deps.store, *s.accounts, *s.quota_config, &deps.store,
                                                   dynamic_cast<store::ValueSortIndex*>(&deps.store));
  s.gateway_export = std::make_unique<GatewayExport>(deps.store, &deps.store, *s.accounts, *s.quota_config, *s.audit,
                                                     deps.clock, deps.catalogue);
  s.exports = std::make_unique<ExportService>(*s.accounts, *s.quota_config, *s.quota, *s.audit, deps.store, &deps.store,
                                              deps.clock, &deps.store);
  s.authorizer = std::make_unique<Authorizer>(*s.accounts, options.authorizer);
  s.alert_channels = std::make_unique<StoredChannelDirectory>(deps.store, *s.sealer);
  if (deps.webhook_poster != nullptr) {
    aws::Sns* sns = deps.sns;
    if (sns == nullptr) {
      s.alert_sns_fallback = std::make_unique<UnconfiguredSns>();
      sns = s.alert_sns_fallback.get();
    }
    aws::CredentialsProvider* identity = deps.platform_identity;
    if (identity == nullptr) {
      s.alert_no_credentials = std::make_unique<NoCredentials>();
      identity = s.alert_no_credentials.get();
    }
    aws::Sleeper& sleeper = deps.sleeper != nullptr ? *deps.sleeper : aws::RealSleeper::Instance();
    s.alert_sender =
        std::make_unique<ChannelSender>(*deps.webhook_poster, *sns, *identity, deps.clock, deps.random, sleeper);
  }
  s.alerts = std::make_unique<AlertService>(deps.store, deps.clock, deps.random, *s.sealer, *s.audit, *s.auth,
                                            *s.accounts, *s.quota_config, *s.authorizer, s.alert_sender.get());

  if (aws_work) {
    s.pool = std::make_unique<ThreadPool>(options.aws_workers);
    s.timers = std::make_unique<TimerQueue>();
    s.account_credentials = std::make_unique<AccountCredentials>(*s.accounts, *s.assumer, deps.clock);
    RefreshOptions ro;
    ro.metrics = deps.metrics;
    ro.timers = s.timers.get();
    ro.instance_id = s.instance_id;
    ro.lease_ttl = options.refresh_lease_ttl;
    // Alerts are evaluated after every refresh and poll (the runner is built below, before any can run).
    ServiceGraph* graph = &s;
    auto evaluate = [graph](const std::string& account_id, const std::string& region) {
      if (graph->alert_runner) graph->alert_runner->Enqueue(account_id, region);
    };
    ro.on_refreshed = evaluate;
    s.refresher = std::make_unique<QuotaRefresher>(*s.accounts, *s.quota_config, *s.quota, *s.account_credentials,
                                                   *deps.service_quotas, *s.audit, deps.store, deps.clock, *s.pool, ro);
    s.discovery = std::make_unique<ModelDiscovery>(*s.accounts, *s.account_credentials, *deps.service_quotas,
                                                   *s.quota_config, deps.clock, deps.catalogue);
    s.contact_reader =
        std::make_unique<ContactReader>(*s.accounts, *s.account_credentials, *deps.account_api, deps.clock);
    if (deps.organizations != nullptr) {
      s.organizations = std::make_unique<OrganizationOnboarding>(deps.store, *s.accounts, *s.account_credentials,
                                                                 *deps.organizations, *s.audit, deps.clock);
    }
    // Client requests may hold at most half of the workers (the rest stays for refreshes and fleet jobs), one user
    // at most aws_requests_per_user of them.
    AwsWorkAdmissionOptions admission;
    admission.per_user = options.aws_requests_per_user;
    admission.total = std::max<size_t>(1, options.aws_workers / 2);
    admission.max_queued = std::max<size_t>(1024, 8 * options.aws_workers);
    admission.metrics = deps.metrics;
    s.aws_admission = std::make_unique<AwsWorkAdmission>(admission);
    if (deps.cloudwatch != nullptr) {
      UsagePollOptions uo;
      uo.metrics = deps.metrics;
      uo.instance_id = s.instance_id;
      uo.lease_ttl = options.refresh_lease_ttl;
      uo.timers = s.timers.get();
      uo.on_snapshot = [usage = s.usage.get()](const store::UsageSnapshot& snapshot) { usage->Publish(snapshot); };
      uo.on_polled = evaluate;
      s.usage_poller =
          std::make_unique<UsagePoller>(*s.accounts, *s.quota_config, *s.quota, *s.account_credentials,
                                        *deps.cloudwatch, deps.store, deps.store, deps.clock, *s.pool, std::move(uo));
    }
    FleetOptions fo = options.fleet;
    fo.instance_id = s.instance_id;
    // Fleet jobs poll usage too (include_usage) when the server polls usage.
    s.fleet = std::make_unique<FleetRefresher>(*s.accounts, *s.refresher, deps.store, deps.store, *s.audit, deps.clock,
                                               deps.random, std::move(fo), s.usage_poller.get());
    s.scheduler =
        std::make_unique<RefreshScheduler>(*s.fleet, *s.quota, deps.store, deps.clock, deps.random, options.scheduler);
    if (s.usage_poller) {
      UsageSchedulerOptions so = options.usage_scheduler;
      so.instance_id = s.instance_id;
      s.usage_scheduler = std::make_unique<UsageScheduler>(*s.usage_poller, deps.store, deps.store, deps.clock,
                                                           deps.random, std::move(so));
    }
    IncreaseOptions io = options.increase;
    io.on_approved = [graph](const std::string& account_id, const std::string& region) {
      // A refresh of the approved value; its outcome is the refresh's own (audited, in the cache).
      if (graph->refresher)
        graph->refresher->RefreshAsync(RequestContext::System(), account_id, region,
                                       [](const Result<RefreshReport>&) {});
    };
    s.increases = std::make_unique<QuotaIncreaseService>(*s.accounts, *s.quota_config, *s.quota, *s.account_credentials,
                                                         *deps.service_quotas, deps.store, *s.authorizer, *s.audit,
                                                         deps.clock, deps.random, io);
    IncreaseJobOptions jo = options.increase_jobs;
    jo.instance_id = s.instance_id;
    s.increase_jobs = std::make_unique<IncreaseJobRunner>(*s.increases, deps.store, deps.store, *s.audit, deps.clock,
                                                          deps.random, std::move(jo));
    IncreaseTrackerOptions to = options.increase_tracker;
    to.instance_id = s.instance_id;
    s.increase_tracker = std::make_unique<IncreaseTracker>(*s.increases, deps.store, deps.store, deps.store, deps.clock,
                                                           deps.random, std::move(to));
    if (s.alert_sender) {
      AlertEvaluatorOptions eo = options.alert_evaluator;
      eo.instance_id = s.instance_id;
      s.alert_evaluator =
          std::make_unique<AlertEvaluator>(deps.store, *s.alert_channels, *s.alert_sender, deps.clock, eo);
      AlertRunnerOptions ao = options.alert_runner;
      ao.metrics = deps.metrics;
      s.alert_runner = std::make_unique<AlertRunner>(*s.alert_evaluator, *s.pool, deps.clock, ao);
    }
  }

  RETURN_IF_ERROR(s.quota_config->EnsureDefault());
  return g;
}

void ServiceGraph::Stop() {
  if (alert_runner) alert_runner->Stop();
  if (scheduler) scheduler->Stop();
  if (usage_scheduler) usage_scheduler->Stop();
  if (increase_tracker) increase_tracker->Stop();
  if (increase_jobs) increase_jobs->Shutdown();
  if (fleet) fleet->Shutdown();
  // Paced calls not yet due are dropped (nothing waits for them any more); the queue stays alive, refusing new
  // ones, while the pool drains tasks that may still try to schedule.
  if (timers) timers->Shutdown();
  pool.reset();
  timers.reset();
  hash_pool.reset();  // queued logins finish (their clients get an answer or have gone)
}

ServiceGraph::~ServiceGraph() { Stop(); }

}  // namespace ap::service
