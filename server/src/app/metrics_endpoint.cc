#include "app/metrics_endpoint.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/thread_pool.h"
#include "domain/quota.h"
#include "domain/quota_config.h"
#include "service/dashboard_service.h"

namespace ap::app {
namespace {

// One unlabelled gauge: how many tasks wait in `pool`'s queue.
void AddQueueGauge(MetricsRegistry& metrics, const char* name, const char* help, const ThreadPool* pool) {
  if (pool == nullptr) return;
  metrics.AddGaugeCollector(name, help, [pool](std::vector<std::pair<Labels, double>>* out) {
    out->push_back({{}, static_cast<double>(pool->queued())});
  });
}

// Snapshots per store read when the per-value gauges page through the cache.
constexpr int64_t kSnapshotPage = 500;

// A gauge family with one sample per (enabled model, dimension) of the fleet's totals: `pick` chooses the number
// (nullopt: no sample).
void AddFleetGauge(MetricsRegistry& metrics, const char* name, const char* help, store::Store* s,
                   service::QuotaConfigService* config,
                   const std::function<std::optional<double>(const service::DimensionTotals&)>& pick) {
  metrics.AddGaugeCollector(name, help, [s, config, pick](std::vector<std::pair<Labels, double>>* out) {
    auto cfg = config->Get();
    if (!cfg.ok()) return;
    auto fleet = s->GetFleetAggregate();
    if (!fleet.ok()) return;
    for (const domain::ModelSpec& m : (*cfg)->models) {
      if (!m.enabled) continue;
      for (const service::DimensionTotals& t : service::ModelTotalsOf(*fleet, m).dimensions) {
        if (auto v = pick(t)) {
          out->push_back(
              {{{"model_id", m.model_id}, {"dimension", std::string(domain::DimensionKey(t.dimension))}}, *v});
        }
      }
    }
  });
}

// The ap_quota_value samples of one snapshot: each value of an enabled model's code that has a value.
void AddValueSamples(const domain::QuotaConfig& cfg, const domain::QuotaSnapshot& snapshot,
                     std::vector<std::pair<Labels, double>>* out) {
  for (const domain::ModelSpec& m : cfg.models) {
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

}  // namespace

void RegisterGauges(MetricsRegistry& metrics, store::Store& store, service::ServiceGraph& services,
                    const GaugeOptions& options) {
  store::Store* s = &store;
  service::QuotaConfigService* config = services.quota_config.get();

  // The fleet gauges: O(models) from the maintained fleet aggregate. Each family reads it at render time.
  metrics.AddGaugeCollector("ap_fleet_active_accounts", "Active accounts",
                            [s](std::vector<std::pair<Labels, double>>* out) {
                              auto fleet = s->GetFleetAggregate();
                              if (fleet.ok()) out->push_back({{}, static_cast<double>(fleet->active_accounts)});
                            });
  metrics.AddGaugeCollector("ap_fleet_account_regions", "(account, region) pairs of the active accounts",
                            [s](std::vector<std::pair<Labels, double>>* out) {
                              auto fleet = s->GetFleetAggregate();
                              if (fleet.ok()) out->push_back({{}, static_cast<double>(fleet->account_regions)});
                            });
  AddFleetGauge(metrics, "ap_quota_fleet_sum", "Sum of the fresh quota values over the fleet (no sample when none)", s,
                config, [](const service::DimensionTotals& t) { return t.total; });
  AddFleetGauge(metrics, "ap_quota_fleet_fresh", "(account, region) pairs with a fresh quota value", s, config,
                [](const service::DimensionTotals& t) { return std::optional<double>(static_cast<double>(t.fresh)); });
  AddFleetGauge(metrics, "ap_quota_fleet_stale", "(account, region) pairs with a stale quota value (not in the sum)", s,
                config,
                [](const service::DimensionTotals& t) { return std::optional<double>(static_cast<double>(t.stale)); });
  AddFleetGauge(
      metrics, "ap_quota_fleet_missing", "(account, region) pairs with no quota value (never read, error, no code)", s,
      config, [](const service::DimensionTotals& t) { return std::optional<double>(static_cast<double>(t.missing)); });

  if (options.per_value) {
    // One series per (account, region, model, dimension) with a value: O(fleet), paged through the store.
    metrics.AddGaugeCollector("ap_quota_value", "Cached quota value (last good value; state says whether it is fresh)",
                              [s, config](std::vector<std::pair<Labels, double>>* out) {
                                auto cfg = config->Get();
                                if (!cfg.ok()) return;
                                std::string cursor;
                                do {
                                  auto page = s->ListQuotaSnapshots(cursor, kSnapshotPage);
                                  if (!page.ok()) return;
                                  for (const domain::QuotaSnapshot& snapshot : page->items)
                                    AddValueSamples(**cfg, snapshot, out);
                                  cursor = std::move(page->next);
                                } while (!cursor.empty());
                              });
  }
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
