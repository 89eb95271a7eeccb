#include "app/health_probe.h"

#include <charconv>
#include <chrono>
#include <string_view>

#include "aws/curl_transport.h"

namespace ap::app {
namespace {

// Splits "host:port" / "[v6]:port" into its parts (brackets dropped). False when there is no numeric port.
bool SplitHostPort(std::string_view authority, std::string* host, uint16_t* port) {
  size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos) return false;
  std::string_view h = authority.substr(0, colon);
  std::string_view p = authority.substr(colon + 1);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') {
    h = h.substr(1, h.size() - 2);
  } else if (h.find(':') != std::string_view::npos) {
    return false;  // an IPv6 literal needs brackets
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (p.empty() || ec != std::errc() || end != p.data() + p.size() || value > 65535) return false;
  *host = std::string(h);
  *port = static_cast<uint16_t>(value);
  return true;
}

}  // namespace

Result<std::string> HealthUrlForListen(const std::string& listen) {
  std::string host;
  uint16_t port = 0;
  if (!SplitHostPort(listen, &host, &port)) return InvalidArgument("expected host:port, got " + listen, "--listen");
  // A wildcard listener answers on loopback, which is also the one plain-http destination the transport allows.
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  std::string url = "http://";
  url.append(host.find(':') == std::string::npos ? host : "[" + host + "]");
  url.append(":").append(std::to_string(port)).append("/health");
  return url;
}

Status ProbeHealth(aws::Transport& transport, const std::string& url) {
  aws::HttpRequest request;
  std::string_view rest = url;
  if (rest.starts_with("http://")) {
    request.scheme = "http";
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    request.scheme = "https";
    rest.remove_prefix(8);
  } else {
    return InvalidArgument("expected an http:// or https:// URL, got " + url, "--url");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  request.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  bool bracketed = authority.size() >= 2 && authority.front() == '[' && authority.back() == ']';
  if (bracketed) {  // an IPv6 literal without a port: the scheme's default port
    request.host = std::string(authority.substr(1, authority.size() - 2));
  } else if (authority.find(':') == std::string_view::npos) {
    request.host = std::string(authority);
  } else if (!SplitHostPort(authority, &request.host, &request.port)) {
    return InvalidArgument("malformed host or port in " + url, "--url");
  }
  if (request.host.empty()) return InvalidArgument("no host in " + url, "--url");

  Result<aws::HttpResponse> response = transport.Send(request);
  if (!response.ok()) return response.status();  // the transport's message names the URL
  if (response->status != 200) {
    std::string message = "GET ";
    message.append(url).append(": HTTP ").append(std::to_string(response->status));
    return Unavailable(std::move(message));
  }
  return Status::Ok();
}

int HealthCommand(const std::string& url, const std::string& listen, std::ostream& out, std::ostream& err) {
  std::string target = url;
  if (target.empty()) {
    Result<std::string> derived = HealthUrlForListen(listen);
    if (!derived.ok()) {
      err << "unhealthy: " << derived.status().field() << ": " << derived.status().message() << '\n';
      return 1;
    }
    target = *derived;
  }
  aws::CurlTransportOptions options;
  options.connect_timeout = std::chrono::seconds(2);
  options.total_timeout = std::chrono::seconds(5);
  options.max_response_bytes = size_t{64} * 1024;
  options.reuse_connections = false;
  options.use_proxy = false;  // the probe talks to this host's own server
  options.user_agent = "account-platform-health";
  Result<std::unique_ptr<aws::CurlTransport>> transport = aws::CurlTransport::Create(options);
  Status s = transport.ok() ? ProbeHealth(**transport, target) : transport.status();
  if (!s.ok()) {
    err << "unhealthy: " << (s.field().empty() ? "" : s.field() + ": ") << s.message() << '\n';
    return 1;
  }
  out << "healthy: " << target << '\n';
  return 0;
}

}  // namespace ap::app
