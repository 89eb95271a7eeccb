#include "domain/read_failure.h"

#include <gtest/gtest.h>

namespace ap::domain {
namespace {

TEST(ReadFailureTest, ClassifiesByTheLeadingCode) {
  EXPECT_EQ(ClassifyReadFailure("AccessDeniedException: no"), ReadFailureKind::kAccessDenied);
  EXPECT_EQ(ClassifyReadFailure("AccessDenied: not authorized to perform sts:AssumeRole"),
            ReadFailureKind::kAccessDenied);
  EXPECT_EQ(ClassifyReadFailure("UnrecognizedClientException: bad token"), ReadFailureKind::kCredentials);
  EXPECT_EQ(ClassifyReadFailure("ExpiredToken: expired"), ReadFailureKind::kCredentials);
  EXPECT_EQ(ClassifyReadFailure("CredentialsError: no identity"), ReadFailureKind::kCredentials);
  EXPECT_EQ(ClassifyReadFailure("ThrottlingException: Rate exceeded"), ReadFailureKind::kThrottled);
  EXPECT_EQ(ClassifyReadFailure("NetworkError: connect failed"), ReadFailureKind::kUnavailable);
  EXPECT_EQ(ClassifyReadFailure("ServiceUnavailableException: later"), ReadFailureKind::kUnavailable);
  EXPECT_EQ(ClassifyReadFailure("ValidationException: bad code"), ReadFailureKind::kOther);
  EXPECT_EQ(ClassifyReadFailure("AWS returned no value"), ReadFailureKind::kOther);
  EXPECT_EQ(ClassifyReadFailure("connect to 127.0.0.1:1: refused"), ReadFailureKind::kOther);
  EXPECT_EQ(ClassifyReadFailure(""), ReadFailureKind::kOther);
  EXPECT_EQ(ReadFailureKindName(ReadFailureKind::kAccessDenied), "access_denied");
  EXPECT_EQ(ReadFailureKindName(ReadFailureKind::kUnavailable), "unavailable");
}

TEST(ReadFailureTest, NamesFailuresThatHaveNoCode) {
  EXPECT_EQ(ReadFailureReason(PermissionDenied("AccessDenied: x"), true), "AccessDenied: x");
  EXPECT_EQ(ReadFailureReason(Unavailable("timed out"), false), "NetworkError: timed out");
  EXPECT_EQ(ReadFailureReason(DeadlineExceeded("timed out"), true), "NetworkError: timed out");
  EXPECT_EQ(ReadFailureReason(ResourceExhausted("slow down"), false), "Throttling: slow down");
  EXPECT_EQ(ReadFailureReason(FailedPrecondition("the platform has no AWS identity"), true),
            "CredentialsError: the platform has no AWS identity");
  EXPECT_EQ(ReadFailureReason(Internal("cannot decrypt"), false), "cannot decrypt");
}

QuotaValue Value(std::string code, QuotaState state, int64_t attempted, std::string reason = "") {
  QuotaValue v;
  v.quota_code = std::move(code);
  v.state = state;
  v.value = state == QuotaState::kError ? std::nullopt : std::optional<double>(5);
  v.attempted_at_ms = attempted;
  v.reason = std::move(reason);
  return v;
}

TEST(ReadFailureTest, SummarizesTheNewestAttempt) {
  QuotaSnapshot s;
  EXPECT_EQ(SummarizeLastRefresh(s).at_ms, 0);
  s.values = {Value("A", QuotaState::kOk, 20), Value("B", QuotaState::kStale, 20, "ThrottlingException: x"),
              Value("C", QuotaState::kStale, 10, "older"), Value("D", QuotaState::kError, 20, "AccessDenied: y")};
  LastRefresh r = SummarizeLastRefresh(s);
  EXPECT_EQ(r.at_ms, 20);
  EXPECT_EQ(r.read, 1);
  EXPECT_EQ(r.failed, 2);
  EXPECT_EQ(r.reason, "ThrottlingException: x");  // the first code's
  EXPECT_EQ(LastRefreshStateName(r), "partial");
  s.values.erase(s.values.begin());
  EXPECT_EQ(LastRefreshStateName(SummarizeLastRefresh(s)), "failed");
  s.values = {Value("A", QuotaState::kOk, 20)};
  EXPECT_EQ(LastRefreshStateName(SummarizeLastRefresh(s)), "ok");
}

}  // namespace
}  // namespace ap::domain
