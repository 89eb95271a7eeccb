// Status and Result<T>: the one error currency of the server (leveldb-style).
//
// A Status is OK or carries a code, a human message and, for validation errors, the name of the offending field
// (e.g. "models[2].quota_code_tpm"). Result<T> holds either a T or a non-OK Status. Both are [[nodiscard]]: an
// ignored error is a compile warning (and an error with -Werror).
//
// Thread safety: value types; safe to copy between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ap {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // failed validation (HTTP 422); the field is named in field()
  kNotFound,            // unknown id (404)
  kAlreadyExists,       // unique key taken (409)
  kFailedPrecondition,  // stale version, state does not allow the operation (409)
  kUnauthenticated,     // no or bad credentials (401)
  kPermissionDenied,    // authenticated but not allowed (403)
  kResourceExhausted,   // throttled / rate limited (429)
  kUnavailable,         // cannot be done now, may work later (503; the message reaches the client): a dependency
                        // failed or cannot be reached (AWS, the database, a file), the server is busy (admission
                        // limits), shutting down, or not configured for the operation
  kDeadlineExceeded,    // a dependency timed out (504)
  kInternal,            // a bug or an unexpected failure; its text never reaches a client (500)
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The request field a validation error is about; empty when the error is not about one field.
  const std::string& field() const { return field_; }

  // "NotFound: account 123 not found" — for logs, never for clients when the code is kInternal.
  std::string ToString() const;

  // Silences [[nodiscard]] where ignoring an error is a deliberate decision (say why at the call site).
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

inline Status InvalidArgument(std::string msg, std::string field = {}) {
  return Status(StatusCode::kInvalidArgument, std::move(msg), std::move(field));
}
inline Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
inline Status AlreadyExists(std::string msg) { return Status(StatusCode::kAlreadyExists, std::move(msg)); }
inline Status FailedPrecondition(std::string msg) { return Status(StatusCode::kFailedPrecondition, std::move(msg)); }
inline Status Unauthenticated(std::string msg) { return Status(StatusCode::kUnauthenticated, std::move(msg)); }
inline Status PermissionDenied(std::string msg) { return Status(StatusCode::kPermissionDenied, std::move(msg)); }
inline Status ResourceExhausted(std::string msg) { return Status(StatusCode::kResourceExhausted, std::move(msg)); }
inline Status Unavailable(std::string msg) { return Status(StatusCode::kUnavailable, std::move(msg)); }
inline Status DeadlineExceeded(std::string msg) { return Status(StatusCode::kDeadlineExceeded, std::move(msg)); }
inline Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }

// Either a value or a non-OK Status. Constructing a Result from an OK Status is a programming error and yields
// an Internal status instead, so that a bug never looks like success.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status)                         // NOLINT(google-explicit-constructor)
      : data_(status.ok() ? Internal("Result constructed from an OK status") : std::move(status)) {}

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(data_);
  }
  // REQUIRES: ok().
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace ap

#define AP_CONCAT_INNER(a, b) a##b
#define AP_CONCAT(a, b) AP_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` (a Status) is not OK.
#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::ap::Status ap_status_tmp_ = (expr);            \
    if (!ap_status_tmp_.ok()) return ap_status_tmp_; \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, Foo());` — binds the value of a Result or returns its Status.
#define ASSIGN_OR_RETURN(lhs, expr) ASSIGN_OR_RETURN_IMPL(AP_CONCAT(ap_result_, __LINE__), lhs, expr)
// NOLINTBEGIN(bugprone-macro-parentheses): `lhs` is a declaration (`auto x`) and `tmp` a fresh identifier;
// neither can be parenthesized.
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
