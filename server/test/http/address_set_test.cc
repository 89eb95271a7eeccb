#include "http/address_set.h"

#include <gtest/gtest.h>

#include "status_matchers.h"

namespace ap::http {
namespace {

AddressSet MustParse(const std::vector<std::string>& entries) {
  auto set = AddressSet::Parse(entries, "--trusted-proxy");
  EXPECT_OK(set);
  return set.ok() ? *std::move(set) : AddressSet();
}

TEST(AddressSet, EmptyMatchesNothing) {
  AddressSet set = MustParse({});
  EXPECT_TRUE(set.empty());
  EXPECT_FALSE(set.Contains("10.0.0.1"));
  EXPECT_FALSE(AddressSet().Contains("::1"));
}

TEST(AddressSet, SingleAddressesMatchExactly) {
  AddressSet set = MustParse({"10.0.0.1", " 2001:db8::7 "});
  EXPECT_TRUE(set.Contains("10.0.0.1"));
  EXPECT_FALSE(set.Contains("10.0.0.2"));
  EXPECT_TRUE(set.Contains("2001:db8::7"));
  EXPECT_TRUE(set.Contains("2001:0db8:0:0:0:0:0:7"));  // the same address spelt out
  EXPECT_FALSE(set.Contains("2001:db8::8"));
}

TEST(AddressSet, Ipv4BlockBoundaries) {
  AddressSet set = MustParse({"10.0.0.0/16"});
  EXPECT_TRUE(set.Contains("10.0.0.0"));
  EXPECT_TRUE(set.Contains("10.0.255.255"));
  EXPECT_FALSE(set.Contains("10.1.0.0"));
  EXPECT_FALSE(set.Contains("9.255.255.255"));
  AddressSet odd = MustParse({"192.168.4.0/22"});  // a prefix that is not a whole number of bytes
  EXPECT_TRUE(odd.Contains("192.168.4.0"));
  EXPECT_TRUE(odd.Contains("192.168.7.255"));
  EXPECT_FALSE(odd.Contains("192.168.8.0"));
  EXPECT_FALSE(odd.Contains("192.168.3.255"));
}

TEST(AddressSet, HostBitsOfAnEntryAreIgnored) {
  AddressSet set = MustParse({"10.0.0.7/24"});
  EXPECT_TRUE(set.Contains("10.0.0.200"));
  EXPECT_FALSE(set.Contains("10.0.1.7"));
}

TEST(AddressSet, ZeroAndFullPrefixes) {
  AddressSet all_v4 = MustParse({"0.0.0.0/0"});
  EXPECT_TRUE(all_v4.Contains("1.2.3.4"));
  EXPECT_TRUE(all_v4.Contains("255.255.255.255"));
  EXPECT_FALSE(all_v4.Contains("2001:db8::1"));  // an IPv4 block holds IPv4 addresses only
  AddressSet one = MustParse({"10.0.0.1/32", "fd00::1/128"});
  EXPECT_TRUE(one.Contains("10.0.0.1"));
  EXPECT_FALSE(one.Contains("10.0.0.0"));
  EXPECT_TRUE(one.Contains("fd00::1"));
  EXPECT_FALSE(one.Contains("fd00::"));
}

TEST(AddressSet, Ipv6BlockBoundaries) {
  AddressSet set = MustParse({"fd00::/8", "2001:db8:1::/48"});
  EXPECT_TRUE(set.Contains("fd00::"));
  EXPECT_TRUE(set.Contains("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_FALSE(set.Contains("fe00::"));
  EXPECT_FALSE(set.Contains("fc00::1"));
  EXPECT_TRUE(set.Contains("2001:db8:1:ffff::1"));
  EXPECT_FALSE(set.Contains("2001:db8:2::"));
}

TEST(AddressSet, Ipv4MappedIpv6MatchesIpv4Entries) {
  AddressSet set = MustParse({"10.0.0.0/8"});
  EXPECT_TRUE(set.Contains("::ffff:10.1.2.3"));
  EXPECT_FALSE(set.Contains("::ffff:11.1.2.3"));
  AddressSet mapped = MustParse({"::ffff:192.0.2.0/120"});
  EXPECT_TRUE(mapped.Contains("192.0.2.9"));
  EXPECT_FALSE(mapped.Contains("192.0.3.9"));
}

TEST(AddressSet, MalformedCandidatesMatchNothing) {
  AddressSet set = MustParse({"0.0.0.0/0", "::/0"});
  for (const char* ip : {"", " ", "unknown", "10.0.0", "10.0.0.1.5", "10.0.0.1/8", "fe80::1%eth0", "1::2::3",
                         "999.0.0.1", "203.0.113.9\xC0"}) {
    EXPECT_FALSE(set.Contains(ip)) << ip;
  }
}

TEST(AddressSet, MalformedEntriesAreInvalidArgumentsNamingTheField) {
  for (const char* entry : {"proxy.internal", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "fd00::/129",
                            "10.0.0/8", "fe80::1%eth0", "10.0.0.0/8/8"}) {
    auto set = AddressSet::Parse({"10.0.0.1", entry}, "--trusted-proxy");
    ASSERT_FALSE(set.ok()) << entry;
    EXPECT_EQ(set.status().code(), StatusCode::kInvalidArgument) << entry;
    EXPECT_EQ(set.status().field(), "--trusted-proxy") << entry;
    EXPECT_NE(set.status().message().find(entry), std::string::npos) << set.status().message();
  }
}

TEST(AddressSet, EmptyEntriesAreSkipped) {
  AddressSet set = MustParse({"", "  ", "10.0.0.1"});
  EXPECT_FALSE(set.empty());
  EXPECT_TRUE(set.Contains("10.0.0.1"));
}

}  // namespace
}  // namespace ap::http
