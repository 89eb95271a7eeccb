// Page arithmetic of the paged lists (accounts, dashboard rows, audit log): a 1-based page number and a page size
// become the offset of the page's first row. The one place that does this, so that no list computes
// (page - 1) * page_size in a way that can overflow (a wrapped offset would silently answer another page).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "common/status.h"

namespace ap::service {

struct PageSpan {
  int64_t page = 1;  // 1-based
  int64_t page_size = 50;
  int64_t offset = 0;  // (page - 1) * page_size, the rows before this page
};

// Returns the page's span. InvalidArgument("page") when page < 1; InvalidArgument("page_size") unless
// 1 <= page_size <= max_page_size; InvalidArgument("page") when (page - 1) * page_size does not fit in an int64
// (a page beyond every possible row). REQUIRES: max_page_size >= 1.
inline Result<PageSpan> CheckPage(int64_t page, int64_t page_size, int64_t max_page_size) {
  if (page < 1) return InvalidArgument("must be 1 or more", "page");
  if (page_size < 1 || page_size > max_page_size)
    return InvalidArgument("must be between 1 and " + std::to_string(max_page_size), "page_size");
  // (page - 1) * page_size <= INT64_MAX, checked by division so that the check itself cannot overflow.
  if (page - 1 > std::numeric_limits<int64_t>::max() / page_size)
    return InvalidArgument("is too large for page_size " + std::to_string(page_size), "page");
  return PageSpan{page, page_size, (page - 1) * page_size};
}

}  // namespace ap::service
