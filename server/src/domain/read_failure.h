// Why a quota read failed, and what the last refresh of one (account, region) did (issue 16 §1: a failed read is
// never shown as healthy).
//
// A failed read's reason is stored with the value (QuotaValue::reason) as "<Code>: <message>": the AWS error code
// first where AWS answered (aws/aws_error.h), otherwise a code naming the failure's class (ReadFailureReason).
// Clients get the reason's kind beside it, to offer a fix hint.
// Pure. Thread safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/quota.h"

namespace ap::domain {

enum class ReadFailureKind {
  kAccessDenied,  // AWS refused the call or the role assumption (permissions or trust policy)
  kCredentials,   // the credentials are invalid or expired, or none could be made (no identity, role not assumable)
  kThrottled,     // AWS throttled the calls, still after the client's retries
  kUnavailable,   // AWS or the network failed (5xx, timeouts, connection errors)
  kOther,         // anything else (the reason says what)
};
// "access_denied" | "credentials" | "throttled" | "unavailable" | "other"
std::string_view ReadFailureKindName(ReadFailureKind kind);

// The kind of a stored reason, from its leading code (see the file comment); kOther for an empty reason or an
// unknown code.
ReadFailureKind ClassifyReadFailure(std::string_view reason);

// The reason to store for a read that failed with `status` (REQUIRES: !status.ok()): its message when that starts
// with an error code ("AccessDeniedException: …"); otherwise the message after a code naming the status's class:
// "NetworkError: " (Unavailable, DeadlineExceeded), "Throttling: " (ResourceExhausted), "CredentialsError: "
// (Unauthenticated, or any failure to make the credentials when `credentials` is true); other messages as they are.
std::string ReadFailureReason(const Status& status, bool credentials);

// What the newest refresh attempt of a snapshot did: the values whose attempted_at_ms is the newest (a refresh
// attempts all its codes at one instant, so these are the codes the last refresh tried).
struct LastRefresh {
  int64_t at_ms = 0;   // when it was attempted; 0 when no value was ever attempted (then the rest is empty)
  int64_t read = 0;    // values it read
  int64_t failed = 0;  // values it could not read (kept stale with their last good value, or error)
  std::string reason;  // the first failed value's reason (by quota code); empty when none failed
};
LastRefresh SummarizeLastRefresh(const QuotaSnapshot& snapshot);
// "ok" (nothing failed) | "partial" (some read, some failed) | "failed" (nothing read). REQUIRES: r.at_ms != 0.
std::string_view LastRefreshStateName(const LastRefresh& r);

}  // namespace ap::domain
