// QuotaCacheStore: the cached quota values of each (account, region), the aggregates maintained over them, and
// the quota config.
//
// Thread safety: safe to call concurrently from many threads.
// The contracts common to every store interface are in store/store.h.
//
// Maintained aggregates. The store keeps, per *scope* and per quota code, totals over the cached values of
// active accounts, so that a dashboard or a metrics scrape reads O(codes) records instead of every snapshot:
//  - Scopes: the fleet (every active account) and one scope per distinct *team set* of active accounts (the
//    account's sorted team list; accounts with no team form the scope of the empty set). Each active account
//    counts in exactly two scopes: the fleet and its team set. The accounts a user sees (those with any of the
//    user's teams) are therefore the disjoint union of the team-set scopes that intersect the user's teams, and an
//    account shared by several of the user's teams is counted once.
//  - What counts: an active account counts 1 in active_accounts and |regions| in account_regions; the snapshot of
//    (account, region) counts only while the account is active and `region` is one of its regions. A value counts
//    as fresh when its state is ok and it has a value (its value is added to `sum`), as stale when its state is
//    stale and it has a value; any other value counts as neither (the caller derives missing = account_regions -
//    fresh - stale per code). Codes are counted whatever the quota config says, so a config change rewrites
//    nothing.
//  - Sums are doubles. Quota values are integers in practice, and a sum of integers is exact below 2^53; other
//    values may round. When a code's fresh count returns to 0 its sum is 0 again (rounding does not accumulate).
//  - Maintenance: PutQuotaSnapshot (here) and CreateAccount / UpdateAccount (account_store.h) apply the change to
//    the aggregates in the same atomic write as the record itself; a reader sees the aggregates before or after a
//    write, never half of it. Each write applies the difference between the state it replaces and the state it
//    writes, so concurrent writes of the same snapshot or account, or of an account and its snapshots, must not
//    both apply a delta computed from the same old state (a backend conditions its write on what it read and
//    retries). On DynamoDB: a scope is one item holding its codes' counters (well under 400 KB); a snapshot write
//    is a put of the snapshot conditioned on its revision whose intent ADDs to two scope items, an account write's
//    intent ADDs to at most four scope items and puts its teams' lookup items (the derived records follow the owner
//    as dynamodb_store.h states; docs/dynamodb.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/quota.h"
#include "domain/quota_config.h"

namespace ap::store {

// The key of one snapshot.
struct SnapshotKey {
  std::string account_id;
  std::string region;
};

struct SnapshotPage {
  std::vector<domain::QuotaSnapshot> items;
  std::string next;  // the cursor of the next page; "" when this page is the last
};

// One quota code's totals in a scope (see the file comment for what counts).
struct CodeAggregate {
  std::string quota_code;
  double sum = 0;     // sum of the fresh values
  int64_t fresh = 0;  // (account, region) pairs whose value of this code is fresh
  int64_t stale = 0;  // ... stale (with a value; not in sum)
};

// The totals of one scope.
struct ScopeAggregate {
  bool fleet = false;              // true: every active account; false: the accounts whose team set is `teams`
  std::vector<std::string> teams;  // the team set, sorted (empty for the fleet and for accounts with no team)
  int64_t active_accounts = 0;
  int64_t account_regions = 0;       // (account, region) pairs of the active accounts
  std::vector<CodeAggregate> codes;  // sorted by quota_code; codes with fresh == stale == 0 may be left out
};

class QuotaCacheStore {
 public:
  virtual ~QuotaCacheStore() = default;

  // ---- Quota cache -------------------------------------------------------------------------------------
  // Reads one snapshot (its values sorted by quota_code). NotFound if nothing is cached for this account and
  // region.
  virtual Result<domain::QuotaSnapshot> GetQuotaSnapshot(const std::string& account_id, const std::string& region) = 0;
  // Reads the snapshots of `keys` (at most 1000; InvalidArgument("keys") beyond), each as GetQuotaSnapshot would,
  // in the order of `keys`; keys with nothing cached are left out, a key given twice is served once. Each snapshot
  // is read whole; two snapshots may come from different moments.
  virtual Result<std::vector<domain::QuotaSnapshot>> GetQuotaSnapshots(const std::vector<SnapshotKey>& keys) = 0;
  // Creates or replaces the snapshot of (account_id, region); values and last_lowered are stored exactly (absent
  // stays absent).
  // InvalidArgument("values") for a duplicated quota_code or a NaN value (nothing changes). The account need not
  // exist. Atomic: the snapshot and the aggregates' change (the old values' contribution taken out, the new
  // values' put in, when the account is active and uses the region) are written all or nothing.
  virtual Status PutQuotaSnapshot(const domain::QuotaSnapshot& snapshot) = 0;
  // One page of every cached snapshot, for a slow background reader (per-value metrics): at most `limit`
  // (1..1000) snapshots after `cursor` ("" = the first page; otherwise SnapshotPage::next of the page before).
  // The order is the backend's, stable across pages; following `next` to the end serves each snapshot that
  // exists throughout exactly once. InvalidArgument("cursor") for a cursor this list did not give out. Not for
  // request paths: a full walk is O(fleet).
  virtual Result<SnapshotPage> ListQuotaSnapshots(const std::string& cursor, int64_t limit) = 0;

  // ---- Maintained aggregates (see the file comment) -----------------------------------------------------
  // The fleet scope: every active account. All zeros (no codes) when there is none.
  virtual Result<ScopeAggregate> GetFleetAggregate() = 0;
  // The team-set scopes that contain at least one of `teams` and at least one active account, each once, ordered
  // by their team set; empty for no teams. Cost: O(the distinct team sets of those accounts), not O(accounts).
  // Scopes are read one by one: two scopes may come from different moments.
  virtual Result<std::vector<ScopeAggregate>> GetTeamAggregates(const std::vector<std::string>& teams) = 0;

  // ---- Quota config ------------------------------------------------------------------------------------
  // NotFound if never stored.
  virtual Result<domain::QuotaConfig> GetQuotaConfig() = 0;
  // Stores `config` only if the stored version equals `expected_version` (0 = nothing stored yet); config.version
  // must be expected_version + 1 (InvalidArgument otherwise). FailedPrecondition on a version mismatch (nothing
  // changes). Atomic: the document and its models are written all or nothing.
  virtual Status PutQuotaConfig(const domain::QuotaConfig& config, int64_t expected_version) = 0;
};

}  // namespace ap::store
