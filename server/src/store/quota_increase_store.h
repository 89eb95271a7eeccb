// QuotaIncreaseStore: quota increase requests (issue 14 §1; domain/quota_increase.h).
//
// Records:
//  - Request: one record per request, keyed by request_id, unique by (account_id, aws_request_id): discovering a
//    request made outside the platform twice (or by two instances at once) stores it once.
// Indexes (maintained with the record by every write; same atomicity rules as store.h):
//  - fleet: every request by (created_at_ms desc, request_id desc) — ListIncreaseRequests without an account;
//  - account: the requests of one account in the same order — ListIncreaseRequests with an account;
//  - open: exactly the open requests (status PENDING / CASE_OPENED), fleet-wide, in the same order — the tracker
//    pages it; a request whose update closes it leaves the index in that write (on DynamoDB the index is a sparse
//    GSI, written with the record itself: no lag beyond the GSI's own);
//  - (account_id, aws_request_id) uniqueness, and (account_id, region, quota_code) for the open request of a
//    quota (AWS allows one).
// Every list and lookup is a key or index query: nothing here reads the whole fleet.
//
// Accounts are never deleted from the store (AccountService makes them inactive). Their requests stay: they are
// the record of what AWS was asked, and AWS keeps them too. A request of an inactive account stays in the open
// index until it is updated to a closed status; the tracker skips (does not read AWS for) requests of accounts
// that are inactive, and AWS's per-account limit (20 open requests) bounds what one such account leaves there.
//
// Thread safety: safe to call concurrently from many threads.
// The contracts common to every store interface are in store/store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/quota_increase.h"

namespace ap::store {

struct IncreaseRequestFilter {
  std::string account_id;                        // "" = the whole fleet (an index query)
  bool open_only = false;                        // only PENDING / CASE_OPENED (with status: InvalidArgument("status"))
  std::optional<domain::IncreaseStatus> status;  // only this status; nullopt = any
  std::string cursor;                            // "" = first page; otherwise IncreaseRequestPage::next
  int64_t limit = 50;                            // 1..1000
};

struct IncreaseRequestPage {
  // Newest first: created_at_ms descending, then request_id descending.
  std::vector<domain::QuotaIncreaseRequest> items;
  std::string next;  // "" when this page is the last
};

class QuotaIncreaseStore {
 public:
  virtual ~QuotaIncreaseStore() = default;

  // Stores a new request with version 1 (req.version is ignored). InvalidArgument (naming the field) for a record
  // domain::ValidateIncreaseRequest refuses. AlreadyExists when a request with the same request_id exists, or
  // when one with the same (account_id, aws_request_id) exists: then the message is
  // "increase request <existing request_id> already records AWS request <aws_request_id>" and
  // FindIncreaseRequestByAwsId returns it. Atomic: the record, its index entries and its uniqueness claims are
  // written all or nothing. Does not check that one request per quota is open: the service checks (AWS refuses a
  // second one anyway, and external requests are recorded as AWS has them).
  virtual Status InsertIncreaseRequest(const domain::QuotaIncreaseRequest& req) = 0;

  // The request. NotFound if absent. Reads one record.
  virtual Result<domain::QuotaIncreaseRequest> GetIncreaseRequest(const std::string& request_id) = 0;

  // The request recording AWS's request `aws_request_id` of `account_id`. NotFound if none. Reads ≤ 2 records.
  virtual Result<domain::QuotaIncreaseRequest> FindIncreaseRequestByAwsId(const std::string& account_id,
                                                                          const std::string& aws_request_id) = 0;

  // Replaces the mutable fields (status, case_id, aws_updated_ms, checked_at_ms, check_error,
  // approved_refresh_at_ms) of the stored request req.request_id with req's, only if the stored version equals
  // expected_version; the stored version becomes expected_version + 1 (req.version is ignored) and is returned.
  // Every other field of req is ignored (the stored ones are kept). NotFound if absent; FailedPrecondition
  // ("version": "increase request <id> was changed (version <stored>, expected <expected>)") when stale — nothing
  // written; InvalidArgument for a case_id / check_error over its bound or a negative time. Atomic with the open
  // index: a request that closes leaves it (and the per-quota open lookup) in the same write.
  virtual Result<int64_t> UpdateIncreaseRequest(const domain::QuotaIncreaseRequest& req, int64_t expected_version) = 0;

  // One page of the requests matching `filter`, newest first. An index (fleet) or key (account) query: O(page).
  virtual Result<IncreaseRequestPage> ListIncreaseRequests(const IncreaseRequestFilter& filter) = 0;

  // One page of the open requests fleet-wide, newest first (limit 1..1000), from the open index alone. For the
  // tracker. On DynamoDB the index is eventually consistent: a request closed a moment ago may still be listed
  // (callers re-read it with GetIncreaseRequest before acting) and one opened a moment ago may be missing.
  virtual Result<IncreaseRequestPage> ListOpenIncreaseRequests(const std::string& cursor, int64_t limit) = 0;

  // How many requests of `account_id` are open (for AWS's limit of 20 per account). Counts the account's open
  // entries (a key query over at most a few dozen records; never the fleet).
  virtual Result<int64_t> CountOpenIncreaseRequests(const std::string& account_id) = 0;

  // The open request of (account_id, region, quota_code), if any (AWS allows one). nullopt when none. Reads the
  // account's open entries of that quota (≤ a few records).
  virtual Result<std::optional<domain::QuotaIncreaseRequest>> FindOpenIncreaseRequest(
      const std::string& account_id, const std::string& region, const std::string& quota_code) = 0;
};

}  // namespace ap::store
