// Fuzz target: the shared credentials and config files (aws/profile_credentials_provider.*).
//
// The input is the text of a file. It is parsed with ParseAwsIni, then written to a private temporary directory
// as the credentials file and, separately, as the config file, and ProfileCredentialsProvider::Get() reads it
// for the profiles "default" and the first section it names — the whole path from file to Credentials.
// Checked beyond "no crash, no sanitizer report": section names and keys come back trimmed and keys lower-cased;
// Get() either returns both key id and secret or an Unauthenticated status.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "aws/environment.h"
#include "aws/profile_credentials_provider.h"
#include "fuzz_check.h"

namespace {

using namespace ap::aws;  // NOLINT: a fuzz target over one module

using ap::fuzz::Check;

bool Trimmed(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  return s.empty() || (!space(s.front()) && !space(s.back()));
}

struct TempDir {
  std::string path;
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/ap-fuzz-aws-config-XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) abort();
    path = templ;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

void WriteFile(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

void CheckGet(const Environment& env, const std::string& profile) {
  ProfileCredentialsProvider provider(env, profile);
  auto creds = provider.Get();
  if (creds.ok()) {
    Check(!creds->access_key_id.empty() && !creds->secret_access_key.empty(), "Get() returned half a key pair");
  } else {
    Check(creds.status().code() == ap::StatusCode::kUnauthenticated, "Get() failed with other than Unauthenticated");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static TempDir dir;  // removed at exit
  static const std::string creds_file = dir.path + "/credentials";
  static const std::string config_file = dir.path + "/config";
  std::string_view text(reinterpret_cast<const char*>(data), size);

  IniSections ini = ParseAwsIni(text);
  std::string first;
  for (const auto& [section, keys] : ini) {
    Check(Trimmed(section), "a section name is not trimmed");
    if (first.empty()) first = section;
    for (const auto& [key, value] : keys) {
      Check(Trimmed(key) && Trimmed(value), "a key or value is not trimmed");
      for (char c : key) Check(!(c >= 'A' && c <= 'Z'), "a key is not lower-cased");
    }
  }
  if (first.starts_with("profile ")) first = first.substr(8);

  // As the credentials file (config missing), then as the config file (credentials missing).
  for (bool as_config : {false, true}) {
    WriteFile(as_config ? config_file : creds_file, text);
    std::error_code ec;
    std::filesystem::remove(as_config ? creds_file : config_file, ec);
    Environment env{{"HOME", dir.path}, {"AWS_SHARED_CREDENTIALS_FILE", creds_file}, {"AWS_CONFIG_FILE", config_file}};
    CheckGet(env, "default");
    if (!first.empty()) CheckGet(env, first);
  }
  return 0;
}
