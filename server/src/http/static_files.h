// Static file serving for the single-page web app (web/dist): safe path resolution, content types, cache policy,
// SPA fallback to index.html and precompressed .br/.gz siblings. Decides *what* to send; the Beast session sends it.
// Private to http/.
//
// Thread safety: StaticFiles is immutable after Open(); Resolve() is safe from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::http {

// The Content-Type for a file name, by its (case-insensitive) extension: html, js, mjs, css, json, svg, png, jpg,
// jpeg, gif, webp, ico, woff2, woff, txt, map, webmanifest, wasm. Anything else is application/octet-stream, which
// together with "X-Content-Type-Options: nosniff" keeps browsers from executing an unknown file.
std::string_view ContentTypeFor(std::string_view file_name);

// Splits a percent-decoded URL path into segments that are safe to join under a root directory. Returns false
// (serve nothing) when the path does not start with '/', or has a ".." segment, a NUL byte or a backslash. "." and
// empty segments are dropped. The segments point into `path`.
bool SanitizePath(std::string_view path, std::vector<std::string_view>* segments);

// The browsable API docs (Swagger UI, built by the web app into <web-root>/api-docs/): "/api/docs", "/api/docs/"
// and "/api/docs/<file>" are static files, served before the application sees /api/ paths.
inline constexpr std::string_view kApiDocsPath = "/api/docs";
inline constexpr std::string_view kApiDocsDir = "/api-docs";
// True for kApiDocsPath and every path under it.
bool IsApiDocsPath(std::string_view path);

// The outcome of resolving one request against the web root.
struct StaticFile {
  enum class Kind {
    kFile,              // send `file` (200)
    kNotModified,       // the client's If-None-Match matches: 304 with etag and cache_control
    kNotFound,          // 404
    kMethodNotAllowed,  // 405: only GET and HEAD are served
  };
  Kind kind = Kind::kNotFound;
  std::filesystem::path file;      // canonical path of the file to send (the .br/.gz sibling when encoded)
  uint64_t size = 0;               // size of `file` in bytes
  std::string_view content_type;   // of the requested resource (not of the .br/.gz)
  std::string_view cache_control;  // "public, max-age=31536000, immutable" under /assets/, else "no-cache"
  // "br" or "gzip" when `file` is a precompressed sibling (send it as Content-Encoding), empty for the file itself.
  std::string_view content_encoding;
  std::string etag;  // weak validator from size and mtime, e.g. W/"1a2b-5f3e..."; "-br"/"-gz" before the quote
};

class StaticFiles {
 public:
  // Returns a StaticFiles serving `root`. InvalidArgument (field "web_root") when `root` is not an existing
  // directory. The root is canonicalised once here, so later symlink checks compare against the real path.
  static Result<StaticFiles> Open(const std::string& root);

  // Resolves a request for the percent-decoded URL `path`:
  //  - a method other than GET/HEAD → kMethodNotAllowed;
  //  - an unsafe path (see SanitizePath), or one whose real path (symlinks resolved) leaves the root → kNotFound;
  //  - an existing regular file → kFile;
  //  - a missing path under /assets/ → kNotFound (a stale hashed asset must fail loudly, not load HTML as JS);
  //  - an API docs path (IsApiDocsPath): "/api/docs" and "/api/docs/" → <root>/api-docs/index.html, and
  //    "/api/docs/<file>" → <root>/api-docs/<file>; a missing file or a directory is kNotFound (no SPA fallback);
  //  - any other missing path or a directory → index.html (the SPA's client-side routes), or kNotFound when the
  //    root has no index.html.
  // A kFile or kNotModified whose file has a precompressed sibling "<file>.br" (preferred) or "<file>.gz" that the
  // client accepts (Accept-Encoding) is answered with the sibling and content_encoding set; the response varies by
  // Accept-Encoding. The build (web/vite.config.ts) writes the siblings next to the files they compress.
  // `accept_encoding` and `if_none_match` are the raw request header values (may be empty).
  StaticFile Resolve(std::string_view method, std::string_view path, std::string_view accept_encoding,
                     std::string_view if_none_match) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}
  bool IsUnderRoot(const std::filesystem::path& canonical) const;
  // Fills `out` for the regular file `file` (canonical); false when it is not a regular file inside the root.
  bool Describe(const std::filesystem::path& file, StaticFile* out) const;

  std::filesystem::path root_;
};

// True when an If-None-Match header value lists `etag` (weak comparison) or is "*".
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

}  // namespace ap::http
