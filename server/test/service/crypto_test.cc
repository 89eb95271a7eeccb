#include "service/crypto.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

namespace ap::service {
namespace {

MasterKey KeyOf(uint8_t fill) {
  MasterKey k;
  k.fill(fill);
  return k;
}

TEST(CredentialVault, SealOpenRoundTrip) {
  CredentialVault vault(KeyOf(7));
  FakeRandom random;
  std::string sealed = vault.Seal("secret material", "123456789012", random);
  EXPECT_EQ(sealed.find("secret material"), std::string::npos);
  auto opened = vault.Open(sealed, "123456789012");
  ASSERT_OK(opened);
  EXPECT_EQ(*opened, "secret material");
}

TEST(CredentialVault, DetectsTamperingAndWrongOwnerAndWrongKey) {
  CredentialVault vault(KeyOf(7));
  FakeRandom random;
  std::string sealed = vault.Seal("secret material", "123456789012", random);
  for (size_t i = 0; i < sealed.size(); i += 7) {
    std::string flipped = sealed;
    flipped[i] ^= 0x01;
    EXPECT_FALSE(vault.Open(flipped, "123456789012").ok()) << "byte " << i;
  }
  EXPECT_FALSE(vault.Open(sealed, "210987654321").ok());
  EXPECT_FALSE(CredentialVault(KeyOf(8)).Open(sealed, "123456789012").ok());
  EXPECT_FALSE(vault.Open(sealed.substr(0, 10), "123456789012").ok());
}

TEST(CredentialVault, UsesAFreshNonceEachTime) {
  CredentialVault vault(KeyOf(7));
  FakeRandom random;
  EXPECT_NE(vault.Seal("x", "a", random), vault.Seal("x", "a", random));
}

TEST(PasswordHash, VerifiesOnlyTheRightPassword) {
  PasswordHashOptions cheap{1, 8192};
  auto hash = HashPassword("correct horse", cheap);
  ASSERT_OK(hash);
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("correct horse", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse!", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse", "not a hash"));
}

TEST(Sha256Hex, MatchesKnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ParseMasterKey, AcceptsHexAndBase64Only) {
  EXPECT_OK(ParseMasterKey(std::string(64, 'a')));
  EXPECT_OK(ParseMasterKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"));
  EXPECT_FALSE(ParseMasterKey("short").ok());
  EXPECT_FALSE(ParseMasterKey(std::string(64, 'z')).ok());
}

}  // namespace
}  // namespace ap::service
