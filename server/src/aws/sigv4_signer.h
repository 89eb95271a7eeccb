// AWS Signature Version 4, header-based (the Authorization header), for every service we call.
//
// Follows "Create a signed AWS API request" and AWS's signing test suite (server/test/data/aws-signing-test-suite,
// all 38 cases pass byte for byte): canonical request → string to sign → signature with a signing key derived
// from (secret, date, region, service). Presigned URLs (query-string signing), SigV4a and chunked payloads are not
// implemented (we do not use them).
//
// Thread safety: Sign() is safe from many threads at once (the signing-key cache takes a mutex).
// Ownership: keeps a reference to the Clock, which must outlive the signer.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "aws/digest.h"
#include "aws/http_request.h"
#include "aws/types.h"
#include "common/clock.h"
#include "common/mutex.h"
#include "common/status.h"

namespace ap::aws {

struct SigningOptions {
  // Remove dot segments and merge repeated slashes in the path before encoding it (every service but S3).
  // Default true.
  bool normalize_path = true;
  // URI-encode the (wire-form) path again for the canonical request, as AWS requires for every service but S3
  // ("double encoding"). Default true.
  bool uri_encode_path = true;
  // Add `x-amz-content-sha256: <hex SHA-256 of the body>` and sign it. Default true (the simulator and S3-style
  // services check it; others ignore it).
  bool add_content_sha256 = true;
  // Sign X-Amz-Security-Token with the other headers (the norm). When false the token header is added after the
  // signature is computed and is left out of SignedHeaders — the legacy behaviour a few services (IoT) expect,
  // and the suite's post-sts-header-after case. Default true.
  bool sign_session_token = true;
};

// The intermediate results, for tests and debugging. Contains no secret (the signature is public).
struct SigningArtifacts {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // lower-case hex
  std::string authorization;  // the Authorization header value
};

class SigV4Signer {
 public:
  explicit SigV4Signer(const Clock& clock, size_t key_cache_capacity = 1024);

  SigV4Signer(const SigV4Signer&) = delete;
  SigV4Signer& operator=(const SigV4Signer&) = delete;

  // Signs *request in place at the clock's current time. Adds Host (from host/port, when the request has none),
  // X-Amz-Date, X-Amz-Security-Token (when creds.session_token is set), x-amz-content-sha256 (per options) and
  // Authorization; replaces any earlier Authorization, X-Amz-Date and X-Amz-Security-Token, so a request may be
  // signed again for a retry. Every other header present is signed except hop-by-hop and proxy-mutable ones
  // (user-agent, expect, connection, x-amzn-trace-id, …).
  // Returns OK and fills *artifacts (when not null); InvalidArgument if the credentials are empty or region or
  // service is empty or contains '/'.
  Status Sign(HttpRequest* request, const Credentials& creds, std::string_view region, std::string_view service,
              const SigningOptions& options = {}, SigningArtifacts* artifacts = nullptr) const;

  // The pieces, exposed for tests. `amz_date` is "YYYYMMDDTHHMMSSZ". CanonicalRequest uses the request's headers
  // as they are (call it after the X-Amz-* headers are in place); *signed_headers gets "host;x-amz-date;…".
  static std::string CanonicalRequest(const HttpRequest& request, const SigningOptions& options,
                                      std::string* signed_headers);
  static std::string CanonicalPath(std::string_view path, const SigningOptions& options);
  static std::string CanonicalQuery(const QueryParams& query);
  static std::string FormatAmzDate(TimePoint t);

 private:
  Sha256Digest SigningKey(const std::string& secret, const std::string& date, std::string_view region,
                          std::string_view service) const;

  const Clock& clock_;
  const size_t key_cache_capacity_;
  mutable Mutex mu_;
  // "date\0region\0service\0secret" → kSigning. Keys are valid for one UTC day; the cache is emptied when it is
  // full, which on a day change drops the stale ones too.
  mutable std::unordered_map<std::string, Sha256Digest> key_cache_ GUARDED_BY(mu_);
};

}  // namespace ap::aws
