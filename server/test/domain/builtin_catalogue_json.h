// The built-in catalogue (server/data/claude-quotas.json) as JSON, for tests that check domain rules against the
// shipped data. Needs AP_SERVER_DATA_DIR (test/domain/CMakeLists.txt) and Boost.JSON.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace ap::domain::test {

// The parsed document; an empty object and a test failure when the file cannot be read or is not an object.
inline boost::json::object BuiltInCatalogueJson() {
  std::ifstream in(std::string(AP_SERVER_DATA_DIR) + "/claude-quotas.json");
  if (!in) {
    ADD_FAILURE() << "cannot read " << AP_SERVER_DATA_DIR << "/claude-quotas.json";
    return {};
  }
  std::stringstream text;
  text << in.rdbuf();
  boost::json::value doc = boost::json::parse(text.str());
  if (!doc.is_object()) {
    ADD_FAILURE() << "claude-quotas.json is not a JSON object";
    return {};
  }
  return std::move(doc.as_object());
}

}  // namespace ap::domain::test
