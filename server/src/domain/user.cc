#include "domain/user.h"

#include <algorithm>
#include <cctype>

namespace ap::domain {

std::string_view RoleName(Role role) { return role == Role::kAdmin ? "admin" : "user"; }

Result<Role> ParseRole(std::string_view text, std::string_view field) {
  if (text == "admin") return Role::kAdmin;
  if (text == "user") return Role::kUser;
  return InvalidArgument("role must be \"admin\" or \"user\"", std::string(field));
}

Result<std::string> NormalizeEmail(std::string_view email, std::string_view field) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front()))) email.remove_prefix(1);
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back()))) email.remove_suffix(1);
  std::string out;
  out.reserve(email.size());
  for (char c : email) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto at = out.find('@');
  bool ok = !out.empty() && out.size() <= 254 && at != std::string::npos && at > 0 && at + 1 < out.size() &&
            out.find('@', at + 1) == std::string::npos && std::none_of(out.begin(), out.end(), [](char c) {
              return std::isspace(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) < 0x20;
            });
  if (!ok) return InvalidArgument("must be an email address like name@example.com", std::string(field));
  return out;
}

Status ValidateTeamId(std::string_view id, std::string_view field) {
  bool ok = !id.empty() && id.size() <= 64 &&
            (std::islower(static_cast<unsigned char>(id[0])) || std::isdigit(static_cast<unsigned char>(id[0])));
  for (char c : id) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' ||
          c == '-'))
      ok = false;
  }
  if (!ok)
    return InvalidArgument("team ids are 1-64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit",
                           std::string(field));
  return Status::Ok();
}

Status ValidatePassword(std::string_view password, std::string_view field) {
  if (password.size() < 8) return InvalidArgument("must be at least 8 characters", std::string(field));
  if (password.size() > 1024) return InvalidArgument("must be at most 1024 characters", std::string(field));
  return Status::Ok();
}

void NormalizeIdList(std::vector<std::string>* ids) {
  std::sort(ids->begin(), ids->end());
  ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
}

bool SharesAny(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i == *j) return true;
    if (*i < *j)
      ++i;
    else
      ++j;
  }
  return false;
}

}  // namespace ap::domain
