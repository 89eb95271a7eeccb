// Conformance: quota increase requests (store/quota_increase_store.h) and the job fields of the bulk increase action
// (Job::params, JobItem::ref in job_store.h). Every test goes through the Store interfaces only.
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/random.h"
#include "domain/ids.h"
#include "status_matchers.h"
#include "store_conformance.h"

namespace ap::store::testing {
namespace {

using domain::IncreaseSource;
using domain::IncreaseStatus;
using domain::QuotaIncreaseRequest;

constexpr int64_t kT0 = 1'760'000'000'000;

// A request made at kT0 + n seconds, with an id of that time (the suffix keeps ids of one instant apart and ordered).
QuotaIncreaseRequest Request(int n, const std::string& account = "123456789012",
                             const std::string& code = "L-AAAA0001") {
  QuotaIncreaseRequest r;
  const int64_t at = kT0 + int64_t{n} * 1000;
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, "%016x", static_cast<unsigned>(n));
  char hex[16];
  std::snprintf(hex, sizeof hex, "%013llx", static_cast<unsigned long long>(at));
  r.request_id = std::string("qr_") + hex + suffix;
  r.account_id = account;
  r.region = "us-east-1";
  r.quota_code = code;
  r.model_id = "anthropic.claude-sonnet-4-5";
  r.dimension = "tpm";
  r.desired_value = 2'000'000.5;
  r.value_at_request = 1'000'000;
  r.reason = "launch – more capacity ✓";
  r.aws_request_id = "aws-" + std::to_string(n);
  r.status = IncreaseStatus::kPending;
  r.source = IncreaseSource::kPlatform;
  r.requested_by = "u_admin";
  r.aws_created_ms = at - 5;
  r.aws_updated_ms = at - 5;
  r.created_at_ms = at;
  r.version = 1;
  return r;
}

std::vector<std::string> Ids(const IncreaseRequestPage& page) {
  std::vector<std::string> ids;
  for (const QuotaIncreaseRequest& r : page.items) ids.push_back(r.request_id);
  return ids;
}

// Every id of a list, page by page (`limit` per page).
std::vector<std::string> AllIds(Store& store, IncreaseRequestFilter filter, int64_t limit) {
  std::vector<std::string> ids;
  filter.limit = limit;
  for (int pages = 0; pages < 100; ++pages) {
    Result<IncreaseRequestPage> page = store.ListIncreaseRequests(filter);
    EXPECT_OK(page.status());
    if (!page.ok()) break;
    EXPECT_LE(page->items.size(), static_cast<size_t>(limit));
    for (const std::string& id : Ids(*page)) ids.push_back(id);
    if (page->next.empty()) break;
    filter.cursor = page->next;
  }
  return ids;
}

TEST_P(StoreConformance, IncreaseRequestInsertGetAndRoundTrip) {
  EXPECT_EQ(store().GetIncreaseRequest(Request(1).request_id).status().code(), StatusCode::kNotFound);
  QuotaIncreaseRequest r = Request(1);
  r.version = 7;  // ignored: a new request is version 1
  ASSERT_OK(store().InsertIncreaseRequest(r));
  r.version = 1;
  ASSERT_OK_AND_ASSIGN(QuotaIncreaseRequest got, store().GetIncreaseRequest(r.request_id));
  EXPECT_EQ(got, r);

  // An external request: no model, no value at request (null, not 0), no reason, no user.
  QuotaIncreaseRequest ext = Request(2);
  ext.model_id.clear();
  ext.dimension.clear();
  ext.value_at_request.reset();
  ext.reason.clear();
  ext.requested_by.clear();
  ext.source = IncreaseSource::kExternal;
  ext.status = IncreaseStatus::kCaseOpened;
  ext.case_id = "case-123";
  ASSERT_OK(store().InsertIncreaseRequest(ext));
  ASSERT_OK_AND_ASSIGN(got, store().GetIncreaseRequest(ext.request_id));
  EXPECT_EQ(got, ext);
  EXPECT_FALSE(got.value_at_request.has_value());

  ASSERT_OK_AND_ASSIGN(got, store().FindIncreaseRequestByAwsId(ext.account_id, ext.aws_request_id));
  EXPECT_EQ(got.request_id, ext.request_id);
  EXPECT_EQ(store().FindIncreaseRequestByAwsId("210987654321", ext.aws_request_id).status().code(),
            StatusCode::kNotFound);
}

TEST_P(StoreConformance, IncreaseRequestDuplicateAwsIdIsAlreadyExistsNamingTheStoredRequest) {
  const QuotaIncreaseRequest first = Request(1);
  ASSERT_OK(store().InsertIncreaseRequest(first));
  QuotaIncreaseRequest again = Request(2);
  again.aws_request_id = first.aws_request_id;  // the same AWS request found again (discovery, another instance)
  Status dup = store().InsertIncreaseRequest(again);
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.message().find(first.request_id), std::string::npos) << dup.message();
  EXPECT_EQ(store().GetIncreaseRequest(again.request_id).status().code(), StatusCode::kNotFound);
  // The same AWS id in another account is another request.
  QuotaIncreaseRequest other = Request(3, "210987654321");
  other.aws_request_id = first.aws_request_id;
  ASSERT_OK(store().InsertIncreaseRequest(other));
  // The same request_id again.
  QuotaIncreaseRequest same_id = Request(1);
  same_id.aws_request_id = "aws-new";
  EXPECT_EQ(store().InsertIncreaseRequest(same_id).code(), StatusCode::kAlreadyExists);
  ASSERT_OK_AND_ASSIGN(IncreaseRequestPage all, store().ListIncreaseRequests({}));
  EXPECT_EQ(Ids(all), (std::vector<std::string>{other.request_id, first.request_id}));
}

TEST_P(StoreConformance, IncreaseRequestInsertRefusesInvalidRecordsNamingTheField) {
  struct Case {
    const char* field;
    void (*edit)(QuotaIncreaseRequest&);
  };
  const Case cases[] = {
      {"account_id", [](QuotaIncreaseRequest& r) { r.account_id = "12345"; }},
      {"region", [](QuotaIncreaseRequest& r) { r.region = "mars-1"; }},
      {"quota_code", [](QuotaIncreaseRequest& r) { r.quota_code = "Q-1"; }},
      {"desired_value", [](QuotaIncreaseRequest& r) { r.desired_value = 0; }},
      {"reason", [](QuotaIncreaseRequest& r) { r.reason = std::string(501, 'x'); }},
      {"request_id", [](QuotaIncreaseRequest& r) { r.request_id = "j_1"; }},
      {"aws_request_id", [](QuotaIncreaseRequest& r) { r.aws_request_id.clear(); }},
      {"dimension", [](QuotaIncreaseRequest& r) { r.dimension = "tokens"; }},
      {"dimension", [](QuotaIncreaseRequest& r) { r.dimension.clear(); }},  // with a model
      {"created_at_ms", [](QuotaIncreaseRequest& r) { r.created_at_ms = -1; }},
  };
  for (const Case& c : cases) {
    QuotaIncreaseRequest r = Request(1);
    c.edit(r);
    Status s = store().InsertIncreaseRequest(r);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(s.field(), c.field) << s.ToString();
  }
  // 500 characters of 3-byte text is 1,500 bytes and allowed.
  QuotaIncreaseRequest wide = Request(1);
  wide.reason.clear();
  for (int i = 0; i < 500; ++i) wide.reason += "✓";
  ASSERT_OK(store().InsertIncreaseRequest(wide));
  ASSERT_OK_AND_ASSIGN(IncreaseRequestPage all, store().ListIncreaseRequests({}));
  EXPECT_EQ(all.items.size(), 1u);
}

TEST_P(StoreConformance, IncreaseRequestUpdateChecksTheVersionAndKeepsTheFixedFields) {
  const QuotaIncreaseRequest r = Request(1);
  ASSERT_OK(store().InsertIncreaseRequest(r));
  QuotaIncreaseRequest change = r;
  change.status = IncreaseStatus::kCaseOpened;
  change.case_id = "case-9";
  change.aws_updated_ms = r.created_at_ms + 10;
  change.checked_at_ms = r.created_at_ms + 20;
  change.check_error = "ThrottlingException: slow down";
  change.desired_value = 1;     // fixed: ignored
  change.reason = "rewritten";  // fixed: ignored
  ASSERT_OK_AND_ASSIGN(int64_t v2, store().UpdateIncreaseRequest(change, 1));
  EXPECT_EQ(v2, 2);
  ASSERT_OK_AND_ASSIGN(QuotaIncreaseRequest got, store().GetIncreaseRequest(r.request_id));
  EXPECT_EQ(got.status, IncreaseStatus::kCaseOpened);
  EXPECT_EQ(got.case_id, "case-9");
  EXPECT_EQ(got.aws_updated_ms, r.created_at_ms + 10);
  EXPECT_EQ(got.checked_at_ms, r.created_at_ms + 20);
  EXPECT_EQ(got.check_error, "ThrottlingException: slow down");
  EXPECT_EQ(got.desired_value, r.desired_value);
  EXPECT_EQ(got.reason, r.reason);
  EXPECT_EQ(got.version, 2);

  // A writer that read version 1 loses: nothing written.
  QuotaIncreaseRequest stale = r;
  stale.status = IncreaseStatus::kDenied;
  Result<int64_t> refused = store().UpdateIncreaseRequest(stale, 1);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  ASSERT_OK_AND_ASSIGN(got, store().GetIncreaseRequest(r.request_id));
  EXPECT_EQ(got.status, IncreaseStatus::kCaseOpened);
  EXPECT_EQ(got.version, 2);

  got.status = IncreaseStatus::kApproved;
  got.check_error.clear();
  got.approved_refresh_at_ms = r.created_at_ms + 30;
  ASSERT_OK_AND_ASSIGN(int64_t v3, store().UpdateIncreaseRequest(got, 2));
  EXPECT_EQ(v3, 3);
  ASSERT_OK_AND_ASSIGN(got, store().GetIncreaseRequest(r.request_id));
  EXPECT_EQ(got.approved_refresh_at_ms, r.created_at_ms + 30);
  EXPECT_EQ(got.check_error, "");

  QuotaIncreaseRequest missing = Request(9);
  EXPECT_EQ(store().UpdateIncreaseRequest(missing, 1).status().code(), StatusCode::kNotFound);
  got.case_id = std::string(200, 'c');
  EXPECT_EQ(store().UpdateIncreaseRequest(got, 3).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreConformance, IncreaseRequestOpenIndexHoldsExactlyTheOpenRequests) {
  // 1, 2 (other account), 3 open; 4 closed from the start (an external request found already approved).
  ASSERT_OK(store().InsertIncreaseRequest(Request(1)));
  ASSERT_OK(store().InsertIncreaseRequest(Request(2, "210987654321")));
  QuotaIncreaseRequest third = Request(3, "123456789012", "L-AAAA0003");
  third.status = IncreaseStatus::kCaseOpened;
  ASSERT_OK(store().InsertIncreaseRequest(third));
  QuotaIncreaseRequest done = Request(4, "123456789012", "L-AAAA0001");
  done.status = IncreaseStatus::kApproved;
  ASSERT_OK(store().InsertIncreaseRequest(done));

  ASSERT_OK_AND_ASSIGN(IncreaseRequestPage open, store().ListOpenIncreaseRequests("", 10));
  EXPECT_EQ(Ids(open), (std::vector<std::string>{third.request_id, Request(2).request_id, Request(1).request_id}));
  EXPECT_TRUE(open.next.empty());
  ASSERT_OK_AND_ASSIGN(int64_t count, store().CountOpenIncreaseRequests("123456789012"));
  EXPECT_EQ(count, 2);
  ASSERT_OK_AND_ASSIGN(count, store().CountOpenIncreaseRequests("999999999999"));
  EXPECT_EQ(count, 0);
  ASSERT_OK_AND_ASSIGN(std::optional<QuotaIncreaseRequest> per_quota,
                       store().FindOpenIncreaseRequest("123456789012", "us-east-1", "L-AAAA0001"));
  ASSERT_TRUE(per_quota.has_value());
  EXPECT_EQ(per_quota->request_id, Request(1).request_id);  // the approved one of the same quota is not open
  ASSERT_OK_AND_ASSIGN(per_quota, store().FindOpenIncreaseRequest("123456789012", "eu-west-1", "L-AAAA0001"));
  EXPECT_FALSE(per_quota.has_value());

  // Closing a request takes it out of the open index in the same write.
  ASSERT_OK_AND_ASSIGN(QuotaIncreaseRequest first, store().GetIncreaseRequest(Request(1).request_id));
  first.status = IncreaseStatus::kDenied;
  ASSERT_OK(store().UpdateIncreaseRequest(first, first.version).status());
  ASSERT_OK_AND_ASSIGN(open, store().ListOpenIncreaseRequests("", 10));
  EXPECT_EQ(Ids(open), (std::vector<std::string>{third.request_id, Request(2).request_id}));
  ASSERT_OK_AND_ASSIGN(count, store().CountOpenIncreaseRequests("123456789012"));
  EXPECT_EQ(count, 1);
  ASSERT_OK_AND_ASSIGN(per_quota, store().FindOpenIncreaseRequest("123456789012", "us-east-1", "L-AAAA0001"));
  EXPECT_FALSE(per_quota.has_value());
  // PENDING → CASE_OPENED stays open.
  ASSERT_OK_AND_ASSIGN(QuotaIncreaseRequest second, store().GetIncreaseRequest(Request(2).request_id));
  second.status = IncreaseStatus::kCaseOpened;
  ASSERT_OK(store().UpdateIncreaseRequest(second, second.version).status());
  ASSERT_OK_AND_ASSIGN(open, store().ListOpenIncreaseRequests("", 10));
  EXPECT_EQ(Ids(open), (std::vector<std::string>{third.request_id, Request(2).request_id}));

  // The open_only and status filters of the list agree with the index.
  ASSERT_OK_AND_ASSIGN(IncreaseRequestPage listed, store().ListIncreaseRequests({.open_only = true}));
  EXPECT_EQ(Ids(listed), Ids(open));
  ASSERT_OK_AND_ASSIGN(listed, store().ListIncreaseRequests({.account_id = "123456789012", .open_only = true}));
  EXPECT_EQ(Ids(listed), (std::vector<std::string>{third.request_id}));
  ASSERT_OK_AND_ASSIGN(listed, store().ListIncreaseRequests({.status = IncreaseStatus::kDenied}));
  EXPECT_EQ(Ids(listed), (std::vector<std::string>{Request(1).request_id}));
  ASSERT_OK_AND_ASSIGN(
      listed, store().ListIncreaseRequests({.account_id = "123456789012", .status = IncreaseStatus::kApproved}));
  EXPECT_EQ(Ids(listed), (std::vector<std::string>{done.request_id}));
  EXPECT_EQ(store().ListIncreaseRequests({.open_only = true, .status = IncreaseStatus::kPending}).status().field(),
            "status");
}

TEST_P(StoreConformance, IncreaseRequestListsPageNewestFirstAndStayStable) {
  // 25 requests over 3 accounts, inserted out of order; some closed.
  const std::vector<std::string> accounts = {"111111111111", "222222222222", "333333333333"};
  std::vector<int> order;
  for (int i = 0; i < 25; ++i) order.push_back((i * 7) % 25);
  for (int n : order) {
    QuotaIncreaseRequest r = Request(n, accounts[static_cast<size_t>(n) % 3]);
    if (n % 4 == 0) r.status = IncreaseStatus::kApproved;
    ASSERT_OK(store().InsertIncreaseRequest(r));
  }
  std::vector<std::string> expected_all;
  std::vector<std::string> expected_acct;
  std::vector<std::string> expected_open;
  for (int n = 24; n >= 0; --n) {
    expected_all.push_back(Request(n).request_id);
    if (n % 3 == 1) expected_acct.push_back(Request(n).request_id);
    if (n % 4 != 0) expected_open.push_back(Request(n).request_id);
  }
  for (int64_t limit : {1, 4, 25, 1000}) {
    EXPECT_EQ(AllIds(store(), {}, limit), expected_all) << limit;
    EXPECT_EQ(AllIds(store(), {.account_id = accounts[1]}, limit), expected_acct) << limit;
    EXPECT_EQ(AllIds(store(), {.open_only = true}, limit), expected_open) << limit;
  }
  // The open list pages the same way.
  std::vector<std::string> open_ids;
  std::string cursor;
  for (int pages = 0; pages < 30; ++pages) {
    ASSERT_OK_AND_ASSIGN(IncreaseRequestPage page, store().ListOpenIncreaseRequests(cursor, 4));
    for (const std::string& id : Ids(page)) open_ids.push_back(id);
    if (page.next.empty()) break;
    cursor = page.next;
  }
  EXPECT_EQ(open_ids, expected_open);

  // A page, then newer requests and a closed one: the next page continues right after the cursor (nothing
  // served twice, nothing shifted).
  ASSERT_OK_AND_ASSIGN(IncreaseRequestPage first, store().ListIncreaseRequests({.limit = 5}));
  EXPECT_EQ(Ids(first), std::vector<std::string>(expected_all.begin(), expected_all.begin() + 5));
  ASSERT_OK(store().InsertIncreaseRequest(Request(40, accounts[0])));
  ASSERT_OK_AND_ASSIGN(IncreaseRequestPage second, store().ListIncreaseRequests({.cursor = first.next, .limit = 5}));
  EXPECT_EQ(Ids(second), std::vector<std::string>(expected_all.begin() + 5, expected_all.begin() + 10));

  // Limits and cursors.
  EXPECT_EQ(store().ListIncreaseRequests({.limit = 0}).status().field(), "limit");
  EXPECT_EQ(store().ListIncreaseRequests({.limit = 1001}).status().field(), "limit");
  EXPECT_EQ(store().ListOpenIncreaseRequests("", 0).status().field(), "limit");
  EXPECT_EQ(store().ListIncreaseRequests({.cursor = "not-a-cursor"}).status().field(), "cursor");
  EXPECT_EQ(store().ListOpenIncreaseRequests("not-a-cursor", 5).status().field(), "cursor");
  ASSERT_OK_AND_ASSIGN(IncreaseRequestPage jobs_page, store().ListIncreaseRequests({.limit = 1}));
  ASSERT_FALSE(jobs_page.next.empty());
  EXPECT_EQ(store().ListJobs({.cursor = jobs_page.next}).status().field(), "cursor");
}

TEST_P(StoreConformance, JobParamsAndItemRefsRoundTrip) {
  domain::Job job;
  job.job_id = "j_00000000000010000000000000001";
  job.kind = "quota_increase_bulk";
  job.created_by = "u_admin";
  job.created_at_ms = job.updated_at_ms = kT0;
  job.params = R"({"desired_value":2000000,"reason":"launch \u2713","quota_code":"L-AAAA0001"})";
  ASSERT_OK(store().CreateJob(job));
  ASSERT_OK_AND_ASSIGN(domain::Job got, store().GetJob(job.job_id));
  EXPECT_EQ(got.params, job.params);
  ASSERT_OK_AND_ASSIGN(JobPage jobs, store().ListJobs({}));
  ASSERT_EQ(jobs.items.size(), 1u);
  EXPECT_EQ(jobs.items[0].params, job.params);

  domain::Job big = job;
  big.job_id = "j_00000000000020000000000000002";
  big.params = std::string(domain::kMaxJobParamsBytes + 1, 'x');
  EXPECT_EQ(store().CreateJob(big).field(), "params");
  big.params.pop_back();  // exactly the limit
  ASSERT_OK(store().CreateJob(big));

  std::vector<domain::JobItem> items(3);
  for (int i = 0; i < 3; ++i) {
    items[i].seq = i;
    items[i].account_id = "12345678901" + std::to_string(i);
    items[i].region = "us-east-1";
  }
  items[1].ref = "L-AAAA0001";  // given when added
  ASSERT_OK(store().AddJobItems(job.job_id, items));
  // Finishing with a ref replaces it; with "" keeps the stored one.
  JobItemResult made;
  made.outcome = domain::JobItemOutcome::kOk;
  made.finished_at_ms = kT0 + 1;
  made.ref = Request(1).request_id;
  ASSERT_OK(store().FinishJobItem(job.job_id, 0, made));
  JobItemResult keep;
  keep.outcome = domain::JobItemOutcome::kFailed;
  keep.error = "LimitExceededException";
  keep.finished_at_ms = kT0 + 2;
  ASSERT_OK(store().FinishJobItem(job.job_id, 1, keep));
  ASSERT_OK_AND_ASSIGN(JobItemPage page, store().ListJobItems(job.job_id, {}));
  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_EQ(page.items[0].ref, Request(1).request_id);
  EXPECT_EQ(page.items[1].ref, "L-AAAA0001");
  EXPECT_EQ(page.items[2].ref, "");
  ASSERT_OK_AND_ASSIGN(page, store().ListJobItems(job.job_id, {.outcome = domain::JobItemOutcome::kOk}));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].ref, Request(1).request_id);

  JobItemResult long_ref = made;
  long_ref.ref = std::string(domain::kMaxJobItemRefBytes + 1, 'r');
  EXPECT_EQ(store().FinishJobItem(job.job_id, 2, long_ref).field(), "ref");
  std::vector<domain::JobItem> bad(1);
  bad[0].seq = 9;
  bad[0].account_id = "123456789019";
  bad[0].region = "us-east-1";
  bad[0].ref = long_ref.ref;
  EXPECT_EQ(store().AddJobItems(job.job_id, bad).field(), "items");
  // A refresh job has neither.
  ASSERT_OK_AND_ASSIGN(got, store().GetJob(big.job_id));
  EXPECT_EQ(got.params.size(), domain::kMaxJobParamsBytes);
}

}  // namespace
}  // namespace ap::store::testing
