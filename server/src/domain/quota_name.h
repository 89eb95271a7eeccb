// The grammar of Amazon Bedrock's Service Quotas names for Anthropic Claude, e.g.
//   "Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1 1M Context Length"
//   "Cross-Region InvokeModel requests per minute for Anthropic Claude 3.5 Sonnet V2"
//   "Model invocation max tokens per day for Anthropic Claude Opus 4.1 (doubled for cross-region calls)"
// Names vary in case and wording over time ("Cross-Region" / "Cross-region", "InvokeModel" / "model
// inference", "V2" / "v2"); the parser is case-insensitive and keys on the phrases that carry meaning.
// Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ap::domain {

struct ParsedQuotaName {
  // "global-cross-region" | "cross-region" | "on-demand" | "other" (daily caps, batch, provisioned, ...)
  std::string scope;
  // "tokens-per-minute" | "requests-per-minute" | "tokens-per-day" | "input-tokens-per-minute" |
  // "output-tokens-per-minute" | "model-units-per-provisioned-model" | "batch-…" |
  // "customization-training-records" | "other"
  std::string metric;
  std::string model_family;    // "Claude Sonnet 4.5", "Claude 3.5 Sonnet", "Claude Instant", "Claude V2"
  std::string version_suffix;  // upper-cased: "V1", "V2", "V1.0"; empty when none
  bool long_context_1m = false;
  std::optional<double> version;  // 4.5 for "Claude Sonnet 4.5", 3.5 for "Claude 3.5 Sonnet"
};

// nullopt when the name is not about an Anthropic Claude model.
std::optional<ParsedQuotaName> ParseQuotaName(std::string_view name);

}  // namespace ap::domain
