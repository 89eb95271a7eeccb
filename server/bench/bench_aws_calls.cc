// GetServiceQuota calls per second from the C++ client to the AWS simulator, with and without connection reuse.
//
//   node tools/aws-sim/server.mjs --port 0 --seed-accounts 1 --rate-limits off   # prints its URL
//   bench_aws_calls --endpoint http://127.0.0.1:PORT [--calls 2000] [--threads 4] [--reuse on|off]
//
// Client-side rate limits are off (they would pace the run at 4.5 calls/s); every call is signed, sent over
// libcurl, verified by the simulator with AWS's JS signer and decoded. Credentials: seeded account 1, read from the
// simulator's control API.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "aws/aws_clients.h"
#include "aws/curl_transport.h"

namespace {

int Usage() {
  std::fprintf(stderr, "usage: bench_aws_calls --endpoint URL [--calls N] [--threads T] [--reuse on|off]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string endpoint;
  int calls = 2000;
  int threads = 4;
  bool reuse = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--endpoint")
      endpoint = next();
    else if (a == "--calls")
      calls = std::atoi(next().c_str());
    else if (a == "--threads")
      threads = std::atoi(next().c_str());
    else if (a == "--reuse")
      reuse = next() != "off";
    else
      return Usage();
  }
  if (endpoint.empty() || calls <= 0 || threads <= 0) return Usage();

  // Seeded account 1's key from the control API.
  auto control = ap::aws::CurlTransport::Create();
  auto url = ap::aws::ParseUrl(endpoint);
  if (!control.ok() || !url.ok()) {
    std::fprintf(stderr, "bad endpoint %s\n", endpoint.c_str());
    return 1;
  }
  ap::aws::HttpRequest req;
  req.scheme = url->scheme;
  req.host = url->host;
  req.port = url->port;
  req.path = "/_sim/accounts/100000000001";
  auto resp = (*control)->Send(req);
  if (!resp.ok() || resp->status != 200) {
    std::fprintf(stderr, "control API unreachable (is the simulator running with --seed-accounts 1?)\n");
    return 1;
  }
  boost::system::error_code ec;
  auto doc = boost::json::parse(resp->body, ec);
  if (ec || !doc.is_object()) return 1;
  const auto& key = doc.as_object().at("access_keys").as_array().at(0).as_object();
  ap::aws::Credentials creds{
      std::string(key.at("access_key_id").as_string()), std::string(key.at("secret_access_key").as_string()), "", {}};

  ap::aws::AwsClientOptions options;
  options.env = {{"AWS_ENDPOINT_URL", endpoint}, {"AWS_EC2_METADATA_DISABLED", "true"}};
  options.rate_limits = false;
  options.reuse_connections = reuse;
  options.max_attempts = 1;
  ap::SecureRandom random;
  auto clients = ap::aws::MakeAwsClients(options, ap::SystemClock::Instance(), random);
  if (!clients.ok()) {
    std::fprintf(stderr, "%s\n", clients.status().ToString().c_str());
    return 1;
  }
  auto& quotas = *clients->service_quotas;
  // Warm-up (DNS, first connection) outside the measurement.
  if (auto w = quotas.GetServiceQuota(creds, "us-east-1", "bedrock", "L-007D91B8"); !w.ok()) {
    std::fprintf(stderr, "warm-up failed: %s\n", w.status().ToString().c_str());
    return 1;
  }

  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  std::vector<std::vector<double>> latencies(threads);
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      while (next.fetch_add(1) < calls) {
        auto t0 = std::chrono::steady_clock::now();
        auto q = quotas.GetServiceQuota(creds, "us-east-1", "bedrock", "L-007D91B8");
        latencies[t].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        if (!q.ok()) ++failures;
      }
    });
  }
  for (auto& th : pool) th.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  std::printf("reuse=%s threads=%d calls=%d failures=%d seconds=%.2f calls_per_second=%.0f p50_ms=%.2f p99_ms=%.2f\n",
              reuse ? "on" : "off", threads, calls, failures.load(), secs, calls / secs, pct(0.50), pct(0.99));
  return failures.load() == 0 ? 0 : 1;
}
