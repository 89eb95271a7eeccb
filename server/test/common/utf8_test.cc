#include "common/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace ap {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(Utf8, AcceptsWellFormedText) {
  for (std::string s : {std::string(), std::string("plain ascii"), std::string("caf\xC3\xA9"),
                        std::string("\xE2\x82\xAC 5"), std::string("\xF0\x9F\x98\x80"), std::string("\xEF\xBF\xBF"),
                        std::string("\xF4\x8F\xBF\xBF"), std::string("a\0b", 3), std::string("\xED\x9F\xBF")}) {
    EXPECT_TRUE(IsValidUtf8(s)) << s;
    EXPECT_EQ(ToValidUtf8(s), s);
  }
}

TEST(Utf8, RejectsIllFormedText) {
  for (std::string s : {std::string("\xFF\xFE"), std::string("\x80"), std::string("\xC0\xAF"),  // overlong '/'
                        std::string("\xE0\x80\xAF"), std::string("\xED\xA0\x80"),               // surrogate
                        std::string("\xF4\x90\x80\x80"),                                        // > U+10FFFF
                        std::string("\xF5\x80\x80\x80"), std::string("\xE2\x82"),               // truncated
                        std::string("ok\xC3"), std::string("\xC3(")}) {
    EXPECT_FALSE(IsValidUtf8(s)) << s;
    EXPECT_TRUE(IsValidUtf8(ToValidUtf8(s))) << s;
  }
}

TEST(Utf8, ReplacesEachMaximalSubpartWithOneReplacementCharacter) {
  EXPECT_EQ(ToValidUtf8("\xFF\xFE"), kFffd + kFffd);  // the path of finding 8 (%ff%fe)
  EXPECT_EQ(ToValidUtf8("a\xFF"
                        "b"),
            "a" + kFffd + "b");
  EXPECT_EQ(ToValidUtf8("\xE2\x82"), kFffd);  // one truncated sequence: one U+FFFD
  EXPECT_EQ(ToValidUtf8("\xE2\x82"
                        "A"),
            kFffd + "A");                                         // the byte that broke it is kept
  EXPECT_EQ(ToValidUtf8("\xED\xA0\x80"), kFffd + kFffd + kFffd);  // surrogates: ED then two stray bytes
  EXPECT_EQ(ToValidUtf8("\xF0\x9F\x98"), kFffd);
  EXPECT_EQ(ToValidUtf8("caf\xC3\xA9\xC3"), "caf\xC3\xA9" + kFffd);
}

TEST(Utf8, PrefixNeverCutsASequence) {
  std::string s = "ab\xE2\x82\xAC";  // "ab€"
  EXPECT_EQ(Utf8Prefix(s, 10), s);
  EXPECT_EQ(Utf8Prefix(s, 5), s);
  EXPECT_EQ(Utf8Prefix(s, 4), "ab");
  EXPECT_EQ(Utf8Prefix(s, 3), "ab");
  EXPECT_EQ(Utf8Prefix(s, 2), "ab");
  EXPECT_EQ(Utf8Prefix(s, 0), "");
}

}  // namespace
}  // namespace ap
