#include "http/message.h"

#include <gtest/gtest.h>

namespace ap::http {
namespace {

TEST(PercentDecode, DecodesEscapesAndKeepsOtherBytes) {
  std::string out;
  ASSERT_TRUE(PercentDecode("/a%20b/%2e%2E/%C3%A9", &out));
  EXPECT_EQ(out, "/a b/../\xC3\xA9");
  ASSERT_TRUE(PercentDecode("", &out));
  EXPECT_EQ(out, "");
}

TEST(PercentDecode, PlusIsSpaceOnlyWhenAsked) {
  std::string out;
  ASSERT_TRUE(PercentDecode("a+b%2B", &out));
  EXPECT_EQ(out, "a+b+");
  ASSERT_TRUE(PercentDecode("a+b%2B", &out, /*plus_as_space=*/true));
  EXPECT_EQ(out, "a b+");
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  std::string out;
  EXPECT_FALSE(PercentDecode("%", &out));
  EXPECT_FALSE(PercentDecode("abc%2", &out));
  EXPECT_FALSE(PercentDecode("%zz", &out));
  EXPECT_FALSE(PercentDecode("%g0", &out));
}

TEST(PercentDecode, DecodesNulSoCallersCanRejectIt) {
  std::string out;
  ASSERT_TRUE(PercentDecode("a%00b", &out));
  EXPECT_EQ(out, std::string("a\0b", 3));
}

TEST(Request, HeaderLookupIsCaseInsensitiveAndReturnsFirst) {
  Request r;
  r.headers = {{"Content-Type", "text/plain"}, {"X-Twice", "one"}, {"x-twice", "two"}};
  EXPECT_EQ(r.Header("content-type"), "text/plain");
  EXPECT_EQ(r.Header("CONTENT-TYPE"), "text/plain");
  EXPECT_EQ(r.Header("x-TWICE"), "one");
  EXPECT_EQ(r.Header("missing"), "");
  EXPECT_EQ(r.Header("Content-Typ"), "");
}

TEST(Request, QueryParamDecodesAndTellsAbsentFromEmpty) {
  Request r;
  r.query = "page=2&q=a+b%26c&empty=&flag&name%5B0%5D=x&bad=%zz";
  bool present = false;
  EXPECT_EQ(r.QueryParam("page", &present), "2");
  EXPECT_TRUE(present);
  EXPECT_EQ(r.QueryParam("q"), "a b&c");
  EXPECT_EQ(r.QueryParam("empty", &present), "");
  EXPECT_TRUE(present);
  EXPECT_EQ(r.QueryParam("flag", &present), "");
  EXPECT_TRUE(present);
  EXPECT_EQ(r.QueryParam("name[0]"), "x");
  EXPECT_EQ(r.QueryParam("missing", &present), "");
  EXPECT_FALSE(present);
  EXPECT_EQ(r.QueryParam("bad", &present), "");
  EXPECT_FALSE(present);
  EXPECT_EQ(r.QueryParam("pag", &present), "");
  EXPECT_FALSE(present);
}

TEST(Request, QueryParamReturnsFirstOccurrence) {
  Request r;
  r.query = "a=1&a=2";
  EXPECT_EQ(r.QueryParam("a"), "1");
  r.query = "";
  bool present = true;
  EXPECT_EQ(r.QueryParam("a", &present), "");
  EXPECT_FALSE(present);
}

TEST(Request, QueryParamValuesAreValidUtf8) {
  Request r;
  r.query = "q=%ff%fe&name=caf%C3%A9";
  EXPECT_EQ(r.QueryParam("q"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(r.QueryParam("name"), "caf\xC3\xA9");
}

TEST(ErrorResponse, BodyIsValidUtf8WhateverTheMessage) {
  Response r = ErrorResponse(404, "not_found", "no account \xFF\xFE", "rid");
  EXPECT_EQ(r.body,
            "{\"error\":{\"code\":\"not_found\",\"message\":\"no account \xEF\xBF\xBD\xEF\xBF\xBD\","
            "\"request_id\":\"rid\"}}");
}

TEST(ErrorResponse, HasExactBodyShape) {
  Response r = ErrorResponse(404, "not_found", "account 7 not found", "req-1");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"error":{"code":"not_found","message":"account 7 not found","request_id":"req-1"}})");
}

TEST(ErrorResponse, AddsFieldWhenSet) {
  Response r = ErrorResponse(422, "invalid_argument", "must be positive", "abc", "models[0].tpm");
  EXPECT_EQ(r.body, R"({"error":{"code":"invalid_argument","message":"must be positive","request_id":"abc",)"
                    R"("field":"models[0].tpm"}})");
}

TEST(ErrorResponse, EscapesJson) {
  Response r = ErrorResponse(400, "bad", "quote \" backslash \\ newline \n ctl \x01", "id");
  EXPECT_EQ(r.body,
            R"({"error":{"code":"bad","message":"quote \" backslash \\ newline \n ctl \u0001","request_id":"id"}})");
}

}  // namespace
}  // namespace ap::http
