// AddressSet: IP addresses and CIDR blocks (trusted reverse proxies), parsed once and matched against peer and
// X-Forwarded-For addresses.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::http {

// An immutable list of IPv4/IPv6 addresses and CIDR blocks. IPv4 is held as its IPv4-mapped IPv6 form
// (::ffff:a.b.c.d, a /n block as /96+n), so "10.0.0.0/8" also matches the peer "::ffff:10.1.2.3" of a dual-stack
// socket, and "::ffff:10.1.2.3" as an entry also matches "10.1.2.3". Thread safety: immutable after Parse(), safe
// to read from any thread. The default-constructed set is empty and matches nothing.
class AddressSet {
 public:
  AddressSet() = default;

  // Parses each entry: an address ("10.0.0.1", "fd00::1") or a CIDR block ("10.0.0.0/16", "fd00::/8"); spaces
  // around an entry are ignored, empty entries are skipped. Host bits below the prefix are ignored
  // ("10.0.0.7/24" is 10.0.0.0/24). Returns the set; InvalidArgument naming `field` and quoting the entry when
  // one is not an address, has a zone ("fe80::1%eth0"), or has a prefix that is not a number within 0..32
  // (IPv4) / 0..128 (IPv6).
  static Result<AddressSet> Parse(const std::vector<std::string>& entries, const std::string& field);

  // True when `ip` (an IP literal: dotted IPv4 or IPv6, IPv4-mapped included, spaces around it ignored) lies in
  // one of the entries; false for anything else, a malformed or empty string included. O(number of entries).
  bool Contains(std::string_view ip) const;

  bool empty() const { return blocks_.empty(); }

 private:
  struct Block {
    std::array<uint8_t, 16> bytes{};  // network address, host bits zero
    int prefix = 128;                 // leading bits that must match (IPv4 entries: 96 + their prefix)
  };
  std::vector<Block> blocks_;
};

}  // namespace ap::http
