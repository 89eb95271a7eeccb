#include "child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

namespace ap::aws::testing {

Result<std::string> ChildProcess::Start(const std::vector<std::string>& argv, const std::string& line_prefix,
                                        std::chrono::milliseconds timeout) {
  int out[2];
  if (::pipe(out) != 0) return Internal("pipe failed");
  // PR_SET_PDEATHSIG fires when the forking *thread* exits, so it is only safe from the main thread, whose exit is
  // the process's.
  const pid_t parent = ::getpid();
  const bool main_thread = ::gettid() == parent;
  pid_t pid = ::fork();
  if (pid < 0) return Internal("fork failed");
  if (pid == 0) {
    // A test binary that dies (crash, ctest timeout) takes its simulator with it instead of leaving it running.
    if (main_thread && (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || ::getppid() != parent)) std::_Exit(127);
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    if (std::getenv("AP_TEST_CHILD_LOG") == nullptr) {
      int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, STDERR_FILENO);
    }
    std::vector<std::string> copy = argv;
    std::vector<char*> args;
    for (auto& a : copy) args.push_back(a.data());
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::_Exit(127);
  }
  ::close(out[1]);
  pid_ = pid;
  stdout_fd_ = out[0];
  std::string buffer;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (line.starts_with(line_prefix)) return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return DeadlineExceeded(argv[0] + " did not print a line starting with '" + line_prefix + "'");
    pollfd p{stdout_fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[512];
    ssize_t n = ::read(stdout_fd_, buf, sizeof(buf));
    if (n <= 0) return Internal(argv[0] + " exited before printing '" + line_prefix + "'");
    buffer.append(buf, static_cast<size_t>(n));
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      ::poll(nullptr, 0, 10);  // re-check the child's exit every 10 ms until the deadline
    }
  }
  // Kept open until the end so that a child writing more to stdout never gets SIGPIPE.
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

}  // namespace ap::aws::testing
