#include "app/json_print.h"

namespace ap::app {
namespace {

void Print(const boost::json::value& v, std::string& out, int depth) {
  const auto newline = [&out](int level) {
    out += '\n';
    out.append(static_cast<size_t>(level) * 2, ' ');
  };
  if (v.is_object() && !v.as_object().empty()) {
    out += '{';
    bool first = true;
    for (const auto& field : v.as_object()) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      out += boost::json::serialize(boost::json::value(field.key()));
      out += ": ";
      Print(field.value(), out, depth + 1);
    }
    newline(depth);
    out += '}';
  } else if (v.is_array() && !v.as_array().empty()) {
    out += '[';
    bool first = true;
    for (const auto& item : v.as_array()) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      Print(item, out, depth + 1);
    }
    newline(depth);
    out += ']';
  } else {
    out += boost::json::serialize(v);
  }
}

}  // namespace

std::string PrettyJson(const boost::json::value& doc) {
  std::string out;
  Print(doc, out, 0);
  out += '\n';
  return out;
}

}  // namespace ap::app
