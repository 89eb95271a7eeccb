// Loads the built-in Claude quota catalogue (server/data/claude-quotas.json, embedded at build time).
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/catalogue.h"

namespace ap::app {

// Parses a catalogue document ({"quotas":[{code, name, name_confirmed, model_family, model_version_suffix,
// scope, metric, long_context_1m, default_value, output_token_burndown, alt_names...}]}). Entries without a code
// are skipped. InvalidArgument when the document is not of that shape, or when an output_token_burndown is
// present, not null and not an integer in 1..100.
Result<std::vector<domain::CatalogueQuota>> ParseCatalogue(std::string_view json_text);

// The embedded catalogue, parsed once.
const std::vector<domain::CatalogueQuota>& BuiltInCatalogue();

// The embedded OpenAPI description (JSON).
std::string_view BuiltInOpenApiJson();

}  // namespace ap::app
