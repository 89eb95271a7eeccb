// DynamoDbStore: fleet jobs (job_store.h; docs/dynamodb.md "Jobs"). On `main`: the header at pk "JOB#<id>", sk "#"
// (gsi1: every job by creation, gsi2: the jobs of one state); its items at the same pk, sk "ITEM#<seq 16 digits>"
// (gsi1: the items of one outcome by seq). The header owns AddJobItems (its intent puts the items and ADDs the
// total); an item owns its FinishJobItem (its intent ADDs the header's counter of the outcome).
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/log.h"
#include "store/cursor.h"
#include "store/dynamodb/dynamodb_store.h"
#include "store/dynamodb/item.h"
#include "store/dynamodb/paging.h"

namespace ap::store {

using ddb::GetN;
using ddb::GetS;
using ddb::N;
using ddb::S;

namespace {

constexpr char kJobsCursor[] = "jobs";
constexpr char kItemsCursor[] = "job_items";
constexpr char kAllJobs[] = "JOBS";
// How many times a write starts over after finding another writer's intent on its owner (then Unavailable).
constexpr int kWriteAttempts = 16;

std::string JobPk(const std::string& job_id) { return "JOB#" + job_id; }
ddb::Item HeaderKey(const std::string& job_id) { return {{"pk", S(JobPk(job_id))}, {"sk", S("#")}}; }
ddb::Item ItemKey(const std::string& job_id, int64_t seq) {
  return {{"pk", S(JobPk(job_id))}, {"sk", S("ITEM#" + ddb::Padded(seq))}};
}
std::string CreatedKey(const domain::Job& job) { return ddb::Padded(job.created_at_ms) + "#" + job.job_id; }
std::string StatePk(domain::JobState s) { return std::string(kAllJobs) + "#" + std::string(domain::JobStateName(s)); }
std::string OutcomePk(const std::string& job_id, domain::JobItemOutcome o) {
  return "JOBITEM#" + job_id + "#" + std::string(domain::JobItemOutcomeName(o));
}

ddb::Item HeaderItem(const domain::Job& j) {
  ddb::Item item = HeaderKey(j.job_id);
  item["job_id"] = S(j.job_id);
  item["kind"] = S(j.kind);
  item["state"] = S(domain::JobStateName(j.state));
  item["created_by"] = S(j.created_by);
  item["team_filter"] = S(j.team_filter);
  item["region_filter"] = S(j.region_filter);
  item["created_at_ms"] = N(j.created_at_ms);
  item["updated_at_ms"] = N(j.updated_at_ms);
  item["finished_at_ms"] = N(j.finished_at_ms);
  item["fence"] = N(j.fence);
  item["total"] = N(j.counters.total);
  // The counter of each outcome is named as the outcome (JobItemOutcomeName): FinishJobItem ADDs to that name.
  item["ok"] = N(j.counters.ok);
  item["partial"] = N(j.counters.partial);
  item["failed"] = N(j.counters.failed);
  // Issue 13; absent on jobs stored before it (read as false / 0). usage_failed is ADDed by FinishJobItem.
  item["include_usage"] = N(j.include_usage ? 1 : 0);
  item["usage_failed"] = N(j.counters.usage_failed);
  item["params"] = S(j.params);  // issue 14; absent on jobs stored before it (read as "")
  item["gsi1pk"] = S(kAllJobs);
  item["gsi1sk"] = S(CreatedKey(j));
  item["gsi2pk"] = S(StatePk(j.state));
  item["gsi2sk"] = S(CreatedKey(j));
  return item;
}

Result<domain::Job> HeaderFromItem(const ddb::Item& item) {
  domain::Job j;
  j.job_id = GetS(item, "job_id");
  j.kind = GetS(item, "kind");
  Result<domain::JobState> state = domain::ParseJobState(GetS(item, "state"));
  if (!state.ok()) return Internal("job " + j.job_id + " has an unreadable state");
  j.state = *state;
  j.created_by = GetS(item, "created_by");
  j.team_filter = GetS(item, "team_filter");
  j.region_filter = GetS(item, "region_filter");
  j.created_at_ms = GetN(item, "created_at_ms");
  j.updated_at_ms = GetN(item, "updated_at_ms");
  j.finished_at_ms = GetN(item, "finished_at_ms");
  j.fence = GetN(item, "fence");
  j.counters.total = GetN(item, "total");
  j.counters.ok = GetN(item, "ok");
  j.counters.partial = GetN(item, "partial");
  j.counters.failed = GetN(item, "failed");
  j.include_usage = GetN(item, "include_usage") != 0;
  j.counters.usage_failed = GetN(item, "usage_failed");
  j.params = GetS(item, "params");
  return j;
}

ddb::Item JobItemItem(const std::string& job_id, const domain::JobItem& i) {
  ddb::Item item = ItemKey(job_id, i.seq);
  item["seq"] = N(i.seq);
  item["account_id"] = S(i.account_id);
  item["region"] = S(i.region);
  item["outcome"] = S(domain::JobItemOutcomeName(i.outcome));
  item["values_ok"] = N(i.values_ok);
  item["values_failed"] = N(i.values_failed);
  item["error"] = S(i.error);
  item["finished_at_ms"] = N(i.finished_at_ms);
  item["ref"] = S(i.ref);  // issue 14; absent on items stored before it (read as "")
  item["gsi1pk"] = S(OutcomePk(job_id, i.outcome));
  item["gsi1sk"] = S(ddb::Padded(i.seq));
  return item;
}

Result<domain::JobItem> JobItemFromItem(const ddb::Item& item) {
  domain::JobItem i;
  i.seq = GetN(item, "seq");
  i.account_id = GetS(item, "account_id");
  i.region = GetS(item, "region");
  Result<domain::JobItemOutcome> outcome = domain::ParseJobItemOutcome(GetS(item, "outcome"));
  if (!outcome.ok()) return Internal("job item " + std::to_string(i.seq) + " has an unreadable outcome");
  i.outcome = *outcome;
  i.values_ok = GetN(item, "values_ok");
  i.values_failed = GetN(item, "values_failed");
  i.error = GetS(item, "error");
  i.finished_at_ms = GetN(item, "finished_at_ms");
  // Absent (an item of a job stored before issue 13, or pending): not asked.
  Result<domain::JobUsageState> usage = domain::ParseJobUsageState(GetS(item, "usage_state"));
  if (!usage.ok()) return Internal("job item " + std::to_string(i.seq) + " has an unreadable usage state");
  i.usage_state = *usage;
  i.usage_error = GetS(item, "usage_error");
  i.ref = GetS(item, "ref");
  return i;
}

// Adds the attributes of `intent` (ddb::AddIntent) to an UpdateItem's SET clause: the commit of an owner that
// other writes may change meanwhile (a header's counters, state), which a whole-item PutItem would overwrite.
void SetIntent(const ddb::Intent& intent, int64_t now_ms, std::string* set, boost::json::object* names,
               boost::json::object* values) {
  ddb::Item attributes;
  ddb::AddIntent(attributes, intent, now_ms);
  int i = 0;
  for (const auto& [name, value] : attributes) {
    const std::string n = "#i" + std::to_string(i);
    const std::string v = ":i" + std::to_string(i++);
    (*names)[n] = name;
    (*values)[v] = value;
    set->append(set->empty() ? "SET " : ", ").append(n).append(" = ").append(v);
  }
}

}  // namespace

Status DynamoDbStore::CreateJob(const domain::Job& job) {
  if (!(job.counters == domain::JobCounters{}))
    return InvalidArgument("a new job's counters must be 0: they count the items added later", "counters");
  if (job.fence < 0) return InvalidArgument("must not be negative", "fence");
  if (!ddb::Paddable(job.created_at_ms)) return InvalidArgument("must not be negative", "created_at_ms");
  if (job.params.size() > domain::kMaxJobParamsBytes)
    return InvalidArgument("at most " + std::to_string(domain::kMaxJobParamsBytes) + " bytes", "params");
  boost::json::object put = ddb::Request(tables_.main);
  put["Item"] = HeaderItem(job);
  put["ConditionExpression"] = "attribute_not_exists(pk)";
  Result<boost::json::object> written = db_.Call("PutItem", put);
  if (!written.ok() && aws::IsConditionFailed(written.status()))
    return AlreadyExists("job " + job.job_id + " already exists");
  return written.status();
}

namespace {

// The item at `key`; nullopt when absent. Reads that a write's condition or an error code depends on are
// consistent whatever the options; plain reads (GetJob, a list's header) follow options_.consistent_reads.
Result<std::optional<ddb::Item>> ReadItem(aws::DynamoDb& db, const std::string& table, const ddb::Item& key,
                                          bool consistent = true) {
  boost::json::object get = ddb::Request(table);
  get["Key"] = key;
  get["ConsistentRead"] = consistent;
  ASSIGN_OR_RETURN(boost::json::object answer, db.Call("GetItem", get));
  const ddb::Item* item = ddb::ItemOf(answer);
  if (item == nullptr) return std::optional<ddb::Item>();
  return std::optional<ddb::Item>(*item);
}

}  // namespace

Result<domain::Job> DynamoDbStore::GetJob(const std::string& job_id) {
  ASSIGN_OR_RETURN(std::optional<ddb::Item> header,
                   ReadItem(db_, tables_.main, HeaderKey(job_id), options_.consistent_reads));
  if (!header) return NotFound("job " + job_id + " not found");
  return HeaderFromItem(*header);
}

Result<JobPage> DynamoDbStore::ListJobs(const JobFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  ASSIGN_OR_RETURN(const std::string after, ddb::CursorKey(filter.cursor, kJobsCursor, true));
  // gsi1 holds every header under one key, gsi2 the headers of each state; both sorted by (created, job_id).
  // GSIs are eventually consistent: a header written a moment ago may be missing or show its previous state.
  const bool by_state = filter.state.has_value();
  boost::json::object req = ddb::Request(tables_.main);
  req["IndexName"] = by_state ? "gsi2" : "gsi1";
  boost::json::object values{{":p", S(by_state ? StatePk(*filter.state) : std::string(kAllJobs))}};
  std::string key_condition = by_state ? "gsi2pk = :p" : "gsi1pk = :p";
  if (!after.empty()) {
    key_condition += by_state ? " AND gsi2sk < :after" : " AND gsi1sk < :after";
    values[":after"] = S(after);
  }
  req["KeyConditionExpression"] = key_condition;
  req["ExpressionAttributeValues"] = std::move(values);
  req["ScanIndexForward"] = false;
  bool more = false;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items, ddb::QueryPage(db_, std::move(req), filter.limit, &more));
  JobPage page;
  for (const boost::json::object& item : items) {
    ASSIGN_OR_RETURN(domain::Job job, HeaderFromItem(item));
    page.items.push_back(std::move(job));
  }
  if (more) page.next = EncodeCursor(kJobsCursor, {CreatedKey(page.items.back())});
  return page;
}

Status DynamoDbStore::UpdateJobState(const std::string& job_id, const JobStateChange& change) {
  if (change.fence < 0) return InvalidArgument("must not be negative", "fence");
  // Only the state's attributes (and the fence): the counters (moved by intents) and a pending intent are left as
  // they are.
  boost::json::object update = ddb::Request(tables_.main);
  update["Key"] = HeaderKey(job_id);
  std::string set = "SET #state = :state, updated_at_ms = :at, gsi2pk = :state_pk";
  std::string condition = "attribute_exists(pk) AND #state = :expected";
  boost::json::object values{{":state", S(domain::JobStateName(change.state))},
                             {":at", N(change.at_ms)},
                             {":state_pk", S(StatePk(change.state))},
                             {":expected", S(domain::JobStateName(change.expected))}};
  boost::json::object names{{"#state", "state"}};
  if (domain::IsFinalJobState(change.state)) set += ", finished_at_ms = :at";
  if (change.fence > 0) {
    // Fenced: only if no newer lease holder changed the job (stored fence <= ours), which then records ours.
    set += ", #fence = :fence";
    condition += " AND (attribute_not_exists(#fence) OR #fence <= :fence)";
    values[":fence"] = N(change.fence);
    names["#fence"] = "fence";
  }
  update["UpdateExpression"] = set;
  update["ConditionExpression"] = condition;
  update["ExpressionAttributeNames"] = std::move(names);
  update["ExpressionAttributeValues"] = std::move(values);
  Result<boost::json::object> updated = db_.Call("UpdateItem", update);
  if (updated.ok() || !aws::IsConditionFailed(updated.status())) return updated.status();
  ASSIGN_OR_RETURN(std::optional<ddb::Item> header, ReadItem(db_, tables_.main, HeaderKey(job_id)));
  if (!header) return NotFound("job " + job_id + " not found");
  const std::string stored = GetS(*header, "state");
  if (stored != domain::JobStateName(change.expected) || change.fence <= 0)
    return FailedPrecondition("job " + job_id + " is " + stored + ", not " +
                              std::string(domain::JobStateName(change.expected)));
  return FailedPrecondition("job " + job_id + " is fenced by a newer lease holder (token " +
                            std::to_string(GetN(*header, "fence")) + " > " + std::to_string(change.fence) + ")");
}

// The header is the owner: the commit is one conditional UpdateItem that stores on it the intent "put these items,
// ADD total n" (only if the header exists, carries no other intent and no other add committed since it was read:
// `adds`); the seqs were checked absent in between (one consistent BatchGetItem), so the check holds at the
// commit. After the commit the items are batch-written (4 requests for 99 items
// instead of the intent runner's 99 puts) and the runner applies the rest of the intent; a writer that dies in
// between leaves the whole intent on the header for the sweep.
Status DynamoDbStore::AddJobItems(const std::string& job_id, const std::vector<domain::JobItem>& items) {
  if (static_cast<int64_t>(items.size()) > kMaxJobItemsPerAdd)
    return InvalidArgument("at most " + std::to_string(kMaxJobItemsPerAdd) + " items per call", "items");
  std::set<int64_t> seqs;
  for (const domain::JobItem& item : items) {
    if (!ddb::Paddable(item.seq) || !seqs.insert(item.seq).second)
      return InvalidArgument("item seq " + std::to_string(item.seq) + " is negative or repeated", "items");
    if (item.outcome != domain::JobItemOutcome::kPending || item.values_ok != 0 || item.values_failed != 0 ||
        !item.error.empty() || item.finished_at_ms != 0)
      return InvalidArgument("a new item must be pending", "items");
    if (item.ref.size() > domain::kMaxJobItemRefBytes)
      return InvalidArgument("an item's ref is at most " + std::to_string(domain::kMaxJobItemRefBytes) + " bytes",
                             "items");
  }
  if (items.empty()) return Status::Ok();
  const ddb::Item header_key = HeaderKey(job_id);
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    ASSIGN_OR_RETURN(std::optional<ddb::Item> header, ReadItem(db_, tables_.main, header_key));
    if (!header) return NotFound("job " + job_id + " not found");
    if (header->contains("intent_op")) {
      RETURN_IF_ERROR(intents_.ApplyPending(tables_.main, header_key, *header));
      continue;
    }
    std::vector<boost::json::object> keys;
    keys.reserve(items.size());
    for (const domain::JobItem& item : items) keys.push_back(ItemKey(job_id, item.seq));
    ASSIGN_OR_RETURN(std::vector<boost::json::object> found, aws::BatchGetAll(db_, tables_.main, keys, true));
    if (!found.empty())
      return AlreadyExists("job " + job_id + " already has item " + std::to_string(GetN(found.front(), "seq")));

    ddb::Intent intent;
    intent.op_id = ddb::NewOpId(random_);
    std::vector<boost::json::object> puts;
    for (const domain::JobItem& item : items) {
      ddb::Item record = JobItemItem(job_id, item);
      puts.push_back({{"PutRequest", {{"Item", record}}}});
      intent.writes.push_back(ddb::DerivedWrite::Put(tables_.main, std::move(record)));
    }
    const ddb::DerivedWrite total =
        ddb::DerivedWrite::Add(tables_.main, header_key, {{"total", static_cast<double>(items.size())}});
    intent.writes.push_back(total);

    std::string set;
    boost::json::object names;
    boost::json::object values;
    SetIntent(intent, clock_.NowUnixMillis(), &set, &names, &values);
    // `adds` counts the adds committed on the header: the commit applies only if none committed since the header
    // was read, so the seqs checked absent above are still absent (an add committed in between, even one
    // already applied and cleared, makes this one start over and check again).
    const std::optional<int64_t> adds =
        header->contains("adds") ? std::optional<int64_t>(GetN(*header, "adds")) : std::nullopt;
    set += ", adds = :adds_next";
    values[":adds_next"] = N(adds.value_or(0) + 1);
    std::string condition = std::string("attribute_exists(pk) AND ") + ddb::kNoPendingIntent;
    if (adds) {
      condition += " AND adds = :adds";
      values[":adds"] = N(*adds);
    } else {
      condition += " AND attribute_not_exists(adds)";
    }
    boost::json::object commit = ddb::Request(tables_.main);
    commit["Key"] = header_key;
    commit["UpdateExpression"] = set;
    commit["ConditionExpression"] = condition;
    commit["ExpressionAttributeNames"] = std::move(names);
    commit["ExpressionAttributeValues"] = std::move(values);
    Result<boost::json::object> committed = db_.Call("UpdateItem", commit);
    if (!committed.ok()) {
      if (aws::IsConditionFailed(committed.status())) continue;  // deleted, or another writer's intent: re-read
      return committed.status();
    }
    // Committed: the add has happened; what follows only catches the derived records up (the sweep finishes
    // them if this fails), so it never turns the call into an error.
    Status applied = aws::BatchWriteAll(db_, tables_.main, puts);
    if (applied.ok()) {
      ddb::Intent rest;  // the items are written: the rest of the same op (the total, then clearing the intent)
      rest.op_id = intent.op_id;
      rest.writes.push_back(total);
      applied = intents_.Apply(tables_.main, header_key, rest);
    }
    if (!applied.ok()) log::Warn("dynamodb_job_items_pending", {{"job_id", job_id}, {"error", applied.ToString()}});
    return Status::Ok();
  }
  return Unavailable("job " + job_id + " is being changed by other writers; try again");
}

// The item is the owner: one conditional UpdateItem records the outcome and stores the intent "ADD 1 to the
// header's counter of the outcome" (only if the item is still pending and carries no intent), so of racing
// finishes exactly one commits and the counter counts it once. The header is read first: an AddJobItems intent
// still pending on it (its writer died) is finished before any of its items is, so that its item puts can never
// overwrite a finished item.
Status DynamoDbStore::FinishJobItem(const std::string& job_id, int64_t seq, const JobItemResult& result) {
  if (result.outcome == domain::JobItemOutcome::kPending)
    return InvalidArgument("a finished item cannot be pending", "outcome");
  if (result.values_ok < 0 || result.values_failed < 0) return InvalidArgument("must not be negative", "values");
  if (result.ref.size() > domain::kMaxJobItemRefBytes)
    return InvalidArgument("at most " + std::to_string(domain::kMaxJobItemRefBytes) + " bytes", "ref");
  if (!ddb::Paddable(seq)) return NotFound("job " + job_id + " has no item " + std::to_string(seq));
  const ddb::Item header_key = HeaderKey(job_id);
  const ddb::Item item_key = ItemKey(job_id, seq);
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    ASSIGN_OR_RETURN(std::optional<ddb::Item> header, ReadItem(db_, tables_.main, header_key));
    if (!header) return NotFound("job " + job_id + " not found");
    if (header->contains("intent_op")) {
      RETURN_IF_ERROR(intents_.ApplyPending(tables_.main, header_key, *header));
      continue;
    }
    ddb::Intent intent;
    intent.op_id = ddb::NewOpId(random_);
    std::vector<std::pair<std::string, double>> counted{{std::string(domain::JobItemOutcomeName(result.outcome)), 1}};
    if (result.usage_state == domain::JobUsageState::kStale) counted.emplace_back("usage_failed", 1);
    intent.writes.push_back(ddb::DerivedWrite::Add(tables_.main, header_key, std::move(counted)));

    std::string set =
        "SET #outcome = :outcome, values_ok = :ok, values_failed = :failed, #error = :error, "
        "finished_at_ms = :at, gsi1pk = :outcome_pk, usage_state = :usage_state, usage_error = :usage_error";
    boost::json::object names{{"#outcome", "outcome"}, {"#error", "error"}};
    boost::json::object values{{":outcome", S(domain::JobItemOutcomeName(result.outcome))},
                               {":ok", N(result.values_ok)},
                               {":failed", N(result.values_failed)},
                               {":error", S(result.error)},
                               {":at", N(result.finished_at_ms)},
                               {":outcome_pk", S(OutcomePk(job_id, result.outcome))},
                               {":usage_state", S(domain::JobUsageStateName(result.usage_state))},
                               {":usage_error", S(result.usage_error)},
                               {":pending", S(domain::JobItemOutcomeName(domain::JobItemOutcome::kPending))}};
    if (!result.ref.empty()) {  // "" keeps the ref the item was added with
      set += ", #ref = :ref";
      names["#ref"] = "ref";
      values[":ref"] = S(result.ref);
    }
    SetIntent(intent, clock_.NowUnixMillis(), &set, &names, &values);
    boost::json::object commit = ddb::Request(tables_.main);
    commit["Key"] = item_key;
    commit["UpdateExpression"] = set;
    commit["ConditionExpression"] =
        std::string("attribute_exists(pk) AND #outcome = :pending AND ") + ddb::kNoPendingIntent;
    commit["ExpressionAttributeNames"] = std::move(names);
    commit["ExpressionAttributeValues"] = std::move(values);
    Result<boost::json::object> committed = db_.Call("UpdateItem", commit);
    if (!committed.ok()) {
      if (!aws::IsConditionFailed(committed.status())) return committed.status();
      ASSIGN_OR_RETURN(std::optional<ddb::Item> item, ReadItem(db_, tables_.main, item_key));
      if (!item) return NotFound("job " + job_id + " has no item " + std::to_string(seq));
      const std::string outcome = GetS(*item, "outcome");
      if (outcome != domain::JobItemOutcomeName(domain::JobItemOutcome::kPending))
        return FailedPrecondition(std::string("item ")
                                      .append(std::to_string(seq))
                                      .append(" of job ")
                                      .append(job_id)
                                      .append(" already finished (")
                                      .append(outcome)
                                      .append(")"));
      continue;  // still pending: the item changed between the two requests; start over
    }
    // Committed. updated_at_ms = max(updated_at_ms, finished_at_ms) is idempotent, so it is a plain conditional
    // update rather than part of the intent; then the counter.
    boost::json::object touch = ddb::Request(tables_.main);
    touch["Key"] = header_key;
    touch["UpdateExpression"] = "SET updated_at_ms = :at";
    touch["ConditionExpression"] = "attribute_exists(pk) AND updated_at_ms < :at";
    touch["ExpressionAttributeValues"] = {{":at", N(result.finished_at_ms)}};
    Result<boost::json::object> touched = db_.Call("UpdateItem", touch);
    Status applied = touched.ok() || aws::IsConditionFailed(touched.status()) ? Status::Ok() : touched.status();
    if (Status counted = intents_.Apply(tables_.main, item_key, intent); applied.ok()) applied = counted;
    if (!applied.ok())
      log::Warn("dynamodb_job_item_count_pending", {{"job_id", job_id}, {"seq", seq}, {"error", applied.ToString()}});
    return Status::Ok();
  }
  return Unavailable("item " + std::to_string(seq) + " of job " + job_id + " is being changed; try again");
}

Result<JobItemPage> DynamoDbStore::ListJobItems(const std::string& job_id, const JobItemFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  ASSIGN_OR_RETURN(const std::string after, ddb::CursorKey(filter.cursor, kItemsCursor, false));
  ASSIGN_OR_RETURN(std::optional<ddb::Item> header,
                   ReadItem(db_, tables_.main, HeaderKey(job_id), options_.consistent_reads));
  if (!header) return NotFound("job " + job_id + " not found");
  boost::json::object req = ddb::Request(tables_.main);
  if (filter.outcome) {
    // gsi1: the job's items of one outcome by seq (eventually consistent: an item finished a moment ago may
    // still be listed under its previous outcome).
    req["IndexName"] = "gsi1";
    boost::json::object values{{":p", S(OutcomePk(job_id, *filter.outcome))}};
    if (after.empty()) {
      req["KeyConditionExpression"] = "gsi1pk = :p";
    } else {
      req["KeyConditionExpression"] = "gsi1pk = :p AND gsi1sk > :after";
      values[":after"] = S(after);
    }
    req["ExpressionAttributeValues"] = std::move(values);
  } else {
    // The job's partition after the header ("#" sorts before "ITEM#").
    req["KeyConditionExpression"] = "pk = :p AND sk > :after";
    req["ExpressionAttributeValues"] = {{":p", S(JobPk(job_id))}, {":after", S("ITEM#" + after)}};
    req["ConsistentRead"] = options_.consistent_reads;
  }
  bool more = false;
  ASSIGN_OR_RETURN(std::vector<boost::json::object> items, ddb::QueryPage(db_, std::move(req), filter.limit, &more));
  JobItemPage page;
  for (const boost::json::object& item : items) {
    ASSIGN_OR_RETURN(domain::JobItem i, JobItemFromItem(item));
    page.items.push_back(std::move(i));
  }
  if (more) page.next = EncodeCursor(kItemsCursor, {ddb::Padded(page.items.back().seq)});
  return page;
}

}  // namespace ap::store
