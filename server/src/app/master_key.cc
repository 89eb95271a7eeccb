#include "app/master_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
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

}  // namespace ap::app
