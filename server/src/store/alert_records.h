// What both AlertStore backends share (alert_store.h): the checks of a write, the JSON text a rule or an alert is
// stored as, and the sort key of the alert lists.
//
// Stored JSON: every field by name, enums by their domain names; an optional field that is absent is left out of
// the JSON (so it reads back absent, never 0). Unknown members are ignored (a newer writer's fields).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/alerts.h"

namespace ap::store {

// The checks of PutAlertRule before anything is read: InvalidArgument("id") for an empty id or one with '|',
// InvalidArgument("version") unless rule.version == expected_version + 1 and expected_version >= 0, then
// domain::ValidateAlertRule.
Status CheckAlertRuleWrite(const domain::AlertRule& rule, int64_t expected_version);
// The checks of PutAlert: InvalidArgument("key") when alert.key != AlertKey(rule_id, target) or rule_id is empty
// or an id contains '|'; InvalidArgument("started_at_ms") outside 0..9,999,999,999,999,999 (the sort key's
// range); InvalidArgument("pending_since_ms") likewise; InvalidArgument("deliveries") for more than
// kMaxAlertRuleChannels or not sorted and unique by channel_id; InvalidArgument("value") for a NaN or infinite
// value; InvalidArgument("revision") for a negative expected_revision.
Status CheckAlertWrite(const domain::Alert& alert, int64_t expected_revision);

std::string AlertRuleToJson(const domain::AlertRule& rule);
// Internal when `json` is not a rule this code wrote.
Result<domain::AlertRule> AlertRuleFromJson(std::string_view json);
// The alert without its revision (the backends keep that in a column / attribute of its own).
std::string AlertToJson(const domain::Alert& alert);
// Internal when `json` is not an alert this code wrote. revision is left 0.
Result<domain::Alert> AlertFromJson(std::string_view json);

// The sort key of the alert lists (newest first: started_at_ms descending, then key ascending) as one string
// that sorts ascending: 16 digits of (9,999,999,999,999,999 - started_at_ms), '#', the key.
// REQUIRES: CheckAlertWrite passed.
std::string AlertSortKey(const domain::Alert& alert);
// True when `s` has the form AlertSortKey makes (for refusing cursors).
bool IsAlertSortKey(std::string_view s);

// The rule id of an alert key (the part before the first '|'); "" when the key has no '|'.
std::string_view AlertKeyRuleId(std::string_view key);

}  // namespace ap::store
