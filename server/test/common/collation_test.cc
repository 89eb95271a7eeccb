#include "common/collation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace ap {
namespace {

using Strings = std::vector<std::string>;

// `names` sorted by CollationKey (stable, so equal keys keep their order).
Strings Sorted(Strings names) {
  std::stable_sort(names.begin(), names.end(),
                   [](const std::string& a, const std::string& b) { return CollationKey(a) < CollationKey(b); });
  return names;
}

TEST(CollationKey, OrdersRunsOfDigitsAsNumbers) {
  EXPECT_EQ(Sorted({"bench-100", "bench-10", "bench-2"}), (Strings{"bench-2", "bench-10", "bench-100"}));
  EXPECT_LT(CollationKey("Account 9"), CollationKey("account 10"));
  EXPECT_LT(CollationKey("v1.9"), CollationKey("v1.10"));
  EXPECT_LT(CollationKey("a007"), CollationKey("a8"));  // leading zeros do not make a number bigger
}

TEST(CollationKey, OrdersChineseByPinyin) {
  // 北京 bei jing < 上海 shang hai < 深圳 shen zhen; code point order would put 上 (U+4E0A) first.
  EXPECT_EQ(Sorted({"深圳", "上海", "北京"}), (Strings{"北京", "上海", "深圳"}));
  EXPECT_LT(CollationKey("阿里"), CollationKey("北京"));  // a < bei
}

TEST(CollationKey, PutsDigitsThenLatinThenOtherScriptsThenHan) {
  EXPECT_EQ(Sorted({"北京", "zeta", "Ωmega", "1st", "Alpha"}), (Strings{"1st", "Alpha", "zeta", "Ωmega", "北京"}));
}

TEST(CollationKey, IgnoresCaseButNotAccentsOrPunctuation) {
  EXPECT_EQ(CollationKey("Prod EU"), CollationKey("prod eu"));
  EXPECT_EQ(CollationKey("ÉTÉ"), CollationKey("été"));
  EXPECT_NE(CollationKey("ete"), CollationKey("été"));
  EXPECT_LT(CollationKey("ete"), CollationKey("étf"));  // the base letters decide before the accents
  EXPECT_NE(CollationKey("bench-2"), CollationKey("bench 2"));
  EXPECT_EQ(Sorted({"beta", "Alpha", "alpha", "ALPHA"}), (Strings{"Alpha", "alpha", "ALPHA", "beta"}));
}

TEST(CollationKey, IsLowercaseHexAndTheEmptyStringSortsFirst) {
  EXPECT_EQ(CollationKey(""), CollationKey(""));
  EXPECT_LT(CollationKey(""), CollationKey(" "));
  EXPECT_LT(CollationKey(""), CollationKey("0"));
  const std::string k = CollationKey("Prod-EU 2 北京");
  ASSERT_FALSE(k.empty());
  EXPECT_EQ(k.size() % 2, 0u);
  EXPECT_EQ(k.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(CollationKey, RepairsIllFormedUtf8) {
  EXPECT_EQ(CollationKey("a\xff"
                         "b"),
            CollationKey("a\xEF\xBF\xBD"
                         "b"));  // as U+FFFD
  EXPECT_EQ(CollationKey("\xe2\x82"), CollationKey("\xEF\xBF\xBD"));
  EXPECT_FALSE(CollationKey("\xc0\x80").empty());
}

TEST(CollationKey, IsBoundedForLongNames) {
  const std::string long_name(128, 'x');
  EXPECT_LE(CollationKey(long_name).size(), 2 * kMaxCollationKeyBytes);
  std::string han;
  for (int i = 0; i < 128; ++i) han += "龘";
  EXPECT_LE(CollationKey(han).size(), 2 * kMaxCollationKeyBytes);
  // Order still holds where the names differ early.
  EXPECT_LT(CollationKey("a" + long_name), CollationKey("b" + long_name));
}

TEST(CollationKey, IsTheSameOnEveryThread) {
  const std::string here = CollationKey("bench-10 北京");
  std::vector<std::string> there(4);
  std::vector<std::thread> threads;
  for (auto& t : there) threads.emplace_back([&t] { t = CollationKey("bench-10 北京"); });
  for (auto& th : threads) th.join();
  for (const auto& t : there) EXPECT_EQ(t, here);
}

TEST(CompareNames, AgreesWithTheKeys) {
  EXPECT_LT(CompareNames("bench-2", "bench-10"), 0);
  EXPECT_GT(CompareNames("深圳", "上海"), 0);
  EXPECT_EQ(CompareNames("Prod", "prod"), 0);
}

TEST(CollationVersion, NamesTheSchemeAndTheIcuCollatorVersion) {
  const std::string& v = CollationVersion();
  EXPECT_EQ(v.rfind("1:", 0), 0u);
  EXPECT_GT(v.size(), 2u);
  EXPECT_EQ(&v, &CollationVersion());
}

}  // namespace
}  // namespace ap
