// Command-line options and their environment equivalents (flags win over the environment).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/status.h"

namespace CLI {
class App;
}

namespace ap::app {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";      // --listen, AP_LISTEN
  std::string data_dir = "./data";            // --data-dir, AP_DATA_DIR: SQLite database and master.key
  std::string store = "sqlite";               // --store, AP_STORE: "sqlite" (the database in the data dir, one
                                              // instance) or "dynamodb" (tables of dynamodb_table_prefix, in the
                                              // region AWS_REGION, at AWS_ENDPOINT_URL_DYNAMODB if set, with the
                                              // platform's own AWS credentials; any number of instances)
  std::string dynamodb_table_prefix = "ap-";  // --dynamodb-table-prefix, AP_DYNAMODB_TABLE_PREFIX (--store dynamodb)
  std::string web_root;                       // --web-root, AP_WEB_ROOT: the built web app (empty: API only)
  std::string log_level = "info";             // --log-level, AP_LOG_LEVEL: debug|info|warn|error|off
  int threads = 0;                            // --threads, AP_THREADS: I/O threads; 0 = number of cores
  int max_connections_per_ip = 256;           // --max-connections-per-ip, AP_MAX_CONNECTIONS_PER_IP: open connections
                                              // from one client address (IPv6: one /64); 0 = no cap; trusted
                                              // proxies are exempt
  std::vector<std::string> trusted_proxies;   // --trusted-proxy (repeatable), AP_TRUSTED_PROXIES (comma list):
                                              // addresses or CIDR blocks of reverse proxies (e.g. the ALB subnets)
  bool cookie_secure = false;                 // --cookie-secure, AP_COOKIE_SECURE: mark the session cookie Secure
  std::string session_ttl = "12h";            // --session-ttl, AP_SESSION_TTL: login session lifetime
  std::string audit_retention = "400d";       // --audit-retention, AP_AUDIT_RETENTION: audit entries older than this
                                              // are deleted by the maintenance task; 0 keeps them forever, otherwise
                                              // at least 365d
  std::string cache_ttl = "5s";               // --cache-ttl, AP_CACHE_TTL: how long another instance's writes may
                                              // take to show here (this instance's own writes show at once)
  std::string metrics_listen;                 // --metrics-listen, AP_METRICS_LISTEN: host:port serving /metrics without
                                              // login (for a scraper on a private network); empty: /metrics on the
                                              // main address, admins only
  bool metrics_per_value = false;             // --metrics-per-value, AP_METRICS_PER_VALUE: also export one
                                              // ap_quota_value gauge per cached (account, region, model, dimension)
                                              // (high-cardinality, O(fleet) per scrape); default: fleet gauges only
  bool rebuild_aggregates = false;            // --rebuild-aggregates: recompute the maintained quota aggregates from
                                              // the accounts and cached values before serving (after editing the
                                              // database by hand); O(fleet), once
  int password_hash_memory_kib = 19456;       // --password-hash-memory-kib, AP_PASSWORD_HASH_MEMORY_KIB (argon2id)
  bool users_may_refresh = true;              // --users-may-refresh, AP_USERS_MAY_REFRESH: users may refresh their
                                              // teams' accounts (admins always may)
  bool users_may_request = false;             // --users-may-request, AP_USERS_MAY_REQUEST: users may request quota
                                              // increases for their teams' accounts (admins always may)
  std::string increase_check_interval = "10m";  // --increase-check-interval, AP_INCREASE_CHECK_INTERVAL: how often
                                                // the open increase requests' statuses are read (0 = off, else
                                                // >= 1s); every 6th round also syncs 20 accounts' AWS history
  std::string refresh_interval = "6h";          // --refresh-interval, AP_REFRESH_INTERVAL: scheduled fleet refresh
  std::string usage_interval = "5m";            // --usage-interval, AP_USAGE_INTERVAL: scheduled usage polls (0 = off)
  int usage_concurrency = 4;                    // --usage-concurrency, AP_USAGE_CONCURRENCY: polls in flight in a run
                                                // (jittered ±10%; 0 turns it off)
  std::string alert_sweep_interval = "30s";     // --alert-sweep-interval, AP_ALERT_SWEEP_INTERVAL: how often each
                                                // instance delivers alert notices left waiting (failed deliveries
                                                // whose back-off ended, a crashed instance's); 0 = off, else 1s..1h
  std::string refresh_lease_ttl = "60s";        // --refresh-lease-ttl, AP_REFRESH_LEASE_TTL: lease of one (account,
                                                // region) refresh across instances (1s..1h); a dead holder's pair is
                                                // refreshed again by another instance after this
  int aws_workers = 128;                        // --aws-workers, AP_AWS_WORKERS: threads for blocking AWS calls
  int aws_requests_per_user = 8;        // --aws-requests-per-user, AP_AWS_REQUESTS_PER_USER: one user's requests
                                        // that may wait for or use the AWS workers at once (beyond: 429)
  int fleet_concurrency = 128;          // --fleet-concurrency, AP_FLEET_CONCURRENCY: accounts refreshed at once
                                        // by a fleet job
  std::string fleet_lease_ttl = "30s";  // --fleet-lease-ttl, AP_FLEET_LEASE_TTL: how long the fleet job's lease
                                        // lasts unrenewed (1s..1h): a dead instance's job is taken over
                                        // within twice this
  std::string secrets = "local";        // --secrets, AP_SECRETS: how account credentials are sealed: local
                                        // (the master key, AP_MASTER_KEY or <data-dir>/master.key) or kms
                                        // (envelope encryption under --kms-key-id; app/secrets_rewrap.h)
  std::string kms_key_id;               // --kms-key-id, AP_KMS_KEY_ID: KMS key id, key ARN or alias (required
                                        // with --secrets kms; region AWS_REGION)
  // First start only (empty store): AP_ADMIN_EMAIL (default admin@localhost) and AP_ADMIN_PASSWORD
  // (default: generated and printed once). AP_MASTER_KEY: see master_key.h.
};

// Registers the serve options on `cmd` (flags with .envname()).
void AddServeOptions(CLI::App* cmd, ServeOptions* o);
// Registers the DynamoDB table prefix as `flag` (serve: --dynamodb-table-prefix; the dynamodb and migrate commands:
// --table-prefix) with AP_DYNAMODB_TABLE_PREFIX as its environment variable, writing to `prefix` (keeps its value
// as the default).
void AddTablePrefixOption(CLI::App* cmd, std::string* prefix, const std::string& flag);

// "90s", "15m", "6h", "2d", "0" → duration. InvalidArgument naming `field` otherwise.
Result<std::chrono::seconds> ParseDuration(const std::string& text, const std::string& field);

}  // namespace ap::app
