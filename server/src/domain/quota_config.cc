#include "domain/quota_config.h"

#include <cctype>
#include <set>

namespace ap::domain {

std::string_view DimensionKey(QuotaDimension d) {
  switch (d) {
    case QuotaDimension::kTpm:
      return "tpm";
    case QuotaDimension::kRpm:
      return "rpm";
    case QuotaDimension::kTpm1m:
      return "tpm_1m";
    case QuotaDimension::kRpm1m:
      return "rpm_1m";
  }
  return "tpm";
}

std::string_view DimensionFieldSuffix(QuotaDimension d) {
  switch (d) {
    case QuotaDimension::kTpm:
      return "_tpm";
    case QuotaDimension::kRpm:
      return "_rpm";
    case QuotaDimension::kTpm1m:
      return "_1m_tpm";
    case QuotaDimension::kRpm1m:
      return "_1m_rpm";
  }
  return "_tpm";
}

std::optional<std::string> CodeFor(const ModelSpec& m, QuotaDimension d) {
  switch (d) {
    case QuotaDimension::kTpm:
      return m.quota_code_tpm;
    case QuotaDimension::kRpm:
      return m.quota_code_rpm;
    case QuotaDimension::kTpm1m:
      return m.has_1m_context ? m.quota_code_tpm_1m : std::nullopt;
    case QuotaDimension::kRpm1m:
      return m.has_1m_context ? m.quota_code_rpm_1m : std::nullopt;
  }
  return std::nullopt;
}

std::string QuotaFieldPrefix(std::string_view model_id) {
  std::string out;
  out.reserve(model_id.size());
  for (char c : model_id) {
    if (c == '.') continue;
    out += c == '-' ? '_' : c;
  }
  return out;
}

bool IsQuotaCode(std::string_view code) {
  if (code.size() != 10 || code[0] != 'L' || code[1] != '-') return false;
  for (char c : code.substr(2)) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

namespace {

bool IsModelId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  auto first_ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!first_ok(id[0])) return false;
  for (char c : id) {
    if (!(first_ok(c) || c == '.' || c == '-')) return false;
  }
  return true;
}

}  // namespace

Status ValidateQuotaConfig(const QuotaConfig& config) {
  if (config.config_id != kQuotaConfigId) return InvalidArgument("must be \"global-quota-config\"", "config_id");
  if (config.models.size() > 200) return InvalidArgument("at most 200 models", "models");
  std::set<std::string, std::less<>> ids, prefixes;
  for (size_t i = 0; i < config.models.size(); ++i) {
    const ModelSpec& m = config.models[i];
    std::string at = "models[" + std::to_string(i) + "].";
    if (!IsModelId(m.model_id))
      return InvalidArgument("must match ^[a-z0-9][a-z0-9.-]*$ (at most 64 characters)", at + "model_id");
    if (!ids.insert(m.model_id).second)
      return InvalidArgument("duplicate model_id \"" + m.model_id + "\"", at + "model_id");
    if (!prefixes.insert(QuotaFieldPrefix(m.model_id)).second)
      return InvalidArgument("model_id \"" + m.model_id + "\" gives the same field names as another model",
                             at + "model_id");
    if (m.display_name.empty() || m.display_name.size() > 128)
      return InvalidArgument("must be 1-128 characters", at + "display_name");
    const std::pair<const std::optional<std::string>*, const char*> codes[] = {
        {&m.quota_code_tpm, "quota_code_tpm"},
        {&m.quota_code_rpm, "quota_code_rpm"},
        {&m.quota_code_tpm_1m, "quota_code_tpm_1m"},
        {&m.quota_code_rpm_1m, "quota_code_rpm_1m"}};
    for (const auto& [code, name] : codes) {
      if (code->has_value() && !IsQuotaCode(**code))
        return InvalidArgument("must match ^L-[0-9A-F]{8}$ or be null", at + name);
    }
    if (m.has_1m_context && !m.quota_code_tpm_1m && !m.quota_code_rpm_1m)
      return InvalidArgument("has_1m_context needs quota_code_tpm_1m or quota_code_rpm_1m", at + "has_1m_context");
    if (m.output_token_burndown < kMinOutputTokenBurndown || m.output_token_burndown > kMaxOutputTokenBurndown)
      return InvalidArgument("must be 1-100", at + "output_token_burndown");
    if (m.enabled && !m.quota_code_tpm && !m.quota_code_rpm &&
        !(m.has_1m_context && (m.quota_code_tpm_1m || m.quota_code_rpm_1m)))
      return InvalidArgument("an enabled model needs at least one quota code", at + "enabled");
    // A model shown but not read would be a dashboard column that never fills (issue 16 §3): refused, not saved.
    if (m.show_in_dashboard && !m.enabled)
      return InvalidArgument("a model shown on the dashboard must be enabled (enable it or stop showing it)",
                             at + "show_in_dashboard");
  }
  return Status::Ok();
}

const ModelSpec* FindModel(const QuotaConfig& config, std::string_view model_id) {
  for (const ModelSpec& m : config.models) {
    if (m.model_id == model_id) return &m;
  }
  return nullptr;
}

std::optional<CodeLocation> FindQuotaCode(const QuotaConfig& config, std::string_view code) {
  std::optional<CodeLocation> found;
  for (const ModelSpec& m : config.models) {
    for (QuotaDimension d : kAllDimensions) {
      auto configured = CodeFor(m, d);
      if (configured && *configured == code) found = CodeLocation{&m, d};
    }
  }
  return found;
}

}  // namespace ap::domain
