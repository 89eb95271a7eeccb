#include "app/options.h"

#include <CLI/CLI.hpp>

#include <charconv>

namespace ap::app {

void AddServeOptions(CLI::App* cmd, ServeOptions* o) {
  cmd->add_option("--listen", o->listen, "host:port to listen on (port 0 = any free port)")
      ->envname("AP_LISTEN")
      ->capture_default_str();
  cmd->add_option("--data-dir", o->data_dir, "directory of the SQLite database and master.key")
      ->envname("AP_DATA_DIR")
      ->capture_default_str();
  cmd->add_option("--store", o->store, "where the platform's data lives: sqlite (the data dir) or dynamodb")
      ->envname("AP_STORE")
      ->capture_default_str()
      ->check(CLI::IsMember({"sqlite", "dynamodb"}));
  AddTablePrefixOption(cmd, &o->dynamodb_table_prefix, "--dynamodb-table-prefix");
  cmd->add_option("--web-root", o->web_root, "directory of the built web app (web/dist)")->envname("AP_WEB_ROOT");
  cmd->add_option("--log-level", o->log_level, "debug, info, warn, error or off")
      ->envname("AP_LOG_LEVEL")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));
  cmd->add_option("--threads", o->threads, "I/O threads (0 = number of cores)")
      ->envname("AP_THREADS")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  cmd->add_option("--max-connections-per-ip", o->max_connections_per_ip,
                  "open connections allowed from one client address (0 = no cap; trusted proxies are exempt)")
      ->envname("AP_MAX_CONNECTIONS_PER_IP")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  cmd->add_option(
         "--trusted-proxy", o->trusted_proxies,
         "IP address or CIDR block (10.0.0.0/16, fd00::/8) of reverse proxies whose X-Forwarded-For is believed "
         "(repeatable)")
      ->envname("AP_TRUSTED_PROXIES")
      ->delimiter(',');
  cmd->add_flag("--cookie-secure", o->cookie_secure, "mark the session cookie Secure (serve over HTTPS)")
      ->envname("AP_COOKIE_SECURE");
  cmd->add_option("--session-ttl", o->session_ttl, "login session lifetime (e.g. 12h)")
      ->envname("AP_SESSION_TTL")
      ->capture_default_str();
  cmd->add_option("--audit-retention", o->audit_retention,
                  "delete audit entries older than this (at least 365d; 0 = keep forever)")
      ->envname("AP_AUDIT_RETENTION")
      ->capture_default_str();
  cmd->add_option("--cache-ttl", o->cache_ttl, "how long another instance's writes may take to show here")
      ->envname("AP_CACHE_TTL")
      ->capture_default_str();
  cmd->add_option("--refresh-lease-ttl", o->refresh_lease_ttl,
                  "lease of one (account, region) refresh across instances; a dead holder's is redone after it")
      ->envname("AP_REFRESH_LEASE_TTL")
      ->capture_default_str();
  cmd->add_option("--users-may-refresh", o->users_may_refresh,
                  "whether users may refresh the quotas of their teams' accounts (true/false)")
      ->envname("AP_USERS_MAY_REFRESH")
      ->capture_default_str();
  cmd->add_option("--users-may-request", o->users_may_request,
                  "whether users may request quota increases for their teams' accounts (true/false)")
      ->envname("AP_USERS_MAY_REQUEST")
      ->capture_default_str();
  cmd->add_option("--increase-check-interval", o->increase_check_interval,
                  "how often the open quota increase requests are read from AWS (0 = off)")
      ->envname("AP_INCREASE_CHECK_INTERVAL")
      ->capture_default_str();
  cmd->add_option("--refresh-interval", o->refresh_interval, "scheduled refresh of every account (0 = off)")
      ->envname("AP_REFRESH_INTERVAL")
      ->capture_default_str();
  cmd->add_option("--usage-interval", o->usage_interval,
                  "scheduled CloudWatch usage poll of every account and region (0 = off)")
      ->envname("AP_USAGE_INTERVAL")
      ->capture_default_str();
  cmd->add_option("--alert-sweep-interval", o->alert_sweep_interval,
                  "how often alert notices left waiting are delivered (0 = off)")
      ->envname("AP_ALERT_SWEEP_INTERVAL")
      ->capture_default_str();
  cmd->add_option("--aws-workers", o->aws_workers, "threads for blocking AWS calls")
      ->envname("AP_AWS_WORKERS")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--aws-requests-per-user", o->aws_requests_per_user,
                  "one user's requests that may wait for or use the AWS workers at once (beyond: 429)")
      ->envname("AP_AWS_REQUESTS_PER_USER")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--usage-concurrency", o->usage_concurrency,
                  "(account, region) usage polls in flight at once in a scheduled usage run")
      ->envname("AP_USAGE_CONCURRENCY")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  cmd->add_option("--fleet-concurrency", o->fleet_concurrency, "accounts refreshed at once by a fleet job")
      ->envname("AP_FLEET_CONCURRENCY")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--fleet-lease-ttl", o->fleet_lease_ttl,
                  "how long the fleet job's lease lasts unrenewed; a dead instance's job continues within twice this")
      ->envname("AP_FLEET_LEASE_TTL")
      ->capture_default_str();
  cmd->add_option("--metrics-listen", o->metrics_listen, "host:port serving /metrics without login")
      ->envname("AP_METRICS_LISTEN");
  cmd->add_flag("--rebuild-aggregates", o->rebuild_aggregates,
                "recompute the dashboard and metrics aggregates from the cached values before serving");
  cmd->add_flag("--metrics-per-value", o->metrics_per_value,
                "also export ap_quota_value per (account, region, model, dimension): high-cardinality")
      ->envname("AP_METRICS_PER_VALUE");
  cmd->add_option("--secrets", o->secrets,
                  "how account credentials are sealed: local (the master key) or kms (--kms-key-id)")
      ->envname("AP_SECRETS")
      ->capture_default_str()
      ->check(CLI::IsMember({"local", "kms"}));
  cmd->add_option("--kms-key-id", o->kms_key_id, "KMS key id, ARN or alias sealing credentials with --secrets kms")
      ->envname("AP_KMS_KEY_ID");
  cmd->add_option("--password-hash-memory-kib", o->password_hash_memory_kib, "argon2id memory cost in KiB")
      ->envname("AP_PASSWORD_HASH_MEMORY_KIB")
      ->capture_default_str()
      ->check(CLI::Range(8, 4 * 1024 * 1024));
}

void AddTablePrefixOption(CLI::App* cmd, std::string* prefix, const std::string& flag) {
  cmd->add_option(flag, *prefix, "prefix of the DynamoDB table names")
      ->envname("AP_DYNAMODB_TABLE_PREFIX")
      ->capture_default_str();
}

Result<std::chrono::seconds> ParseDuration(const std::string& text, const std::string& field) {
  if (text == "0") return std::chrono::seconds(0);
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || n < 0 || ptr + 1 != text.data() + text.size())
    return InvalidArgument("must be a duration like 90s, 15m, 6h or 2d", field);
  switch (*ptr) {
    case 's':
      return std::chrono::seconds(n);
    case 'm':
      return std::chrono::seconds(n * 60);
    case 'h':
      return std::chrono::seconds(n * 3600);
    case 'd':
      return std::chrono::seconds(n * 86400);
    default:
      return InvalidArgument("must be a duration like 90s, 15m, 6h or 2d", field);
  }
}

}  // namespace ap::app
