// Wire encoding of what a quota code is and what AWS's default is (issue 16 §2, "numbers that explain themselves"):
// the quota_name / quota_scope / aws_default / aws_default_read_at of each value of a quota read, and the
// "quota_names" of the quota config document.
#pragma once

#include "api/json.h"
#include "domain/catalogue.h"
#include "domain/quota.h"
#include "domain/quota_config.h"

namespace ap::api {

// Adds to `dim` (a value of a quota read): quota_name (AWS's name from the catalogue when confirmed, else null),
// quota_scope ("global-cross-region" | "cross-region" | "on-demand" | "other", null when the catalogue does not list
// the code), aws_default (AWS's default for the code in the region, null when never read: never 0 for unknown) and
// aws_default_read_at (when it was read, null when never). `entry` may be null.
void AddQuotaExplanation(json::object& dim, const domain::QuotaValue& value, const domain::CatalogueQuota* entry);

// {"<code>": {name, scope}} for every distinct code of `config` that the catalogue lists (name null when not
// confirmed). Bounded by the config (at most 200 models × 4 codes). Empty when `catalogue` is null.
json::object QuotaNamesToJson(const domain::QuotaConfig& config, const domain::CatalogueIndex* catalogue);

}  // namespace ap::api
