#include "aws/metadata_credentials_provider.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "aws/wire.h"

namespace ap::aws {
namespace {

constexpr const char* kContainerHosts[] = {"169.254.170.2", "169.254.170.23", "fd00:ec2::23"};
constexpr const char* kImdsHosts[] = {"169.254.169.254", "fd00:ec2::254"};

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

// A request for `url` + `extra_path` (extra_path starts with '/').
Result<HttpRequest> RequestFor(std::string_view url, std::string_view extra_path, std::string method) {
  ASSIGN_OR_RETURN(ParsedUrl parsed, ParseUrl(url));
  HttpRequest req;
  req.method = std::move(method);
  req.scheme = parsed.scheme;
  req.host = parsed.host;
  req.port = parsed.port;
  std::string base = parsed.path;
  while (!extra_path.empty() && !base.empty() && base.back() == '/') base.pop_back();
  req.path = base + std::string(extra_path);
  if (req.path.empty()) req.path = "/";
  if (!parsed.query.empty()) {
    // Keep the query as given (ECS relative URIs carry none, but a full URI might).
    size_t start = 0;
    while (start <= parsed.query.size()) {
      size_t amp = parsed.query.find('&', start);
      std::string pair = parsed.query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      size_t eq = pair.find('=');
      if (!pair.empty()) {
        req.query.emplace_back(UriDecode(pair.substr(0, eq)),
                               eq == std::string::npos ? "" : UriDecode(pair.substr(eq + 1)));
      }
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
  }
  return req;
}

Status Unexpected(std::string_view source, const HttpResponse& r) {
  return Unavailable(std::string(source) + " answered HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 200));
}

}  // namespace

CurlTransportOptions MetadataTransportOptions() {
  CurlTransportOptions o;
  o.connect_timeout = std::chrono::seconds(1);
  o.total_timeout = std::chrono::seconds(3);
  o.max_response_bytes = size_t{64} * 1024;
  o.use_proxy = false;
  o.max_idle_handles = 2;
  for (const char* h : kContainerHosts) o.plain_http_hosts.emplace_back(h);
  for (const char* h : kImdsHosts) o.plain_http_hosts.emplace_back(h);
  return o;
}

Result<Credentials> ParseMetadataCredentials(std::string_view body, std::string_view source) {
  Result<boost::json::object> obj = ParseJsonObject(body, source);
  if (!obj.ok()) return Unavailable(obj.status().message());
  std::string code = JsonStr(*obj, "Code");
  if (!code.empty() && code != "Success") {
    return Unavailable(std::string(source) + ": credentials not available (Code " + code + ": " +
                       JsonStr(*obj, "Message") + ")");
  }
  Credentials c;
  c.access_key_id = JsonStr(*obj, "AccessKeyId");
  c.secret_access_key = JsonStr(*obj, "SecretAccessKey");
  c.session_token = JsonStr(*obj, "Token");
  if (c.empty()) return Unavailable(std::string(source) + ": response has no AccessKeyId / SecretAccessKey");
  std::string expiration = JsonStr(*obj, "Expiration");
  if (!expiration.empty()) {
    TimePoint t;
    if (!ParseAwsTimestamp(expiration, &t)) {
      return Unavailable(std::string(source) + ": bad Expiration '" + expiration + "'");
    }
    c.expiration = t;
  }
  return c;
}

ContainerCredentialsProvider::ContainerCredentialsProvider(Transport& transport, const Environment& env,
                                                           std::string relative_base)
    : transport_(transport),
      relative_uri_(GetEnv(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")),
      full_uri_(GetEnv(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")),
      token_(GetEnv(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN")),
      token_file_(GetEnv(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")),
      relative_base_(std::move(relative_base)) {}

Result<Credentials> ContainerCredentialsProvider::Get() {
  constexpr std::string_view kSource = "container credentials endpoint";
  Result<HttpRequest> req = Unauthenticated("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI are not set");
  if (!relative_uri_.empty()) {
    if (relative_uri_.front() != '/') {
      return Unauthenticated("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with '/'");
    }
    req = RequestFor(relative_base_ + relative_uri_, "", "GET");
  } else if (!full_uri_.empty()) {
    req = RequestFor(full_uri_, "", "GET");
    if (req.ok() && req->scheme == "http" && !IsLoopbackHost(req->host)) {
      bool allowed = false;
      for (const char* h : kContainerHosts) allowed = allowed || req->host == h;
      if (!allowed) {
        return Unauthenticated(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI: plain http is only allowed to loopback or the "
            "container credentials hosts, not " +
            req->host);
      }
    }
  }
  if (!req.ok()) {
    return req.status().code() == StatusCode::kInvalidArgument ? Unauthenticated(req.status().message()) : req.status();
  }
  std::string token = token_;
  if (!token_file_.empty()) {
    std::ifstream in(token_file_, std::ios::binary);
    if (!in)
      return Internal("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + token_file_ + ": " +
                      std::generic_category().message(errno));
    std::stringstream ss;
    ss << in.rdbuf();
    token = Trim(ss.str());
  }
  if (token.find_first_of("\r\n") != std::string::npos) {
    return Unauthenticated("the container authorization token contains a line break");
  }
  if (!token.empty()) req->headers.emplace_back("Authorization", token);
  req->headers.emplace_back("Accept", "application/json");
  ASSIGN_OR_RETURN(HttpResponse resp, transport_.Send(*req));
  if (resp.status != 200) return Unexpected(kSource, resp);
  return ParseMetadataCredentials(resp.body, kSource);
}

InstanceProfileCredentialsProvider::InstanceProfileCredentialsProvider(Transport& transport, const Environment& env,
                                                                       ImdsOptions options)
    : transport_(transport),
      disabled_(EnvFlag(env, "AWS_EC2_METADATA_DISABLED")),
      v1_disabled_(EnvFlag(env, "AWS_EC2_METADATA_V1_DISABLED")),
      endpoint_(options.endpoint),
      options_(std::move(options)) {
  if (endpoint_.empty()) endpoint_ = GetEnv(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (endpoint_.empty()) endpoint_ = "http://169.254.169.254";
}

Result<Credentials> InstanceProfileCredentialsProvider::Get() {
  constexpr std::string_view kSource = "EC2 instance metadata";
  if (disabled_) return Unauthenticated("EC2 instance metadata is disabled (AWS_EC2_METADATA_DISABLED)");

  ASSIGN_OR_RETURN(HttpRequest token_req, RequestFor(endpoint_, "/latest/api/token", "PUT"));
  token_req.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", std::to_string(options_.token_ttl_seconds));
  ASSIGN_OR_RETURN(HttpResponse token_resp, transport_.Send(token_req));
  std::string token;
  if (token_resp.status == 200) {
    token = Trim(token_resp.body);
  } else if (token_resp.status == 403) {
    return Unauthenticated("EC2 instance metadata refused a session token (HTTP 403: IMDS disabled on the instance)");
  } else if ((token_resp.status == 404 || token_resp.status == 405) && !v1_disabled_) {
    // IMDSv1-only endpoint: continue without a token.
  } else {
    return Unexpected(kSource, token_resp);
  }

  auto get = [&](std::string_view path) -> Result<HttpResponse> {
    ASSIGN_OR_RETURN(HttpRequest req, RequestFor(endpoint_, path, "GET"));
    if (!token.empty()) req.headers.emplace_back("X-aws-ec2-metadata-token", token);
    return transport_.Send(req);
  };
  constexpr std::string_view kCredsPath = "/latest/meta-data/iam/security-credentials/";
  ASSIGN_OR_RETURN(HttpResponse roles, get(kCredsPath));
  if (roles.status == 404) return Unauthenticated("no IAM role is attached to this EC2 instance");
  if (roles.status != 200) return Unexpected(kSource, roles);
  std::string role = Trim(roles.body.substr(0, roles.body.find('\n')));
  if (role.empty() || role.find_first_of("/?#% ") != std::string::npos) {
    return Unavailable("EC2 instance metadata: bad role name '" + role + "'");
  }
  ASSIGN_OR_RETURN(HttpResponse creds, get(std::string(kCredsPath) + role));
  if (creds.status != 200) return Unexpected(kSource, creds);
  return ParseMetadataCredentials(creds.body, kSource);
}

}  // namespace ap::aws
