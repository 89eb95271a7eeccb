#include "common/encoding.h"

#include <gtest/gtest.h>

#include "common/random.h"

namespace ap {
namespace {

std::span<const uint8_t> Bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

TEST(Encoding, HexRoundTrip) {
  EXPECT_EQ(HexEncode(std::string_view("\x01\xab\xff", 3)), "01abff");
  auto back = HexDecode("01ABff");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, (std::vector<uint8_t>{0x01, 0xab, 0xff}));
  EXPECT_FALSE(HexDecode("abc").has_value());
  EXPECT_FALSE(HexDecode("zz").has_value());
}

TEST(Encoding, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(Bytes("")), "");
  EXPECT_EQ(Base64Encode(Bytes("f")), "Zg==");
  EXPECT_EQ(Base64Encode(Bytes("fo")), "Zm8=");
  EXPECT_EQ(Base64Encode(Bytes("foo")), "Zm9v");
  EXPECT_EQ(Base64Encode(Bytes("foobar")), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode(Bytes("\xfb\xff")), "-_8");
  auto d = Base64Decode("Zm9vYmE=");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(std::string(d->begin(), d->end()), "fooba");
  EXPECT_FALSE(Base64Decode("Zm9v!").has_value());
}

TEST(Encoding, Base64DecodeTakesEitherAlphabetAndOptionalPadding) {
  EXPECT_EQ(Base64Decode("-_8"), (std::vector<uint8_t>{0xfb, 0xff}));
  EXPECT_EQ(Base64Decode("+/8="), (std::vector<uint8_t>{0xfb, 0xff}));
  EXPECT_EQ(Base64Decode("Zm8"), (std::vector<uint8_t>{'f', 'o'}));
  EXPECT_FALSE(Base64Decode("Zm9vY").has_value());  // a truncated final group
  EXPECT_FALSE(Base64Decode("Zh==").has_value());   // unused bits set: not the encoding of any bytes
  EXPECT_FALSE(Base64Decode("+_8").has_value());    // two alphabets in one text
}

TEST(Random, FakeRandomIsDeterministic) {
  FakeRandom a(7), b(7), c(8);
  EXPECT_EQ(a.HexString(16), b.HexString(16));
  EXPECT_NE(FakeRandom(7).HexString(16), c.HexString(16));
  EXPECT_EQ(a.HexString(4).size(), 8u);
}

TEST(Random, SecureRandomProducesDistinctTokens) {
  SecureRandom r;
  EXPECT_NE(r.Base64UrlString(32), r.Base64UrlString(32));
  for (int i = 0; i < 100; ++i) EXPECT_LT(r.Uniform(10), 10u);
}

}  // namespace
}  // namespace ap
