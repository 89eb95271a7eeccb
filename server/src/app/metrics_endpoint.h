// The Prometheus side of the server: the gauges computed at scrape time, and the handler of the separate
// --metrics-listen port. (Counters and histograms are counted where things happen; the text format is
// common/metrics.)
//
// Thread safety: the gauges and the handler run on whichever thread renders the registry (any HTTP thread).
#pragma once

#include "common/metrics.h"
#include "http/message.h"
#include "service/service_graph.h"
#include "store/store.h"

namespace ap::app {

struct GaugeOptions {
  // --metrics-per-value: also export ap_quota_value, one series per cached (account, region, model, dimension).
  // Off by default: high-cardinality (a 10,000-account fleet gives ~100,000 series, megabytes per scrape) and
  // O(fleet) to produce, by paging through every cached snapshot at each scrape.
  bool per_value = false;
};

// Adds to `metrics` the gauges read when it is rendered. Always, from the store's maintained fleet aggregate
// (O(models) per scrape, whatever the fleet's size), for each enabled model of the quota config and each of its
// dimensions (tpm, rpm, and tpm_1m / rpm_1m for 1M-context models):
//   ap_fleet_active_accounts                                 active accounts
//   ap_fleet_account_regions                                 their (account, region) pairs
//   ap_quota_fleet_sum{model_id, dimension}                  sum of the fresh values (no sample when none is fresh)
//   ap_quota_fleet_fresh{model_id, dimension}                pairs with a fresh value (state ok)
//   ap_quota_fleet_stale{model_id, dimension}                pairs with a stale value (not in the sum)
//   ap_quota_fleet_missing{model_id, dimension}              pairs with no value (never read, error, no code)
//   ap_login_hash_queue                                      logins waiting for a password-hash thread
//   ap_aws_worker_queue                                      AWS calls waiting for a worker thread
// With options.per_value also:
//   ap_quota_value{account_id, region, model_id, dimension, state}  each cached quota value of an enabled model
//                                                                   (a value never read has no sample, never 0)
// A queue gauge is left out when `services` has no such pool; the quota gauges are left out when the store or
// the config cannot be read. REQUIRES: `store` and `services` outlive every render of `metrics`, and `services`
// is not Stop()ped while it is rendered.
void RegisterGauges(MetricsRegistry& metrics, store::Store& store, service::ServiceGraph& services,
                    const GaugeOptions& options = {});

// The handler of the metrics port: GET or HEAD /metrics answers `registry`'s text exposition (version 0.0.4);
// any other method or path is 404. REQUIRES: `registry` outlives the handler.
http::Handler MetricsHandler(MetricsRegistry& registry);

}  // namespace ap::app
