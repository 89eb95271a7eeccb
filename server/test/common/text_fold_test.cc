#include "common/text_fold.h"

#include <gtest/gtest.h>

#include <algorithm>
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

// ---- Natural term keys -----------------------------------------------------------------------------------------

std::string M(size_t n) { return std::string(1, static_cast<char>(n)); }

// The terms matched by `query`, through the keys (as a store sees them).
Strings Matching(const std::string& query, const Strings& terms) {
  const Strings prefixes = NaturalQueryPrefixes(SearchKey(query));
  Strings out;
  for (const std::string& t : terms) {
    if (StartsWithAny(NaturalTermKey(t), prefixes)) out.push_back(t);
  }
  return out;
}

// `terms` sorted by their keys.
Strings ByKey(Strings terms) {
  std::sort(terms.begin(), terms.end(),
            [](const std::string& a, const std::string& b) { return NaturalTermKey(a) < NaturalTermKey(b); });
  return terms;
}

TEST(NaturalTermKey, EncodesDigitRunsWithALengthMarker) {
  EXPECT_EQ(NaturalTermKey("bench-10"), std::string("bench-") + M(2) + "10");
  EXPECT_EQ(NaturalTermKey("v2 eu"), std::string("v") + M(1) + "2 eu");
  EXPECT_EQ(NaturalTermKey("123456789012"), M(12) + "123456789012");
  EXPECT_EQ(NaturalTermKey("prod"), "prod");
  EXPECT_EQ(NaturalTermKey(""), "");
}

TEST(NaturalTermKey, OrdersDigitRunsAsNumbers) {
  EXPECT_EQ(ByKey({"bench-100", "bench-2", "bench-10", "bench-1"}),
            (Strings{"bench-1", "bench-2", "bench-10", "bench-100"}));
  EXPECT_EQ(ByKey({"a10b", "a9c", "a9b"}), (Strings{"a9b", "a9c", "a10b"}));
  // Digits still before letters and punctuation, as the folded terms had them.
  EXPECT_EQ(ByKey({"a-1", "ab", "a1", "a 1"}), (Strings{"a1", "a 1", "a-1", "ab"}));
}

TEST(NaturalTermKey, CountsLeadingZerosAsDigits) {
  EXPECT_EQ(NaturalTermKey("a007"), std::string("a") + M(3) + "007");
  EXPECT_EQ(ByKey({"a10", "a007", "a8"}), (Strings{"a8", "a10", "a007"}));  // three digits after two
  EXPECT_EQ(Matching("a0", {"a007", "a8", "a0"}), (Strings{"a007", "a0"}));
}

TEST(NaturalTermKey, SplitsLongRunsIntoChunksOf31) {
  const std::string d31(31, '7');
  EXPECT_EQ(NaturalTermKey("x" + d31 + "12"), std::string("x") + M(31) + d31 + M(2) + "12");
  EXPECT_EQ(NaturalTermKey(d31), M(31) + d31);
  EXPECT_EQ(ByKey({d31 + "1", d31, "9"}), (Strings{"9", d31, d31 + "1"}));
  EXPECT_EQ(Matching(d31, {d31, d31 + "5", "7"}), (Strings{d31, d31 + "5"}));
  EXPECT_EQ(Matching(d31 + "5", {d31, d31 + "5", d31 + "567"}), (Strings{d31 + "5", d31 + "567"}));
}

TEST(NaturalTermKey, KeepsHanAndLatinInCodePointOrder) {
  EXPECT_EQ(NaturalTermKey("東京2号"), std::string("東京") + M(1) + "2号");
  EXPECT_EQ(ByKey({"東京10", "北京", "beijing 2", "東京2"}), (Strings{"beijing 2", "北京", "東京2", "東京10"}));
  EXPECT_EQ(ByKey({"東京10", "東京2"}), (Strings{"東京2", "東京10"}));
  EXPECT_LT(NaturalTermKey("beijing"), NaturalTermKey("北京"));
  EXPECT_LT(NaturalTermKey("北京"), NaturalTermKey("東京"));  // U+5317 < U+6771: code points, not pinyin
}

TEST(NaturalTermKey, ReplacesControlBytesSoMarkersCannotCollide) {
  EXPECT_EQ(NaturalTermKey(std::string("a\x02") + "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_TRUE(NaturalQueryPrefixes(std::string("a\x02")).empty());
  EXPECT_TRUE(NaturalQueryPrefixes("").empty());
}

TEST(NaturalQueryPrefixes, ExpandsATrailingDigitRunToEveryLength) {
  const Strings p = NaturalQueryPrefixes("bench-1");
  ASSERT_EQ(p.size(), kMaxDigitRun);
  EXPECT_EQ(p.front(), std::string("bench-") + M(1) + "1");
  EXPECT_EQ(p.back(), std::string("bench-") + M(31) + "1");
  EXPECT_TRUE(std::is_sorted(p.begin(), p.end()));
  EXPECT_EQ(NaturalQueryPrefixes("ab12").size(), kMaxDigitRun - 1);
  EXPECT_EQ(NaturalQueryPrefixes("prod eu"), (Strings{"prod eu"}));
  EXPECT_EQ(NaturalQueryPrefixes("v2 eu"), (Strings{std::string("v") + M(1) + "2 eu"}));
}

TEST(NaturalQueryPrefixes, MatchesExactlyTheTermsTheQueryIsAPrefixOf) {
  const Strings terms = {"bench-1", "bench-10", "bench-100", "bench-2", "bench-1a",
                         "bench-",  "bench",    "v2 eu",     "v20 eu",  "123456789012"};
  EXPECT_EQ(Matching("bench-1", terms), (Strings{"bench-1", "bench-10", "bench-100", "bench-1a"}));
  EXPECT_EQ(Matching("bench", terms),
            (Strings{"bench-1", "bench-10", "bench-100", "bench-2", "bench-1a", "bench-", "bench"}));
  EXPECT_EQ(Matching("bench-10", terms), (Strings{"bench-10", "bench-100"}));
  EXPECT_EQ(Matching("v2", terms), (Strings{"v2 eu", "v20 eu"}));
  EXPECT_EQ(Matching("v2 ", terms), (Strings{"v2 eu", "v20 eu"}));  // SearchKey trims the space
  EXPECT_EQ(Matching("v2 e", terms), (Strings{"v2 eu"}));
  EXPECT_EQ(Matching("1234", terms), (Strings{"123456789012"}));
  // The same answer as a plain prefix test on the terms, for every prefix of every term.
  for (const std::string& t : terms) {
    for (size_t n = 1; n <= t.size(); ++n) {
      const std::string q = t.substr(0, n);
      Strings plain;
      for (const std::string& u : terms) {
        if (u.starts_with(SearchKey(q))) plain.push_back(u);
      }
      EXPECT_EQ(Matching(q, terms), plain) << q;
    }
  }
}

}  // namespace
}  // namespace ap
