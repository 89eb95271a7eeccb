// Platform: the composition root. Builds the whole server from ServeOptions — the data dir and SQLite store, the
// credential sealer (the master key or KMS: secrets_rewrap.h), the AWS clients, the services (service::ServiceGraph,
// the same builder the service tests use), the API and the HTTP server(s) — and runs its first-start duties (default
// quota config, first admin: first_admin.h). The pieces it wires live beside it: metrics_endpoint.h (gauges, the
// --metrics-listen handler), cli_progress.h
// (`quota refresh --all`), catalogue_loader.h, master_key.h.
//
// Ownership: owns everything it builds. Thread safety: Start/Run from one thread; Shutdown from any.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "app/options.h"
#include "common/status.h"
#include "service/gateway_export.h"

namespace ap::service {
struct ServiceGraph;
}

namespace ap::app {

class Platform {
 public:
  explicit Platform(ServeOptions options);
  ~Platform();

  // Prepares the data dir, opens the store, loads the master key, applies first-start defaults and binds the
  // listening socket. Any failure returns a Status whose message is one clear line for the operator.
  Status Start();
  // `account-platform quota refresh --all`: builds everything but the HTTP server, runs one fleet job in this
  // process and reports progress on `out` (a redrawn bar when `interactive`, else plain lines). OK when every
  // account was refreshed; Unavailable naming the job otherwise.
  Status RefreshAllCommand(const std::string& team, const std::string& region, std::ostream& out, bool interactive);
  // `account-platform secrets rewrap --to kms|local`: builds everything but the HTTP server with `to` as the
  // sealing target (reading both formats), rewraps every account's credentials (RewrapSecrets, secrets_rewrap.h),
  // prints progress and "rewrapped N, already M, failed K" on `out` and audits it (secrets.rewrap). OK when none
  // failed; Unavailable("K accounts could not be rewrapped") otherwise; the setup's errors as Start's.
  Status RewrapSecretsCommand(const std::string& to, std::ostream& out);
  // `account-platform export litellm`: builds everything but the HTTP server and writes the LiteLLM export
  // (RunLitellmExport, litellm_export_cli.h) as the admin "cli"; the setup's errors as Start's.
  Status LitellmExportCommand(const service::LitellmExportRequest& request, const std::string& output,
                              const std::string& env_output, std::ostream& out);
  // For commands that read or act through the services (`export ...`): builds everything but the HTTP server, then
  // returns fn(services). The setup's errors as Start's.
  Status WithServices(const std::function<Status(service::ServiceGraph&)>& fn);
  // Serves until SIGINT/SIGTERM (graceful drain). REQUIRES: Start() returned OK.
  void Run();
  void Shutdown();
  uint16_t port() const;

 private:
  struct Parts;
  Status BuildCore();      // store, keys, AWS clients, services (no HTTP, no first admin)
  bool read_kms_ = false;  // open KMS envelopes even in local mode without --kms-key-id (rewrap --to local)
  Status StartServing();   // first admin, API, HTTP server(s), scheduler
  ServeOptions options_;
  std::unique_ptr<Parts> parts_;
};

// `account-platform user add`: opens the store in `data_dir` and creates a user. Prints the generated password
// when `password` is empty. Returns a Status with a one-line message on failure.
Status AddUserCommand(const std::string& data_dir, const std::string& email, const std::string& role,
                      const std::vector<std::string>& teams, const std::string& password, int hash_memory_kib);

// `account-platform migrate --from sqlite:DIR --to dynamodb`: copies the platform in the SQLite store of DIR into
// the DynamoDB tables of `table_prefix` (which must exist) and verifies the copy (app/store_migration.h), writing
// progress and the figures to `out`. OK when every count and the values checksum match; FailedPrecondition
// ("the copy does not match ...") when they do not; InvalidArgument for a bad --from / --to; the store's error
// otherwise.
Status MigrateCommand(const std::string& from, const std::string& to, const std::string& table_prefix,
                      std::ostream& out);

}  // namespace ap::app
