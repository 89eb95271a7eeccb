#include "service/quota_increase_service.h"

#include <gtest/gtest.h>

#include <atomic>

#include "increase_fixture.h"
#include "status_matchers.h"

namespace ap::service {
namespace {

using testing::IncreaseFixture;

class QuotaIncreaseServiceTest : public IncreaseFixture {};

TEST_F(QuotaIncreaseServiceTest, PreviewShowsWhatWouldBeSentAndEveryRefusal) {
  std::vector<IncreaseTarget> targets = {
      {kAccount, "us-east-1"}, {kAccount, "eu-west-1"}, {"999999999999", "us-east-1"}};
  ASSERT_OK_AND_ASSIGN(auto plans, svc->Preview(env.Admin(), Spec("tpm", 2000), targets));
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_FALSE(plans[0].problem.has_value());
  EXPECT_EQ(plans[0].quota_code, kSonnetTpm);
  EXPECT_EQ(plans[0].current_value, 1000);
  EXPECT_EQ(plans[0].service_code, "bedrock");
  EXPECT_EQ(plans[0].account_name, "Account " + std::string(kAccount));
  ASSERT_TRUE(plans[1].problem.has_value());
  EXPECT_EQ(plans[1].problem->code, "region_not_enabled");
  ASSERT_TRUE(plans[2].problem.has_value());
  EXPECT_EQ(plans[2].problem->code, "account_inactive");
  EXPECT_FALSE(plans[2].account_name.has_value());

  ASSERT_OK_AND_ASSIGN(auto low, svc->Preview(env.Admin(), Spec("tpm", 1000), {{kAccount, "us-east-1"}}));
  EXPECT_EQ(low[0].problem->code, "not_above_current");
  ASSERT_OK_AND_ASSIGN(auto unknown, svc->Preview(env.Admin(), Spec("rpm", 10), {{kAccount, "us-east-1"}}));
  EXPECT_EQ(unknown[0].problem->code, "current_unknown");
  EXPECT_FALSE(unknown[0].current_value.has_value());
  IncreaseSpec opus = Spec("rpm", 10);
  opus.model_id = "claude-opus-4.5";
  ASSERT_OK_AND_ASSIGN(auto fixed, svc->Preview(env.Admin(), opus, {{kAccount, "us-east-1"}}));
  EXPECT_EQ(fixed[0].problem->code, "not_adjustable");
  ASSERT_OK_AND_ASSIGN(auto user, svc->Preview(env.UserOf({"ops"}), Spec("tpm", 2000), {{kAccount, "us-east-1"}}));
  EXPECT_EQ(user[0].problem->code, "forbidden");  // users may not request without --users-may-request
  EXPECT_EQ(quotas.request_calls, 0);             // a preview never calls AWS

  EXPECT_EQ(svc->Preview(env.Admin(), Spec("tpm", 2000), {}).status().field(), "targets");
  EXPECT_EQ(svc->Preview(env.Admin(), Spec("tpm", 2000), {{kAccount, "mars-1"}}).status().field(), "targets[0].region");
  EXPECT_EQ(
      svc->Preview(env.Admin(), Spec("tpm", 2000), {{kAccount, "us-east-1"}, {kAccount, "us-east-1"}}).status().field(),
      "targets[1].region");
  EXPECT_EQ(svc->Preview(env.Admin(), Spec("tph", 2000), {{kAccount, "us-east-1"}}).status().field(), "dimension");
  EXPECT_EQ(svc->Preview(env.Admin(), Spec("tpm", -1), {{kAccount, "us-east-1"}}).status().field(), "desired_value");
}

TEST_F(QuotaIncreaseServiceTest, RequestSendsStoresAndRefusesASecondOpenOneForTheQuota) {
  IncreaseSpec spec = Spec("tpm", 2000);
  spec.reason = "launch week";
  ASSERT_OK_AND_ASSIGN(auto req, svc->Request(env.Admin(), {kAccount, "us-east-1"}, spec));
  EXPECT_EQ(req.status, domain::IncreaseStatus::kPending);
  EXPECT_EQ(req.aws_request_id, "req-1");
  EXPECT_EQ(req.quota_code, kSonnetTpm);
  EXPECT_EQ(req.value_at_request, 1000);
  EXPECT_EQ(req.reason, "launch week");
  EXPECT_EQ(req.requested_by, "u_admin");
  EXPECT_EQ(req.source, domain::IncreaseSource::kPlatform);
  ASSERT_OK_AND_ASSIGN(auto stored, env.store->GetIncreaseRequest(req.request_id));
  EXPECT_EQ(stored.aws_request_id, "req-1");

  auto again = svc->Request(env.Admin(), {kAccount, "us-east-1"}, Spec("tpm", 3000));
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.status().field(), "quota_code");
  EXPECT_EQ(quotas.request_calls, 1);  // refused before sending
  EXPECT_EQ(svc->Request(env.Admin(), {kAccount, "eu-west-1"}, spec).status().field(), "region");
  EXPECT_EQ(svc->Request(env.Admin(), {"999999999999", "us-east-1"}, spec).status().code(), StatusCode::kNotFound);
}

TEST_F(QuotaIncreaseServiceTest, UsersMayRequestOnlyWithTheOptionAndForTheirTeamsAccounts) {
  auto denied = svc->Request(env.UserOf({"ops"}), {kAccount, "us-east-1"}, Spec("tpm", 2000));
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  Build({.users_may_request = true});
  EXPECT_EQ(svc->Request(env.UserOf({"other"}), {kAccount, "us-east-1"}, Spec("tpm", 2000)).status().code(),
            StatusCode::kPermissionDenied);
  ASSERT_OK_AND_ASSIGN(auto req, svc->Request(env.UserOf({"ops"}), {kAccount, "us-east-1"}, Spec("tpm", 2000)));
  EXPECT_EQ(req.requested_by, "u_user");
  EXPECT_TRUE(svc->MayRequest(env.UserOf({"ops"}).principal, kAccount));
}

TEST_F(QuotaIncreaseServiceTest, TheAccountsOpenLimitRefusesBeforeSending) {
  Build({.max_open = 1});
  SetCached("us-east-1", kSonnetRpm, 100);
  ASSERT_OK(svc->Request(env.Admin(), {kAccount, "us-east-1"}, Spec("tpm", 2000)));
  auto refused = svc->Request(env.Admin(), {kAccount, "us-east-1"}, Spec("rpm", 200));
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("account_open_limit"), std::string::npos);
  EXPECT_EQ(quotas.request_calls, 1);
}

TEST_F(QuotaIncreaseServiceTest, AwsRefusalsMapToConflictValidationOrUpstreamAndStoreNothing) {
  const IncreaseTarget t{kAccount, "us-east-1"};
  quotas.request_error = AlreadyExists("ResourceAlreadyExistsException: one open request per quota");
  EXPECT_EQ(svc->Request(env.Admin(), t, Spec("tpm", 2000)).status().code(), StatusCode::kFailedPrecondition);
  quotas.request_error = InvalidArgument("IllegalArgumentException: too high");
  EXPECT_EQ(svc->Request(env.Admin(), t, Spec("tpm", 2000)).status().field(), "desired_value");
  quotas.request_error = NotFound("NoSuchResourceException: no such quota");
  EXPECT_EQ(svc->Request(env.Admin(), t, Spec("tpm", 2000)).status().field(), "model_id");
  quotas.request_error = Unauthenticated("InvalidClientTokenId: bad key");
  IncreaseSendError err;
  EXPECT_EQ(svc->Request(env.Admin(), t, Spec("tpm", 2000), &err).status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(err.upstream);
  ASSERT_OK_AND_ASSIGN(auto page, env.store->ListIncreaseRequests({}));
  EXPECT_TRUE(page.items.empty());
}

TEST_F(QuotaIncreaseServiceTest, CheckStoresTheStatusAndAnApprovalTriggersOneRefresh) {
  ASSERT_OK_AND_ASSIGN(auto req, svc->Request(env.Admin(), {kAccount, "us-east-1"}, Spec("tpm", 2000)));
  quotas.SetChangeStatus("req-1", "CASE_OPENED", "case-7");
  ASSERT_OK_AND_ASSIGN(auto opened, svc->Check(env.Admin(), req.request_id));
  EXPECT_EQ(opened.status, domain::IncreaseStatus::kCaseOpened);
  EXPECT_EQ(opened.case_id, "case-7");
  EXPECT_EQ(approvals.load(), 0);
  quotas.SetChangeStatus("req-1", "APPROVED");
  ASSERT_OK_AND_ASSIGN(auto approved, svc->Check(env.Admin(), req.request_id));
  EXPECT_EQ(approved.status, domain::IncreaseStatus::kApproved);
  EXPECT_FALSE(approved.open());
  EXPECT_GT(approved.approved_refresh_at_ms, 0);
  ASSERT_OK(svc->Check(env.Admin(), req.request_id));
  EXPECT_EQ(approvals.load(), 1);  // once, however often it is read
  // Both status changes are audited.
  store::AuditFilter f;
  f.action = "quota_increase.status_changed";
  ASSERT_OK_AND_ASSIGN(auto audited, env.audit->List(f));
  EXPECT_EQ(audited.items.size(), 2u);
}

TEST_F(QuotaIncreaseServiceTest, AFailedReadKeepsTheStatusAndSaysWhy) {
  ASSERT_OK_AND_ASSIGN(auto req, svc->Request(env.Admin(), {kAccount, "us-east-1"}, Spec("tpm", 2000)));
  quotas.get_change_error = Unavailable("ServiceUnavailable: try later");
  ASSERT_OK_AND_ASSIGN(auto checked, svc->Check(env.Admin(), req.request_id));
  EXPECT_EQ(checked.status, domain::IncreaseStatus::kPending);
  EXPECT_NE(checked.check_error.find("ServiceUnavailable"), std::string::npos);
  quotas.get_change_error = Status::Ok();
  ASSERT_OK_AND_ASSIGN(auto again, svc->Check(env.Admin(), req.request_id));
  EXPECT_EQ(again.check_error, "");
  EXPECT_EQ(svc->Check(env.UserOf({"ops"}), req.request_id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(svc->Check(env.Admin(), "qr_missing").status().code(), StatusCode::kNotFound);
}

TEST_F(QuotaIncreaseServiceTest, SyncFindsRequestsMadeOutsideOnceAndUpdatesKnownOnes) {
  const std::string ext = quotas.AddExternalChange("us-east-1", kSonnetRpm, 500, "CASE_OPENED");
  ASSERT_OK_AND_ASSIGN(auto first, svc->Sync(env.Admin(), kAccount));
  EXPECT_EQ(first.found, 1);
  EXPECT_EQ(first.updated, 0);
  EXPECT_TRUE(first.failed.empty());
  ASSERT_OK_AND_ASSIGN(auto found, env.store->FindIncreaseRequestByAwsId(kAccount, ext));
  EXPECT_EQ(found.source, domain::IncreaseSource::kExternal);
  EXPECT_EQ(found.model_id, "claude-sonnet-4.5-v1");
  EXPECT_EQ(found.dimension, "rpm");
  EXPECT_EQ(found.desired_value, 500);
  EXPECT_FALSE(found.value_at_request.has_value());
  ASSERT_OK_AND_ASSIGN(auto second, svc->Sync(env.Admin(), kAccount));
  EXPECT_EQ(second.found, 0);
  EXPECT_EQ(second.updated, 0);
  quotas.SetChangeStatus(ext, "DENIED");
  ASSERT_OK_AND_ASSIGN(auto third, svc->Sync(env.Admin(), kAccount));
  EXPECT_EQ(third.updated, 1);
  ASSERT_OK_AND_ASSIGN(auto denied, env.store->GetIncreaseRequest(found.request_id));
  EXPECT_EQ(denied.status, domain::IncreaseStatus::kDenied);
  // The history of one code failing is reported, the others still count.
  quotas.FailEverything(Unavailable("ServiceUnavailable: down"));
  ASSERT_OK_AND_ASSIGN(auto failing, svc->Sync(env.Admin(), kAccount));
  EXPECT_FALSE(failing.failed.empty());
  EXPECT_EQ(failing.failed[0].region, "us-east-1");
}

TEST_F(QuotaIncreaseServiceTest, ListsNeedAnAccountForUsers) {
  ASSERT_OK(svc->Request(env.Admin(), {kAccount, "us-east-1"}, Spec("tpm", 2000)));
  IncreaseListQuery q;
  EXPECT_EQ(svc->List(env.UserOf({"ops"}), q).status().field(), "account_id");
  ASSERT_OK_AND_ASSIGN(auto fleet, svc->List(env.Admin(), q));
  EXPECT_EQ(fleet.items.size(), 1u);
  q.account_id = kAccount;
  ASSERT_OK_AND_ASSIGN(auto mine, svc->List(env.UserOf({"ops"}), q));
  EXPECT_EQ(mine.items.size(), 1u);
  EXPECT_EQ(svc->List(env.UserOf({"other"}), q).status().code(), StatusCode::kPermissionDenied);
  q.limit = 0;
  EXPECT_EQ(svc->List(env.Admin(), q).status().field(), "limit");
}

}  // namespace
}  // namespace ap::service
