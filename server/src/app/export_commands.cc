// The built-in `account-platform export` subcommands.
#include <CLI/CLI.hpp>

#include "app/export_cli.h"

namespace ap::app {

void AddBuiltInExports(ExportCli& cli) { (void)cli; }

}  // namespace ap::app
