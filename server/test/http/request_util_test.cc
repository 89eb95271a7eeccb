#include "http/request_util.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

namespace ap::http {
namespace {

TEST(IsValidRequestId, AcceptsTheAllowedAlphabetUpTo128) {
  EXPECT_TRUE(IsValidRequestId("a"));
  EXPECT_TRUE(IsValidRequestId("Abc-123_x.y:z"));
  EXPECT_TRUE(IsValidRequestId(std::string(128, 'a')));
  EXPECT_FALSE(IsValidRequestId(""));
  EXPECT_FALSE(IsValidRequestId(std::string(129, 'a')));
  EXPECT_FALSE(IsValidRequestId("has space"));
  EXPECT_FALSE(IsValidRequestId("quote\""));
  EXPECT_FALSE(IsValidRequestId("new\nline"));
  EXPECT_FALSE(IsValidRequestId("slash/"));
}

TEST(MatchesAppPrefix, UsesTheDefaultPrefixesAsDocumented) {
  std::vector<std::string> p = {"/api/", "/api", "/health", "/ready", "/metrics"};
  EXPECT_TRUE(MatchesAppPrefix("/api", p));
  EXPECT_TRUE(MatchesAppPrefix("/api/", p));
  EXPECT_TRUE(MatchesAppPrefix("/api/accounts/7", p));
  EXPECT_TRUE(MatchesAppPrefix("/health", p));
  EXPECT_TRUE(MatchesAppPrefix("/health/db", p));
  EXPECT_TRUE(MatchesAppPrefix("/metrics", p));
  EXPECT_FALSE(MatchesAppPrefix("/apiary", p));
  EXPECT_FALSE(MatchesAppPrefix("/healthz", p));
  EXPECT_FALSE(MatchesAppPrefix("/", p));
  EXPECT_FALSE(MatchesAppPrefix("/assets/api.js", p));
  EXPECT_FALSE(MatchesAppPrefix("/API", p));
}

TEST(SplitTarget, SplitsAtFirstQuestionMark) {
  auto r = SplitTarget("/a/b?x=1?y");
  EXPECT_EQ(r.path, "/a/b");
  EXPECT_EQ(r.query, "x=1?y");
  r = SplitTarget("/a");
  EXPECT_EQ(r.path, "/a");
  EXPECT_EQ(r.query, "");
  r = SplitTarget("/a?");
  EXPECT_EQ(r.path, "/a");
  EXPECT_EQ(r.query, "");
}

TEST(ParseListenAddress, AcceptsIpv4Ipv6AndLocalhost) {
  auto a = ParseListenAddress("127.0.0.1:8080");
  ASSERT_OK(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  a = ParseListenAddress("[::1]:0");
  ASSERT_OK(a);
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 0);
  a = ParseListenAddress("localhost:65535");
  ASSERT_OK(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 65535);
  a = ParseListenAddress("0.0.0.0:80");
  ASSERT_OK(a);
}

TEST(ParseListenAddress, RejectsMalformedText) {
  for (const char* bad : {"", "8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:80x",
                          "::1:8080", "[::1]", "[::1", "[::1]8080", "example.com:80", "999.1.1.1:80", ":8080"}) {
    auto a = ParseListenAddress(bad);
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(a.status().field(), "listen");
  }
}

TEST(AcceptsGzip, HonoursTokensAndZeroQuality) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("br, deflate"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0, *"));
  EXPECT_FALSE(AcceptsGzip("x-gzip2"));
}

TEST(AcceptsCoding, NamedCodingDecidesOverStar) {
  EXPECT_TRUE(AcceptsCoding("gzip, deflate, br, zstd", "br"));
  EXPECT_TRUE(AcceptsCoding("BR;q=0.8", "br"));
  EXPECT_TRUE(AcceptsCoding("gzip, *", "br"));
  EXPECT_FALSE(AcceptsCoding("gzip, deflate", "br"));
  EXPECT_FALSE(AcceptsCoding("br;q=0, *", "br"));
  EXPECT_FALSE(AcceptsCoding("brotli", "br"));
  EXPECT_FALSE(AcceptsCoding("", "br"));
}

TEST(HeaderValidation, RejectsInjection) {
  EXPECT_TRUE(IsValidHeaderName("Set-Cookie"));
  EXPECT_FALSE(IsValidHeaderName(""));
  EXPECT_FALSE(IsValidHeaderName("Bad Name"));
  EXPECT_FALSE(IsValidHeaderName("X:Y"));
  EXPECT_TRUE(IsValidHeaderValue("a=b; Path=/; HttpOnly"));
  EXPECT_TRUE(IsValidHeaderValue(""));
  EXPECT_FALSE(IsValidHeaderValue("a\r\nSet-Cookie: x"));
  EXPECT_FALSE(IsValidHeaderValue(std::string("a\0b", 3)));
}

TEST(AddressKey, CountsIpv4PerAddressAndIpv6PerSlash64) {
  EXPECT_EQ(AddressKey("127.0.0.2"), "127.0.0.2");
  EXPECT_EQ(AddressKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(AddressKey("2001:db8:1:2::1"), AddressKey("2001:db8:1:2:ffff::9"));
  EXPECT_NE(AddressKey("2001:db8:1:2::1"), AddressKey("2001:db8:1:3::1"));
  EXPECT_EQ(AddressKey("::ffff:10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(AddressKey(""), "");
}

TEST(CheckTransferEncoding, OnlyAFinalChunkedIsAcceptedOnHttp11) {
  using V = TransferEncodingVerdict;
  EXPECT_EQ(CheckTransferEncoding({}, 11), V::kNone);
  EXPECT_EQ(CheckTransferEncoding({"chunked"}, 11), V::kChunked);
  EXPECT_EQ(CheckTransferEncoding({" Chunked "}, 11), V::kChunked);
  // The smuggling shapes: an unknown final coding, chunked twice, chunked not last, an empty value.
  EXPECT_EQ(CheckTransferEncoding({"xchunked"}, 11), V::kBadFraming);
  EXPECT_EQ(CheckTransferEncoding({"chunked, identity"}, 11), V::kBadFraming);
  EXPECT_EQ(CheckTransferEncoding({"chunked", "gzip"}, 11), V::kBadFraming);
  EXPECT_EQ(CheckTransferEncoding({"chunked, chunked"}, 11), V::kBadFraming);
  EXPECT_EQ(CheckTransferEncoding({""}, 11), V::kBadFraming);
  EXPECT_EQ(CheckTransferEncoding({" , "}, 11), V::kBadFraming);
  // HTTP/1.0 has no transfer codings (RFC 9112 §6.1).
  EXPECT_EQ(CheckTransferEncoding({"chunked"}, 10), V::kBadFraming);
  // A coding we would have to decode.
  EXPECT_EQ(CheckTransferEncoding({"gzip, chunked"}, 11), V::kNotImplemented);
  EXPECT_EQ(CheckTransferEncoding({"gzip", "chunked"}, 11), V::kNotImplemented);
}

}  // namespace
}  // namespace ap::http
