// A child process for integration tests (the AWS simulator, openssl s_server): started with stdout on a pipe; the
// caller waits, with a deadline, for the stdout line that announces where it listens. Terminated on destruction,
// and, when started from the main thread, sent SIGTERM by the kernel if the test process dies without
// destructing it (PR_SET_PDEATHSIG), so a crashed or timed-out test binary leaves no child running.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/status.h"

namespace ap::aws::testing {

class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();  // SIGTERM, then SIGKILL after 5 s

  // Starts argv[0] (searched in PATH) with stdout piped and stderr to /dev/null (inherited when AP_TEST_CHILD_LOG
  // is set). Returns the first stdout line that starts with `line_prefix`, or DeadlineExceeded / Internal.
  Result<std::string> Start(const std::vector<std::string>& argv, const std::string& line_prefix,
                            std::chrono::milliseconds timeout = std::chrono::seconds(20));

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
};

}  // namespace ap::aws::testing
