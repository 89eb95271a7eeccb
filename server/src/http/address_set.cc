#include "http/address_set.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace ap::http {
namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct Parsed {
  std::array<uint8_t, 16> bytes{};
  bool v4 = false;
};

// inet_pton takes plain literals only: dotted-quad IPv4 (no "10.1" or hex shorthands) and IPv6 without a zone
// id, which is what the socket layer prints for peers.
std::optional<Parsed> ParseAddress(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;  // INET6_ADDRSTRLEN - 1
  std::string s(text);                                        // inet_pton needs a terminated string
  Parsed p;
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    p.v4 = true;
    p.bytes[10] = 0xff;
    p.bytes[11] = 0xff;
    const auto* b = reinterpret_cast<const uint8_t*>(&v4.s_addr);  // network byte order
    std::copy(b, b + 4, p.bytes.begin() + 12);
    return p;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::copy(v6.s6_addr, v6.s6_addr + 16, p.bytes.begin());
    return p;
  }
  return std::nullopt;
}

bool PrefixMatches(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& network, int prefix) {
  int full = prefix / 8;
  if (!std::equal(a.begin(), a.begin() + full, network.begin())) return false;
  int rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == network[full];
}

}  // namespace

Result<AddressSet> AddressSet::Parse(const std::vector<std::string>& entries, const std::string& field) {
  AddressSet set;
  set.blocks_.reserve(entries.size());
  for (const std::string& raw : entries) {
    std::string_view entry = TrimSpaces(raw);
    if (entry.empty()) continue;
    const auto bad = [&](std::string_view why) {
      // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on a chain of operator+.
      std::string message = "\"";
      message.append(entry).append("\" is not an IP address or CIDR block (").append(why).append(")");
      return InvalidArgument(std::move(message), field);
    };
    size_t slash = entry.find('/');
    auto address = ParseAddress(entry.substr(0, slash));
    if (!address) return bad("expected e.g. 10.0.0.1, 10.0.0.0/16, fd00::1 or fd00::/8");
    int max_prefix = address->v4 ? 32 : 128;
    int prefix = max_prefix;
    if (slash != std::string_view::npos) {
      std::string_view digits = entry.substr(slash + 1);
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
          prefix > max_prefix)
        return bad("the prefix length must be 0.." + std::to_string(max_prefix));
    }
    Block block;
    block.prefix = address->v4 ? 96 + prefix : prefix;
    // Keep the network part only, so that matching compares whole bytes plus one masked byte.
    for (int i = 0; i < 16; ++i) {
      int bits = std::clamp(block.prefix - i * 8, 0, 8);
      auto mask = static_cast<uint8_t>(bits == 0 ? 0 : 0xff << (8 - bits));
      block.bytes[static_cast<size_t>(i)] = address->bytes[static_cast<size_t>(i)] & mask;
    }
    set.blocks_.push_back(block);
  }
  return set;
}

bool AddressSet::Contains(std::string_view ip) const {
  if (blocks_.empty()) return false;
  auto address = ParseAddress(TrimSpaces(ip));
  if (!address) return false;
  return std::any_of(blocks_.begin(), blocks_.end(),
                     [&](const Block& b) { return PrefixMatches(address->bytes, b.bytes, b.prefix); });
}

}  // namespace ap::http
