#include "service/login_throttle.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "common/log.h"
#include "service/crypto.h"

namespace ap::service {
namespace {

int64_t Millis(Duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

}  // namespace

std::string ThrottleAddressOf(std::string_view client_ip) {
  std::string ip(client_ip.substr(0, 64));
  in_addr v4{};
  if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) return ip;
  in6_addr v6{};
  if (inet_pton(AF_INET6, ip.c_str(), &v6) == 1) {
    const uint8_t* b = v6.s6_addr;
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(b, kMapped, sizeof kMapped) == 0) {
      char text[INET_ADDRSTRLEN];
      std::memcpy(&v4, b + 12, 4);
      if (inet_ntop(AF_INET, &v4, text, sizeof text)) return text;
    }
    // One host (or one customer line) usually owns a whole /64: keying on the full address would give an
    // attacker 2^64 budgets.
    char text[48];
    std::snprintf(text, sizeof text, "%x:%x:%x:%x::/64", (b[0] << 8) | b[1], (b[2] << 8) | b[3], (b[4] << 8) | b[5],
                  (b[6] << 8) | b[7]);
    return text;
  }
  return ip;
}

LoginThrottler::LoginThrottler(store::Store& store, const Clock& clock, LoginThrottleOptions options)
    : store_(store), clock_(clock) {
  pair_policy_.free_attempts = std::max(1, options.free_failures);
  pair_policy_.base_wait_ms = 1000;
  pair_policy_.max_wait_ms = Millis(options.max_lockout);
  pair_policy_.forget_after_ms = Millis(options.memory);
  address_policy_ = pair_policy_;
  address_policy_.free_attempts = std::max(1, options.address_free_failures);
}

LoginThrottler::Ticket LoginThrottler::KeysOf(std::string_view email, std::string_view client_ip) const {
  // The email is hashed: the table then holds no typed text (people do type passwords into the email field),
  // and keys have a fixed size whatever was sent.
  std::string address = ThrottleAddressOf(client_ip);
  Ticket t;
  t.pair_key = "login:" + Sha256Hex(email) + "@" + address;
  t.address_key = "addr:" + address;
  return t;
}

Result<LoginThrottler::Ticket> LoginThrottler::Begin(std::string_view email, std::string_view client_ip) {
  Ticket t = KeysOf(email, client_ip);
  const int64_t now = clock_.NowUnixMillis();
  // The address first: once its budget is spent, a sprayer creates no further per-email keys.
  ASSIGN_OR_RETURN(store::ThrottleDecision address, store_.CountLoginAttempt(t.address_key, now, address_policy_));
  if (!address.allowed) return ResourceExhausted("too many failed logins from this address; try again later");
  auto pair = store_.CountLoginAttempt(t.pair_key, now, pair_policy_);
  if (!pair.ok() || !pair->allowed) {
    // No password will be checked: this attempt must not spend the address budget.
    if (Status s = store_.RefundLoginAttempt(t.address_key); !s.ok())
      log::Warn("login_throttle_refund_failed", {{"error", s.ToString()}});
    if (!pair.ok()) return pair.status();
    return ResourceExhausted("too many failed logins for this email; try again later");
  }
  return t;
}

void LoginThrottler::Succeeded(const Ticket& t) {
  if (Status s = store_.ClearLoginFailures(t.pair_key); !s.ok())
    log::Warn("login_throttle_clear_failed", {{"error", s.ToString()}});
  if (Status s = store_.RefundLoginAttempt(t.address_key); !s.ok())
    log::Warn("login_throttle_refund_failed", {{"error", s.ToString()}});
}

int64_t LoginThrottler::RetryAfterSeconds(std::string_view email, std::string_view client_ip) const {
  Ticket t = KeysOf(email, client_ip);
  const int64_t now = clock_.NowUnixMillis();
  int64_t until = now;
  for (const std::string* key : {&t.address_key, &t.pair_key}) {
    auto state = store_.GetLoginThrottle(*key, now);
    if (state.ok()) until = std::max(until, state->locked_until_ms);
  }
  if (until <= now) return 0;
  return std::max<int64_t>(1, (until - now + 999) / 1000);
}

}  // namespace ap::service
