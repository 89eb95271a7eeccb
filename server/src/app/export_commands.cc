// The built-in `account-platform export` subcommands: fleet, quota-history, quota-increases, audit-log. Their options
// mirror the query parameters of /api/exports/....
#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>

#include "app/export_cli.h"
#include "common/clock.h"
#include "service/context.h"
#include "service/service_graph.h"

namespace ap::app {
namespace {

struct TableOptions {
  std::string format = "csv";
  bool bom = false;
};

void AddTableOptions(CLI::App* cmd, TableOptions* o) {
  cmd->add_option("--format", o->format, "csv or json (one JSON array of objects)")
      ->capture_default_str()
      ->check(CLI::IsMember({"csv", "json"}));
  cmd->add_flag("--bom", o->bom, "start the CSV with a UTF-8 byte order mark (for Excel)");
}

// Option errors name the flag, as the API's name the query parameter.
Status ForCli(Status s) {
  if (s.ok() || s.field().empty()) return s;
  std::string flag = "--" + s.field();
  for (char& c : flag) {
    if (c == '_') c = '-';
  }
  return Status(s.code(), s.message(), flag);
}

Result<service::ExportOptions> OptionsOf(const TableOptions& o) {
  service::ExportOptions out;
  ASSIGN_OR_RETURN(out.format, service::ParseExportFormat(o.format));
  out.bom = o.bom;
  return out;
}

Result<int64_t> TimeOption(const std::string& v, const char* flag) {
  if (v.empty()) return int64_t{0};
  TimePoint t;
  if (!ParseIso8601(v, &t)) return InvalidArgument("must be a UTC time like 2026-01-31T00:00:00Z", flag);
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

template <class F>
Result<ExportProducer> Open(F&& open) {
  Result<service::Export> e = open();
  if (!e.ok()) return ForCli(e.status());
  return ExportProducer(std::move(e->next));
}

}  // namespace

void AddBuiltInExports(ExportCli& cli) {
  {
    struct Opts {
      TableOptions table;
      service::FleetExportQuery q;
    };
    auto o = std::make_shared<Opts>();
    cli.Add({"fleet", "the fleet grid: one row per account × region × model × dimension",
             [o](CLI::App* cmd) {
               AddTableOptions(cmd, &o->table);
               cmd->add_option("--team", o->q.team, "only this team's accounts");
               cmd->add_option("--region", o->q.region, "only this region");
               cmd->add_option("--model-id", o->q.model_id, "only this model (default: the dashboard models)");
             },
             [o](service::ServiceGraph& g, const service::RequestContext& ctx) {
               return Open([&]() -> Result<service::Export> {
                 ASSIGN_OR_RETURN(service::ExportOptions eo, OptionsOf(o->table));
                 return g.exports->OpenFleet(ctx, o->q, eo);
               });
             }});
  }
  {
    struct Opts {
      TableOptions table;
      service::HistoryExportQuery q;
      std::string from, to;
    };
    auto o = std::make_shared<Opts>();
    cli.Add({"quota-history", "one account's quota history in one region, newest first",
             [o](CLI::App* cmd) {
               AddTableOptions(cmd, &o->table);
               cmd->add_option("--account-id", o->q.account_id, "the account")->required();
               cmd->add_option("--region", o->q.region, "the region (default: the account's first)");
               cmd->add_option("--model-id", o->q.model_id, "only this model's quota codes");
               cmd->add_option("--from", o->from, "entries at or after this UTC time (2026-01-31T00:00:00Z)");
               cmd->add_option("--to", o->to, "entries before this UTC time");
             },
             [o](service::ServiceGraph& g, const service::RequestContext& ctx) {
               return Open([&]() -> Result<service::Export> {
                 ASSIGN_OR_RETURN(service::ExportOptions eo, OptionsOf(o->table));
                 ASSIGN_OR_RETURN(o->q.from_ms, TimeOption(o->from, "from"));
                 ASSIGN_OR_RETURN(o->q.to_ms, TimeOption(o->to, "to"));
                 return g.exports->OpenQuotaHistory(ctx, o->q, eo);
               });
             }});
  }
  {
    struct Opts {
      TableOptions table;
      service::IncreaseExportQuery q;
      std::string from, to;
    };
    auto o = std::make_shared<Opts>();
    cli.Add({"quota-increases", "quota increase requests, newest first",
             [o](CLI::App* cmd) {
               AddTableOptions(cmd, &o->table);
               cmd->add_option("--account-id", o->q.account_id, "only this account's requests");
               cmd->add_option("--status", o->q.status, "an AWS status (PENDING, CASE_OPENED, ...) or open");
               cmd->add_option("--from", o->from, "requests created at or after this UTC time");
               cmd->add_option("--to", o->to, "requests created before this UTC time");
             },
             [o](service::ServiceGraph& g, const service::RequestContext& ctx) {
               return Open([&]() -> Result<service::Export> {
                 ASSIGN_OR_RETURN(service::ExportOptions eo, OptionsOf(o->table));
                 ASSIGN_OR_RETURN(o->q.from_ms, TimeOption(o->from, "from"));
                 ASSIGN_OR_RETURN(o->q.to_ms, TimeOption(o->to, "to"));
                 return g.exports->OpenQuotaIncreases(ctx, o->q, eo);
               });
             }});
  }
  {
    struct Opts {
      TableOptions table;
      store::AuditFilter f;
      std::string from, to;
    };
    auto o = std::make_shared<Opts>();
    cli.Add({"audit-log", "the audit log, newest first",
             [o](CLI::App* cmd) {
               AddTableOptions(cmd, &o->table);
               cmd->add_option("--actor-id", o->f.actor_id, "only this actor");
               cmd->add_option("--action", o->f.action, "only this action (a prefix when it ends with '.')");
               cmd->add_option("--target-type", o->f.target_type, "only this target type");
               cmd->add_option("--target-id", o->f.target_id, "only this target");
               cmd->add_option("--outcome", o->f.outcome, "success, partial, denied or failure");
               cmd->add_option("--from", o->from, "entries at or after this UTC time");
               cmd->add_option("--to", o->to, "entries before this UTC time");
             },
             [o](service::ServiceGraph& g, const service::RequestContext& ctx) {
               return Open([&]() -> Result<service::Export> {
                 ASSIGN_OR_RETURN(service::ExportOptions eo, OptionsOf(o->table));
                 ASSIGN_OR_RETURN(o->f.from_ms, TimeOption(o->from, "from"));
                 ASSIGN_OR_RETURN(o->f.to_ms, TimeOption(o->to, "to"));
                 return g.exports->OpenAuditLog(ctx, o->f, eo);
               });
             }});
  }
}

}  // namespace ap::app
