// Page-size checks of the cursor-paged lists (accounts, dashboard rows, audit log, users, jobs, job items): the one
// place that words the error, so that every list refuses a bad page_size the same way (422 naming page_size).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace ap::service {

// OK when 1 <= page_size <= max_page_size; InvalidArgument("page_size") otherwise.
inline Status CheckPageSize(int64_t page_size, int64_t max_page_size) {
  if (page_size < 1 || page_size > max_page_size)
    return InvalidArgument("must be between 1 and " + std::to_string(max_page_size), "page_size");
  return Status::Ok();
}

}  // namespace ap::service
