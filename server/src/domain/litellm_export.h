// The LiteLLM router export (issue 14 §4, docs/usage.md "Routing export for LiteLLM"): the pure parts — the
// rate limits of one deployment computed from cached quotas, and the text of each piece of the YAML model_list and
// of its .env template. service/gateway_export.* walks the accounts and feeds these.
//
// Numbers. For each dimension (TPM, RPM) the model configures a code for:
//   quota  = the cached value of the code (applied or AWS default; a stale value is its last good one)
//   base   = quota, or with use_headroom and a known 24-hour peak: quota − peak, where peak is the largest
//            per-minute quota-weighted token count (TPM) or request count (RPM) of the model's Global-profile
//            traffic over the last 24 hours (the usage snapshot's 24 h window)
//   limit  = floor(base × safety_factor), capped at 2^53
// A dimension whose code has no cached value (never read, first read failed) leaves the deployment out, and so
// does a limit below 1 (no headroom left): a deployment is never written with tpm or rpm 0. A dimension without a
// configured code is not written (LiteLLM then does not limit it). 1M-context groups use the 1M codes and never
// headroom (CloudWatch cannot tell 1M traffic apart).
//
// Quoting: every string the YAML carries is a double-quoted scalar (YamlQuote), so names typed by users cannot
// change its structure; comments carry only quoted strings.
//
// Pure. Thread safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/account.h"
#include "domain/quota.h"
#include "domain/quota_config.h"

namespace ap::domain {

inline constexpr double kDefaultSafetyFactor = 0.9;
// The most models one export may name, and the longest group name.
inline constexpr size_t kMaxExportModels = 50;
inline constexpr size_t kMaxGroupNameBytes = 128;

// A YAML double-quoted scalar holding exactly `s` (valid UTF-8 expected; ill-formed bytes become U+FFFD):
// '"' and '\' escaped, and every character a YAML 1.1 or 1.2 reader may refuse raw (C0 and C1 controls, DEL,
// U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF) written as \uXXXX.
std::string YamlQuote(std::string_view s);

// InvalidArgument(field) unless `name` is 1..kMaxGroupNameBytes bytes of valid UTF-8 without control characters.
Status ValidateGroupName(std::string_view name, std::string_view field);

// One model group of the export: a config model, or its 1M-context variant.
struct ExportGroup {
  ModelSpec model;
  bool long_context = false;  // the 1M variant: codes tpm_1m / rpm_1m, never headroom
  std::string group_name;     // model_name in the YAML: the override, or the model_id (+ "-1m")
  std::string litellm_model;  // "bedrock/global.<foundation id>"
};
// The groups of `model` (bedrock_foundation_id: BedrockFoundationId's answer): the standard one, and the 1M one
// when the model has_1m_context. `group_name` is the override ("" = the model_id).
std::vector<ExportGroup> GroupsOf(const ModelSpec& model, const std::string& bedrock_foundation_id,
                                  const std::string& group_name);

// One dimension's limit, or why there is none.
struct DimensionLimit {
  bool configured = false;       // the group has a code for the dimension
  std::optional<int64_t> limit;  // set when written
  std::string note;              // how it was computed ("applied 200000 × 0.9") or why left out ("never read")
};
DimensionLimit ComputeLimit(const std::optional<std::string>& code, const QuotaSnapshot* snapshot,
                            std::optional<int64_t> peak_24h, double safety_factor);

// The limits of one deployment. left_out_reason is "" when it is written.
struct DeploymentLimits {
  DimensionLimit tpm;
  DimensionLimit rpm;
  std::string left_out_reason;
};
// peak_tokens / peak_requests: the 24-hour peaks (used only when use_headroom and the group is not long_context).
DeploymentLimits ComputeLimits(const ExportGroup& group, const QuotaSnapshot* snapshot, bool use_headroom,
                               std::optional<int64_t> peak_tokens, std::optional<int64_t> peak_requests,
                               double safety_factor);

// "AP_123456789012": the prefix of an account's environment variables.
std::string EnvPrefix(std::string_view account_id);
// "ap-123456789012-us-east-1-claude-sonnet-4.5-v1" (+ "-1m"): model_info.id, stable per account × region × model.
std::string DeploymentId(std::string_view account_id, std::string_view region, const ExportGroup& group);

// What a deployment carries about its account's credentials. Without `secrets`: references only.
struct DeploymentAccount {
  const Account* account = nullptr;
  const Credentials* secrets = nullptr;  // the secrets export only: embedded as literal values
};

// One `- model_name: ...` item of model_list (two-space indented under it), with a comment line naming the account
// and how the numbers were made. REQUIRES: limits.left_out_reason empty.
std::string RenderDeployment(const ExportGroup& group, const DeploymentAccount& who, const std::string& region,
                             const DeploymentLimits& limits);
// A comment line for a deployment left out.
std::string RenderLeftOut(const ExportGroup& group, const Account& account, const std::string& region,
                          const std::string& reason);
// The .env lines of an access-key account (names only, or the values with `secrets`); "" for an assume-role account
// without secrets (it needs no variables).
std::string RenderEnvLines(const Account& account, const Credentials* secrets);

}  // namespace ap::domain
