#include "http/static_files.h"
#include "status_matchers.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace ap::http {
namespace {
namespace fs = std::filesystem;

using Kind = StaticFile::Kind;

TEST(ContentTypeFor, KnowsTheWebAppTypes) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/assets/index-3f2a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("worker.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("a.PNG"), "image/png");
  EXPECT_EQ(ContentTypeFor("favicon.ico"), "image/x-icon");
  EXPECT_EQ(ContentTypeFor("f.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("f.woff"), "font/woff");
  EXPECT_EQ(ContentTypeFor("robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.js.map"), "application/json");
  EXPECT_EQ(ContentTypeFor("manifest.webmanifest"), "application/manifest+json");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("a.exe"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("dir.js/README"), "application/octet-stream");
}

TEST(SanitizePath, SplitsSafePaths) {
  std::vector<std::string_view> segs;
  ASSERT_TRUE(SanitizePath("/", &segs));
  EXPECT_TRUE(segs.empty());
  ASSERT_TRUE(SanitizePath("/assets//./app.js", &segs));
  EXPECT_EQ(segs, (std::vector<std::string_view>{"assets", "app.js"}));
  ASSERT_TRUE(SanitizePath("/a..b/..c/d..", &segs));
  EXPECT_EQ(segs.size(), 3u);
}

TEST(SanitizePath, RejectsTraversalNulAndBackslash) {
  std::vector<std::string_view> segs;
  EXPECT_FALSE(SanitizePath("/../etc/passwd", &segs));
  EXPECT_FALSE(SanitizePath("/assets/../../x", &segs));
  EXPECT_FALSE(SanitizePath("/a/..", &segs));
  EXPECT_FALSE(SanitizePath("/a\\..\\b", &segs));
  EXPECT_FALSE(SanitizePath(std::string_view("/a\0b", 4), &segs));
  EXPECT_FALSE(SanitizePath("relative", &segs));
  EXPECT_FALSE(SanitizePath("", &segs));
}

TEST(EtagMatches, ComparesWeaklyAndHandlesLists) {
  EXPECT_TRUE(EtagMatches("W/\"1-2\"", "W/\"1-2\""));
  EXPECT_TRUE(EtagMatches("\"1-2\"", "W/\"1-2\""));
  EXPECT_TRUE(EtagMatches("\"x\", W/\"1-2\"", "W/\"1-2\""));
  EXPECT_TRUE(EtagMatches("*", "W/\"1-2\""));
  EXPECT_FALSE(EtagMatches("W/\"1-3\"", "W/\"1-2\""));
  EXPECT_FALSE(EtagMatches("", "W/\"1-2\""));
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ap_static_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    root_ = base_ / "www";
    fs::create_directories(root_ / "assets");
    fs::create_directories(root_ / "docs");
    Write(root_ / "index.html", "<html>app</html>");
    Write(root_ / "assets" / "app-1234.js", "console.log(1)");
    Write(root_ / "assets" / "app-1234.js.gz", "GZ");
    Write(root_ / "robots.txt", "User-agent: *");
    Write(base_ / "secret.txt", "secret");
    fs::create_symlink(base_ / "secret.txt", root_ / "link.txt");
    fs::create_symlink(base_, root_ / "escape");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Write(const fs::path& p, const std::string& content) { std::ofstream(p) << content; }

  StaticFiles Open() {
    auto files = StaticFiles::Open(root_.string());
    EXPECT_OK(files);
    return std::move(files).value();
  }

  fs::path base_, root_;
};

TEST_F(StaticFilesTest, OpenRejectsMissingRoot) {
  auto files = StaticFiles::Open((base_ / "nope").string());
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(files.status().field(), "web_root");
  EXPECT_FALSE(StaticFiles::Open((root_ / "index.html").string()).ok());
}

TEST_F(StaticFilesTest, ServesFilesWithTypeAndCachePolicy) {
  StaticFiles files = Open();
  StaticFile f = files.Resolve("GET", "/assets/app-1234.js", "", "");
  ASSERT_EQ(f.kind, Kind::kFile);
  EXPECT_EQ(f.file, fs::canonical(root_ / "assets" / "app-1234.js"));
  EXPECT_EQ(f.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(f.cache_control, "public, max-age=31536000, immutable");
  EXPECT_EQ(f.size, 14u);
  EXPECT_EQ(f.content_encoding, "");
  EXPECT_TRUE(f.etag.starts_with("W/\""));

  f = files.Resolve("HEAD", "/robots.txt", "", "");
  ASSERT_EQ(f.kind, Kind::kFile);
  EXPECT_EQ(f.cache_control, "no-cache");
  EXPECT_EQ(f.content_type, "text/plain; charset=utf-8");
}

TEST_F(StaticFilesTest, FallsBackToIndexForAppRoutesAndDirectories) {
  StaticFiles files = Open();
  for (const char* path : {"/", "/accounts/42", "/docs", "/docs/", "/assets", "/assets/"}) {
    StaticFile f = files.Resolve("GET", path, "", "");
    ASSERT_EQ(f.kind, Kind::kFile) << path;
    EXPECT_EQ(f.file.filename(), "index.html") << path;
    EXPECT_EQ(f.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(f.cache_control, "no-cache");
  }
}

TEST_F(StaticFilesTest, MissingAssetIsNotFound) {
  StaticFiles files = Open();
  EXPECT_EQ(files.Resolve("GET", "/assets/missing.js", "", "").kind, Kind::kNotFound);
  EXPECT_EQ(files.Resolve("GET", "/assets/sub/missing.css", "", "").kind, Kind::kNotFound);
}

TEST_F(StaticFilesTest, NeverLeavesTheRoot) {
  StaticFiles files = Open();
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/..", "/link.txt", "/escape/secret.txt",
                           "/escape", "/a\\..\\..\\secret.txt"}) {
    StaticFile f = files.Resolve("GET", path, "", "");
    EXPECT_EQ(f.kind, Kind::kNotFound) << path;
  }
}

TEST_F(StaticFilesTest, OnlyGetAndHead) {
  StaticFiles files = Open();
  for (const char* m : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    EXPECT_EQ(files.Resolve(m, "/index.html", "", "").kind, Kind::kMethodNotAllowed) << m;
  }
}

TEST_F(StaticFilesTest, ServesGzipSiblingWhenAccepted) {
  StaticFiles files = Open();
  StaticFile plain = files.Resolve("GET", "/assets/app-1234.js", "br", "");
  StaticFile gz = files.Resolve("GET", "/assets/app-1234.js", "gzip, br", "");
  ASSERT_EQ(gz.kind, Kind::kFile);
  EXPECT_EQ(gz.content_encoding, "gzip");
  EXPECT_EQ(gz.file.filename(), "app-1234.js.gz");
  EXPECT_EQ(gz.size, 2u);
  EXPECT_EQ(gz.content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(gz.etag, plain.etag);
  // No sibling: the plain file, whatever the client accepts.
  StaticFile index = files.Resolve("GET", "/", "gzip", "");
  EXPECT_EQ(index.content_encoding, "");
}

TEST_F(StaticFilesTest, PrefersBrotliSiblingAndKeepsRepresentationsApart) {
  Write(root_ / "assets" / "app-1234.js.br", "B");
  Write(root_ / "index.html.br", "IB");
  StaticFiles files = Open();
  StaticFile plain = files.Resolve("GET", "/assets/app-1234.js", "", "");
  StaticFile gz = files.Resolve("GET", "/assets/app-1234.js", "gzip", "");
  StaticFile br = files.Resolve("GET", "/assets/app-1234.js", "gzip, deflate, br, zstd", "");
  ASSERT_EQ(br.kind, Kind::kFile);
  EXPECT_EQ(br.content_encoding, "br");
  EXPECT_EQ(br.file.filename(), "app-1234.js.br");
  EXPECT_EQ(br.size, 1u);
  EXPECT_EQ(br.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(br.cache_control, "public, max-age=31536000, immutable");
  EXPECT_TRUE(br.etag.ends_with("-br\""));
  EXPECT_EQ(gz.content_encoding, "gzip");
  // Three representations, three validators: a 304 is only for the bytes the client holds.
  EXPECT_NE(br.etag, gz.etag);
  EXPECT_NE(br.etag, plain.etag);
  EXPECT_EQ(files.Resolve("GET", "/assets/app-1234.js", "br", br.etag).kind, Kind::kNotModified);
  EXPECT_EQ(files.Resolve("GET", "/assets/app-1234.js", "gzip", br.etag).kind, Kind::kFile);
  EXPECT_EQ(files.Resolve("GET", "/assets/app-1234.js", "", br.etag).kind, Kind::kFile);
  // br refused with q=0 falls back to gzip; "*" admits br.
  EXPECT_EQ(files.Resolve("GET", "/assets/app-1234.js", "br;q=0, gzip", "").content_encoding, "gzip");
  EXPECT_EQ(files.Resolve("GET", "/assets/app-1234.js", "*", "").content_encoding, "br");
  // The SPA fallback serves the compressed index.html for app routes, still as HTML.
  StaticFile route = files.Resolve("GET", "/accounts/42", "br", "");
  ASSERT_EQ(route.kind, Kind::kFile);
  EXPECT_EQ(route.file.filename(), "index.html.br");
  EXPECT_EQ(route.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(route.cache_control, "no-cache");
}

TEST_F(StaticFilesTest, ConditionalGetAnswersNotModified) {
  StaticFiles files = Open();
  StaticFile f = files.Resolve("GET", "/index.html", "", "");
  ASSERT_EQ(f.kind, Kind::kFile);
  StaticFile again = files.Resolve("GET", "/index.html", "", f.etag);
  EXPECT_EQ(again.kind, Kind::kNotModified);
  EXPECT_EQ(again.etag, f.etag);
  EXPECT_EQ(files.Resolve("GET", "/index.html", "", "W/\"other\"").kind, Kind::kFile);
}

}  // namespace
}  // namespace ap::http
