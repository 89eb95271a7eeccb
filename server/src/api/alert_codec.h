// Wire encoding of the alerts API (docs/openapi.yaml, tag alerts): rules, channels, alerts and delivery reports, and
// decoding of the rule and channel bodies. Decoders return InvalidArgument naming the wire field.
//
// Units on the wire: duration_minutes and renotify_minutes (whole minutes; the domain keeps milliseconds);
// threshold as the domain has it (a headroom fraction, or a throttle count). Fields a condition or a channel kind
// does not use are null in answers.
#pragma once

#include <cstdint>
#include <optional>

#include "api/json.h"
#include "domain/alerts.h"
#include "service/alert_delivery.h"
#include "service/alert_service.h"  // store::StoredAlertChannel, through the service

namespace ap::api {

json::object AlertRuleToJson(const domain::AlertRule& rule);
// Never the URL of a Slack channel nor any secret: StoredAlertChannel::url_shown and has_secret.
json::object AlertChannelToJson(const store::StoredAlertChannel& channel);
json::object AlertToJson(const service::AlertView& view);
json::object DeliveryReportToJson(const service::DeliveryReport& report);

// The POST / PUT body of a rule (AlertRuleInput / AlertRulePut). `expected_version` non-null: the PUT form,
// "version" required and stored there.
Result<domain::AlertRule> AlertRuleFromJson(const json::object& obj, int64_t* expected_version);
// The POST / PUT body of a channel (AlertChannelInput / AlertChannelPut). `expected_version` non-null: the PUT
// form ("version" required; absent url / secret keep the stored ones, secret null removes it).
Result<service::AlertChannelInput> AlertChannelFromJson(const json::object& obj, int64_t* expected_version);

// The wire names of the domain's rule fields in a validation error ("duration_ms" → "duration_minutes", …);
// other statuses unchanged.
Status WireRuleError(Status status);

}  // namespace ap::api
