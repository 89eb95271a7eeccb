// The route table and docs/openapi.yaml describe the same API: every router route is an operation of the
// document and every operation of the document is a router route, except for the explicit allow-lists below.
// The document is the JSON the build generates from the YAML (scripts/yaml-to-json), the one the binary embeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "api/api.h"
#include "test_env.h"

namespace ap::api {
namespace {

// The allow-lists are written normalised (see Normalise): "METHOD /path/{}".
// Operations that the document describes but the router does not serve, each with its reason.
const std::set<std::string> kDocumentedOutsideRouter = {
    // Swagger UI, served by http/ from <web-root>/api-docs/ (static files, not an API route).
    "GET /api/docs",
};

// Router routes the document deliberately leaves out, each with its reason. None today: /health, /ready and
// /metrics are documented too.
const std::set<std::string> kUndocumentedRoutes = {};

// "GET /api/accounts/{account_id}" → "GET /api/accounts/{}": parameter names differ between the router ("{id}")
// and the document's choice; only their position matters.
std::string Normalise(std::string_view method, std::string_view path) {
  std::string out;
  for (char c : method) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out += ' ';
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      size_t close = path.find('}', i);
      if (close != std::string_view::npos) {
        out += "{}";
        i = close;
        continue;
      }
    }
    out += path[i];
  }
  return out;
}

std::set<std::string> RouterOperations(const Router& router) {
  std::set<std::string> out;
  for (const Route& route : router.routes()) out.insert(Normalise(route.method, route.pattern));
  return out;
}

std::set<std::string> DocumentOperations(const json::object& doc) {
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  std::set<std::string> out;
  for (const auto& path : doc.at("paths").as_object()) {
    for (const auto& op : path.value().as_object()) {
      if (kMethods.count(std::string(op.key()))) out.insert(Normalise(op.key(), path.key()));
    }
  }
  return out;
}

json::object LoadDocument() {
  std::ifstream in(AP_OPENAPI_JSON_PATH);
  EXPECT_TRUE(in) << "missing " << AP_OPENAPI_JSON_PATH;
  std::stringstream text;
  text << in.rdbuf();
  json::error_code ec;
  json::value v = json::parse(text.str(), ec);
  EXPECT_FALSE(ec) << AP_OPENAPI_JSON_PATH << ": " << ec.message();
  return v.is_object() ? v.as_object() : json::object{};
}

// The elements of `a` not in `b` and not in `allowed`, one per line.
std::string Missing(const std::set<std::string>& a, const std::set<std::string>& b,
                    const std::set<std::string>& allowed) {
  std::string out;
  for (const auto& op : a) {
    if (!b.count(op) && !allowed.count(op)) out += "  " + op + "\n";
  }
  return out;
}

class ContractTest : public ::testing::Test {
 protected:
  ContractTest() : api_(ServicesOf(*env_.graph), ApiOptions{}) {}

  testing::TestEnv env_;
  Api api_;
};

TEST_F(ContractTest, RouterAndDocumentListTheSameOperations) {
  std::set<std::string> routes = RouterOperations(api_.router());
  std::set<std::string> documented = DocumentOperations(LoadDocument());
  ASSERT_FALSE(routes.empty());
  ASSERT_FALSE(documented.empty());
  std::string undocumented = Missing(routes, documented, kUndocumentedRoutes);
  std::string unrouted = Missing(documented, routes, kDocumentedOutsideRouter);
  EXPECT_EQ(undocumented, "") << "routes missing from docs/openapi.yaml:\n" << undocumented;
  EXPECT_EQ(unrouted, "") << "operations of docs/openapi.yaml that no route serves:\n" << unrouted;
}

// The allow-lists name real entries: an allowed difference that no longer exists must leave the list.
TEST_F(ContractTest, AllowListsAreCurrent) {
  std::set<std::string> routes = RouterOperations(api_.router());
  std::set<std::string> documented = DocumentOperations(LoadDocument());
  for (const auto& op : kDocumentedOutsideRouter) {
    EXPECT_TRUE(documented.count(op)) << op << " is allow-listed as documented but is not in docs/openapi.yaml";
    EXPECT_FALSE(routes.count(op)) << op << " is allow-listed as outside the router but is a route";
  }
  for (const auto& op : kUndocumentedRoutes) {
    EXPECT_TRUE(routes.count(op)) << op << " is allow-listed as a route but the router has no such route";
    EXPECT_FALSE(documented.count(op)) << op << " is allow-listed as undocumented but is in docs/openapi.yaml";
  }
}

TEST(ContractNormalise, ParameterNamesDoNotMatter) {
  EXPECT_EQ(Normalise("get", "/api/accounts/{account_id}/quota"), "GET /api/accounts/{}/quota");
  EXPECT_EQ(Normalise("GET", "/api/accounts/{id}/quota"), "GET /api/accounts/{}/quota");
  EXPECT_EQ(Normalise("post", "/api/jobs"), "POST /api/jobs");
}

}  // namespace
}  // namespace ap::api
