#include "api/router.h"

#include <algorithm>

namespace ap::api {

void Router::Add(Route route) {
  compiled_.push_back(Compile(route.pattern));
  for (std::string_view m : {std::string_view(route.method), route.method == "GET" ? std::string_view("HEAD") : ""}) {
    if (!m.empty() && std::find(methods_.begin(), methods_.end(), m) == methods_.end()) methods_.emplace_back(m);
  }
  routes_.push_back(std::move(route));
}

std::string_view Router::MethodLabel(std::string_view method) const {
  for (const std::string& m : methods_) {
    if (m == method) return m;
  }
  return "other";
}

Router::Compiled Router::Compile(std::string_view pattern) {
  Compiled c;
  while (!pattern.empty()) {
    pattern.remove_prefix(1);  // the '/'
    size_t slash = pattern.find('/');
    std::string_view seg = pattern.substr(0, slash);
    if (seg == "{id}") c.id_index = static_cast<int>(c.segments.size());
    c.segments.emplace_back(seg);
    pattern = slash == std::string_view::npos ? std::string_view() : pattern.substr(slash);
  }
  return c;
}

bool Router::Matches(const Compiled& c, std::string_view path, std::string* id) {
  // Segment by segment; "{id}" takes exactly one non-empty segment.
  size_t i = 0;
  std::string_view param;
  while (!path.empty()) {
    if (path[0] != '/' || i >= c.segments.size()) return false;
    path.remove_prefix(1);
    size_t slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    if (static_cast<int>(i) == c.id_index) {
      if (seg.empty()) return false;
      param = seg;
    } else if (seg != c.segments[i]) {
      return false;
    }
    ++i;
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  if (i != c.segments.size()) return false;
  if (c.id_index >= 0) id->assign(param);
  return true;
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match m;
  for (size_t k = 0; k < routes_.size(); ++k) {
    const Route& r = routes_[k];
    std::string id;
    if (!Matches(compiled_[k], path, &id)) continue;
    m.path_known = true;
    if (!m.allow.empty()) m.allow += ", ";
    m.allow += r.method;
    if (!m.route && (r.method == method || (method == "HEAD" && r.method == "GET"))) {
      m.route = &r;
      m.id = std::move(id);
    }
  }
  return m;
}

}  // namespace ap::api
