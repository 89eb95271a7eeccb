#include "http/request_util.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace ap::http {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True when the parameters of one Accept-Encoding element ("q=0", "q=0.000") reject the coding.
bool HasZeroQuality(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view p = Trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (p.size() < 2 || Lower(p[0]) != 'q' || Trim(p.substr(1)).empty() || Trim(p.substr(1))[0] != '=') continue;
    std::string_view v = Trim(Trim(p.substr(1)).substr(1));
    if (v.empty() || v[0] != '0') return false;
    for (char c : v.substr(1)) {
      if (c != '.' && c != '0') return false;
    }
    return true;
  }
  return false;
}

bool IsTchar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

}  // namespace

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool MatchesAppPrefix(std::string_view path, const std::vector<std::string>& prefixes) {
  for (const std::string& p : prefixes) {
    if (p.empty()) continue;
    if (!path.starts_with(p)) continue;
    if (p.back() == '/' || path.size() == p.size() || path[p.size()] == '/') return true;
  }
  return false;
}

SplitTargetResult SplitTarget(std::string_view target) {
  size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

Result<ListenAddress> ParseListenAddress(std::string_view listen) {
  auto bad = [&](std::string_view why) {
    return InvalidArgument("invalid listen address \"" + std::string(listen) + "\": " + std::string(why), "listen");
  };
  std::string_view host, port;
  if (!listen.empty() && listen.front() == '[') {
    size_t close = listen.find(']');
    if (close == std::string_view::npos) return bad("missing ']'");
    host = listen.substr(1, close - 1);
    std::string_view rest = listen.substr(close + 1);
    if (rest.empty() || rest.front() != ':') return bad("expected [host]:port");
    port = rest.substr(1);
  } else {
    size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos) return bad("expected host:port");
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return bad("an IPv6 host must be in brackets: [::1]:8080");
  }
  if (port.empty() || port.size() > 5) return bad("port must be 0-65535");
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535) return bad("port must be 0-65535");

  ListenAddress out;
  out.port = static_cast<uint16_t>(value);
  if (host == "localhost") {
    out.host = "127.0.0.1";
    return out;
  }
  out.host = std::string(host);
  unsigned char buf[16];
  if (inet_pton(AF_INET, out.host.c_str(), buf) != 1 && inet_pton(AF_INET6, out.host.c_str(), buf) != 1) {
    return bad("host must be an IP address or localhost");
  }
  return out;
}

bool AcceptsCoding(std::string_view accept_encoding, std::string_view wanted) {
  // An explicit element for the coding decides; "*" only speaks for codings not named (RFC 9110 12.5.3).
  int named = -1, star = -1;
  std::string_view rest = accept_encoding;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view element = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t semi = element.find(';');
    std::string_view coding = Trim(element.substr(0, semi));
    int accepted = (semi == std::string_view::npos || !HasZeroQuality(element.substr(semi + 1))) ? 1 : 0;
    if (EqualsIgnoreCase(coding, wanted)) {
      named = accepted;
    } else if (coding == "*") {
      star = accepted;
    }
  }
  return named >= 0 ? named == 1 : star == 1;
}

std::string AddressKey(std::string_view ip) {
  std::string text(ip);
  unsigned char v6[16];
  if (inet_pton(AF_INET6, text.c_str(), v6) != 1) return text;  // IPv4 (or not an address): as is
  static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char buf[INET6_ADDRSTRLEN];
  if (std::equal(kMappedPrefix, kMappedPrefix + 12, v6)) {
    if (inet_ntop(AF_INET, v6 + 12, buf, sizeof buf) == nullptr) return text;
    return buf;
  }
  std::fill(v6 + 8, v6 + 16, 0);
  if (inet_ntop(AF_INET6, v6, buf, sizeof buf) == nullptr) return text;
  return std::string(buf) + "/64";
}

TransferEncodingVerdict CheckTransferEncoding(const std::vector<std::string_view>& fields, unsigned version) {
  if (fields.empty()) return TransferEncodingVerdict::kNone;
  // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
  if (version < 11) return TransferEncodingVerdict::kBadFraming;
  std::vector<std::string_view> codings;
  for (std::string_view field : fields) {
    while (true) {
      size_t comma = field.find(',');
      // Parameters (";q=...") do not change which coding it is.
      std::string_view element = field.substr(0, comma);
      std::string_view coding = Trim(element.substr(0, element.find(';')));
      if (!coding.empty()) codings.push_back(coding);
      if (comma == std::string_view::npos) break;
      field.remove_prefix(comma + 1);
    }
  }
  if (codings.empty() || !EqualsIgnoreCase(codings.back(), "chunked")) return TransferEncodingVerdict::kBadFraming;
  for (size_t i = 0; i + 1 < codings.size(); ++i) {
    if (EqualsIgnoreCase(codings[i], "chunked")) return TransferEncodingVerdict::kBadFraming;
  }
  return codings.size() == 1 ? TransferEncodingVerdict::kChunked : TransferEncodingVerdict::kNotImplemented;
}

bool IsValidHeaderName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (!IsTchar(c)) return false;
  }
  return true;
}

bool IsValidHeaderValue(std::string_view value) {
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

}  // namespace ap::http
