#include "app/export_cli.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <utility>

#include "app/options.h"
#include "app/platform.h"
#include "service/context.h"
#include "service/service_graph.h"

namespace ap::app {

struct ExportCli::Entry {
  ExportSubcommand sub;
  CLI::App* cmd = nullptr;
  ServeOptions store_options;
  std::string output;
};

Status DrainExport(const ExportProducer& producer, std::ostream& out) {
  std::string chunk;
  for (bool done = false; !done;) {
    chunk.clear();
    RETURN_IF_ERROR(producer(&chunk, &done));
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (!out) return Internal("writing the export failed");
  }
  out.flush();
  if (!out) return Internal("writing the export failed");
  return Status::Ok();
}

ExportCli::ExportCli(CLI::App& cli) {
  export_cmd_ = cli.add_subcommand("export",
                                   "export the fleet grid, quota history, increase requests or the audit log "
                                   "as CSV or JSON, read from the store");
  export_cmd_->require_subcommand(1);
  AddBuiltInExports(*this);
}

ExportCli::~ExportCli() = default;

void ExportCli::Add(ExportSubcommand sub) {
  auto entry = std::make_unique<Entry>();
  entry->cmd = export_cmd_->add_subcommand(sub.name, sub.help);
  AddServeOptions(entry->cmd, &entry->store_options);
  entry->cmd->add_option("--output,-o", entry->output, "write to this file (default: stdout)");
  if (sub.add_options) sub.add_options(entry->cmd);
  entry->sub = std::move(sub);
  entries_.push_back(std::move(entry));
}

bool ExportCli::chosen() const {
  for (const auto& e : entries_) {
    if (e->cmd->parsed()) return true;
  }
  return false;
}

int ExportCli::Run(std::ostream& out, std::ostream& err) {
  Entry* chosen = nullptr;
  for (const auto& e : entries_) {
    if (e->cmd->parsed()) chosen = e.get();
  }
  if (chosen == nullptr) return 1;
  Platform platform(chosen->store_options);
  Status s = platform.WithServices([&](service::ServiceGraph& services) -> Status {
    service::RequestContext ctx = service::RequestContext::System();
    ctx.principal.user_id = "cli";
    ASSIGN_OR_RETURN(ExportProducer producer, chosen->sub.open(services, ctx));
    if (chosen->output.empty()) return DrainExport(producer, out);
    // A half-written file must never pass for an export: write beside it and rename once complete.
    const std::string partial = chosen->output + ".partial";
    Status written;
    {
      std::ofstream file(partial, std::ios::binary | std::ios::trunc);
      if (!file) return InvalidArgument("cannot write " + partial, "--output");
      written = DrainExport(producer, file);
    }
    std::error_code ec;
    if (!written.ok()) {
      std::filesystem::remove(partial, ec);
      return written;
    }
    std::filesystem::rename(partial, chosen->output, ec);
    if (ec) return InvalidArgument("cannot rename " + partial + ": " + ec.message(), "--output");
    return Status::Ok();
  });
  if (!s.ok()) {
    err << "account-platform: " << (s.field().empty() ? "" : s.field() + ": ") << s.message() << std::endl;
    return 1;
  }
  return 0;
}

}  // namespace ap::app
