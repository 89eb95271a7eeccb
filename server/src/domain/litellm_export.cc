#include "domain/litellm_export.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "common/utf8.h"

namespace ap::domain {
namespace {

// 2^53: above it a double no longer holds every integer, and LiteLLM reads the number as a float.
constexpr double kMaxLimit = 9007199254740992.0;

// Decodes one UTF-8 sequence at s[*i] (valid UTF-8 REQUIRED) and advances *i.
uint32_t NextCodePoint(std::string_view s, size_t* i) {
  auto b = static_cast<unsigned char>(s[*i]);
  int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += len;
  return cp;
}

bool MustEscape(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE ||
         cp == 0xFFFF;
}

std::string Number(double v) {
  char buf[64];
  if (std::floor(v) == v && std::fabs(v) < kMaxLimit)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string FactorText(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", f);
  return buf;
}

// A .env value: as is when it holds only characters no dotenv reader treats specially, else double-quoted.
std::string EnvValue(std::string_view v) {
  bool plain = true;
  for (char c : v)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '+' || c == '=' || c == '-' || c == '_'))
      plain = false;
  if (plain) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\' || c == '$') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string YamlQuote(std::string_view raw) {
  const std::string s = ToValidUtf8(raw);
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    uint32_t cp = NextCodePoint(s, &i);
    if (cp == '"' || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (MustEscape(cp)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(s, start, i - start);
    }
  }
  out += '"';
  return out;
}

Status ValidateGroupName(std::string_view name, std::string_view field) {
  if (name.empty() || name.size() > kMaxGroupNameBytes)
    return InvalidArgument("must be 1.." + std::to_string(kMaxGroupNameBytes) + " bytes", std::string(field));
  if (!IsValidUtf8(name)) return InvalidArgument("must be valid UTF-8", std::string(field));
  for (size_t i = 0; i < name.size();) {
    uint32_t cp = NextCodePoint(name, &i);
    if (MustEscape(cp)) return InvalidArgument("must not contain control characters", std::string(field));
  }
  return Status::Ok();
}

std::vector<ExportGroup> GroupsOf(const ModelSpec& model, const std::string& bedrock_foundation_id,
                                  const std::string& group_name) {
  std::vector<ExportGroup> out;
  const std::string base = group_name.empty() ? model.model_id : group_name;
  const std::string litellm_model = "bedrock/global." + bedrock_foundation_id;
  out.push_back({model, false, base, litellm_model});
  if (model.has_1m_context) out.push_back({model, true, base + "-1m", litellm_model});
  return out;
}

DimensionLimit ComputeLimit(const std::optional<std::string>& code, const QuotaSnapshot* snapshot,
                            std::optional<int64_t> peak_24h, double safety_factor) {
  DimensionLimit d;
  if (!code) return d;
  d.configured = true;
  const QuotaValue* v = snapshot ? snapshot->Find(*code) : nullptr;
  if (!v || !v->value) {
    d.note = *code + " never read";
    if (v && v->state == QuotaState::kError) d.note = *code + " not read yet (the last read failed)";
    return d;
  }
  const double quota = *v->value;
  std::string note = *code + " " + (v->is_default ? "default " : "applied ") + Number(quota);
  if (v->state == QuotaState::kStale) note += " (stale)";
  double base = quota;
  if (peak_24h) {
    base = quota - static_cast<double>(*peak_24h);
    note += " - 24h peak " + std::to_string(*peak_24h);
  }
  double scaled = std::floor(base * safety_factor);
  note += " x " + FactorText(safety_factor);
  if (!(scaled >= 1)) {  // also NaN
    d.note = note + " < 1: no capacity left";
    return d;
  }
  d.limit = static_cast<int64_t>(std::min(scaled, kMaxLimit));
  d.note = note;
  return d;
}

DeploymentLimits ComputeLimits(const ExportGroup& group, const QuotaSnapshot* snapshot, bool use_headroom,
                               std::optional<int64_t> peak_tokens, std::optional<int64_t> peak_requests,
                               double safety_factor) {
  const bool headroom = use_headroom && !group.long_context;
  DeploymentLimits l;
  l.tpm = ComputeLimit(CodeFor(group.model, group.long_context ? QuotaDimension::kTpm1m : QuotaDimension::kTpm),
                       snapshot, headroom ? peak_tokens : std::nullopt, safety_factor);
  l.rpm = ComputeLimit(CodeFor(group.model, group.long_context ? QuotaDimension::kRpm1m : QuotaDimension::kRpm),
                       snapshot, headroom ? peak_requests : std::nullopt, safety_factor);
  if (!l.tpm.configured && !l.rpm.configured) {
    l.left_out_reason = "no TPM or RPM quota code configured";
  } else if (l.tpm.configured && !l.tpm.limit) {
    l.left_out_reason = "tpm: " + l.tpm.note;
  } else if (l.rpm.configured && !l.rpm.limit) {
    l.left_out_reason = "rpm: " + l.rpm.note;
  }
  return l;
}

std::string EnvPrefix(std::string_view account_id) { return "AP_" + std::string(account_id); }

std::string DeploymentId(std::string_view account_id, std::string_view region, const ExportGroup& group) {
  std::string id = "ap-" + std::string(account_id) + "-" + std::string(region) + "-" + group.model.model_id;
  if (group.long_context) id += "-1m";
  return id;
}

std::string RenderDeployment(const ExportGroup& group, const DeploymentAccount& who, const std::string& region,
                             const DeploymentLimits& limits) {
  const Account& a = *who.account;
  std::string out;
  out += "  # account " + YamlQuote(a.account_name) + " (" + a.account_id + "), " + region;
  if (limits.tpm.limit) out += "; tpm = " + limits.tpm.note;
  if (limits.rpm.limit) out += "; rpm = " + limits.rpm.note;
  out += "\n";
  out += "  - model_name: " + YamlQuote(group.group_name) + "\n";
  out += "    litellm_params:\n";
  out += "      model: " + YamlQuote(group.litellm_model) + "\n";
  out += "      aws_region_name: " + YamlQuote(region) + "\n";
  const std::string env = "os.environ/" + EnvPrefix(a.account_id);
  if (a.credential_type == CredentialType::kAssumeRole) {
    out += "      aws_role_name: " + YamlQuote(who.secrets ? who.secrets->role_arn : a.role_arn) + "\n";
    out += "      aws_session_name: " + YamlQuote("ap-" + a.account_id) + "\n";
    if (who.secrets && !who.secrets->external_id.empty())
      out += "      aws_external_id: " + YamlQuote(who.secrets->external_id) + "\n";
  } else if (who.secrets) {
    out += "      aws_access_key_id: " + YamlQuote(who.secrets->access_key_id) + "\n";
    out += "      aws_secret_access_key: " + YamlQuote(who.secrets->secret_access_key) + "\n";
    if (!who.secrets->session_token.empty())
      out += "      aws_session_token: " + YamlQuote(who.secrets->session_token) + "\n";
  } else {
    out += "      aws_access_key_id: " + YamlQuote(env + "_ACCESS_KEY_ID") + "\n";
    out += "      aws_secret_access_key: " + YamlQuote(env + "_SECRET_ACCESS_KEY") + "\n";
  }
  if (limits.tpm.limit) out += "      tpm: " + std::to_string(*limits.tpm.limit) + "\n";
  if (limits.rpm.limit) out += "      rpm: " + std::to_string(*limits.rpm.limit) + "\n";
  out += "    model_info:\n";
  out += "      id: " + YamlQuote(DeploymentId(a.account_id, region, group)) + "\n";
  out += "      ap_account_id: " + YamlQuote(a.account_id) + "\n";
  out += "      ap_model_id: " + YamlQuote(group.model.model_id) + "\n";
  return out;
}

std::string RenderLeftOut(const ExportGroup& group, const Account& account, const std::string& region,
                          const std::string& reason) {
  return "  # left out: " + YamlQuote(group.group_name) + " of account " + YamlQuote(account.account_name) + " (" +
         account.account_id + "), " + region + ": " + YamlQuote(reason) + "\n";
}

std::string RenderEnvLines(const Account& account, const Credentials* secrets) {
  if (account.credential_type != CredentialType::kAccessKey) return {};
  const std::string p = EnvPrefix(account.account_id);
  // .env values are not YAML: a name is written into a comment only after YamlQuote made it one line.
  std::string out = "# " + YamlQuote(account.account_name) + " (" + account.account_id + ")\n";
  if (!secrets) return out + p + "_ACCESS_KEY_ID=\n" + p + "_SECRET_ACCESS_KEY=\n";
  out += p + "_ACCESS_KEY_ID=" + EnvValue(secrets->access_key_id) + "\n";
  out += p + "_SECRET_ACCESS_KEY=" + EnvValue(secrets->secret_access_key) + "\n";
  if (!secrets->session_token.empty()) out += p + "_SESSION_TOKEN=" + EnvValue(secrets->session_token) + "\n";
  return out;
}

}  // namespace ap::domain
