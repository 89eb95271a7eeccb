// LoginThrottler: the failed-login policy of AuthService, kept in the store so that every server instance on
// one store enforces the same counts ("nothing correct only in one process").
//
// Policy (docs/operations.md "Login throttling"):
//  - Per (email × client address): `free_failures` attempts, then each further attempt must wait 1 s, 2 s,
//    4 s … (capped at `max_lockout`); attempts during a wait are refused without checking the password.
//  - Per client address, across all emails: `address_free_failures` failed attempts, then the same doubling
//    waits. A success takes its attempt back, so the budget counts failures only.
//  - The client address is the IPv4 address, or the /64 prefix of an IPv6 address.
//  - A key is forgotten `memory` after its last counted attempt or the end of its lock, whichever is later.
// An attempt is counted *before* its password is checked (one atomic store step per key), so N parallel
// attempts on one key check at most the free number of passwords. A success clears its (email × address) key.
// An attacker at one address can thus lock (email, their address) only; the owner elsewhere is unaffected.
//
// Thread safety: safe from any thread. Does not own the store or clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "store/store.h"

namespace ap::service {

struct LoginThrottleOptions {
  int free_failures = 5;                            // attempts per (email × address) before waits begin
  int address_free_failures = 100;                  // failed attempts per address before waits begin
  Duration max_lockout = std::chrono::minutes(15);  // cap of one wait
  Duration memory = std::chrono::minutes(15);       // a quiet key is forgotten after this (see above)
};

// The throttle part of a client address: IPv4 as given, IPv6 as its /64 prefix ("2001:db8:1:2::/64"), an
// IPv4-mapped IPv6 address as its IPv4 address; anything else (empty, unparsable) as given, cut to 64 bytes.
std::string ThrottleAddressOf(std::string_view client_ip);

class LoginThrottler {
 public:
  // The keys of one counted attempt, for Succeeded().
  struct Ticket {
    std::string pair_key;
    std::string address_key;
  };

  LoginThrottler(store::Store& store, const Clock& clock, LoginThrottleOptions options);

  // Counts an attempt of `email` (normalised by the caller) from `client_ip`, before its password is checked.
  // Returns the ticket when the password may be checked; ResourceExhausted when the pair or the address must
  // wait (nothing counted then); a store error otherwise (nothing may be checked: failing closed).
  Result<Ticket> Begin(std::string_view email, std::string_view client_ip);
  // The attempt succeeded: forgets the pair's failures and takes the attempt back from the address budget.
  // Best effort (a store error is logged; the worst outcome is one failure too many remembered).
  void Succeeded(const Ticket& ticket);
  // Seconds until (email, client_ip) may try again (0 when it may now), the longer of its two waits.
  int64_t RetryAfterSeconds(std::string_view email, std::string_view client_ip) const;

 private:
  Ticket KeysOf(std::string_view email, std::string_view client_ip) const;

  store::Store& store_;
  const Clock& clock_;
  store::LoginThrottlePolicy pair_policy_;
  store::LoginThrottlePolicy address_policy_;
};

}  // namespace ap::service
