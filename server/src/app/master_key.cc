#include "app/master_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <system_error>

namespace ap::app {

Result<service::MasterKey> LoadOrCreateMasterKey(const std::string& env_value, const std::string& data_dir,
                                                 Random& random, bool* created) {
  *created = false;
  if (!env_value.empty()) {
    auto key = service::ParseMasterKey(env_value);
    if (!key.ok()) return InvalidArgument("AP_MASTER_KEY: " + key.status().message());
    return key;
  }
  std::string path = data_dir + "/master.key";
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (st.st_mode & (S_IRWXG | S_IRWXO))
      return FailedPrecondition(path + " is readable by others; run: chmod 600 " + path);
    std::ifstream in(path);
    if (!in) return Unavailable("cannot read " + path + ": " + std::generic_category().message(errno));
    std::stringstream text;
    text << in.rdbuf();
    auto key = service::ParseMasterKey(text.str());
    if (!key.ok()) return InvalidArgument(path + ": " + key.status().message());
    return key;
  }
  std::string hex = random.HexString(service::kMasterKeyBytes);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return Unavailable("cannot create " + path + ": " + std::generic_category().message(errno));
  std::string line = hex + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Unavailable("cannot write " + path);
  *created = true;
  return service::ParseMasterKey(hex);
}

namespace {

constexpr std::string_view kCanaryText = "account-platform master key canary v1";

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// The bytes of `hex`; nullopt when it is not an even number of hex digits.
std::optional<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  const auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]);
    const int lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace

Status CheckMasterKeyCanary(store::SettingStore& store, const service::MasterKey& key, Random& random, bool* created) {
  *created = false;
  const service::CredentialVault vault(key);
  Result<std::string> stored = store.GetSetting(kMasterKeyCanary);
  if (stored.status().code() == StatusCode::kNotFound) {
    Status put = store.PutSettingIfAbsent(kMasterKeyCanary, ToHex(vault.Seal(kCanaryText, kMasterKeyCanary, random)));
    if (put.ok()) {
      *created = true;
      return put;
    }
    // AlreadyExists: another instance created it meanwhile; check ours against it.
    if (put.code() != StatusCode::kAlreadyExists) return Status(put.code(), "master key canary: " + put.message());
    stored = store.GetSetting(kMasterKeyCanary);
  }
  if (!stored.ok()) return Status(stored.status().code(), "master key canary: " + stored.status().message());
  std::optional<std::string> sealed = FromHex(*stored);
  Result<std::string> opened = sealed ? vault.Open(*sealed, kMasterKeyCanary) : Internal("not hex");
  if (!opened.ok() || *opened != kCanaryText)
    return FailedPrecondition(
        "AP_MASTER_KEY does not open this store's sealed credentials: every instance must use the same key");
  return Status::Ok();
}

}  // namespace ap::app
