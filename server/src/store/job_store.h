// JobStore: fleet jobs.
//
// Thread safety: safe to call concurrently from many threads.
// The contracts common to every store interface are in store/store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/job.h"

namespace ap::store {

class JobStore {
 public:
  virtual ~JobStore() = default;

  // ---- Fleet jobs --------------------------------------------------------------------------------------
  // Creates or replaces the job with this job_id (items included).
  virtual Status PutJob(const domain::Job& job) = 0;
  // NotFound if absent.
  virtual Result<domain::Job> GetJob(const std::string& job_id) = 0;
  // Newest first (created_at_ms descending, then job_id); at most `limit` (1..1000).
  virtual Result<std::vector<domain::Job>> ListJobs(int64_t limit) = 0;
};

}  // namespace ap::store
