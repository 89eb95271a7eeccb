// Fuzz target: SigV4 canonicalisation and signing (aws/sigv4_signer.*) and the URL helpers it relies on
// (aws/http_request.*).
//
// The input is a request in the format of AWS's signing test suite (request.txt: request line, header lines with
// obs-fold continuations, an empty line, the body), so the suite's 38 requests are the seed corpus. The query in
// the request line is wire form; it is decoded into HttpRequest::query as the suite test does. The request is
// signed with long-term and session credentials under both option sets (services / S3-style), at a pinned time.
//
// Checked beyond "no crash, no sanitizer report": signing succeeds, the signature is 64 lower-case hex digits and
// the same request signs identically twice; UriDecode(UriEncode(x)) == x for the path, query names and values.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http_request.h"
#include "aws/sigv4_signer.h"
#include "common/clock.h"
#include "fuzz_check.h"

namespace {

using namespace ap::aws;  // NOLINT: a fuzz target over one module

using ap::fuzz::Check;

// The suite's request.txt reader (test/aws/sigv4_signer_test.cc), tolerant of anything: false when there is no
// request line with two spaces.
bool ParseRequestText(std::string_view text, HttpRequest* req) {
  std::vector<std::string> lines;
  size_t pos = 0;
  size_t body_start = std::string_view::npos;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line(text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() && !lines.empty()) {
      body_start = nl == std::string_view::npos ? text.size() : nl + 1;
      break;
    }
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  if (lines.empty()) return false;
  const std::string& request_line = lines[0];
  size_t sp1 = request_line.find(' ');
  size_t sp2 = request_line.rfind(' ');
  if (sp1 == std::string::npos || sp2 <= sp1) return false;
  req->method = request_line.substr(0, sp1);
  std::string target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t q = target.find('?');
  req->path = target.substr(0, q);
  if (q != std::string::npos) {
    std::string_view query = std::string_view(target).substr(q + 1);
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      size_t eq = pair.find('=');
      req->query.emplace_back(UriDecode(pair.substr(0, eq)),
                              eq == std::string_view::npos ? "" : UriDecode(pair.substr(eq + 1)));
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if ((line[0] == ' ' || line[0] == '\t') && !req->headers.empty()) {
      req->headers.back().second += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    req->headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  if (body_start < text.size()) req->body = std::string(text.substr(body_start));
  return true;
}

bool IsLowerHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void CheckRoundTrip(std::string_view s) {
  Check(UriDecode(UriEncode(s)) == s, "UriDecode(UriEncode(x)) != x");
  Check(UriDecode(UriEncode(s, /*keep_slash=*/true)) == s, "UriDecode(UriEncode(x, keep_slash)) != x");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  HttpRequest base;
  base.host = "example.amazonaws.com";
  if (!ParseRequestText(text, &base)) return 0;

  CheckRoundTrip(base.path);
  for (const auto& [k, v] : base.query) {
    CheckRoundTrip(k);
    CheckRoundTrip(v);
  }
  (void)base.Url();
  (void)ParseUrl(base.path);
  (void)ParseUrl("https://" + base.path);

  ap::TimePoint t;
  if (!ap::ParseIso8601("2015-08-30T12:36:00Z", &t)) abort();
  ap::FakeClock clock(t);
  SigV4Signer signer(clock);
  const Credentials long_term{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}};
  const Credentials session{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "IQoJb3JpZ2luX2Vj/token=", {}};
  SigningOptions s3_style;
  s3_style.normalize_path = false;
  s3_style.uri_encode_path = false;
  s3_style.add_content_sha256 = false;
  s3_style.sign_session_token = false;

  for (const Credentials* creds : {&long_term, &session}) {
    for (const SigningOptions& options : {SigningOptions{}, s3_style}) {
      std::string signed_headers;
      (void)SigV4Signer::CanonicalRequest(base, options, &signed_headers);
      (void)SigV4Signer::CanonicalPath(base.path, options);
      (void)SigV4Signer::CanonicalQuery(base.query);
      HttpRequest a = base;
      HttpRequest b = base;
      SigningArtifacts art_a;
      SigningArtifacts art_b;
      Check(signer.Sign(&a, *creds, "us-east-1", "service", options, &art_a).ok(), "signing failed");
      Check(signer.Sign(&b, *creds, "us-east-1", "service", options, &art_b).ok(), "signing failed");
      Check(IsLowerHex64(art_a.signature), "the signature is not 64 lower-case hex digits");
      Check(art_a.signature == art_b.signature && art_a.canonical_request == art_b.canonical_request,
            "the same request signed twice gave different signatures");
      Check(a.FindHeader("authorization") != nullptr, "no Authorization header after signing");
      // Signing again (a retry) replaces the earlier signature.
      Check(signer.Sign(&a, *creds, "us-east-1", "service", options).ok(), "re-signing failed");
    }
  }
  return 0;
}
