// UsageStore: usage against quota (issue 13, docs/usage.md) — the per-minute CloudWatch points of each (account,
// region, model id) kept as hour records for 7 days, the usage snapshot of each (account, region) that readers
// are served from, and the headroom index that the "closest to the limit" list pages through.
//
// Records:
//  - Usage hour: the minutes of one hour of one *series* (account, region, the raw CloudWatch ModelId value).
//    At most 60 points; replaced whole. 7 days of one series are at most 169 hour records, so summarising a
//    series reads O(1) records whatever the fleet's size. An hour record carries expires_at (its hour + 8 days):
//    after it the backend may drop it (DynamoDB TTL; SQLite's maintenance sweep, DeleteExpiredUsageHours).
//  - Usage snapshot: the summaries of one (account, region), written after each usage poll. Bounded: at most
//    kMaxUsageSeriesPerSnapshot series and as many config models (InvalidArgument("series") / ("models") beyond).
//  - Headroom index: one entry per (account, region, config model) of a snapshot whose 24-hour window has a
//    known headroom (TPM or RPM), per scope: the fleet and each team in the snapshot's `teams`. Derived from the
//    snapshot by PutUsageSnapshot (same atomicity rules as the quota aggregates: store.h; on DynamoDB the entries
//    follow the snapshot from its intent). Ordered by least headroom first.
//
// Thread safety: safe to call concurrently from many threads.
// The contracts common to every store interface are in store/store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/usage.h"

namespace ap::store {

inline constexpr int64_t kUsageHourSeconds = 3600;
// How long an hour record is kept after its hour starts (7 days of windows + one day of slack).
inline constexpr int64_t kUsageHourRetentionSeconds = int64_t{8} * 24 * 3600;
inline constexpr size_t kMaxUsageSeriesPerSnapshot = 200;
// The most hour records one ListUsageHours call may span: 7 days plus the current hour.
inline constexpr int64_t kMaxUsageHoursPerRead = 7 * 24 + 1;

// The minutes of one hour of one series.
struct UsageHour {
  std::string account_id;
  std::string region;
  std::string series;  // the raw CloudWatch ModelId (1..512 bytes), e.g. "global.anthropic.claude-sonnet-4-5-…"
  int64_t hour = 0;    // epoch seconds, a multiple of kUsageHourSeconds
  // Ascending by minute, unique, each minute in [hour, hour + 3600) and a multiple of 60; at most 60.
  std::vector<domain::UsagePoint> points;
  int64_t expires_at = 0;  // epoch seconds: hour + kUsageHourRetentionSeconds (set by the writer)

  bool operator==(const UsageHour&) const = default;
};

// One series of a snapshot: what CloudWatch reported under one ModelId value, summarised on its own.
struct SeriesUsage {
  std::string series;                   // the raw ModelId
  std::string scope;                    // domain::ModelIdScopeName: global | geo | in_region | …
  std::optional<std::string> model_id;  // the config model it matched; nullopt = unmatched (shown, never dropped)
  bool counts_against_quota = false;    // true: part of its model's usage against the config quotas
  domain::ModelUsage usage;             // summary of this series alone (quotas nullopt unless it counts)
};

// One config model's usage against its quotas: its counted series added up minute by minute.
struct ModelUsageEntry {
  std::string model_id;
  domain::ModelUsage usage;
};

enum class UsageState {
  kOk,     // the last poll succeeded: the summaries are from polled_at_ms
  kStale,  // the last poll failed (error_*): the summaries are the last good ones, from polled_at_ms (0 = never)
};

struct UsageSnapshot {
  std::string account_id;
  std::string region;
  std::vector<std::string> teams;  // the account's teams when polled (sorted, unique): the index scopes
  UsageState state = UsageState::kOk;
  int64_t polled_at_ms = 0;             // the last successful poll; 0 when none succeeded yet
  int64_t attempted_at_ms = 0;          // the last poll, successful or not
  std::string error_code;               // when stale: a stable code ("throttled", "access_denied", …); "" when ok
  std::string error_message;            // when stale: a reason safe to show to the account's users; "" when ok
  std::vector<ModelUsageEntry> models;  // sorted by model_id, unique
  std::vector<SeriesUsage> series;      // sorted by series, unique
  int64_t revision = 0;                 // 1 for the first write, +1 for each write (set by the store)
};

struct UsageSnapshotKey {
  std::string account_id;
  std::string region;
};

// One entry of the headroom index.
struct HeadroomEntry {
  std::string account_id;
  std::string region;
  std::string model_id;
  double headroom = 0;                 // min of the known values of headroom_tpm and headroom_rpm (24-hour window)
  std::optional<double> headroom_tpm;  // of the 24-hour window
  std::optional<double> headroom_rpm;
  int64_t polled_at_ms = 0;

  bool operator==(const HeadroomEntry&) const = default;
};

struct HeadroomPage {
  std::vector<HeadroomEntry> items;
  std::string next;  // cursor of the next page; "" when this page is the last
};

class UsageStore {
 public:
  virtual ~UsageStore() = default;

  // ---- Hour records ------------------------------------------------------------------------------------
  // Creates or replaces each hour record of `hours` (at most 100; InvalidArgument("hours") beyond). Each record is
  // written whole and on its own (not all-or-nothing across records; a failure returns the error, and records
  // before it may be written: a writer retries the batch). InvalidArgument (nothing written) when any record is
  // malformed: empty or over-long account_id/region/series ("series"), an hour not a multiple of 3600 ("hour"),
  // more than 60 points, a point outside the hour, not a multiple of 60, out of order or repeated ("points"), a
  // negative field (domain::ValidateUsagePoint's field).
  virtual Status PutUsageHours(const std::vector<UsageHour>& hours) = 0;
  // The hour records of one series with from_hour <= hour <= to_hour, ascending by hour; hours with no record are
  // left out, and so may expired ones. InvalidArgument("to_hour") when to_hour < from_hour or the range spans more
  // than kMaxUsageHoursPerRead hours, ("from_hour") when not a multiple of 3600.
  virtual Result<std::vector<UsageHour>> ListUsageHours(const std::string& account_id, const std::string& region,
                                                        const std::string& series, int64_t from_hour,
                                                        int64_t to_hour) = 0;
  // Deletes the hour records with expires_at <= now (seconds), at most `limit` (1..1000) per call; returns how
  // many it deleted (fewer than limit: nothing more to delete now). A background sweep, not for request paths.
  // Backends with native expiry (DynamoDB TTL) may return 0 and leave it to the expiry.
  virtual Result<int64_t> DeleteExpiredUsageHours(int64_t now, int64_t limit) = 0;

  // ---- Snapshots ---------------------------------------------------------------------------------------
  // NotFound when no usage was ever stored for this (account, region).
  virtual Result<UsageSnapshot> GetUsageSnapshot(const std::string& account_id, const std::string& region) = 0;
  // The snapshots of `keys` (at most 1000; InvalidArgument("keys") beyond) in the order of `keys`; keys with no
  // snapshot are left out, a key given twice is served once.
  virtual Result<std::vector<UsageSnapshot>> GetUsageSnapshots(const std::vector<UsageSnapshotKey>& keys) = 0;
  // Creates or replaces the snapshot of (account_id, region) only if its stored revision equals
  // `expected_revision` (0 = none stored yet); the stored revision becomes expected_revision + 1 (returned).
  // FailedPrecondition on a revision mismatch (nothing changes): the caller re-reads and retries.
  // InvalidArgument (nothing changes) for unsorted or repeated models / series / teams, or over the bounds.
  // Atomic with the headroom index: the entries of the replaced snapshot are taken out and the new ones put in
  // (for the fleet and each of snapshot.teams) all or nothing (DynamoDB: the entries follow from the intent).
  virtual Result<int64_t> PutUsageSnapshot(const UsageSnapshot& snapshot, int64_t expected_revision) = 0;
  // Deletes the snapshot of every region of `account_id` in `regions`, with its index entries and its series'
  // hour records (the series named in each snapshot). OK when there is nothing to delete. Used when an account is
  // deleted or loses a region. Cost: O(records deleted).
  virtual Status DeleteAccountUsage(const std::string& account_id, const std::vector<std::string>& regions) = 0;

  // ---- Headroom index -----------------------------------------------------------------------------------
  // One page of the index of a scope: `team` = "" for the fleet, else that team's entries. Ordered by headroom
  // ascending (least headroom first), then account_id, region, model_id. At most `limit` (1..1000) entries after
  // `cursor` ("" = first page). Cost: O(page). Entries follow the snapshots as of their last write (a team
  // removed from an account leaves its entries until the next poll rewrites the snapshot; readers check access
  // on the accounts they show).
  virtual Result<HeadroomPage> ListHeadroom(const std::string& team, const std::string& cursor, int64_t limit) = 0;
};

// The index entries a snapshot gives (shared by every backend): one per model whose 24-hour window has a known
// headroom_tpm or headroom_rpm, sorted by model_id.
std::vector<HeadroomEntry> HeadroomEntriesOf(const UsageSnapshot& snapshot);

}  // namespace ap::store
