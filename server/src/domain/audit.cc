#include "domain/audit.h"

#include <cstdio>

#include "common/log.h"

namespace ap::domain {
namespace {

void AppendString(std::string* out, std::string_view s) {
  *out += '"';
  log::AppendJsonEscaped(out, s);
  *out += '"';
}

}  // namespace

std::string AuditDetail(std::initializer_list<AuditField> fields) {
  std::string out = "{";
  for (const AuditField& f : fields) {
    if (out.size() > 1) out += ',';
    AppendString(&out, f.key);
    out += ':';
    if (const auto* s = std::get_if<std::string_view>(&f.value)) {
      AppendString(&out, *s);
    } else if (const auto* i = std::get_if<int64_t>(&f.value)) {
      out += std::to_string(*i);
    } else if (const auto* d = std::get_if<std::optional<double>>(&f.value)) {
      if (!*d) {
        out += "null";
      } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", **d);
        out += buf;
      }
    } else {
      out += '[';
      const std::vector<std::string>& list = *std::get<const std::vector<std::string>*>(f.value);
      for (size_t n = 0; n < list.size(); ++n) {
        if (n) out += ',';
        AppendString(&out, list[n]);
      }
      out += ']';
    }
  }
  out += '}';
  return out;
}

}  // namespace ap::domain
