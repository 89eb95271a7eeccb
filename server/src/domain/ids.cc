#include "domain/ids.h"

#include <cstdio>

namespace ap::domain {

std::string NewTimeOrderedId(std::string_view prefix, int64_t now_ms, Random& random) {
  char time_hex[16];
  std::snprintf(time_hex, sizeof time_hex, "%013llx", static_cast<unsigned long long>(now_ms));
  std::string id(prefix);
  id += time_hex;
  id += random.HexString(8);
  return id;
}

int64_t TimeOfId(std::string_view prefix, std::string_view id) {
  if (id.size() < prefix.size() + 13 || id.substr(0, prefix.size()) != prefix) return -1;
  int64_t t = 0;
  for (char c : id.substr(prefix.size(), 13)) {
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) return -1;
    t = t * 16 + digit;
  }
  return t;
}

}  // namespace ap::domain
