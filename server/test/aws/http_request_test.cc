#include "aws/http_request.h"

#include <gtest/gtest.h>

#include "aws/transport.h"
#include "status_matchers.h"

namespace ap::aws {
namespace {

TEST(HttpRequest, BuildsUrlAndHostHeader) {
  HttpRequest r;
  r.scheme = "http";
  r.host = "127.0.0.1";
  r.port = 4566;
  r.path = "/getContactInformation";
  r.query = {{"a b", "c/d"}, {"x", ""}};
  EXPECT_EQ(r.HostHeaderValue(), "127.0.0.1:4566");
  EXPECT_EQ(r.Url(), "http://127.0.0.1:4566/getContactInformation?a%20b=c%2Fd&x=");
  r.host = "::1";
  r.port = 80;
  EXPECT_EQ(r.HostHeaderValue(), "[::1]");
}

TEST(HttpRequest, HeadersAreCaseInsensitive) {
  HttpRequest r;
  r.headers = {{"Content-Type", "a"}, {"X-Y", "1"}};
  ASSERT_NE(r.FindHeader("content-type"), nullptr);
  r.SetHeader("content-TYPE", "b");
  EXPECT_EQ(*r.FindHeader("Content-Type"), "b");
  EXPECT_EQ(r.headers.size(), 2u);
  r.RemoveHeader("x-y");
  EXPECT_EQ(r.FindHeader("X-Y"), nullptr);
}

TEST(HttpRequest, UriEncodeAndDecode) {
  EXPECT_EQ(UriEncode("a-._~Z9 /+=&\xE1\x88\xB4"), "a-._~Z9%20%2F%2B%3D%26%E1%88%B4");
  EXPECT_EQ(UriEncode("/a b/", true), "/a%20b/");
  EXPECT_EQ(UriDecode("%E1%88%B4+%zz%4"), "\xE1\x88\xB4+%zz%4");
  EXPECT_EQ(EncodeForm({{"Action", "AssumeRole"}, {"RoleSessionName", "a b"}}),
            "Action=AssumeRole&RoleSessionName=a%20b");
}

TEST(HttpRequest, ParsesUrls) {
  auto u = ParseUrl("HTTP://LocalHost:8080/base/?q=1");
  ASSERT_OK(u);
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->host, "localhost");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->path, "/base/");
  EXPECT_EQ(u->query, "q=1");
  auto v6 = ParseUrl("http://[::1]:9/");
  ASSERT_OK(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9);
  EXPECT_FALSE(ParseUrl("ftp://x/").ok());
  EXPECT_FALSE(ParseUrl("http://user@x/").ok());
  EXPECT_FALSE(ParseUrl("http://x:0/").ok());
  EXPECT_FALSE(ParseUrl("http://x:70000/").ok());
  EXPECT_FALSE(ParseUrl("http:///").ok());
  EXPECT_FALSE(ParseUrl("localhost:80").ok());
  EXPECT_FALSE(ParseUrl("http://x/#frag").ok());
}

TEST(HttpRequest, RecognisesLoopback) {
  for (const char* h : {"127.0.0.1", "127.255.1.2", "localhost", "LOCALHOST", "::1", "[::1]"}) {
    EXPECT_TRUE(IsLoopbackHost(h)) << h;
  }
  for (const char* h :
       {"128.0.0.1", "127.1", "127.0.0.256", "169.254.169.254", "localhost.evil.com", "::2", "127.0.0.1.nip.io", ""}) {
    EXPECT_FALSE(IsLoopbackHost(h)) << h;
  }
}

TEST(Transport, CheckDestinationAllowsPlainHttpOnlyToLoopback) {
  HttpRequest r;
  r.host = "sts.us-east-1.amazonaws.com";
  EXPECT_OK(CheckDestination(r));
  r.scheme = "http";
  EXPECT_EQ(CheckDestination(r).code(), StatusCode::kInvalidArgument);
  r.host = "127.0.0.1";
  EXPECT_OK(CheckDestination(r));
  r.host = "169.254.170.2";
  EXPECT_FALSE(CheckDestination(r).ok());
  EXPECT_OK(CheckDestination(r, {"169.254.170.2"}));
  r.scheme = "file";
  EXPECT_FALSE(CheckDestination(r).ok());
}

}  // namespace
}  // namespace ap::aws
