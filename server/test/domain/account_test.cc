#include "domain/account.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

namespace ap::domain {
namespace {

TEST(ValidateAccountId, RequiresTwelveDigits) {
  EXPECT_OK(ValidateAccountId("123456789012"));
  EXPECT_EQ(ValidateAccountId("12345678901").field(), "account_id");
  EXPECT_FALSE(ValidateAccountId("12345678901a").ok());
  EXPECT_FALSE(ValidateAccountId(" 23456789012").ok());
}

TEST(NormalizeRegions, SortsDeduplicatesAndNamesTheUnknownOne) {
  std::vector<std::string> r = {"us-west-2", "us-east-1", "us-west-2"};
  ASSERT_OK(NormalizeRegions(&r));
  EXPECT_EQ(r, (std::vector<std::string>{"us-east-1", "us-west-2"}));
  std::vector<std::string> bad = {"us-east-1", "mars-north-1"};
  EXPECT_EQ(NormalizeRegions(&bad).field(), "regions[1]");
  std::vector<std::string> empty;
  EXPECT_EQ(NormalizeRegions(&empty).field(), "regions");
}

TEST(KnownRegions, IsSortedForBinarySearch) {
  const auto& r = KnownRegions();
  EXPECT_TRUE(std::is_sorted(r.begin(), r.end()));
  EXPECT_TRUE(IsKnownRegion("eu-central-1"));
}

TEST(Credentials, EncodeDecodeRoundTrip) {
  Credentials c;
  c.type = CredentialType::kAssumeRole;
  c.role_arn = "arn:aws:iam::123456789012:role/QuotaReader";
  c.external_id = std::string("ext\0id", 6);
  auto back = DecodeCredentials(EncodeCredentials(c));
  ASSERT_OK(back);
  EXPECT_EQ(back->role_arn, c.role_arn);
  EXPECT_EQ(back->external_id, c.external_id);
  EXPECT_EQ(back->type, CredentialType::kAssumeRole);
  std::string truncated = EncodeCredentials(c);
  truncated.pop_back();
  EXPECT_FALSE(DecodeCredentials(truncated).ok());
}

TEST(ValidateCredentials, NamesTheBadField) {
  Credentials k;
  k.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  k.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  EXPECT_OK(ValidateCredentials(k));
  k.access_key_id = "akia";
  EXPECT_EQ(ValidateCredentials(k).field(), "credentials.access_key_id");
  Credentials r;
  r.type = CredentialType::kAssumeRole;
  r.role_arn = "arn:aws:iam::123456789012:role/path/QuotaReader";
  EXPECT_OK(ValidateCredentials(r));
  r.role_arn = "arn:aws:iam::12345678901:role/X";
  EXPECT_EQ(ValidateCredentials(r).field(), "credentials.role_arn");
  r.role_arn = "arn:aws:iam::123456789012:user/X";
  EXPECT_EQ(ValidateCredentials(r).field(), "credentials.role_arn");
  r.role_arn = "arn:aws:iam::123456789012:role/X";
  r.external_id = "a b";
  EXPECT_EQ(ValidateCredentials(r).field(), "credentials.external_id");
}

TEST(MaskAccessKeyId, KeepsFourCharactersAtEachEnd) {
  EXPECT_EQ(MaskAccessKeyId("AKIAIOSFODNN7EXAMPLE"), "AKIA************MPLE");
  EXPECT_EQ(MaskAccessKeyId("SHORT"), "*****");
}

TEST(ValidateContactInfo, RequiresAwsFields) {
  ContactInfo c;
  c.full_name = "Jane Doe";
  c.address_line1 = "1 Main St";
  c.city = "Seattle";
  c.country_code = "US";
  c.phone_number = "+1 206 555 0100";
  c.postal_code = "98101";
  EXPECT_OK(ValidateContactInfo(c));
  c.country_code = "usa";
  EXPECT_EQ(ValidateContactInfo(c).field(), "country_code");
  c.country_code = "US";
  c.city.clear();
  EXPECT_EQ(ValidateContactInfo(c).field(), "city");
}

}  // namespace
}  // namespace ap::domain
