// Environment: a snapshot of environment variables, injected wherever the AWS client reads configuration
// (AWS_ENDPOINT_URL*, AWS_MAX_ATTEMPTS, AWS_ACCESS_KEY_ID, AWS_PROFILE, HOME, …). Logic never calls getenv(), so
// tests pass a map. Only app/ wiring (and test helpers) call ProcessEnvironment().
//
// Thread safety: a value type; ProcessEnvironment() reads `environ` and must not race with setenv().
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace ap::aws {

using Environment = std::map<std::string, std::string, std::less<>>;

// The variable's value, or "" when unset.
std::string GetEnv(const Environment& env, std::string_view name);
// True for "true"/"TRUE"/"1"/"yes" (case-insensitive), false otherwise.
bool EnvFlag(const Environment& env, std::string_view name);

// A copy of the process environment.
Environment ProcessEnvironment();

}  // namespace ap::aws
