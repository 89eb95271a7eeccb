#include "common/text_fold.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ap {
namespace {

using Strings = std::vector<std::string>;

TEST(FoldCase, FoldsSharpSToDoubleS) {
  EXPECT_EQ(FoldCase("STRASSE"), FoldCase("straße"));
  EXPECT_EQ(FoldCase("Straße"), "strasse");
}

TEST(FoldCase, FoldsGreekIncludingFinalSigma) {
  EXPECT_EQ(FoldCase("ΣΊΣΥΦΟΣ"), FoldCase("σίσυφος"));
  EXPECT_EQ(FoldCase("σίσυφος"), "σίσυφοσ");
}

TEST(FoldCase, UsesTheDefaultNotTheTurkicMappingsForDottedAndDotlessI) {
  EXPECT_EQ(FoldCase("I"), "i");
  EXPECT_EQ(FoldCase("İ"), "i\xCC\x87");  // i + U+0307 COMBINING DOT ABOVE
  EXPECT_EQ(FoldCase("ı"), "ı");          // dotless i has no case fold of its own
  EXPECT_NE(FoldCase("ı"), FoldCase("I"));
}

TEST(FoldCase, LeavesCjkUnchanged) {
  EXPECT_EQ(FoldCase("東京本番アカウント"), "東京本番アカウント");
  EXPECT_EQ(FoldCase("서울"), "서울");
}

TEST(FoldCase, AppliesCompatibilityNormalization) {
  EXPECT_EQ(FoldCase("ＰＲＯＤ"), "prod");                // full-width letters
  EXPECT_EQ(FoldCase("ﬁle"), "file");                     // ligature
  EXPECT_EQ(FoldCase("Cafe\xCC\x81"), FoldCase("Café"));  // decomposed and composed é agree
}

TEST(FoldCase, ReplacesIllFormedUtf8AndStaysWellFormed) {
  EXPECT_EQ(FoldCase("A\xFF"
                     "B"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(FoldCase(""), "");
}

TEST(SearchKey, CollapsesWhiteSpaceAndTrims) {
  EXPECT_EQ(SearchKey("  Prod \t  EU\u00A0West "), "prod eu west");
  EXPECT_EQ(SearchKey("   "), "");
}

TEST(SearchWords, SplitsOnAnythingNotALetterDigitOrMark) {
  EXPECT_EQ(SearchWords("Prod-EU 2"), (Strings{"prod", "eu", "2"}));
  EXPECT_EQ(SearchWords("dev_box.v2!"), (Strings{"dev", "box", "v2"}));
  EXPECT_EQ(SearchWords("Café Crème"), (Strings{"café", "crème"}));
  EXPECT_EQ(SearchWords("東京 本番"), (Strings{"東京", "本番"}));
  EXPECT_EQ(SearchWords("--"), Strings{});
}

TEST(SearchTerms, AreTheKeyFromEachWordStartSortedAndUnique) {
  EXPECT_EQ(SearchTerms("Prod-EU 2"), (Strings{"2", "eu 2", "prod-eu 2"}));
  EXPECT_EQ(SearchTerms("prod prod"), (Strings{"prod", "prod prod"}));
  EXPECT_EQ(SearchTerms(""), Strings{});
}

}  // namespace
}  // namespace ap
