// Wire encoding of what the last quota refresh did (issue 16 §1): the "last_refresh" object of a quota read and of
// a dashboard row, and the "reason_kind" beside a value's failure reason.
#pragma once

#include "api/json.h"
#include "domain/quota.h"
#include "domain/read_failure.h"

namespace ap::api {

// {at, state: ok|partial|failed, read, failed, reason, reason_kind} (reason and reason_kind null when nothing
// failed); null when no value was ever attempted.
json::value LastRefreshToJson(const domain::LastRefresh& last);
// The kind of a value's failure reason (domain::ReadFailureKindName) when it is stale or error with a reason;
// null otherwise.
json::value ReasonKindOf(const domain::QuotaValue& value);

}  // namespace ap::api
