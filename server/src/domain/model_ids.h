// Bedrock model identifiers as CloudWatch reports them in the `ModelId` dimension of namespace AWS/Bedrock, and
// their mapping to the models of the quota config (ModelSpec::model_id).
//
// The forms (docs/usage.md cites the sources):
//   anthropic.claude-sonnet-4-5-20250929-v1:0           foundation model, invoked in the Region (on-demand)
//   anthropic.claude-opus-4-6-v1, anthropic.claude-sonnet-4-6, anthropic.claude-3-5-sonnet-20241022-v2:0
//   global.anthropic.claude-sonnet-4-5-20250929-v1:0    Global cross-Region inference profile
//   us. | eu. | apac. | jp. | au. | ca. | us-gov. ...     geographic cross-Region inference profiles
//   arn:aws:bedrock:us-east-1::foundation-model/<foundation model id>
//   arn:aws:bedrock:us-east-1:123456789012:inference-profile/<profile id>
//   arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/<opaque id>   (model not in the id)
//   arn:aws:bedrock:us-east-1:123456789012:provisioned-model/<opaque id>               (model not in the id)
//
// Which usage counts against which quota: the quota config's codes are Global cross-Region quotas (the default
// config holds only those; see BuildDefaultQuotaConfig). Only traffic through a Global profile counts against
// them. Geographic-profile and in-Region traffic of the same model is matched to the same config model, so that
// it can be shown beside it, but with counts_against_config_quota = false: it burns other quotas ("Cross-Region
// ..." and "On-demand ..." per model) that the config does not track, and must never enter the headroom of the
// Global quota. Application-inference-profile and provisioned-model ARNs, and ids this parser does not know,
// match no model; they are kept (raw) so that the caller can show them as unmatched, never dropped.
//
// Pure. Thread safety: value types and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/quota_config.h"

namespace ap::domain {

enum class ModelIdScope {
  kInRegion,            // a foundation-model id (or its ARN): on-demand in the Region of the metric
  kGeo,                 // a geographic cross-Region inference profile ("us.", "eu.", "apac.", ...)
  kGlobal,              // the Global cross-Region inference profile ("global.")
  kApplicationProfile,  // an application inference profile ARN: the model is not in the id
  kProvisioned,         // a provisioned-model ARN: the model is not in the id
  kUnknown,             // not a form above (empty, malformed, an unknown ARN resource type)
};
// "in_region" | "geo" | "global" | "application_profile" | "provisioned" | "unknown" (for the wire and logs).
std::string_view ModelIdScopeName(ModelIdScope s);

// A model id taken apart. Fields this form does not carry are empty.
struct ParsedModelId {
  std::string raw;  // exactly as given
  ModelIdScope scope = ModelIdScope::kUnknown;
  std::string geo;             // kGeo: the profile prefix, e.g. "us", "eu", "apac", "us-gov"; else ""
  std::string arn_region;      // the Region of an ARN form ("us-east-1"); else ""
  std::string foundation_id;   // the foundation-model id inside the id: "anthropic.claude-sonnet-4-5-20250929-v1:0"
  std::string provider;        // "anthropic", "amazon", "meta", ...
  std::string name;            // the model name without provider and ":N" suffixes: "claude-sonnet-4-5-20250929-v1"
  std::string family;          // the name's words other than the product word "claude": "sonnet", "opus", "haiku",
                               // "instant", "" for "claude-v2"; for other providers every word ("nova-pro")
  std::string version;         // the name's 1-2 digit numbers joined by '.': "4.5", "3.5", "4", "" when none
  std::string date;            // an 8-digit date in the name: "20250929"; "" when none
  std::string revision;        // a "v<digits>" word: "v1", "v2"; "" when none
  std::string variant;         // what follows the name after ':': "0", "0:200k", "1" (claude-v2:1); "" when none
  bool version_first = false;  // the version precedes the family ("claude-3-5-sonnet"), as in the older names

  bool operator==(const ParsedModelId&) const = default;
};

// Takes `raw` apart. Never fails: what it cannot read yields scope kUnknown with every part empty but raw (and
// arn_region, when an ARN's Region was read); raw is always kept. Matching is case-sensitive, as Bedrock ids are lower
// case.
ParsedModelId ParseModelId(std::string_view raw);

// The config-model ids a parsed id could be called in the quota config, most specific first, following
// SuggestedModelId's naming ("Claude Sonnet 4.5" + "V1" -> "claude-sonnet-4.5-v1"): the name's words in their
// order with the date dropped and the version digits joined by '.', first with the revision, then without.
//   anthropic.claude-sonnet-4-5-20250929-v1:0   -> claude-sonnet-4.5-v1, claude-sonnet-4.5
//   anthropic.claude-3-5-sonnet-20241022-v2:0   -> claude-3.5-sonnet-v2, claude-3.5-sonnet
//   anthropic.claude-sonnet-4-6                 -> claude-sonnet-4.6
// Empty when the id names no model (kApplicationProfile, kProvisioned, kUnknown) or is not an Anthropic Claude
// model (the config holds Claude models only).
std::vector<std::string> CandidateConfigModelIds(const ParsedModelId& id);

// What a CloudWatch model id means for the quota config.
struct ModelIdMatch {
  ParsedModelId id;
  // The config model it is (the first of CandidateConfigModelIds that the config holds); nullopt when none is.
  std::optional<std::string> model_id;
  // True only for a Global-profile id matched to a config model: its usage counts against the model's quotas
  // (and enters headroom). False for geo and in-Region ids (shown beside the model, never counted) and for
  // unmatched ids.
  bool counts_against_config_quota = false;
};

// Parses `raw` and finds its config model in `config` (enabled or not: the caller decides what to show).
// Never fails; an unmatched id has model_id nullopt and is kept whole in id.raw.
ModelIdMatch MatchModelId(const QuotaConfig& config, std::string_view raw);

}  // namespace ap::domain
