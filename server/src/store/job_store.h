// JobStore: fleet jobs. A job is a header record (domain::Job: what, state, counters) and one record per item
// (domain::JobItem, keyed by (job_id, seq)), so no record grows with the job: a job of 100,000 items is 100,001
// small records, and every operation below reads or writes a bounded number of them.
//
// Contracts common to every method (every backend keeps them):
//  - Unavailable / Internal when the backend fails (I/O error, corrupt data); callers never see backend-specific
//    error types. An operation that fails wrote nothing (each states what it writes atomically).
//  - Lists page by opaque cursors (store/cursor.h): `next` is the sort key of the last item served, so a page
//    starts right after it and stays stable while items are added or finished. A cursor made by another list,
//    or not made by this store, is InvalidArgument("cursor"). A limit outside its documented range is
//    InvalidArgument("limit").
//  - The counters of a header are maintained by AddJobItems and FinishJobItem in the same atomic write as the
//    items they count: they are exact at every moment, with any number of writers (threads or processes), and no
//    operation counts items to answer.
//
// Implementable on DynamoDB as: header item (pk "JOB#<job_id>"), items (pk "JOB#<job_id>", sk zero-padded seq);
// ListJobs a Query of an index keyed by a constant (or the state) with (created_at_ms, job_id) as sort key;
// ListJobItems a Query on the job's key (an index keyed by job_id + outcome when `outcome` is set); AddJobItems
// and FinishJobItem one TransactWriteItems each (at most kMaxJobItemsPerAdd + 1 writes; conditions "absent" /
// "outcome = pending"; ADD on the header's counters).
//
// Thread safety: safe to call concurrently from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/job.h"

namespace ap::store {

// At most this many items per AddJobItems call: with the header's update, one transaction of at most 100 writes
// (DynamoDB's TransactWriteItems limit).
inline constexpr int64_t kMaxJobItemsPerAdd = 99;

struct JobFilter {
  std::optional<domain::JobState> state;  // nullopt = any state
  std::string cursor;                     // "" = the first page; otherwise JobPage::next of the page before
  int64_t limit = 20;                     // 1..1000
};

struct JobPage {
  std::vector<domain::Job> items;  // newest first: created_at_ms descending, then job_id descending
  std::string next;                // the cursor of the next page; "" when this page is the last
};

struct JobItemFilter {
  std::optional<domain::JobItemOutcome> outcome;  // nullopt = any outcome
  std::string cursor;                             // "" = the first page; otherwise JobItemPage::next
  int64_t limit = 100;                            // 1..1000
};

struct JobItemPage {
  std::vector<domain::JobItem> items;  // in processing order: seq ascending
  std::string next;                    // the cursor of the next page; "" when this page is the last
};

// How a job's state changes (UpdateJobState).
struct JobStateChange {
  domain::JobState expected;  // the change applies only if the stored state is this one
  domain::JobState state;     // the new state
  int64_t at_ms = 0;          // becomes updated_at_ms, and finished_at_ms when `state` is final
  // The fencing token of the lease the change is made under (store/coordination_store.h); 0 = not fenced. When
  // > 0 the change applies only if the stored fence is <= fence, and the stored fence becomes fence: once a newer
  // holder of the job's lease has changed the job, an older holder's changes are refused. 0: the stored fence is
  // neither checked nor changed.
  int64_t fence = 0;
};

// How an item ended (FinishJobItem).
struct JobItemResult {
  domain::JobItemOutcome outcome = domain::JobItemOutcome::kOk;  // never kPending
  int64_t values_ok = 0;                                         // >= 0
  int64_t values_failed = 0;                                     // >= 0
  std::string error;                                             // first failure reason; "" = none
  int64_t finished_at_ms = 0;
  // How the item's usage poll ended (kNotAsked when the job does not poll usage) and the poll's error message.
  domain::JobUsageState usage_state = domain::JobUsageState::kNotAsked;
  std::string usage_error;
  // The item's ref (domain::JobItem::ref) from now on; "" keeps the ref stored with the item. At most
  // domain::kMaxJobItemRefBytes (InvalidArgument("ref") otherwise).
  std::string ref;
};

class JobStore {
 public:
  virtual ~JobStore() = default;

  // Stores a new job header (its fence, include_usage and params too: the token of the lease it is created under,
  // or 0). Atomic: one record, written only if no job has this id (AlreadyExists otherwise).
  // InvalidArgument("counters") unless every counter is 0: counters only move with the items they count;
  // InvalidArgument("fence") for a negative fence; InvalidArgument("params") for params over
  // domain::kMaxJobParamsBytes. params is never changed later.
  virtual Status CreateJob(const domain::Job& job) = 0;

  // The header (with its counters) of the job. NotFound if absent. Reads one record.
  virtual Result<domain::Job> GetJob(const std::string& job_id) = 0;

  // Headers by creation time, newest first, optionally only those in one state (e.g. the jobs left running by a
  // stopped process). Reads at most `limit` headers.
  virtual Result<JobPage> ListJobs(const JobFilter& filter) = 0;

  // Sets the job's state, updated_at_ms = change.at_ms and, when change.state is final (IsFinalJobState),
  // finished_at_ms = change.at_ms; with change.fence > 0 also fence = change.fence. Atomic: one record, written
  // only if the stored state equals change.expected (FailedPrecondition naming the stored state otherwise) and,
  // when change.fence > 0, the stored fence is <= change.fence (FailedPrecondition "job <id> is fenced by a newer
  // lease holder" otherwise); nothing written when refused. expected == state is allowed (e.g. a new lease holder
  // recording its fence on a running job). NotFound if absent. InvalidArgument("fence") for a negative fence.
  // Counters and items are untouched.
  virtual Status UpdateJobState(const std::string& job_id, const JobStateChange& change) = 0;

  // Adds items (outcome kPending, values 0, no error; each with its ref) and adds items.size() to the header's total.
  // Atomic: the items and the total are written all or nothing, only if the job exists (NotFound otherwise) and none of
  // the items' seq exists in the job yet (AlreadyExists otherwise). InvalidArgument("items") for more than
  // kMaxJobItemsPerAdd items, a seq repeated within the call, a negative seq, an item that is not pending or a ref
  // over domain::kMaxJobItemRefBytes.
  // Empty `items`: OK, nothing written.
  virtual Status AddJobItems(const std::string& job_id, const std::vector<domain::JobItem>& items) = 0;

  // Records how item `seq` ended (result's outcome, values, error, finished_at_ms, usage_state, usage_error, and ref
  // when not ""), adds
  // one to the header's counter of that outcome (and one to usage_failed when usage_state is kStale) and sets the
  // header's updated_at_ms to max(updated_at_ms, finished_at_ms). Atomic: the item and the header are written together,
  // only if the item is still pending; a second finish of the same item writes nothing and is FailedPrecondition (so a
  // counter never counts an item twice). NotFound if the job or the item is absent. InvalidArgument("outcome") for
  // kPending, ("values") for a negative count, ("ref") for a ref over domain::kMaxJobItemRefBytes.
  virtual Status FinishJobItem(const std::string& job_id, int64_t seq, const JobItemResult& result) = 0;

  // The job's items in processing order, optionally only those with one outcome. NotFound if the job is absent.
  // Reads the header and at most `limit` items (the outcome filter goes through an index, never a scan).
  virtual Result<JobItemPage> ListJobItems(const std::string& job_id, const JobItemFilter& filter) = 0;
};

}  // namespace ap::store
