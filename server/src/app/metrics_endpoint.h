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

// Adds to `metrics` the gauges read when it is rendered:
//   ap_quota_value{account_id, region, model_id, dimension, state}  each cached quota value of an enabled model
//                                                                   (a value never read has no sample, never 0)
//   ap_login_hash_queue                                             logins waiting for a password-hash thread
//   ap_aws_worker_queue                                             AWS calls waiting for a worker thread
// A queue gauge is left out when `services` has no such pool. REQUIRES: `store` and `services` outlive every
// render of `metrics`, and `services` is not Stop()ped while it is rendered.
void RegisterGauges(MetricsRegistry& metrics, store::Store& store, service::ServiceGraph& services);

// The handler of the metrics port: GET or HEAD /metrics answers `registry`'s text exposition (version 0.0.4);
// any other method or path is 404. REQUIRES: `registry` outlives the handler.
http::Handler MetricsHandler(MetricsRegistry& registry);

}  // namespace ap::app
