#include "app/litellm_export_cli.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

namespace ap::app {
namespace {

// errno's text, thread-safe (std::strerror is not).
std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

// Writes one export of `request` to `path` (or `out`), through a temporary file renamed when whole.
Status WriteOne(service::GatewayExport& exporter, const service::RequestContext& ctx,
                const service::LitellmExportRequest& request, const std::string& path, std::ostream& out) {
  ASSIGN_OR_RETURN(service::LitellmExportPlan plan, exporter.Prepare(ctx, request));
  if (path.empty() || path == "-") {
    return exporter.Write(ctx, plan, [&out](std::string_view chunk) -> Status {
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      return out ? Status::Ok() : Unavailable("cannot write to standard output");
    });
  }
  const std::string tmp = path + ".tmp";
  // Secrets never sit in a world-readable file, not even for a moment.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, request.with_secrets ? 0600 : 0644);
  if (fd < 0) return Unavailable("cannot write " + tmp + ": " + ErrnoText(errno));
  Status s = exporter.Write(ctx, plan, [fd, &tmp](std::string_view chunk) -> Status {
    while (!chunk.empty()) {
      ssize_t n = ::write(fd, chunk.data(), chunk.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Unavailable("cannot write " + tmp + ": " + ErrnoText(errno));
      chunk.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  });
  if (s.ok() && ::fsync(fd) != 0) s = Unavailable("cannot write " + tmp + ": " + ErrnoText(errno));
  ::close(fd);
  if (s.ok() && std::rename(tmp.c_str(), path.c_str()) != 0)
    s = Unavailable("cannot rename " + tmp + " to " + path + ": " + ErrnoText(errno));
  if (!s.ok()) std::remove(tmp.c_str());
  return s;
}

}  // namespace

Status RunLitellmExport(service::GatewayExport& exporter, const service::RequestContext& ctx,
                        service::LitellmExportRequest request, const std::string& output, const std::string& env_output,
                        std::ostream& out) {
  request.format = service::LitellmFormat::kYaml;
  RETURN_IF_ERROR(WriteOne(exporter, ctx, request, output, out));
  if (env_output.empty()) return Status::Ok();
  request.format = service::LitellmFormat::kEnv;
  return WriteOne(exporter, ctx, request, env_output, out);
}

}  // namespace ap::app
