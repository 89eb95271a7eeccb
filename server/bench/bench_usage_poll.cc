// One scheduled usage poll of a fleet against the AWS simulator (issue 13). Not a test: scripts/bench-usage-poll
// starts the simulator, seeds the data dir and runs this; the figures go to docs/benchmarks.md §9.
//
//   bench_usage_poll --data-dir D --endpoint URL [--accounts N] [--latency-ms 100] [--concurrency 4]
//                    [--aws-workers 32] [--traffic-minutes 180]
//
// D is an SQLite data dir seeded by `ap-bench-seed --sim-seeded --regions 1` (accounts = the simulator's seeded
// ones). Before measuring, with the simulator's latency at 0: scripts CloudWatch traffic for each account (3 Global
// model ids, `--traffic-minutes` minutes ending at the current minute, one record a minute), then sets the
// simulator's latency. Measured: two UsageScheduler runs (the real UsagePoller, the real CloudWatchClient over HTTP,
// the real SqliteStore; `--concurrency` polls in flight, the scheduler's default 4), the first poll of every account
// (7 days) and the steady state (from the last poll − 15 minutes) — each: wall time, the simulator's calls by
// operation and outcome (counters zeroed before), the process's CPU time and peak RSS, and the bound
// calls / concurrency × latency. Exit 1 when a run did not happen or a poll was stale or failed.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "app/catalogue_loader.h"
#include "app/master_key.h"
#include "aws/aws_clients.h"
#include "aws/curl_transport.h"
#include "aws/transport.h"
#include "common/clock.h"
#include "common/random.h"
#include "service/service_graph.h"
#include "service/usage_poller.h"
#include "service/usage_scheduler.h"
#include "store/sqlite/sqlite_store.h"

namespace {

constexpr const char* kModels[] = {"global.anthropic.claude-sonnet-4-5-20250929-v1:0",
                                   "global.anthropic.claude-haiku-4-5-20251001-v1:0",
                                   "global.anthropic.claude-opus-4-5-20251101-v1:0"};

int Usage() {
  std::fprintf(stderr,
               "usage: bench_usage_poll --data-dir D --endpoint URL [--accounts N] [--latency-ms MS] "
               "[--concurrency C] [--aws-workers W] [--traffic-minutes M]\n");
  return 2;
}

// A request to the simulator's control API; its body, or nullopt (printed) on failure.
std::optional<std::string> Control(ap::aws::Transport& t, const ap::aws::ParsedUrl& url, const std::string& method,
                                   const std::string& path, const std::string& body) {
  ap::aws::HttpRequest req;
  req.method = method;
  req.scheme = url.scheme;
  req.host = url.host;
  req.port = url.port;
  req.path = path;
  req.body = body;
  if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
  auto resp = t.Send(req);
  if (!resp.ok() || resp->status / 100 != 2) {
    std::fprintf(stderr, "%s %s failed: %s\n", method.c_str(), path.c_str(),
                 resp.ok() ? resp->body.c_str() : resp.status().ToString().c_str());
    return std::nullopt;
  }
  return resp->body;
}

double CpuSeconds(const rusage& u) {
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The system clock, moved forward by Skip(): the scheduler's, so that its first run (due one interval after it is
// made) can be made due at once while the interval, and so its lease's ttl, stay the default.
class SkippingClock final : public ap::Clock {
 public:
  ap::TimePoint Now() const override { return ap::SystemClock::Instance().Now() + ap::Duration(shift_.load()); }
  void Skip(ap::Duration d) { shift_ += d.count(); }

 private:
  std::atomic<ap::Duration::rep> shift_{0};
};

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir, endpoint;
  int accounts = 1000;
  int latency_ms = 100;
  int concurrency = ap::service::UsageSchedulerOptions{}.max_concurrent;
  int aws_workers = 32;
  int traffic_minutes = 180;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--data-dir")
      data_dir = next();
    else if (a == "--endpoint")
      endpoint = next();
    else if (a == "--accounts")
      accounts = std::atoi(next().c_str());
    else if (a == "--latency-ms")
      latency_ms = std::atoi(next().c_str());
    else if (a == "--concurrency")
      concurrency = std::atoi(next().c_str());
    else if (a == "--aws-workers")
      aws_workers = std::atoi(next().c_str());
    else if (a == "--traffic-minutes")
      traffic_minutes = std::atoi(next().c_str());
    else
      return Usage();
  }
  if (data_dir.empty() || endpoint.empty() || accounts <= 0 || latency_ms < 0 || concurrency <= 0 ||
      aws_workers < concurrency || traffic_minutes <= 0)
    return Usage();

  auto control = ap::aws::CurlTransport::Create();
  auto url = ap::aws::ParseUrl(endpoint);
  if (!control.ok() || !url.ok()) return Usage();
  auto& clock = ap::SystemClock::Instance();
  ap::SecureRandom random;

  // Traffic, with the simulator's latency at 0: per account, 3 Global series of `traffic_minutes` minutes.
  if (!Control(**control, *url, "PUT", "/_sim/config", R"({"latency_ms": 0})")) return 1;
  const int64_t to = clock.NowUnixSeconds() / 60 * 60;
  const int64_t from = to - int64_t{60} * traffic_minutes;
  for (int i = 0; i < accounts; ++i) {
    const std::string id = std::to_string(100000000000LL + i + 1);
    for (const char* model : kModels) {
      boost::json::object body{
          {"region", "us-east-1"},
          {"model_id", model},
          {"from", from},
          {"to", to},
          {"per_minute",
           boost::json::object{
               {"invocations", 20}, {"input_tokens", 40000}, {"output_tokens", 8000}, {"cache_read", 10000}}}};
      if (!Control(**control, *url, "POST", "/_sim/accounts/" + id + "/traffic", boost::json::serialize(body)))
        return 1;
    }
  }

  // The platform's parts, as `serve` builds them (no HTTP API, no refresh scheduler).
  bool created = false;
  auto key = ap::app::LoadOrCreateMasterKey("", data_dir, random, &created);
  if (!key.ok()) return std::fprintf(stderr, "%s\n", key.status().ToString().c_str()), 1;
  ap::store::SqliteStoreOptions so;
  so.path = data_dir + "/account-platform.db";
  auto store = ap::store::SqliteStore::Open(so);
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().ToString().c_str()), 1;
  ap::aws::AwsClientOptions ao;
  ao.env = {{"AWS_ENDPOINT_URL", endpoint}, {"AWS_EC2_METADATA_DISABLED", "true"}};
  auto clients = ap::aws::MakeAwsClients(ao, clock, random);
  if (!clients.ok()) return std::fprintf(stderr, "%s\n", clients.status().ToString().c_str()), 1;
  ap::service::ServiceGraphOptions go;
  go.instance_id = "bench";
  go.aws_workers = static_cast<size_t>(aws_workers);
  go.scheduler.interval = ap::Duration::zero();
  auto graph = ap::service::ServiceGraph::Build(
      ap::service::ServiceGraphDeps{
          .store = **store,
          .clock = clock,
          .random = random,
          .master_key = *key,
          .sts = *clients->sts,
          .service_quotas = clients->service_quotas.get(),
          .account_api = clients->account.get(),
          .catalogue = ap::app::BuiltInCatalogue(),
      },
      go);
  if (!graph.ok()) return std::fprintf(stderr, "%s\n", graph.status().ToString().c_str()), 1;
  auto& g = **graph;
  ap::service::UsagePollOptions po;
  po.instance_id = "bench";
  po.timers = g.timers.get();
  ap::service::UsagePoller poller(*g.accounts, *g.quota_config, *g.quota, *g.account_credentials, *clients->cloudwatch,
                                  **store, **store, clock, *g.pool, po);
  ap::service::UsageSchedulerOptions sopt;
  SkippingClock scheduler_clock;
  sopt.instance_id = "bench";
  sopt.max_concurrent = concurrency;
  ap::service::UsageScheduler scheduler(poller, **store, **store, scheduler_clock, random, sopt);

  const std::string latency = "{\"latency_ms\": " + std::to_string(latency_ms) + "}";
  if (!Control(**control, *url, "PUT", "/_sim/config", latency)) return 1;

  // One scheduler run, measured: false when it did not run or a poll was stale or failed.
  auto measure = [&](const char* label) -> bool {
    if (!Control(**control, *url, "POST", "/_sim/counters/reset", "")) return false;
    // The next run is due one jittered interval after the last (or after construction).
    scheduler_clock.Skip(2 * sopt.interval);
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    const auto t0 = std::chrono::steady_clock::now();
    const bool ran = scheduler.Tick();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    if (!ran) return std::fprintf(stderr, "the scheduler did not run\n"), false;
    const auto run = scheduler.last_run();
    auto counters = Control(**control, *url, "GET", "/_sim/counters", "");
    if (!counters) return false;
    std::printf("[%s] accounts=%lld polls=%lld ok=%lld stale=%lld failed=%lld concurrency=%d latency_ms=%d\n", label,
                static_cast<long long>(run.accounts), static_cast<long long>(run.polls), static_cast<long long>(run.ok),
                static_cast<long long>(run.stale), static_cast<long long>(run.failed), concurrency, latency_ms);
    int64_t calls = 0;
    boost::system::error_code ec;
    auto doc = boost::json::parse(*counters, ec);
    if (!ec && doc.is_object() && doc.as_object().contains("by_operation")) {
      for (const auto& [op, v] : doc.as_object().at("by_operation").as_object()) {
        const int64_t total = v.as_object().at("total").to_number<int64_t>();
        calls += total;
        std::printf("[%s] calls %s=%lld outcomes=%s\n", label, std::string(op).c_str(), static_cast<long long>(total),
                    boost::json::serialize(v.as_object().at("outcomes")).c_str());
      }
    }
    const double bound = static_cast<double>(calls) / concurrency * (latency_ms / 1000.0);
    std::printf(
        "[%s] wall_s=%.2f calls=%lld bound_concurrency_s=%.2f ratio=%.2f cpu_s=%.2f (run) %.2f (process) "
        "peak_rss_mib=%.1f\n",
        label, wall, static_cast<long long>(calls), bound, bound > 0 ? wall / bound : 0.0,
        CpuSeconds(after) - CpuSeconds(before), CpuSeconds(after), static_cast<double>(after.ru_maxrss) / 1024.0);
    return run.failed == 0 && run.stale == 0;
  };
  // The first poll of every account reads 7 days; the second (steady state) from the first − 15 minutes.
  const bool ok = measure("first poll") && measure("second poll");
  if (!Control(**control, *url, "PUT", "/_sim/config", R"({"latency_ms": 0})")) return 1;
  scheduler.Stop();
  g.Stop();
  return ok ? 0 : 1;
}
