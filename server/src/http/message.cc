#include "http/message.h"

#include <boost/url/grammar/string_token.hpp>
#include <boost/url/pct_string_view.hpp>

#include "common/log.h"
#include "common/utf8.h"

namespace ap::http {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string_view Request::Header(std::string_view name) const {
  for (const auto& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) return h.value;
  }
  return {};
}

std::string Request::QueryParam(std::string_view name, bool* present) const {
  if (present != nullptr) *present = false;
  std::string_view rest = query;
  std::string key;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view raw_key = pair.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    // Keys are compared decoded so that "a%5Bb%5D" matches "a[b]"; a malformed key can never match.
    key.clear();
    if (!PercentDecode(raw_key, &key, /*plus_as_space=*/true) || key != name) continue;
    std::string value;
    // A malformed value reads as absent rather than as a half-decoded string the caller would trust.
    if (!PercentDecode(raw_value, &value, /*plus_as_space=*/true)) continue;
    if (present != nullptr) *present = true;
    // Values reach messages, filters and stored rows as text: bytes that are not UTF-8 become U+FFFD.
    return ToValidUtf8(value);
  }
  return {};
}

Response ErrorResponse(int status, std::string_view code, std::string_view message, std::string_view request_id,
                       std::string_view field) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  std::string& b = r.body;
  b.reserve(64 + code.size() + message.size() + request_id.size() + field.size());
  b += R"({"error":{"code":")";
  log::AppendJsonEscaped(&b, code);
  b += R"(","message":")";
  log::AppendJsonEscaped(&b, message);
  b += R"(","request_id":")";
  log::AppendJsonEscaped(&b, request_id);
  b += '"';
  if (!field.empty()) {
    b += R"(,"field":")";
    log::AppendJsonEscaped(&b, field);
    b += '"';
  }
  b += "}}";
  return r;
}

bool PercentDecode(std::string_view in, std::string* out, bool plus_as_space) {
  out->clear();
  // Boost.URL validates every escape first ('%' then two hex digits), then decodes; other bytes pass through.
  auto encoded = boost::urls::make_pct_string_view(in);
  if (!encoded) return false;
  boost::urls::encoding_opts opts;
  opts.space_as_plus = plus_as_space;
  encoded->decode(opts, boost::urls::string_token::assign_to(*out));
  return true;
}

}  // namespace ap::http
