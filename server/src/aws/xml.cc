#include "aws/xml.h"

#include <expat.h>

#include <climits>
#include <memory>
#include <string>
#include <vector>

namespace ap::aws {
namespace {

constexpr size_t kMaxDepth = 64;

std::string_view LocalName(std::string_view qname) {
  size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

// Builds the element tree from expat's callbacks. `open` holds the elements being read, innermost last: only the
// innermost one gains children, so pointers to its ancestors (in their parents' vectors) stay valid.
struct TreeBuilder {
  XML_Parser parser = nullptr;
  XmlElement root;
  std::vector<XmlElement*> open;
  std::string refusal;  // why a handler stopped the parser; empty when expat itself found the error

  void Refuse(std::string why) {
    if (refusal.empty()) refusal = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }
};

TreeBuilder* Builder(void* data) { return static_cast<TreeBuilder*>(data); }

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** /*attributes: not read*/) {
  TreeBuilder* b = Builder(data);
  if (b->open.size() >= kMaxDepth) return b->Refuse("nesting too deep");
  XmlElement* e = &b->root;
  if (!b->open.empty()) e = &b->open.back()->children.emplace_back();
  e->name = std::string(LocalName(name));
  b->open.push_back(e);
}

void XMLCALL OnEnd(void* data, const XML_Char* /*name: expat checks it matches*/) { Builder(data)->open.pop_back(); }

void XMLCALL OnText(void* data, const XML_Char* text, int len) {
  TreeBuilder* b = Builder(data);
  if (!b->open.empty()) b->open.back()->text.append(text, static_cast<size_t>(len));
}

void XMLCALL OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  Builder(data)->Refuse("DOCTYPE is not supported");
}

void XMLCALL OnProcessingInstruction(void* data, const XML_Char*, const XML_Char*) {
  Builder(data)->Refuse("processing instructions are not supported");
}

}  // namespace

const XmlElement* XmlElement::Child(std::string_view child_name) const {
  for (const auto& c : children) {
    if (c.name == child_name) return &c;
  }
  return nullptr;
}

const XmlElement* XmlElement::Find(std::initializer_list<std::string_view> path) const {
  const XmlElement* cur = this;
  for (std::string_view step : path) {
    cur = cur->Child(step);
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

std::string XmlElement::TextAt(std::initializer_list<std::string_view> path) const {
  const XmlElement* e = Find(path);
  return e != nullptr ? e->text : std::string();
}

Result<XmlElement> ParseXml(std::string_view document) {
  if (document.size() > static_cast<size_t>(INT_MAX)) return InvalidArgument("malformed XML: document too large");
  // Without namespace processing: a prefix is part of the name and dropped by LocalName, as AWS documents use
  // prefixes loosely. No external entity handler and no DTD (refused on sight), so nothing is fetched or expanded.
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate(nullptr), &XML_ParserFree);
  if (parser == nullptr) return Internal("cannot create an XML parser");
  TreeBuilder builder;
  builder.parser = parser.get();
  XML_SetUserData(parser.get(), &builder);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser.get(), OnText);
  XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
  XML_SetProcessingInstructionHandler(parser.get(), OnProcessingInstruction);
  if (XML_Parse(parser.get(), document.data(), static_cast<int>(document.size()), XML_TRUE) != XML_STATUS_OK) {
    std::string what = !builder.refusal.empty() ? builder.refusal : XML_ErrorString(XML_GetErrorCode(parser.get()));
    return InvalidArgument("malformed XML at offset " + std::to_string(XML_GetCurrentByteIndex(parser.get())) + ": " +
                           what);
  }
  return std::move(builder.root);
}

}  // namespace ap::aws
