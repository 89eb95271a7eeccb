// A minimal XML reader for the flat documents AWS's query protocol returns (STS responses and errors). Elements,
// text, the five predefined entities and numeric character references, CDATA, comments and the XML declaration.
// Attributes are skipped; namespace prefixes are dropped from names; DOCTYPE and processing instructions other than
// the declaration are refused (no entity expansion, so no billion-laughs). Not a general XML library.
//
// Thread safety: value types and a pure function.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::aws {

struct XmlElement {
  std::string name;  // local name
  std::string text;  // concatenated character data directly inside this element
  std::vector<XmlElement> children;

  // The first child named `name`; nullptr when there is none.
  const XmlElement* Child(std::string_view name) const;
  // Follows a path of child names from this element; nullptr when a step is missing.
  const XmlElement* Find(std::initializer_list<std::string_view> path) const;
  // The text of Find(path), or "" when missing.
  std::string TextAt(std::initializer_list<std::string_view> path) const;
};

// Parses a document and returns its root element. InvalidArgument on malformed input, a DOCTYPE, or nesting deeper
// than 64 levels.
Result<XmlElement> ParseXml(std::string_view document);

}  // namespace ap::aws
