// UsageService: the API's reads of usage against quota (issue 13 §2, docs/usage.md "Reading usage") — never AWS.
//  - Snapshot: the usage snapshot of one (account, region) for the quota read, from a TTL cache kept as the quota
//    snapshots are (QuotaService): this instance's polls write through Publish (a poll here shows at once, where
//    the snapshot is cached; one not cached is loaded by its first read); snapshots other instances write are seen
//    within cache_ttl. Bound: at most 100,000 entries (TtlCache), each at most cache_ttl old.
//  - Headroom: one page of the "closest to the limit" index (store::UsageStore::ListHeadroom) for the fleet or a
//    team, each entry access-checked and named. Cost: O(page).
//  - History: hourly peaks of one config model's counted series from the stored hour records. Cost: O(hours ×
//    the model's counted series), at most 169 hours.
//
// "Missing is never zero": an hour without stored minutes has null figures; no snapshot is "never polled" (nullptr),
// never an empty usage.
//
// Thread safety: safe from any thread. Does not own its collaborators; they must outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "domain/quota_config.h"
#include "service/account_service.h"
#include "service/context.h"
#include "service/quota_config_service.h"
#include "service/ttl_cache.h"
#include "store/usage_store.h"

namespace ap::service {

// The most entries one headroom page may ask for, and the default.
inline constexpr int64_t kMaxHeadroomPage = 200;
inline constexpr int64_t kDefaultHeadroomPage = 50;
// History: the most hours one read spans (7 days and the current hour), and the default span before `to`.
inline constexpr int64_t kMaxUsageHistoryHours = 169;
inline constexpr int64_t kDefaultUsageHistoryHours = 168;

// One entry of a headroom page, with the names a reader shows.
struct HeadroomItem {
  store::HeadroomEntry entry;
  std::string account_name;
  std::string display_name;  // the config model's display name; the model_id when the model left the config
};

struct HeadroomListing {
  std::string team;  // "" = the fleet
  std::vector<HeadroomItem> items;
  std::string next;  // "" when this page is the last
};

// One hour of usage history: the peak minute of each figure over the hour's stored minutes.
struct UsageHistoryPoint {
  int64_t hour = 0;                             // epoch seconds, a multiple of 3600
  int64_t minutes_with_data = 0;                // minutes with any stored figure (0..60)
  std::optional<int64_t> requests_peak;         // max RequestsOf; nullopt when no minute reports it
  std::optional<int64_t> weighted_tokens_peak;  // max QuotaWeightedTokens; nullopt when no minute has both counts
  std::optional<int64_t> throttles;             // sum of throttles; nullopt when no minute reports them
};

struct UsageHistory {
  std::string account_id;
  std::string region;
  std::string model_id;
  int output_token_burndown = 0;
  int64_t from_hour = 0;                 // epoch seconds, inclusive
  int64_t to_hour = 0;                   // epoch seconds, inclusive
  std::vector<UsageHistoryPoint> items;  // one per hour from from_hour to to_hour, oldest first
};

struct UsageHistoryQuery {
  std::string region;           // "" = the account's first region
  std::string model_id;         // required: a model of the quota config
  std::optional<int64_t> from;  // epoch seconds, floored to the hour; default to − 168 hours
  std::optional<int64_t> to;    // epoch seconds, floored to the hour; default the current hour
};

class UsageService {
 public:
  UsageService(store::UsageStore& store, const Clock& clock, AccountService& accounts, QuotaConfigService& config,
               Duration cache_ttl);

  // The snapshot of (account_id, region); nullptr when usage was never stored there. Cached (see file comment):
  // the pointer stays the same object until the snapshot changes (QuotaBodyCache compares it). Store errors.
  Result<std::shared_ptr<const store::UsageSnapshot>> Snapshot(const std::string& account_id,
                                                               const std::string& region);
  // A snapshot just written by this instance: replaces the cached one when (account, region) is cached (a
  // write-through that never grows the cache).
  void Publish(const store::UsageSnapshot& snapshot);

  // One page of the headroom index. Admins: the fleet (team "") or any team. Users: InvalidArgument("team") without
  // a team, PermissionDenied for a team they are not in. InvalidArgument("team") for a malformed team id,
  // ("limit") outside 1..kMaxHeadroomPage, ("cursor") for a cursor the list did not give out. Entries whose account
  // is gone or inactive, no longer visible to the caller, no longer in `team` or no longer uses the region are left out
  // (the page may then be shorter than limit; `next` still says whether more follows).
  Result<HeadroomListing> Headroom(const RequestContext& ctx, const std::string& team, const std::string& cursor,
                                   int64_t limit);

  // The hourly usage of one model of an account (the caller has been authorized to read it). NotFound (account);
  // InvalidArgument("region") for a region the account does not use, ("model_id") when missing or not in the quota
  // config, ("from") when from > to, ("from" / "to": the one given) when the range spans more than
  // kMaxUsageHistoryHours hours. Sums the model's counted series (those of the snapshot with counts_against_quota)
  // minute by minute (domain::SumUsagePoints), then takes each hour's peaks.
  Result<UsageHistory> History(const std::string& account_id, const UsageHistoryQuery& query);

 private:
  // What the cache holds: the snapshot, or none (never polled) — so "never polled" is cached too.
  struct Cached {
    std::optional<store::UsageSnapshot> snapshot;
  };
  static std::shared_ptr<const store::UsageSnapshot> Unwrap(const std::shared_ptr<const Cached>& cached);

  store::UsageStore& store_;
  const Clock& clock_;
  AccountService& accounts_;
  QuotaConfigService& config_;
  TtlCache<Cached> cache_;
};

// The hourly points of `points` (the model's minutes, any order, one per minute) for every hour from from_hour to
// to_hour (multiples of 3600, from_hour <= to_hour): exposed for tests. REQUIRES: 1 <= burndown <= 100.
std::vector<UsageHistoryPoint> HourlyPeaks(const std::vector<domain::UsagePoint>& points, int64_t from_hour,
                                           int64_t to_hour, int output_token_burndown);

}  // namespace ap::service
