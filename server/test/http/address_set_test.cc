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

// `entries` parsed hold each of `inside` and none of `outside`.
void ExpectBoundaries(const std::vector<std::string>& entries, const std::vector<std::string>& inside,
                      const std::vector<std::string>& outside) {
  AddressSet set = MustParse(entries);
  for (const std::string& ip : inside) EXPECT_TRUE(set.Contains(ip)) << ip << " in " << entries[0];
  for (const std::string& ip : outside) EXPECT_FALSE(set.Contains(ip)) << ip << " not in " << entries[0];
}

TEST(AddressSet, Ipv4BlockBoundaries) {
  ExpectBoundaries({"10.0.0.0/16"}, {"10.0.0.0", "10.0.255.255"}, {"10.1.0.0", "9.255.255.255"});
  // A prefix that is not a whole number of bytes.
  ExpectBoundaries({"192.168.4.0/22"}, {"192.168.4.0", "192.168.7.255"}, {"192.168.8.0", "192.168.3.255"});
}

TEST(AddressSet, HostBitsOfAnEntryAreIgnored) { ExpectBoundaries({"10.0.0.7/24"}, {"10.0.0.200"}, {"10.0.1.7"}); }

TEST(AddressSet, ZeroAndFullPrefixes) {
  // An IPv4 block holds IPv4 addresses only.
  ExpectBoundaries({"0.0.0.0/0"}, {"1.2.3.4", "255.255.255.255"}, {"2001:db8::1"});
  ExpectBoundaries({"10.0.0.1/32", "fd00::1/128"}, {"10.0.0.1", "fd00::1"}, {"10.0.0.0", "fd00::"});
}

TEST(AddressSet, Ipv6BlockBoundaries) {
  ExpectBoundaries({"fd00::/8"}, {"fd00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}, {"fe00::", "fc00::1"});
  ExpectBoundaries({"2001:db8:1::/48"}, {"2001:db8:1:ffff::1"}, {"2001:db8:2::"});
}

TEST(AddressSet, Ipv4MappedIpv6MatchesIpv4Entries) {
  ExpectBoundaries({"10.0.0.0/8"}, {"::ffff:10.1.2.3"}, {"::ffff:11.1.2.3"});
  ExpectBoundaries({"::ffff:192.0.2.0/120"}, {"192.0.2.9"}, {"192.0.3.9"});
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
