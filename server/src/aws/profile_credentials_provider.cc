#include "aws/profile_credentials_provider.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

namespace ap::aws {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string ExpandHome(std::string path, const std::string& home) {
  if (path == "~" || path.starts_with("~/")) path = home + path.substr(1);
  return path;
}

// The file's contents; "" when it does not exist. Internal when it exists but cannot be read.
Result<std::string> ReadOptionalFile(const std::string& path) {
  if (path.empty()) return std::string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT || errno == ENOTDIR) return std::string();
    return Internal("cannot read " + path + ": " + std::generic_category().message(errno));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

IniSections ParseAwsIni(std::string_view text) {
  IniSections out;
  std::map<std::string, std::string>* current = nullptr;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) continue;  // nested setting
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      size_t close = line.find(']');
      if (close == std::string_view::npos) {
        current = nullptr;
        continue;
      }
      current = &out[std::string(Trim(line.substr(1, close - 1)))];
      continue;
    }
    size_t eq = line.find('=');
    if (current == nullptr || eq == std::string_view::npos) continue;
    std::string key(Trim(line.substr(0, eq)));
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    (*current)[key] = std::string(Trim(line.substr(eq + 1)));
  }
  return out;
}

ProfileCredentialsProvider::ProfileCredentialsProvider(const Environment& env, std::string profile)
    : profile_(std::move(profile)) {
  if (profile_.empty()) profile_ = GetEnv(env, "AWS_PROFILE");
  if (profile_.empty()) profile_ = "default";
  std::string home = GetEnv(env, "HOME");
  credentials_file_ = GetEnv(env, "AWS_SHARED_CREDENTIALS_FILE");
  if (credentials_file_.empty() && !home.empty()) credentials_file_ = home + "/.aws/credentials";
  config_file_ = GetEnv(env, "AWS_CONFIG_FILE");
  if (config_file_.empty() && !home.empty()) config_file_ = home + "/.aws/config";
  credentials_file_ = ExpandHome(credentials_file_, home);
  config_file_ = ExpandHome(config_file_, home);
}

Result<Credentials> ProfileCredentialsProvider::Get() {
  ASSIGN_OR_RETURN(std::string creds_text, ReadOptionalFile(credentials_file_));
  ASSIGN_OR_RETURN(std::string config_text, ReadOptionalFile(config_file_));
  IniSections creds_ini = ParseAwsIni(creds_text);
  IniSections config_ini = ParseAwsIni(config_text);

  std::map<std::string, std::string> merged;
  bool found = false;
  auto merge_from = [&](const IniSections& ini, const std::string& section) {
    auto it = ini.find(section);
    if (it == ini.end()) return;
    found = true;
    for (const auto& [k, v] : it->second) merged[k] = v;  // later sources win
  };
  if (profile_ == "default") merge_from(config_ini, "default");
  merge_from(config_ini, "profile " + profile_);
  merge_from(creds_ini, profile_);
  if (!found) {
    return Unauthenticated("profile '" + profile_ + "' not found in " +
                           (credentials_file_.empty() ? std::string("(no credentials file)") : credentials_file_) +
                           " or " + (config_file_.empty() ? std::string("(no config file)") : config_file_));
  }
  Credentials c;
  c.access_key_id = merged["aws_access_key_id"];
  c.secret_access_key = merged["aws_secret_access_key"];
  c.session_token = merged["aws_session_token"];
  if (c.access_key_id.empty() && c.secret_access_key.empty()) {
    for (const char* unsupported :
         {"role_arn", "credential_process", "sso_session", "sso_start_url", "web_identity_token_file"}) {
      if (merged.count(unsupported) != 0) {
        return Unauthenticated("profile '" + profile_ + "' uses " + unsupported + ", which is not supported");
      }
    }
    return Unauthenticated("profile '" + profile_ + "' has no aws_access_key_id / aws_secret_access_key");
  }
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return Unauthenticated("profile '" + profile_ + "' sets only one of aws_access_key_id and aws_secret_access_key");
  }
  return c;
}

}  // namespace ap::aws
