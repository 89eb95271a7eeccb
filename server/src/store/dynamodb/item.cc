#include "store/dynamodb/item.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

namespace ap::store::ddb {

boost::json::value S(std::string_view s) { return boost::json::object{{"S", s}}; }
boost::json::value N(int64_t n) { return boost::json::object{{"N", std::to_string(n)}}; }
boost::json::value Nd(double d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return boost::json::object{{"N", buf}};
}
boost::json::value B(bool b) { return boost::json::object{{"BOOL", b}}; }
boost::json::value SS(const std::vector<std::string>& set) {
  boost::json::array a;
  for (const std::string& s : set) a.emplace_back(s);
  return boost::json::object{{"SS", std::move(a)}};
}
boost::json::value Ls(const std::vector<std::string>& list) {
  boost::json::array a;
  for (const std::string& s : list) a.emplace_back(S(s));
  return boost::json::object{{"L", std::move(a)}};
}
boost::json::value M(const Item& map) { return boost::json::object{{"M", map}}; }

namespace {

const boost::json::object* Typed(const Item& item, std::string_view name) {
  auto it = item.find(name);
  if (it == item.end() || !it->value().is_object()) return nullptr;
  return &it->value().as_object();
}

const boost::json::value* Member(const boost::json::object* o, std::string_view type) {
  if (o == nullptr) return nullptr;
  auto it = o->find(type);
  return it == o->end() ? nullptr : &it->value();
}

std::vector<std::string> Strings(const Item& item, std::string_view name) {
  std::vector<std::string> out;
  const boost::json::object* o = Typed(item, name);
  if (const boost::json::value* ss = Member(o, "SS"); ss != nullptr && ss->is_array()) {
    for (const auto& v : ss->as_array())
      if (v.is_string()) out.emplace_back(v.as_string());
  } else if (const boost::json::value* l = Member(o, "L"); l != nullptr && l->is_array()) {
    for (const auto& v : l->as_array()) {
      if (!v.is_object()) continue;
      if (const boost::json::value* s = Member(&v.as_object(), "S"); s != nullptr && s->is_string())
        out.emplace_back(s->as_string());
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> GetOptS(const Item& item, std::string_view name) {
  const boost::json::value* s = Member(Typed(item, name), "S");
  if (s == nullptr || !s->is_string()) return std::nullopt;
  return std::string(s->as_string());
}
std::string GetS(const Item& item, std::string_view name, std::string fallback) {
  std::optional<std::string> s = GetOptS(item, name);
  return s ? std::move(*s) : std::move(fallback);
}
int64_t GetN(const Item& item, std::string_view name, int64_t fallback) {
  const boost::json::value* n = Member(Typed(item, name), "N");
  if (n == nullptr || !n->is_string()) return fallback;
  const std::string text(n->as_string());
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str()) return fallback;
  if (*end != '\0') return static_cast<int64_t>(std::strtod(text.c_str(), nullptr));  // "3.0" from an ADD
  return v;
}
std::optional<double> GetOptNd(const Item& item, std::string_view name) {
  const boost::json::value* n = Member(Typed(item, name), "N");
  if (n == nullptr || !n->is_string()) return std::nullopt;
  const std::string text(n->as_string());
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return std::nullopt;
  return v;
}
bool GetB(const Item& item, std::string_view name, bool fallback) {
  const boost::json::value* b = Member(Typed(item, name), "BOOL");
  return b != nullptr && b->is_bool() ? b->as_bool() : fallback;
}
std::vector<std::string> GetSS(const Item& item, std::string_view name) { return Strings(item, name); }
std::vector<std::string> GetLs(const Item& item, std::string_view name) { return Strings(item, name); }
const Item* GetM(const Item& item, std::string_view name) {
  const boost::json::value* m = Member(Typed(item, name), "M");
  return m != nullptr && m->is_object() ? &m->as_object() : nullptr;
}

const Item* ItemOf(const boost::json::object& answer) {
  auto it = answer.find("Item");
  if (it == answer.end() || !it->value().is_object()) return nullptr;
  return &it->value().as_object();
}

boost::json::object Request(const std::string& table) { return boost::json::object{{"TableName", table}}; }

}  // namespace ap::store::ddb
