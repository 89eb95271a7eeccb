// Time-ordered ids: "<prefix><13 hex digits of the creation time in ms><random hex>". Ids made later sort after
// ids made earlier (to the millisecond; ids of one millisecond sort by their random part), so a list ordered by
// id is ordered by creation time without a store-assigned sequence number, and ids from several instances never
// collide (16 random hex digits = 64 bits).
//
// Thread safety: pure apart from `random` (see common/random.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/random.h"

namespace ap::domain {

// REQUIRES: 0 <= now_ms < 16^13 (the year 10889).
std::string NewTimeOrderedId(std::string_view prefix, int64_t now_ms, Random& random);

// The creation time encoded in an id made by NewTimeOrderedId(prefix, ...); -1 if `id` is not one.
int64_t TimeOfId(std::string_view prefix, std::string_view id);

}  // namespace ap::domain
