#include "app/cli_progress.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

namespace ap::app {
namespace {

// One line redrawn in place: a bar, counts and the estimate.
void DrawBar(const service::JobProgress& progress, std::ostream& out) {
  const domain::Job& j = progress.job;
  constexpr int kWidth = 30;
  int filled = j.total() ? static_cast<int>(kWidth * j.done() / j.total()) : kWidth;
  out << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] " << j.done() << "/" << j.total()
      << " done, " << j.failed() << " failed";
  if (progress.eta_seconds) out << ", about " << *progress.eta_seconds << "s left   ";
  out << std::flush;
}

}  // namespace

Status FollowFleetJob(service::FleetRefresher& fleet, const domain::Job& job, std::ostream& out, bool interactive) {
  out << "Refreshing " << job.total() << " account region(s) (job " << job.job_id << ")" << std::endl;
  int64_t last_reported = -1;
  for (;;) {
    // Read before the progress, so that the last round shows the job's final counts.
    bool running = fleet.Running().has_value();
    ASSIGN_OR_RETURN(service::JobProgress progress, fleet.Get(job.job_id));
    const domain::Job& j = progress.job;
    if (interactive) {
      DrawBar(progress, out);
    } else if (j.done() != last_reported &&
               (j.done() == j.total() || j.done() - last_reported >= std::max<int64_t>(1, j.total() / 20))) {
      out << "progress: " << j.done() << "/" << j.total() << " done, " << j.failed() << " failed" << std::endl;
      last_reported = j.done();
    }
    if (!running) break;
    // A person watches this: polling the job in this process is cheap and needs no event.
    std::this_thread::sleep_for(std::chrono::milliseconds(interactive ? 200 : 500));
  }
  if (interactive) out << std::endl;
  ASSIGN_OR_RETURN(service::JobProgress final_progress, fleet.Get(job.job_id));
  const domain::Job& j = final_progress.job;
  // The items that did not end ok, a page at a time (a job may have many).
  for (domain::JobItemOutcome outcome : {domain::JobItemOutcome::kFailed, domain::JobItemOutcome::kPartial}) {
    service::JobItemQuery q;
    q.outcome = outcome;
    q.page_size = 200;
    for (;;) {
      ASSIGN_OR_RETURN(store::JobItemPage page, fleet.Items(j.job_id, q));
      for (const domain::JobItem& item : page.items)
        out << "  " << item.account_id << " " << item.region << ": " << domain::JobItemOutcomeName(item.outcome)
            << " — " << item.error << std::endl;
      if (page.next.empty()) break;
      q.cursor = page.next;
    }
  }
  out << "Job " << j.job_id << " " << domain::JobStateName(j.state) << ": " << j.done() << "/" << j.total() << " done, "
      << j.failed() << " failed" << std::endl;
  if (j.state != domain::JobState::kSucceeded)
    return Unavailable("the refresh did not complete for every account (job " + j.job_id + ")");
  return Status::Ok();
}

}  // namespace ap::app
