// `account-platform export litellm`: the LiteLLM routing export (service/gateway_export.h) written to files as it
// is made, for fleets too large for one HTTP response and for scripts.
#pragma once

#include <ostream>
#include <string>

#include "common/status.h"
#include "service/context.h"
#include "service/gateway_export.h"

namespace ap::app {

// Writes the YAML of `request` to `output` ("" or "-": `out`) and, when `env_output` is set, its .env template (or
// filled .env with request.with_secrets) to that file. Files are written to "<name>.tmp" and renamed when whole
// (mode 0600 with secrets), so a failed export leaves no partial file. `ctx` is the CLI's (an admin). Errors:
// Prepare's (InvalidArgument naming the option's field), the store's, and Unavailable("cannot write <file>").
Status RunLitellmExport(service::GatewayExport& exporter, const service::RequestContext& ctx,
                        service::LitellmExportRequest request, const std::string& output, const std::string& env_output,
                        std::ostream& out);

}  // namespace ap::app
