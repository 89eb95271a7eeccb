#include "service/aws_work_admission.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

#include <vector>

namespace ap::service {
namespace {

AwsWorkAdmissionOptions Options(size_t per_user, size_t total) {
  AwsWorkAdmissionOptions o;
  o.per_user = per_user;
  o.total = total;
  return o;
}

TEST(AwsWorkAdmission, RefusesAUsersRequestsBeyondItsShareButNotOtherUsers) {
  AwsWorkAdmission admission(Options(2, 10));
  std::vector<AwsWorkAdmission::Ticket> held;
  for (int i = 0; i < 2; ++i) {
    auto t = admission.Admit("alice");
    ASSERT_OK(t);
    held.push_back(std::move(t).value());
  }
  auto third = admission.Admit("alice");
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.status().code(), StatusCode::kResourceExhausted);  // → 429
  auto bob = admission.Admit("bob");
  ASSERT_OK(bob);
  EXPECT_EQ(admission.in_flight("alice"), 2u);
  EXPECT_EQ(admission.in_flight("bob"), 1u);
  EXPECT_EQ(admission.in_flight(), 3u);
}

TEST(AwsWorkAdmission, RefusesEveryoneBeyondTheTotalAsUnavailable) {
  AwsWorkAdmission admission(Options(8, 2));
  auto a = admission.Admit("alice");
  auto b = admission.Admit("bob");
  ASSERT_TRUE(a.ok() && b.ok());
  auto c = admission.Admit("carol");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kUnavailable);  // → 503: the server is busy, not carol's fault
  a->Release();
  EXPECT_OK(admission.Admit("carol"));
}

TEST(AwsWorkAdmission, TicketsGiveTheirPlaceBackOnceWhenReleasedMovedOrDestroyed) {
  AwsWorkAdmission admission(Options(1, 10));
  {
    auto t = admission.Admit("alice");
    ASSERT_OK(t);
    AwsWorkAdmission::Ticket moved = std::move(t).value();
    EXPECT_TRUE(moved.held());
    EXPECT_FALSE(admission.Admit("alice").ok());
    AwsWorkAdmission::Ticket other;
    other = std::move(moved);
    EXPECT_FALSE(moved.held());  // NOLINT(bugprone-use-after-move): a moved-from ticket holds nothing
    EXPECT_EQ(admission.in_flight(), 1u);
    other.Release();
    other.Release();  // idempotent
    EXPECT_EQ(admission.in_flight(), 0u);
    auto again = admission.Admit("alice");
    ASSERT_OK(again);
  }  // `again` destroyed here
  EXPECT_EQ(admission.in_flight(), 0u);
  EXPECT_EQ(admission.in_flight("alice"), 0u);
  EXPECT_OK(admission.Admit("alice"));
}

TEST(AwsWorkAdmission, CountsRefusalsByReason) {
  MetricsRegistry metrics;
  AwsWorkAdmissionOptions o = Options(1, 1);
  o.metrics = &metrics;
  AwsWorkAdmission admission(o);
  auto a = admission.Admit("alice");
  ASSERT_OK(a);
  EXPECT_FALSE(admission.Admit("alice").ok());
  EXPECT_FALSE(admission.Admit("bob").ok());
  std::string text = metrics.Render();
  EXPECT_NE(text.find("ap_aws_work_refused_total{reason=\"user_share\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("ap_aws_work_refused_total{reason=\"busy\"} 1"), std::string::npos) << text;
}

}  // namespace
}  // namespace ap::service
