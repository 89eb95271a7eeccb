#include "api/router.h"

namespace ap::api {

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

bool Router::MatchPattern(std::string_view pattern, std::string_view path, std::string* id) {
  // Segment by segment; "{id}" takes exactly one non-empty segment.
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    size_t ps = pattern.find('/'), qs = path.find('/');
    std::string_view pseg = pattern.substr(0, ps), qseg = path.substr(0, qs);
    if (pseg == "{id}") {
      if (qseg.empty()) return false;
      id->assign(qseg);
    } else if (pseg != qseg) {
      return false;
    }
    pattern = ps == std::string_view::npos ? std::string_view() : pattern.substr(ps);
    path = qs == std::string_view::npos ? std::string_view() : path.substr(qs);
  }
  return true;
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match m;
  for (const Route& r : routes_) {
    std::string id;
    if (!MatchPattern(r.pattern, path, &id)) continue;
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
