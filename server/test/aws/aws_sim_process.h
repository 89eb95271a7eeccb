// Runs the AWS simulator (tools/aws-sim/server.mjs) as a child process on a loopback ephemeral port for the
// integration tests, and talks to its unauthenticated control API (/_sim/*).
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "aws/curl_transport.h"
#include "aws/types.h"
#include "child_process.h"
#include "common/status.h"

namespace ap::aws::testing {

class AwsSimProcess {
 public:
  // Starts `node <repo>/tools/aws-sim/server.mjs --port 0 <args>` and waits (up to 20 s) for the URL line.
  static Result<std::unique_ptr<AwsSimProcess>> Start(const std::string& repo_root, std::vector<std::string> args);

  const std::string& url() const { return url_; }

  // Control API: JSON in, JSON out. Internal on transport errors or a non-2xx status.
  Result<boost::json::value> Control(const std::string& method, const std::string& path, const std::string& body = "");
  // The first access key of seeded account i (1-based).
  Result<Credentials> SeededCredentials(int i);

 private:
  AwsSimProcess() = default;
  ChildProcess child_;
  std::string url_;
  std::unique_ptr<CurlTransport> http_;
};

}  // namespace ap::aws::testing
