// The XML reader for the flat documents AWS's query protocol returns (STS responses and errors), built on expat.
// Gives elements and their text: the five predefined entities and numeric character references decoded, CDATA
// read as text, comments skipped. Attributes are skipped; namespace prefixes are dropped from names.
// Limits, for documents from a possibly hostile endpoint:
//  - a DOCTYPE is refused as soon as expat sees it, so no internal subset, no entity declaration and no external
//    entity (none is ever fetched: no external entity handler is installed); a reference to any other entity
//    than the five predefined ones is an error (no billion-laughs);
//  - processing instructions other than the XML declaration are refused;
//  - nesting deeper than 64 elements is refused while parsing (the tree is never deeper);
//  - size: the caller bounds the body (the transport's response limit); above INT_MAX bytes is refused here.
// Not a general XML library.
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

// Parses a document and returns its root element. InvalidArgument ("malformed XML at offset N: why") on input that
// is not well-formed XML, a DOCTYPE, a processing instruction, an undefined entity, or nesting deeper than 64 levels.
Result<XmlElement> ParseXml(std::string_view document);

}  // namespace ap::aws
