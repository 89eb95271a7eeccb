// Fuzz target: the quota-name grammar (domain/quota_name.*).
//
// The input is one Service Quotas quota name; the seed corpus is names from server/data/bedrock-quotas.json.
// Checked beyond "no crash, no sanitizer report": a parsed name has a scope and a metric from the documented sets,
// an upper-case version suffix, and the parse does not depend on ASCII letter case (the grammar is documented as
// case-insensitive): the upper-cased name gives the same scope, metric, 1M flag, version and suffix.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/catalogue.h"
#include "domain/quota_name.h"
#include "fuzz_check.h"

namespace {

using ap::fuzz::Check;

bool OneOf(std::string_view v, std::initializer_list<std::string_view> set) {
  for (std::string_view s : set) {
    if (v == s) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view name(reinterpret_cast<const char*>(data), size);
  auto parsed = ap::domain::ParseQuotaName(name);
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto parsed_upper = ap::domain::ParseQuotaName(upper);
  Check(parsed.has_value() == parsed_upper.has_value(), "the parse depends on letter case");
  if (!parsed) return 0;
  Check(OneOf(parsed->scope, {"global-cross-region", "cross-region", "on-demand", "other"}), "unknown scope");
  Check(!parsed->metric.empty(), "empty metric");
  for (char c : parsed->version_suffix) Check(!std::islower(static_cast<unsigned char>(c)), "suffix not upper-cased");
  Check(parsed->scope == parsed_upper->scope && parsed->metric == parsed_upper->metric &&
            parsed->long_context_1m == parsed_upper->long_context_1m && parsed->version == parsed_upper->version &&
            parsed->version_suffix == parsed_upper->version_suffix,
        "the parse depends on letter case");
  (void)ap::domain::FamilyVersion(parsed->model_family);
  (void)ap::domain::SuggestedModelId(parsed->model_family, parsed->version_suffix);
  return 0;
}
