// DynamoDbStore: quota increase requests (store/quota_increase_store.h) in the `main` table. docs/dynamodb.md
// ("Quota increase requests") describes the records:
//  - Request: pk "QR#<request_id>", sk "#"; every field as an attribute (value_at_request absent when unknown),
//    `version`. Its GSI keys are partitioned by status, so each status of each view is one key query:
//    gsi1pk "QR#acct#<account_id>#<STATUS>" / gsi1sk "<created_at_ms, 16 digits>#<request_id>": one account;
//    gsi2pk "QR#all#<STATUS>" / gsi2sk the same: the fleet.
//    The open index is the PENDING and CASE_OPENED partitions: they hold exactly the open requests, and an update
//    that closes a request moves its GSI keys in the same write.
//  - AWS id claim (the insert's owner record): pk "QRAWS#<account_id>#<aws_request_id>", sk "#"; `request_id`.
//    InsertIncreaseRequest commits by putting the claim (only if absent) with an intent (intent.h) whose one
//    derived write puts the request record; so a given AWS request is stored once, and a crash after the commit
//    leaves the request to the intent sweep (until then Get answers NotFound and FindIncreaseRequestByAwsId
//    finishes the intent itself). The derived put is unconditional: a re-apply after the inserting writer stalled
//    past its claim could put version 1 back over a later update; the next update's version check then fails and
//    its writer re-reads (docs/dynamodb.md).
// A list with several statuses merges the newest `limit` + 1 entries of each status's partition, so it reads
// O(page × statuses) items and its pages are never short. Updates change one record (conditional on its version).
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/log.h"
#include "store/cursor.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/item.h"
#include "store/dynamodb/main_table_internal.h"
#include "store/dynamodb/paging.h"

namespace ap::store {
namespace {

using ddb::GetN;
using ddb::GetS;
using ddb::Item;
using ddb::MainKey;
using ddb::N;
using ddb::S;
using domain::IncreaseStatus;
using domain::QuotaIncreaseRequest;

constexpr char kListCursor[] = "increase_requests";
constexpr char kOpenCursor[] = "increase_requests_open";
constexpr int kMaxRounds = 8;

constexpr IncreaseStatus kAllStatuses[] = {
    IncreaseStatus::kPending,    IncreaseStatus::kCaseOpened,  IncreaseStatus::kApproved,       IncreaseStatus::kDenied,
    IncreaseStatus::kCaseClosed, IncreaseStatus::kNotApproved, IncreaseStatus::kInvalidRequest,
};
const std::vector<IncreaseStatus> kOpenStatuses = {IncreaseStatus::kPending, IncreaseStatus::kCaseOpened};

Item RequestKey(const std::string& request_id) { return MainKey("QR#" + request_id, "#"); }
Item ClaimKey(const std::string& account_id, const std::string& aws_request_id) {
  return MainKey("QRAWS#" + account_id + "#" + aws_request_id, "#");
}
std::string AccountPk(const std::string& account_id, IncreaseStatus s) {
  return "QR#acct#" + account_id + "#" + std::string(domain::IncreaseStatusName(s));
}
std::string FleetPk(IncreaseStatus s) { return "QR#all#" + std::string(domain::IncreaseStatusName(s)); }
std::string SortKey(const QuotaIncreaseRequest& r) { return ddb::Padded(r.created_at_ms) + "#" + r.request_id; }

Item RequestItem(const QuotaIncreaseRequest& r) {
  Item item = RequestKey(r.request_id);
  item["request_id"] = S(r.request_id);
  item["account_id"] = S(r.account_id);
  item["region"] = S(r.region);
  item["quota_code"] = S(r.quota_code);
  item["model_id"] = S(r.model_id);
  item["dimension"] = S(r.dimension);
  item["desired_value"] = ddb::Nd(r.desired_value);
  if (r.value_at_request) item["value_at_request"] = ddb::Nd(*r.value_at_request);  // absent: unknown
  item["reason"] = S(r.reason);
  item["aws_request_id"] = S(r.aws_request_id);
  item["case_id"] = S(r.case_id);
  item["status"] = S(domain::IncreaseStatusName(r.status));
  item["source"] = S(domain::IncreaseSourceName(r.source));
  item["requested_by"] = S(r.requested_by);
  item["aws_created_ms"] = N(r.aws_created_ms);
  item["aws_updated_ms"] = N(r.aws_updated_ms);
  item["created_at_ms"] = N(r.created_at_ms);
  item["checked_at_ms"] = N(r.checked_at_ms);
  item["check_error"] = S(r.check_error);
  item["approved_refresh_at_ms"] = N(r.approved_refresh_at_ms);
  item["version"] = N(r.version);
  item["gsi1pk"] = S(AccountPk(r.account_id, r.status));
  item["gsi1sk"] = S(SortKey(r));
  item["gsi2pk"] = S(FleetPk(r.status));
  item["gsi2sk"] = S(SortKey(r));
  return item;
}

Result<QuotaIncreaseRequest> RequestFromItem(const Item& item) {
  QuotaIncreaseRequest r;
  r.request_id = GetS(item, "request_id");
  r.account_id = GetS(item, "account_id");
  r.region = GetS(item, "region");
  r.quota_code = GetS(item, "quota_code");
  r.model_id = GetS(item, "model_id");
  r.dimension = GetS(item, "dimension");
  std::optional<double> desired = ddb::GetOptNd(item, "desired_value");
  if (!desired) return Internal("increase request " + r.request_id + " has no desired value");
  r.desired_value = *desired;
  r.value_at_request = ddb::GetOptNd(item, "value_at_request");
  r.reason = GetS(item, "reason");
  r.aws_request_id = GetS(item, "aws_request_id");
  r.case_id = GetS(item, "case_id");
  Result<IncreaseStatus> status = domain::ParseIncreaseStatus(GetS(item, "status"));
  if (!status.ok()) return Internal("increase request " + r.request_id + " has an unreadable status");
  r.status = *status;
  Result<domain::IncreaseSource> source = domain::ParseIncreaseSource(GetS(item, "source"));
  if (!source.ok()) return Internal("increase request " + r.request_id + " has an unreadable source");
  r.source = *source;
  r.requested_by = GetS(item, "requested_by");
  r.aws_created_ms = GetN(item, "aws_created_ms");
  r.aws_updated_ms = GetN(item, "aws_updated_ms");
  r.created_at_ms = GetN(item, "created_at_ms");
  r.checked_at_ms = GetN(item, "checked_at_ms");
  r.check_error = GetS(item, "check_error");
  r.approved_refresh_at_ms = GetN(item, "approved_refresh_at_ms");
  r.version = GetN(item, "version");
  return r;
}

// Up to `limit` requests after `after` (a sort key; "" = from the newest) from the partitions `pks` of `index`,
// merged newest first; *more when further entries exist.
Result<std::vector<QuotaIncreaseRequest>> MergedPage(aws::DynamoDb& db, const std::string& table, const char* index,
                                                     const std::vector<std::string>& pks, const std::string& after,
                                                     int64_t limit, bool* more) {
  const std::string pk_name = std::string(index) + "pk";
  const std::string sk_name = std::string(index) + "sk";
  std::vector<std::pair<std::string, Item>> entries;  // (sort key, item)
  for (const std::string& pk : pks) {
    boost::json::object req = ddb::Request(table);
    req["IndexName"] = index;
    boost::json::object values{{":p", S(pk)}};
    std::string condition = pk_name + " = :p";
    if (!after.empty()) {
      condition += " AND " + sk_name + " < :after";
      values[":after"] = S(after);
    }
    req["KeyConditionExpression"] = condition;
    req["ExpressionAttributeValues"] = std::move(values);
    req["ScanIndexForward"] = false;
    req["Limit"] = limit + 1;
    ASSIGN_OR_RETURN(std::vector<boost::json::object> items, aws::QueryAll(db, req, static_cast<size_t>(limit) + 1));
    for (boost::json::object& item : items) {
      std::string sort = GetS(item, sk_name);
      entries.emplace_back(std::move(sort), std::move(item));
    }
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  *more = static_cast<int64_t>(entries.size()) > limit;
  if (*more) entries.resize(static_cast<size_t>(limit));
  std::vector<QuotaIncreaseRequest> out;
  out.reserve(entries.size());
  for (const auto& [sort, item] : entries) {
    ASSIGN_OR_RETURN(QuotaIncreaseRequest r, RequestFromItem(item));
    out.push_back(std::move(r));
  }
  return out;
}

// The page of `statuses` of one account ("" = the fleet), after `cursor` of `kind`.
Result<IncreaseRequestPage> ListPage(aws::DynamoDb& db, const std::string& table, const std::string& account_id,
                                     const std::vector<IncreaseStatus>& statuses, const std::string& cursor,
                                     const char* kind, int64_t limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(const std::string after, ddb::CursorKey(cursor, kind, true));
  std::vector<std::string> pks;
  pks.reserve(statuses.size());
  for (IncreaseStatus s : statuses) pks.push_back(account_id.empty() ? FleetPk(s) : AccountPk(account_id, s));
  bool more = false;
  IncreaseRequestPage page;
  ASSIGN_OR_RETURN(page.items, MergedPage(db, table, account_id.empty() ? "gsi2" : "gsi1", pks, after, limit, &more));
  if (more) page.next = EncodeCursor(kind, {SortKey(page.items.back())});
  return page;
}

}  // namespace

Status DynamoDbStore::InsertIncreaseRequest(const QuotaIncreaseRequest& req) {
  RETURN_IF_ERROR(domain::ValidateIncreaseRequest(req));
  QuotaIncreaseRequest stored = req;
  stored.version = 1;
  const Item claim_key = ClaimKey(req.account_id, req.aws_request_id);
  for (int round = 0; round < kMaxRounds; ++round) {
    // Request ids are random (64 bits): this check is for a caller that repeats one, not for races.
    ASSIGN_OR_RETURN(std::optional<Item> same_id, ddb::ReadItem(db_, tables_.main, RequestKey(req.request_id), true));
    if (same_id) return AlreadyExists("increase request " + req.request_id + " already exists");

    ddb::Intent intent;
    intent.op_id = ddb::NewOpId(random_);
    intent.writes.push_back(ddb::DerivedWrite::Put(tables_.main, RequestItem(stored)));
    Item claim = claim_key;
    claim["request_id"] = S(req.request_id);
    claim["account_id"] = S(req.account_id);
    claim["aws_request_id"] = S(req.aws_request_id);
    ddb::AddIntent(claim, intent, clock_.NowUnixMillis());
    Status put = ddb::PutItemIf(db_, tables_.main, std::move(claim), "attribute_not_exists(pk)");
    if (put.ok()) {
      // Committed: the request record follows from the intent (now, or from the sweep if this fails).
      if (Status applied = intents_.Apply(tables_.main, claim_key, intent); !applied.ok())
        log::Warn("dynamodb_increase_intent_pending", {{"request_id", req.request_id}, {"error", applied.ToString()}});
      return Status::Ok();
    }
    if (!aws::IsConditionFailed(put)) return put;
    ASSIGN_OR_RETURN(std::optional<Item> existing, ddb::ReadItem(db_, tables_.main, claim_key, true));
    if (!existing) continue;  // the claim went away in between (it never does today): try again
    return AlreadyExists("increase request " + GetS(*existing, "request_id") + " already records AWS request " +
                         req.aws_request_id);
  }
  return Unavailable("increase request " + req.request_id + " could not be stored; try again");
}

Result<QuotaIncreaseRequest> DynamoDbStore::GetIncreaseRequest(const std::string& request_id) {
  if (!domain::IsIncreaseRequestId(request_id)) return NotFound("increase request " + request_id + " not found");
  ASSIGN_OR_RETURN(std::optional<Item> item,
                   ddb::ReadItem(db_, tables_.main, RequestKey(request_id), options_.consistent_reads));
  if (!item) return NotFound("increase request " + request_id + " not found");
  return RequestFromItem(*item);
}

Result<QuotaIncreaseRequest> DynamoDbStore::FindIncreaseRequestByAwsId(const std::string& account_id,
                                                                       const std::string& aws_request_id) {
  const std::string missing = "no increase request records AWS request " + aws_request_id + " of account " + account_id;
  if (aws_request_id.empty()) return NotFound(missing);
  const Item claim_key = ClaimKey(account_id, aws_request_id);
  ASSIGN_OR_RETURN(std::optional<Item> claim, ddb::ReadItem(db_, tables_.main, claim_key, true));
  if (!claim) return NotFound(missing);
  if (claim->contains("intent_op")) {
    // The insert committed but its request record may not be written yet: finish it first.
    RETURN_IF_ERROR(intents_.ApplyPending(tables_.main, claim_key, *claim));
  }
  const std::string request_id = GetS(*claim, "request_id");
  ASSIGN_OR_RETURN(std::optional<Item> item, ddb::ReadItem(db_, tables_.main, RequestKey(request_id), true));
  if (!item) return NotFound(missing);
  return RequestFromItem(*item);
}

Result<int64_t> DynamoDbStore::UpdateIncreaseRequest(const QuotaIncreaseRequest& req, int64_t expected_version) {
  RETURN_IF_ERROR(domain::ValidateIncreaseUpdate(req));
  const std::string not_found = "increase request " + req.request_id + " not found";
  if (!domain::IsIncreaseRequestId(req.request_id)) return NotFound(not_found);
  const Item key = RequestKey(req.request_id);
  // The stored record gives the account (for the GSI keys: req's fixed fields are ignored) and the version.
  ASSIGN_OR_RETURN(std::optional<Item> item, ddb::ReadItem(db_, tables_.main, key, true));
  if (!item) return NotFound(not_found);
  const auto stale = [&](int64_t stored) {
    return FailedPrecondition("increase request " + req.request_id + " was changed (version " + std::to_string(stored) +
                              ", expected " + std::to_string(expected_version) + ")");
  };
  if (GetN(*item, "version") != expected_version) return stale(GetN(*item, "version"));
  const std::string account_id = GetS(*item, "account_id");
  boost::json::object update = ddb::Request(tables_.main);
  update["Key"] = key;
  // The status's GSI partitions move with it: a request that closes leaves the open partitions in this write.
  update["UpdateExpression"] =
      "SET #status = :status, case_id = :case_id, aws_updated_ms = :aws_updated, checked_at_ms = :checked, "
      "check_error = :check_error, approved_refresh_at_ms = :refresh, version = :next, gsi1pk = :g1, gsi2pk = :g2";
  update["ConditionExpression"] = "attribute_exists(pk) AND version = :expected";
  update["ExpressionAttributeNames"] = {{"#status", "status"}};
  update["ExpressionAttributeValues"] = {{":status", S(domain::IncreaseStatusName(req.status))},
                                         {":case_id", S(req.case_id)},
                                         {":aws_updated", N(req.aws_updated_ms)},
                                         {":checked", N(req.checked_at_ms)},
                                         {":check_error", S(req.check_error)},
                                         {":refresh", N(req.approved_refresh_at_ms)},
                                         {":next", N(expected_version + 1)},
                                         {":g1", S(AccountPk(account_id, req.status))},
                                         {":g2", S(FleetPk(req.status))},
                                         {":expected", N(expected_version)}};
  Result<boost::json::object> updated = db_.Call("UpdateItem", update);
  if (updated.ok()) return expected_version + 1;
  if (!aws::IsConditionFailed(updated.status())) return updated.status();
  ASSIGN_OR_RETURN(item, ddb::ReadItem(db_, tables_.main, key, true));
  if (!item) return NotFound(not_found);
  return stale(GetN(*item, "version"));
}

Result<IncreaseRequestPage> DynamoDbStore::ListIncreaseRequests(const IncreaseRequestFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  if (filter.open_only && filter.status)
    return InvalidArgument("give either open_only or a status, not both", "status");
  std::vector<IncreaseStatus> statuses;
  if (filter.open_only) {
    statuses = kOpenStatuses;
  } else if (filter.status) {
    statuses = {*filter.status};
  } else {
    statuses.assign(std::begin(kAllStatuses), std::end(kAllStatuses));
  }
  return ListPage(db_, tables_.main, filter.account_id, statuses, filter.cursor, kListCursor, filter.limit);
}

Result<IncreaseRequestPage> DynamoDbStore::ListOpenIncreaseRequests(const std::string& cursor, int64_t limit) {
  return ListPage(db_, tables_.main, "", kOpenStatuses, cursor, kOpenCursor, limit);
}

Result<int64_t> DynamoDbStore::CountOpenIncreaseRequests(const std::string& account_id) {
  int64_t count = 0;
  for (IncreaseStatus s : kOpenStatuses) {
    boost::json::object req = ddb::Request(tables_.main);
    req["IndexName"] = "gsi1";
    req["KeyConditionExpression"] = "gsi1pk = :p";
    req["ExpressionAttributeValues"] = {{":p", S(AccountPk(account_id, s))}};
    req["ProjectionExpression"] = "pk";
    ASSIGN_OR_RETURN(std::vector<boost::json::object> items, aws::QueryAll(db_, req));
    count += static_cast<int64_t>(items.size());
  }
  return count;
}

Result<std::optional<QuotaIncreaseRequest>> DynamoDbStore::FindOpenIncreaseRequest(const std::string& account_id,
                                                                                   const std::string& region,
                                                                                   const std::string& quota_code) {
  std::optional<QuotaIncreaseRequest> newest;
  for (IncreaseStatus s : kOpenStatuses) {
    // The account's open entries (≤ a few dozen), filtered to the quota.
    boost::json::object req = ddb::Request(tables_.main);
    req["IndexName"] = "gsi1";
    req["KeyConditionExpression"] = "gsi1pk = :p";
    req["FilterExpression"] = "#region = :r AND quota_code = :q";
    req["ExpressionAttributeNames"] = {{"#region", "region"}};
    req["ExpressionAttributeValues"] = {{":p", S(AccountPk(account_id, s))}, {":r", S(region)}, {":q", S(quota_code)}};
    ASSIGN_OR_RETURN(std::vector<boost::json::object> items, aws::QueryAll(db_, req));
    for (const boost::json::object& item : items) {
      ASSIGN_OR_RETURN(QuotaIncreaseRequest r, RequestFromItem(item));
      if (!newest || SortKey(r) > SortKey(*newest)) newest = std::move(r);
    }
  }
  return newest;
}

}  // namespace ap::store
