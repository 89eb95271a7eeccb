// The progress display of `account-platform quota refresh --all`: follows a fleet job running in this process
// until it ends, and reports on the terminal.
#pragma once

#include <ostream>

#include "common/status.h"
#include "domain/job.h"
#include "service/fleet_refresher.h"

namespace ap::app {

// Prints "Refreshing <n> account region(s) (job <id>)", then polls `fleet` until `job` (just started by it)
// ends: when `interactive`, one line redrawn in place every 200 ms (a 30-column bar, done/total, failures and
// the estimate); else a plain line every 500 ms whenever about 5% more is done, and at the end. Then one line per
// failed or partial account region and a summary line. OK when the job succeeded; Unavailable naming the job
// when it ended otherwise; the store's error when the job cannot be read. Blocks the calling thread (a CLI).
Status FollowFleetJob(service::FleetRefresher& fleet, const domain::Job& job, std::ostream& out, bool interactive);

}  // namespace ap::app
