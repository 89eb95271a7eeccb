// JSON for people: the documents the CLI prints (IAM policies, table definitions) indented by two spaces, one member
// or element per line, keys in the order the document has them, ending with a newline. Deterministic, so that the
// committed copies under deploy/cdk/generated/ can be compared byte for byte.
#pragma once

#include <boost/json.hpp>
#include <string>

namespace ap::app {

std::string PrettyJson(const boost::json::value& doc);

}  // namespace ap::app
