#include "app/metrics_endpoint.h"

#include <string>
#include <utility>
#include <vector>

#include "common/thread_pool.h"
#include "domain/quota.h"
#include "domain/quota_config.h"

namespace ap::app {
namespace {

// One unlabelled gauge: how many tasks wait in `pool`'s queue.
void AddQueueGauge(MetricsRegistry& metrics, const char* name, const char* help, const ThreadPool* pool) {
  if (pool == nullptr) return;
  metrics.AddGaugeCollector(name, help, [pool](std::vector<std::pair<Labels, double>>* out) {
    out->push_back({{}, static_cast<double>(pool->queued())});
  });
}

}  // namespace

void RegisterGauges(MetricsRegistry& metrics, store::Store& store, service::ServiceGraph& services) {
  store::Store* s = &store;
  service::QuotaConfigService* config = services.quota_config.get();
  // The cached quota values, one series per (account, region, model, dimension) with a value.
  metrics.AddGaugeCollector("ap_quota_value", "Cached quota value (last good value; state says whether it is fresh)",
                            [s, config](std::vector<std::pair<Labels, double>>* out) {
                              auto cfg = config->Get();
                              auto snapshots = s->ListQuotaSnapshots();
                              if (!cfg.ok() || !snapshots.ok()) return;
                              for (const domain::QuotaSnapshot& snapshot : *snapshots) {
                                for (const domain::ModelSpec& m : (*cfg)->models) {
                                  if (!m.enabled) continue;
                                  for (domain::QuotaDimension d : domain::kAllDimensions) {
                                    auto code = domain::CodeFor(m, d);
                                    if (!code) continue;
                                    const domain::QuotaValue* v = snapshot.Find(*code);
                                    if (!v || !v->value) continue;  // missing is never zero: no sample at all
                                    out->push_back({{{"account_id", snapshot.account_id},
                                                     {"region", snapshot.region},
                                                     {"model_id", m.model_id},
                                                     {"dimension", std::string(domain::DimensionKey(d))},
                                                     {"state", std::string(domain::QuotaStateName(v->state))}},
                                                    *v->value});
                                  }
                                }
                              }
                            });
  AddQueueGauge(metrics, "ap_login_hash_queue", "Logins waiting for a password-hash thread", services.hash_pool.get());
  AddQueueGauge(metrics, "ap_aws_worker_queue", "AWS calls waiting for a worker thread", services.pool.get());
}

http::Handler MetricsHandler(MetricsRegistry& registry) {
  MetricsRegistry* r = &registry;
  return [r](const http::Request& req, const http::Responder& respond) {
    if (req.path != "/metrics" || (req.method != "GET" && req.method != "HEAD")) {
      respond(http::ErrorResponse(404, "not_found", "only GET /metrics is served here", req.request_id));
      return;
    }
    http::Response ok;
    ok.route = "/metrics";
    ok.content_type = "text/plain; version=0.0.4; charset=utf-8";
    ok.body = r->Render();
    respond(std::move(ok));
  };
}

}  // namespace ap::app
