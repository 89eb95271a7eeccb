// The quota configuration document: which Claude models the platform tracks, their Service Quotas codes, and
// which are enabled and shown on the dashboard. Wire contract of the original product (DEVELOPERS.md):
//   {config_id:"global-quota-config", models:[ModelSpec...], updated_at, updated_by} + version.
// Pure value types and rules. Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::domain {

inline constexpr std::string_view kQuotaConfigId = "global-quota-config";

// The output-token burndown rate assumed when a model spec does not state one: the rate AWS documents for the
// current Claude models (docs/usage.md), which are all the default config holds.
inline constexpr int kDefaultOutputTokenBurndown = 5;
inline constexpr int kMinOutputTokenBurndown = 1;
inline constexpr int kMaxOutputTokenBurndown = 100;

struct ModelSpec {
  std::string model_id;                       // ^[a-z0-9][a-z0-9.-]*$, unique, e.g. "claude-sonnet-4.5-v1"
  std::string display_name;                   // e.g. "Claude Sonnet 4.5 V1"
  std::optional<std::string> quota_code_tpm;  // ^L-[0-9A-F]{8}$ or null
  std::optional<std::string> quota_code_rpm;
  bool enabled = false;
  bool show_in_dashboard = false;
  bool has_1m_context = false;
  std::optional<std::string> quota_code_tpm_1m;
  std::optional<std::string> quota_code_rpm_1m;
  // How many tokens of the TPM quota one output token consumes (AWS's "token burndown rate"): 5 for Claude 3.7
  // Sonnet and the Claude 4 models and later, 1 for older models. Input and cache-write tokens count 1:1.
  // 1..100; kDefaultOutputTokenBurndown when a document does not say (optional on the wire and in stores).
  int output_token_burndown = kDefaultOutputTokenBurndown;

  bool operator==(const ModelSpec&) const = default;
};

struct QuotaConfig {
  std::string config_id = std::string(kQuotaConfigId);
  std::vector<ModelSpec> models;
  int64_t updated_at_ms = 0;
  std::string updated_by;  // user id, or "system" for the built-in default
  int64_t version = 0;     // 0 = never stored; every stored change increments it
};

// The four quota dimensions tracked per model.
enum class QuotaDimension { kTpm, kRpm, kTpm1m, kRpm1m };
inline constexpr QuotaDimension kAllDimensions[] = {QuotaDimension::kTpm, QuotaDimension::kRpm, QuotaDimension::kTpm1m,
                                                    QuotaDimension::kRpm1m};
// "tpm", "rpm", "tpm_1m", "rpm_1m" — the keys of the per-model view.
std::string_view DimensionKey(QuotaDimension d);
// "_tpm", "_rpm", "_1m_tpm", "_1m_rpm" — the suffixes of the flat wire fields.
std::string_view DimensionFieldSuffix(QuotaDimension d);
// The code configured for `d`, or nullopt. 1M dimensions are nullopt unless has_1m_context.
std::optional<std::string> CodeFor(const ModelSpec& m, QuotaDimension d);

// The flat wire-field prefix of a model: drop '.', turn '-' into '_'.
//   "claude-sonnet-4.5-v1" -> "claude_sonnet_45_v1"  (fields: claude_sonnet_45_v1_tpm, ..._1m_rpm)
std::string QuotaFieldPrefix(std::string_view model_id);

// True for ^L-[0-9A-F]{8}$.
bool IsQuotaCode(std::string_view code);

// Returns OK if the document is valid, else InvalidArgument naming the first bad field, e.g.
// "models[2].model_id". Rules: config_id is "global-quota-config"; at most 200 models; model_id matches
// ^[a-z0-9][a-z0-9.-]*$ (<= 64 chars) and is unique, and so is its field prefix (QuotaFieldPrefix);
// display_name is 1-128 characters; every code matches ^L-[0-9A-F]{8}$ or is null; has_1m_context needs a 1M
// code; an enabled model needs at least one code; show_in_dashboard needs enabled ("models[i].show_in_dashboard");
// output_token_burndown is 1..100.
Status ValidateQuotaConfig(const QuotaConfig& config);

// Finds a model by id; nullptr when absent.
const ModelSpec* FindModel(const QuotaConfig& config, std::string_view model_id);

// Where a quota code is configured: the model and the dimension it measures.
struct CodeLocation {
  const ModelSpec* model = nullptr;  // points into the config searched; valid while it lives unchanged
  QuotaDimension dimension = QuotaDimension::kTpm;
};
// The model and dimension that configure `code` (as CodeFor sees them, so 1M codes count only with
// has_1m_context), or nullopt when no model does. When several do, the last in config order wins.
std::optional<CodeLocation> FindQuotaCode(const QuotaConfig& config, std::string_view code);

}  // namespace ap::domain
