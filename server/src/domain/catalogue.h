// The built-in catalogue of Anthropic Claude quotas of the Service Quotas service "bedrock" (parsed from
// server/data/claude-quotas.json by app/, embedded in the binary), and the default quota config derived from it.
// Pure. Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/quota_config.h"

namespace ap::domain {

struct CatalogueQuota {
  std::string code;            // "L-27C57EE8"
  std::string name;            // AWS's quota name ("" when unknown)
  bool name_confirmed = true;  // false: the code's name was not confirmed by a source
  std::string model_family;    // "Claude Sonnet 4.5"
  std::string version_suffix;  // "V1" or ""
  std::string scope;           // "global-cross-region" | "cross-region" | "on-demand" | "other"
  std::string metric;          // "tokens-per-minute" | "requests-per-minute" | "tokens-per-day" | ...
  bool long_context_1m = false;
  std::optional<double> default_value;
  // Tokens of the TPM quota one output token of this model consumes (1..100); nullopt when the catalogue does
  // not say.
  std::optional<int> output_token_burndown;
  // The Bedrock foundation-model id the quota is about ("anthropic.claude-sonnet-4-5-20250929-v1:0"); "" when the
  // catalogue does not say.
  std::string bedrock_model_id;
  // Whether AWS accepts increase requests for the quota (the catalogue's "adjustable"); nullopt when the
  // catalogue does not say (an increase request is then sent and AWS decides).
  std::optional<bool> adjustable;
};

// The model version in a family name: "Claude Sonnet 4.5" -> 4.5, "Claude 3.5 Sonnet" -> 3.5; nullopt if none.
std::optional<double> FamilyVersion(const std::string& family);

// "Claude Sonnet 4.5" + "V1" -> "claude-sonnet-4.5-v1"; "Claude Opus 4.5" + "" -> "claude-opus-4.5".
std::string SuggestedModelId(const std::string& family, const std::string& version_suffix);

// The default config of a fresh installation: every Claude model of version 4.5 or later that has a confirmed
// Global cross-Region tokens- or requests-per-minute code, with its TPM, RPM and (where confirmed) 1M codes,
// ordered by family version then name. Enabled: claude-sonnet-4.5-v1, claude-opus-4.5, claude-opus-4.6-v1.
// Shown on the dashboard: claude-sonnet-4.5-v1, claude-opus-4.5. Codes whose name is unconfirmed are left out.
// output_token_burndown: the model's catalogue value (the first of its entries that states one, in catalogue
// order), else kDefaultOutputTokenBurndown.
// The Bedrock foundation-model id of a config model: the catalogue's bedrock_model_id of the first of the model's
// codes (TPM, RPM, then the 1M codes) the catalogue lists with one; nullopt when none does (a model added by hand
// with codes the catalogue does not know).
std::optional<std::string> BedrockFoundationId(const ModelSpec& model, const std::vector<CatalogueQuota>& catalogue);

QuotaConfig BuildDefaultQuotaConfig(const std::vector<CatalogueQuota>& catalogue, int64_t now_ms);

// The catalogue by quota code: what a code is called at AWS and which scope it counts (issue 16 §2, "which quota is
// this?"). Immutable once built. Thread safety: const methods are safe from any thread.
class CatalogueIndex {
 public:
  explicit CatalogueIndex(std::vector<CatalogueQuota> quotas);
  // The entry of `code` (the first, when the catalogue lists a code twice), or nullptr when it does not list it.
  const CatalogueQuota* Find(std::string_view code) const;
  // AWS's name of `code` when the catalogue lists it with a confirmed name; nullopt otherwise (unknown code, or a
  // name that no source confirmed).
  std::optional<std::string> ConfirmedName(std::string_view code) const;

 private:
  std::vector<CatalogueQuota> quotas_;  // sorted by code, one per code
};

}  // namespace ap::domain
