// `account-platform export <what>`: the downloads of /api/exports/... from the command line, read straight from the
// store (--data-dir / --store as `serve`) and written piece by piece to --output FILE or stdout, so that a large
// fleet exports without being held in memory. Each subcommand opens a producer with the same contract as
// http::BodyStream::next; ExportCli owns the parts they share (the store options, --output, running the producer).
//
// Adding an export: ExportCli::Add(ExportSubcommand{...}) before parsing (the built-in ones are added by the
// constructor, see export_cli.cc).
//
// Thread safety: one thread (main). Ownership: ExportCli owns the option values its subcommands bind to; keep it
// alive until Run() returns.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"

namespace CLI {
class App;
}
namespace ap::service {
struct ServiceGraph;
struct RequestContext;
}  // namespace ap::service

namespace ap::app {

// Appends the next piece of the export to *chunk and sets *done with the last one (http::BodyStream::next).
using ExportProducer = std::function<Status(std::string* chunk, bool* done)>;

struct ExportSubcommand {
  std::string name;  // "fleet": `account-platform export fleet`
  std::string help;  // one line for --help
  // Adds the subcommand's own options (filters, --format, --bom) to `cmd`, bound to values the closure owns.
  std::function<void(CLI::App* cmd)> add_options;
  // Validates the options, audits the export as `ctx` (the CLI: a system admin named "cli") and returns its
  // producer. InvalidArgument naming the option (e.g. "--region") for a bad value; the services' errors otherwise.
  std::function<Result<ExportProducer>(service::ServiceGraph& services, const service::RequestContext& ctx)> open;
};

class ExportCli {
 public:
  // Adds `export` and the built-in subcommands (fleet, quota-history, quota-increases, audit-log) to `cli`.
  explicit ExportCli(CLI::App& cli);
  ~ExportCli();
  ExportCli(const ExportCli&) = delete;
  ExportCli& operator=(const ExportCli&) = delete;

  // Adds a subcommand; each gets the store options of `serve` and --output. REQUIRES: before parsing.
  void Add(ExportSubcommand sub);

  // The `export` subcommand, for exports that run their own way (`export litellm`, main.cc).
  CLI::App* command() const { return export_cmd_; }

  // True when the command line chose an export subcommand added with Add(). REQUIRES: after parsing.
  bool chosen() const;

  // Runs the chosen export: builds the services, opens the producer and writes every piece to --output (through
  // FILE.partial, renamed to FILE once complete; removed on failure) or to `out`. Returns 0, or 1 after printing
  // "account-platform: <error>" on `err`. REQUIRES: chosen().
  int Run(std::ostream& out, std::ostream& err);

 private:
  struct Entry;
  CLI::App* export_cmd_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

// Adds the built-in exports (fleet, quota-history, quota-increases, audit-log) to `cli` (export_commands.cc).
void AddBuiltInExports(ExportCli& cli);

// Runs `producer` to the end, writing each piece to `out`. OK when it finished; its error, or Internal when `out`
// fails, otherwise. Shared by the CLI and its tests.
Status DrainExport(const ExportProducer& producer, std::ostream& out);

}  // namespace ap::app
