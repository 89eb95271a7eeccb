#include "http/static_files.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <system_error>
#include <utility>

#include "http/request_util.h"

namespace ap::http {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kNoCache = "no-cache";
constexpr std::string_view kAssetsPrefix = "/assets/";

// Precompressed siblings, in order of preference.
struct Encoding {
  std::string_view coding;    // Content-Encoding token
  std::string_view suffix;    // file name suffix of the sibling
  std::string_view etag_tag;  // appended to the sibling's etag
};
constexpr std::array<Encoding, 2> kEncodings{{{"br", ".br", "-br"}, {"gzip", ".gz", "-gz"}}};

struct TypeEntry {
  std::string_view ext;
  std::string_view type;
};
constexpr std::array<TypeEntry, 18> kTypes{{
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"txt", "text/plain; charset=utf-8"},
    {"wasm", "application/wasm"},
}};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

std::string_view StripWeak(std::string_view tag) {
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view file_name) {
  size_t slash = file_name.find_last_of('/');
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string_view ext = file_name.substr(dot + 1);
  for (const TypeEntry& e : kTypes) {
    if (EqualsIgnoreCase(e.ext, ext)) return e.type;
  }
  return "application/octet-stream";
}

bool IsApiDocsPath(std::string_view path) {
  if (!path.starts_with(kApiDocsPath)) return false;
  return path.size() == kApiDocsPath.size() || path[kApiDocsPath.size()] == '/';
}

bool SanitizePath(std::string_view path, std::vector<std::string_view>* segments) {
  segments->clear();
  if (path.empty() || path.front() != '/') return false;
  // Checked on the whole decoded path, before splitting: "%2e%2e%2f" decodes to "../" and must be caught here,
  // and a backslash is a separator on some file systems (and in some proxies' eyes).
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) return false;
  std::string_view rest = path.substr(1);
  while (true) {
    size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    if (seg == "..") return false;
    if (!seg.empty() && seg != ".") segments->push_back(seg);
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return true;
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  std::string_view rest = if_none_match;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view tag = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag == "*") return true;
    if (!tag.empty() && StripWeak(tag) == StripWeak(etag)) return true;
  }
  return false;
}

Result<StaticFiles> StaticFiles::Open(const std::string& root) {
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (ec || !fs::is_directory(canonical, ec)) {
    return InvalidArgument("web_root \"" + root + "\" is not a readable directory", "web_root");
  }
  return StaticFiles(std::move(canonical));
}

bool StaticFiles::IsUnderRoot(const fs::path& canonical) const {
  // Component-wise, so that a sibling "/srv/www-old" is not "under" "/srv/www".
  auto [root_end, unused] = std::mismatch(root_.begin(), root_.end(), canonical.begin(), canonical.end());
  return root_end == root_.end();
}

bool StaticFiles::Describe(const fs::path& file, StaticFile* out) const {
  std::error_code ec;
  fs::file_status st = fs::status(file, ec);
  if (ec || !fs::is_regular_file(st)) return false;
  uint64_t size = fs::file_size(file, ec);
  if (ec) return false;
  auto mtime = fs::last_write_time(file, ec);
  if (ec) return false;
  out->file = file;
  out->size = size;
  char buf[64];
  std::snprintf(buf, sizeof buf, "W/\"%llx-%llx\"", static_cast<unsigned long long>(size),
                static_cast<unsigned long long>(mtime.time_since_epoch().count()));
  out->etag = buf;
  return true;
}

StaticFile StaticFiles::Resolve(std::string_view method, std::string_view path, std::string_view accept_encoding,
                                std::string_view if_none_match) const {
  StaticFile out;
  if (method != "GET" && method != "HEAD") {
    out.kind = StaticFile::Kind::kMethodNotAllowed;
    return out;
  }
  // /api/docs[/<file>] is <root>/api-docs/[<file>], the page itself for the bare path; the mapped path is
  // sanitised like any other.
  bool api_docs = IsApiDocsPath(path);
  std::string docs_path;
  if (api_docs) {
    std::string_view rest = path.substr(kApiDocsPath.size());
    docs_path = std::string(kApiDocsDir) + (rest.empty() || rest == "/" ? "/index.html" : std::string(rest));
    path = docs_path;
  }
  std::vector<std::string_view> segments;
  if (!SanitizePath(path, &segments)) return out;  // kNotFound

  fs::path candidate = root_;
  for (std::string_view seg : segments) candidate /= seg;
  std::error_code ec;
  // weakly_canonical resolves every symlink that exists, so a link pointing out of the root is caught below.
  fs::path real = fs::weakly_canonical(candidate, ec);
  if (ec || !IsUnderRoot(real)) return out;

  bool under_assets = path.starts_with(kAssetsPrefix);
  fs::file_status st = fs::status(real, ec);
  fs::path file;
  std::string_view cache_control;
  if (!ec && fs::is_regular_file(st)) {
    file = std::move(real);
    cache_control = under_assets ? kImmutable : kNoCache;
  } else if (!api_docs && (fs::is_directory(st) || (!under_assets && !fs::exists(st)))) {
    file = fs::weakly_canonical(root_ / "index.html", ec);
    if (ec || !IsUnderRoot(file)) return out;
    cache_control = kNoCache;
  } else {
    return out;  // missing asset, or a socket/fifo/device
  }

  if (!Describe(file, &out)) return StaticFile{};
  out.content_type = ContentTypeFor(file.filename().native());
  out.cache_control = cache_control;

  // Brotli first (smaller), then gzip; the first sibling that exists and is accepted wins.
  for (const Encoding& enc : kEncodings) {
    if (!AcceptsCoding(accept_encoding, enc.coding)) continue;
    fs::path sibling = file;
    sibling += enc.suffix;
    fs::path sibling_real = fs::weakly_canonical(sibling, ec);
    StaticFile compressed;
    if (ec || !IsUnderRoot(sibling_real) || !Describe(sibling_real, &compressed)) continue;
    out.file = std::move(compressed.file);
    out.size = compressed.size;
    // Each representation needs its own validator: a cache must not answer a client without br/gzip support with
    // a 304 for the compressed bytes.
    out.etag = compressed.etag.substr(0, compressed.etag.size() - 1) + std::string(enc.etag_tag) + "\"";
    out.content_encoding = enc.coding;
    break;
  }
  if (!if_none_match.empty() && EtagMatches(if_none_match, out.etag))
    out.kind = StaticFile::Kind::kNotModified;
  else
    out.kind = StaticFile::Kind::kFile;
  return out;
}

}  // namespace ap::http
