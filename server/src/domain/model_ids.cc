#include "domain/model_ids.h"

#include <algorithm>

namespace ap::domain {

namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Lower-case letters, digits and '-', not empty: the alphabet of providers, names and profile prefixes.
bool IsIdWord(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

bool IsRevision(std::string_view t) { return t.size() >= 2 && t[0] == 'v' && AllDigits(t.substr(1)); }

enum class TokenKind { kWord, kVersion, kDate, kRevision };

TokenKind KindOf(std::string_view t) {
  if (AllDigits(t) && t.size() == 8) return TokenKind::kDate;
  if (AllDigits(t) && t.size() <= 2) return TokenKind::kVersion;
  if (IsRevision(t)) return TokenKind::kRevision;
  return TokenKind::kWord;
}

// Fills the parts of a foundation-model id ("provider.name[:variant]"); false when it is not of that form.
bool ParseFoundationId(std::string_view text, ParsedModelId* out) {
  size_t colon = text.find(':');
  std::string_view head = text.substr(0, colon);
  std::string_view variant = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  std::vector<std::string_view> parts = Split(head, '.');
  if (parts.size() != 2 || !IsIdWord(parts[0]) || !IsIdWord(parts[1])) return false;
  if (colon != std::string_view::npos && variant.empty()) return false;
  out->foundation_id = std::string(text);
  out->provider = std::string(parts[0]);
  out->name = std::string(parts[1]);
  out->variant = std::string(variant);
  std::vector<std::string_view> tokens = Split(parts[1], '-');
  bool claude = out->provider == "anthropic" && !tokens.empty() && tokens[0] == "claude";
  bool seen_word = false;
  for (size_t i = claude ? 1 : 0; i < tokens.size(); ++i) {
    std::string_view t = tokens[i];
    if (t.empty()) return false;  // "a--b"
    switch (KindOf(t)) {
      case TokenKind::kDate:
        out->date = std::string(t);
        break;
      case TokenKind::kVersion:
        if (out->version.empty()) {
          out->version_first = !seen_word;
        } else {
          out->version += '.';
        }
        out->version += t;
        break;
      case TokenKind::kRevision:
        out->revision = std::string(t);
        break;
      case TokenKind::kWord:
        if (!out->family.empty()) out->family += '-';
        out->family += t;
        seen_word = true;
        break;
    }
  }
  return true;
}

// A system inference-profile id ("global.<foundation>" or "<geo>.<foundation>") or a foundation-model id.
void ParseProfileOrFoundation(std::string_view text, ParsedModelId* out) {
  std::string_view head = text.substr(0, text.find(':'));
  std::vector<std::string_view> parts = Split(head, '.');
  if (parts.size() == 3 && IsIdWord(parts[0])) {
    std::string_view prefix = parts[0];
    if (!ParseFoundationId(text.substr(prefix.size() + 1), out)) return;
    out->scope = prefix == "global" ? ModelIdScope::kGlobal : ModelIdScope::kGeo;
    if (out->scope == ModelIdScope::kGeo) out->geo = std::string(prefix);
    return;
  }
  if (ParseFoundationId(text, out)) out->scope = ModelIdScope::kInRegion;
}

// arn:<partition>:bedrock:<region>:<account>:<resource-type>/<resource-id>
void ParseArn(std::string_view text, ParsedModelId* out) {
  std::vector<std::string_view> head;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t at = text.find(':', start);
    if (at == std::string_view::npos) return;
    head.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  std::string_view resource = text.substr(start);
  if (head[2] != "bedrock") return;
  size_t slash = resource.find('/');
  if (slash == std::string_view::npos || slash + 1 == resource.size()) return;
  std::string_view type = resource.substr(0, slash), inner = resource.substr(slash + 1);
  out->arn_region = std::string(head[3]);
  if (type == "foundation-model") {
    if (ParseFoundationId(inner, out)) out->scope = ModelIdScope::kInRegion;
  } else if (type == "inference-profile") {
    ParseProfileOrFoundation(inner, out);
    // An inference-profile ARN always names a profile; a bare foundation id there is not a known form.
    if (out->scope == ModelIdScope::kInRegion) out->scope = ModelIdScope::kUnknown;
  } else if (type == "application-inference-profile") {
    out->scope = ModelIdScope::kApplicationProfile;
  } else if (type == "provisioned-model") {
    out->scope = ModelIdScope::kProvisioned;
  }
}

}  // namespace

std::string_view ModelIdScopeName(ModelIdScope s) {
  switch (s) {
    case ModelIdScope::kInRegion:
      return "in_region";
    case ModelIdScope::kGeo:
      return "geo";
    case ModelIdScope::kGlobal:
      return "global";
    case ModelIdScope::kApplicationProfile:
      return "application_profile";
    case ModelIdScope::kProvisioned:
      return "provisioned";
    case ModelIdScope::kUnknown:
      return "unknown";
  }
  return "unknown";
}

ParsedModelId ParseModelId(std::string_view raw) {
  ParsedModelId out;
  out.raw = std::string(raw);
  if (raw.rfind("arn:", 0) == 0) {
    ParseArn(raw, &out);
  } else {
    ParseProfileOrFoundation(raw, &out);
  }
  if (out.scope == ModelIdScope::kUnknown) {
    // Keep only what was given: a half-read id must not look like a model.
    ParsedModelId unknown;
    unknown.raw = std::move(out.raw);
    unknown.arn_region = std::move(out.arn_region);
    return unknown;
  }
  return out;
}

std::vector<std::string> CandidateConfigModelIds(const ParsedModelId& id) {
  bool names_a_model =
      id.scope == ModelIdScope::kInRegion || id.scope == ModelIdScope::kGeo || id.scope == ModelIdScope::kGlobal;
  std::vector<std::string_view> tokens = Split(id.name, '-');
  if (!names_a_model || id.provider != "anthropic" || tokens.empty() || tokens[0] != "claude") return {};
  // Rebuild the name in its own word order: the date and revision dropped, the version numbers joined by '.'.
  std::string base = "claude";
  bool version_done = false;
  for (size_t i = 1; i < tokens.size(); ++i) {
    switch (KindOf(tokens[i])) {
      case TokenKind::kDate:
      case TokenKind::kRevision:
        break;
      case TokenKind::kVersion:
        if (!version_done) base += "-" + id.version;
        version_done = true;
        break;
      case TokenKind::kWord:
        base += "-";
        base += tokens[i];
        break;
    }
  }
  std::vector<std::string> out;
  if (!id.revision.empty()) out.push_back(base + "-" + id.revision);
  if (base != "claude") out.push_back(base);
  return out;
}

ModelIdMatch MatchModelId(const QuotaConfig& config, std::string_view raw) {
  ModelIdMatch match;
  match.id = ParseModelId(raw);
  for (const std::string& candidate : CandidateConfigModelIds(match.id)) {
    if (FindModel(config, candidate) != nullptr) {
      match.model_id = candidate;
      break;
    }
  }
  match.counts_against_config_quota = match.model_id.has_value() && match.id.scope == ModelIdScope::kGlobal;
  return match;
}

}  // namespace ap::domain
