#include "aws/environment.h"

#include "aws/http_request.h"

extern char** environ;

namespace ap::aws {

std::string GetEnv(const Environment& env, std::string_view name) {
  auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

bool EnvFlag(const Environment& env, std::string_view name) {
  std::string v = ToLower(GetEnv(env, name));
  return v == "true" || v == "1" || v == "yes";
}

Environment ProcessEnvironment() {
  Environment env;
  for (char** p = environ; p != nullptr && *p != nullptr; ++p) {
    std::string_view entry(*p);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

}  // namespace ap::aws
