#include "aws_sim_process.h"

#include <unistd.h>

namespace ap::aws::testing {

Result<std::unique_ptr<AwsSimProcess>> AwsSimProcess::Start(const std::string& repo_root,
                                                            std::vector<std::string> args) {
  std::string script = repo_root + "/tools/aws-sim/server.mjs";
  if (::access(script.c_str(), R_OK) != 0) return FailedPrecondition("simulator not found at " + script);
  std::vector<std::string> argv = {"node", script, "--port", "0"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::unique_ptr<AwsSimProcess> sim(new AwsSimProcess());
  ASSIGN_OR_RETURN(sim->url_, sim->child_.Start(argv, "http://"));
  CurlTransportOptions o;
  o.total_timeout = std::chrono::seconds(30);
  ASSIGN_OR_RETURN(sim->http_, CurlTransport::Create(o));
  return sim;
}

Result<boost::json::value> AwsSimProcess::Control(const std::string& method, const std::string& path,
                                                  const std::string& body) {
  ASSIGN_OR_RETURN(ParsedUrl u, ParseUrl(url_));
  HttpRequest req;
  req.method = method;
  req.scheme = u.scheme;
  req.host = u.host;
  req.port = u.port;
  size_t q = path.find('?');
  req.path = path.substr(0, q);
  if (q != std::string::npos) {
    std::string query = path.substr(q + 1);
    size_t start = 0;
    while (start < query.size()) {
      size_t amp = query.find('&', start);
      std::string pair = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      size_t eq = pair.find('=');
      req.query.emplace_back(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
  }
  req.body = body;
  if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
  ASSIGN_OR_RETURN(HttpResponse resp, http_->Send(req));
  if (resp.status < 200 || resp.status >= 300) {
    return Internal("control API " + method + " " + path + " -> " + std::to_string(resp.status) + ": " + resp.body);
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(resp.body.empty() ? "{}" : resp.body, ec);
  if (ec) return Internal("control API returned non-JSON: " + resp.body.substr(0, 200));
  return v;
}

Result<Credentials> AwsSimProcess::SeededCredentials(int i) {
  ASSIGN_OR_RETURN(boost::json::value v, Control("GET", "/_sim/accounts/" + std::to_string(100000000000LL + i)));
  const auto& keys = v.at("access_keys").as_array();
  if (keys.empty()) return NotFound("no keys");
  Credentials c;
  c.access_key_id = keys[0].at("access_key_id").as_string().c_str();
  c.secret_access_key = keys[0].at("secret_access_key").as_string().c_str();
  return c;
}

}  // namespace ap::aws::testing
