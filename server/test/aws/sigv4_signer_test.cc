// AWS's SigV4 test suite (38 cases, header signing): canonical request, string to sign, signature and the
// Authorization header compared byte for byte, with the clock pinned to the suite's timestamp.
//
// Cases that need more than "parse request.txt, sign, compare":
//  - get-header-value-multiline: request.txt folds My-Header1 over three lines (obs-fold); the reader joins the
//    continuation lines with '\n' and the signer folds every whitespace run, newlines included, to one space.
//  - get-header-key-duplicate / get-header-value-order: repeated headers are joined with ',' in request order.
//  - post-sts-header-before / post-sts-header-after: session credentials; "omit_session_token": true means the
//    token header is added after signing (SigningOptions::sign_session_token = false).
//  - *-normalized vs *-unnormalized: context.json's "normalize" maps to SigningOptions::normalize_path.
//  - post-x-www-form-urlencoded*: "sign_body" maps to SigningOptions::add_content_sha256.
//  - get-vanilla-query-order-encoded / get-vanilla-utf8-query: the query in request.txt is wire form; it is
//    decoded into HttpRequest::query and re-encoded, sorted by encoded name.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "aws/sigv4_signer.h"
#include "status_matchers.h"

namespace ap::aws {
namespace {

namespace fs = std::filesystem;

fs::path SuiteDir() {
  const char* root = std::getenv("AP_TEST_DATA");
  return fs::path(root != nullptr ? root : "server/test/data") / "aws-signing-test-suite" / "v4";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Parses the suite's request.txt format: request line, header lines (continuations start with whitespace), an
// empty line, the body.
HttpRequest ParseRequestFile(const std::string& text) {
  HttpRequest req;
  std::vector<std::string> lines;
  size_t pos = 0;
  size_t body_start = std::string::npos;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() && !lines.empty()) {
      body_start = nl == std::string::npos ? text.size() : nl + 1;
      break;
    }
    lines.push_back(line);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  const std::string& request_line = lines.at(0);
  size_t sp1 = request_line.find(' ');
  size_t sp2 = request_line.rfind(' ');
  req.method = request_line.substr(0, sp1);
  std::string target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::string query = target.substr(q + 1);
    size_t start = 0;
    while (start <= query.size() && !query.empty()) {
      size_t amp = query.find('&', start);
      std::string pair = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      size_t eq = pair.find('=');
      req.query.emplace_back(UriDecode(pair.substr(0, eq)),
                             eq == std::string::npos ? "" : UriDecode(pair.substr(eq + 1)));
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line[0] == ' ' || line[0] == '\t') {
      req.headers.back().second += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    req.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  if (body_start != std::string::npos && body_start < text.size()) req.body = text.substr(body_start);
  return req;
}

std::vector<std::string> AllCases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(SuiteDir())) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class SigV4Suite : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4Suite, MatchesPublishedVectors) {
  const fs::path dir = SuiteDir() / GetParam();
  boost::json::object ctx = boost::json::parse(ReadFile(dir / "context.json")).as_object();
  const auto& c = ctx.at("credentials").as_object();
  Credentials creds;
  creds.access_key_id = c.at("access_key_id").as_string().c_str();
  creds.secret_access_key = c.at("secret_access_key").as_string().c_str();
  if (c.contains("token")) creds.session_token = c.at("token").as_string().c_str();

  TimePoint ts;
  ASSERT_TRUE(ParseIso8601(ctx.at("timestamp").as_string().c_str(), &ts));
  FakeClock clock(ts);
  SigV4Signer signer(clock);

  SigningOptions options;
  options.normalize_path = ctx.at("normalize").as_bool();
  options.add_content_sha256 = ctx.contains("sign_body") && ctx.at("sign_body").as_bool();
  options.sign_session_token = !(ctx.contains("omit_session_token") && ctx.at("omit_session_token").as_bool());

  HttpRequest req = ParseRequestFile(ReadFile(dir / "request.txt"));
  SigningArtifacts art;
  ASSERT_OK(signer.Sign(&req, creds, ctx.at("region").as_string().c_str(), ctx.at("service").as_string().c_str(),
                        options, &art));

  EXPECT_EQ(art.canonical_request, ReadFile(dir / "header-canonical-request.txt"));
  EXPECT_EQ(art.string_to_sign, ReadFile(dir / "header-string-to-sign.txt"));
  EXPECT_EQ(art.signature, ReadFile(dir / "header-signature.txt"));

  // The signed request: every header of the expected one is present with the same value (order aside), and the
  // Authorization header is identical.
  HttpRequest expected = ParseRequestFile(ReadFile(dir / "header-signed-request.txt"));
  ASSERT_NE(expected.FindHeader("authorization"), nullptr);
  ASSERT_NE(req.FindHeader("authorization"), nullptr);
  EXPECT_EQ(*req.FindHeader("authorization"), *expected.FindHeader("authorization"));
  EXPECT_EQ(art.authorization, *expected.FindHeader("authorization"));
  std::multimap<std::string, std::string> want;
  std::multimap<std::string, std::string> got;
  for (const auto& [n, v] : expected.headers) want.emplace(ToLower(n), v);
  for (const auto& [n, v] : req.headers) got.emplace(ToLower(n), v);
  EXPECT_EQ(got, want);
  EXPECT_EQ(req.body, expected.body);
}

INSTANTIATE_TEST_SUITE_P(AwsSigningTestSuite, SigV4Suite, ::testing::ValuesIn(AllCases()), [](const auto& info) {
  std::string name = info.param;
  for (char& ch : name) {
    if (ch == '-') ch = '_';
  }
  return name;
});

TEST(SigV4Signer, SuiteHasAll38Cases) { EXPECT_EQ(AllCases().size(), 38u); }

TEST(SigV4Signer, SignsGetVanilla) {
  TimePoint ts;
  ASSERT_TRUE(ParseIso8601("2015-08-30T12:36:00Z", &ts));
  FakeClock clock(ts);
  SigV4Signer signer(clock);
  HttpRequest req;
  req.host = "example.amazonaws.com";
  SigningOptions options;
  options.add_content_sha256 = false;
  ASSERT_OK(signer.Sign(&req, {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}}, "us-east-1",
                        "service", options));
  EXPECT_EQ(
      *req.FindHeader("authorization"),
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4Signer, ResigningReplacesDateAndAuthorization) {
  FakeClock clock;
  SigV4Signer signer(clock);
  HttpRequest req;
  req.host = "127.0.0.1";
  req.port = 8080;
  req.scheme = "http";
  Credentials creds{"AKID", "secret", "token", {}};
  ASSERT_OK(signer.Sign(&req, creds, "us-east-1", "sts"));
  std::string first = *req.FindHeader("authorization");
  clock.Advance(std::chrono::seconds(5));
  ASSERT_OK(signer.Sign(&req, creds, "us-east-1", "sts"));
  EXPECT_NE(*req.FindHeader("authorization"), first);
  int auth = 0, date = 0, token = 0, host = 0;
  for (const auto& [n, v] : req.headers) {
    auth += EqualsIgnoreCase(n, "authorization");
    date += EqualsIgnoreCase(n, "x-amz-date");
    token += EqualsIgnoreCase(n, "x-amz-security-token");
    host += EqualsIgnoreCase(n, "host");
  }
  EXPECT_EQ(auth, 1);
  EXPECT_EQ(date, 1);
  EXPECT_EQ(token, 1);
  EXPECT_EQ(host, 1);
  EXPECT_EQ(*req.FindHeader("host"), "127.0.0.1:8080");
}

TEST(SigV4Signer, RejectsEmptyCredentialsAndBadScope) {
  FakeClock clock;
  SigV4Signer signer(clock);
  HttpRequest req;
  req.host = "h";
  EXPECT_EQ(signer.Sign(&req, {}, "us-east-1", "sts").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(signer.Sign(&req, {"a", "b", "", {}}, "us/east", "sts").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(signer.Sign(&req, {"a", "b", "", {}}, "us-east-1", "").code(), StatusCode::kInvalidArgument);
}

TEST(SigV4Signer, DoesNotSignUserAgent) {
  FakeClock clock;
  SigV4Signer signer(clock);
  HttpRequest req;
  req.host = "h";
  req.headers.emplace_back("User-Agent", "x/1");
  SigningArtifacts art;
  ASSERT_OK(signer.Sign(&req, {"a", "b", "", {}}, "us-east-1", "sts", {}, &art));
  EXPECT_EQ(art.authorization.find("user-agent"), std::string::npos);
  EXPECT_NE(art.authorization.find("SignedHeaders=host;x-amz-content-sha256;x-amz-date,"), std::string::npos);
}

TEST(SigV4Signer, CanonicalPathKeepsTrailingSlashAndEncodesTwice) {
  SigningOptions o;
  EXPECT_EQ(SigV4Signer::CanonicalPath("/a/b/../c/", o), "/a/c/");
  EXPECT_EQ(SigV4Signer::CanonicalPath("", o), "/");
  EXPECT_EQ(SigV4Signer::CanonicalPath("/a%20b", o), "/a%2520b");
  o.uri_encode_path = false;
  o.normalize_path = false;
  EXPECT_EQ(SigV4Signer::CanonicalPath("//a%20b", o), "//a%20b");
}

}  // namespace
}  // namespace ap::aws
