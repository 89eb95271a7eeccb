// Shared credentials and config files (~/.aws/credentials, ~/.aws/config), as the AWS CLI and SDKs read them.
//
//  - Files: AWS_SHARED_CREDENTIALS_FILE (default $HOME/.aws/credentials), AWS_CONFIG_FILE (default
//    $HOME/.aws/config); a leading "~/" expands to $HOME. A missing file counts as empty.
//  - Profile: the constructor's argument, else AWS_PROFILE, else "default". Sections are "[name]" in the
//    credentials file and "[profile name]" in the config file ("[default]" in both).
//  - Keys: aws_access_key_id, aws_secret_access_key, aws_session_token. Where both files set a key for the profile,
//    the credentials file wins.
//  - Not supported: role_arn/source_profile, credential_process, sso_* (a profile with only those is reported as
//    such, so the chain moves on with a clear reason).
//
// Thread safety: safe from many threads (reads the files on every Get(); wrap it in CachingCredentialsProvider).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "aws/clients.h"
#include "aws/environment.h"

namespace ap::aws {

// section name → (lower-cased key → value). Exposed for tests.
using IniSections = std::map<std::string, std::map<std::string, std::string>>;
// Parses the AWS INI dialect: "[section]", "key = value", full-line comments ('#' or ';'), indented continuation
// lines (nested settings, ignored). Never fails; malformed lines are skipped.
IniSections ParseAwsIni(std::string_view text);

class ProfileCredentialsProvider final : public CredentialsProvider {
 public:
  explicit ProfileCredentialsProvider(const Environment& env, std::string profile = "");

  // The profile's static keys. Unauthenticated when no file defines the profile, when it has no keys (naming what
  // it has instead, e.g. role_arn), or when only one of key id / secret is set. Internal when a file exists but
  // cannot be read.
  Result<Credentials> Get() override;

  const std::string& profile() const { return profile_; }
  const std::string& credentials_file() const { return credentials_file_; }
  const std::string& config_file() const { return config_file_; }

 private:
  std::string profile_;
  std::string credentials_file_;
  std::string config_file_;
};

}  // namespace ap::aws
