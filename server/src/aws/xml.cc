#include "aws/xml.h"

#include <cctype>
#include <charconv>

namespace ap::aws {
namespace {

constexpr int kMaxDepth = 64;

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  Result<XmlElement> Document() {
    RETURN_IF_ERROR(SkipMisc());
    if (!Peek('<')) return Error("no root element");
    XmlElement root;
    RETURN_IF_ERROR(Element(&root, 0));
    RETURN_IF_ERROR(SkipMisc());
    if (pos_ != in_.size()) return Error("content after the root element");
    return root;
  }

 private:
  Status Error(std::string_view what) const {
    return InvalidArgument("malformed XML at offset " + std::to_string(pos_) + ": " + std::string(what));
  }
  bool Peek(char c) const { return pos_ < in_.size() && in_[pos_] == c; }
  bool StartsWith(std::string_view s) const { return in_.substr(pos_).starts_with(s); }
  void SkipSpace() {
    while (pos_ < in_.size() && std::isspace(static_cast<unsigned char>(in_[pos_]))) ++pos_;
  }

  // Whitespace, comments and the XML declaration around the root element.
  Status SkipMisc() {
    for (;;) {
      SkipSpace();
      if (StartsWith("<?xml")) {
        size_t end = in_.find("?>", pos_);
        if (end == std::string_view::npos) return Error("unterminated declaration");
        pos_ = end + 2;
      } else if (StartsWith("<!--")) {
        RETURN_IF_ERROR(Comment());
      } else if (StartsWith("<!") || StartsWith("<?")) {
        return Error("DOCTYPE and processing instructions are not supported");
      } else {
        return Status::Ok();
      }
    }
  }

  Status Comment() {
    size_t end = in_.find("-->", pos_ + 4);
    if (end == std::string_view::npos) return Error("unterminated comment");
    pos_ = end + 3;
    return Status::Ok();
  }

  std::string_view Name() {
    size_t start = pos_;
    while (pos_ < in_.size()) {
      char c = in_[pos_];
      if (std::isspace(static_cast<unsigned char>(c)) || c == '>' || c == '/' || c == '=') break;
      ++pos_;
    }
    return in_.substr(start, pos_ - start);
  }

  static std::string_view LocalName(std::string_view qname) {
    size_t colon = qname.find(':');
    return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
  }

  Status AppendText(std::string_view raw, std::string* out) {
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out->push_back(raw[i]);
        continue;
      }
      size_t semi = raw.find(';', i);
      if (semi == std::string_view::npos) return Error("unterminated entity");
      std::string_view ent = raw.substr(i + 1, semi - i - 1);
      if (ent == "lt")
        out->push_back('<');
      else if (ent == "gt")
        out->push_back('>');
      else if (ent == "amp")
        out->push_back('&');
      else if (ent == "quot")
        out->push_back('"');
      else if (ent == "apos")
        out->push_back('\'');
      else if (ent.size() > 1 && ent[0] == '#') {
        bool hex = ent[1] == 'x' || ent[1] == 'X';
        std::string_view digits = ent.substr(hex ? 2 : 1);
        uint32_t cp = 0;
        auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
        if (ec != std::errc() || p != digits.data() + digits.size() || cp == 0 || cp > 0x10FFFF) {
          return Error("bad character reference");
        }
        AppendUtf8(cp, out);
      } else {
        return Error("unknown entity");
      }
      i = semi;
    }
    return Status::Ok();
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // REQUIRES: Peek('<').
  Status Element(XmlElement* out, int depth) {
    if (depth >= kMaxDepth) return Error("nesting too deep");
    ++pos_;
    std::string_view qname = Name();
    if (qname.empty()) return Error("empty element name");
    out->name = std::string(LocalName(qname));
    // Attributes: skipped, quoted values honoured so that a '>' inside one does not end the tag.
    for (;;) {
      SkipSpace();
      if (pos_ >= in_.size()) return Error("unterminated start tag");
      if (StartsWith("/>")) {
        pos_ += 2;
        return Status::Ok();
      }
      if (Peek('>')) {
        ++pos_;
        break;
      }
      if (Name().empty()) return Error("bad attribute");
      SkipSpace();
      if (!Peek('=')) return Error("attribute without value");
      ++pos_;
      SkipSpace();
      if (!Peek('"') && !Peek('\'')) return Error("unquoted attribute value");
      char quote = in_[pos_++];
      size_t end = in_.find(quote, pos_);
      if (end == std::string_view::npos) return Error("unterminated attribute value");
      pos_ = end + 1;
    }
    for (;;) {
      size_t lt = in_.find('<', pos_);
      if (lt == std::string_view::npos) return Error("unterminated element <" + out->name + ">");
      RETURN_IF_ERROR(AppendText(in_.substr(pos_, lt - pos_), &out->text));
      pos_ = lt;
      if (StartsWith("</")) {
        pos_ += 2;
        std::string_view end_name = Name();
        SkipSpace();
        if (LocalName(end_name) != out->name || !Peek('>')) return Error("mismatched end tag");
        ++pos_;
        return Status::Ok();
      }
      if (StartsWith("<!--")) {
        RETURN_IF_ERROR(Comment());
      } else if (StartsWith("<![CDATA[")) {
        size_t end = in_.find("]]>", pos_);
        if (end == std::string_view::npos) return Error("unterminated CDATA");
        out->text.append(in_.substr(pos_ + 9, end - pos_ - 9));
        pos_ = end + 3;
      } else if (StartsWith("<!") || StartsWith("<?")) {
        return Error("unsupported markup");
      } else {
        out->children.emplace_back();
        RETURN_IF_ERROR(Element(&out->children.back(), depth + 1));
      }
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
};

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

Result<XmlElement> ParseXml(std::string_view document) { return Parser(document).Document(); }

}  // namespace ap::aws
