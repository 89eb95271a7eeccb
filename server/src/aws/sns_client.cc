#include "aws/sns_client.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "aws/xml.h"

namespace ap::aws {
namespace {

bool AnyOf(std::string_view code, std::initializer_list<std::string_view> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

Status ValidatePublish(const std::string& topic_arn, const std::string& subject, const std::string& message) {
  if (topic_arn.empty()) return InvalidArgument("sns Publish: topic_arn is required", "topic_arn");
  if (subject.size() > kMaxSnsPublishSubjectChars) {
    return InvalidArgument("sns Publish: the subject must be less than 100 characters", "subject");
  }
  if (!subject.empty() && subject.front() == ' ') {
    return InvalidArgument("sns Publish: the subject may not start with a space", "subject");
  }
  if (!std::all_of(subject.begin(), subject.end(), [](char c) { return c >= 0x20 && c <= 0x7e; })) {
    return InvalidArgument("sns Publish: the subject must be printable ASCII without line breaks", "subject");
  }
  if (message.empty()) return InvalidArgument("sns Publish: the message is empty", "message");
  if (message.size() > kMaxSnsPublishMessageBytes) {
    return InvalidArgument("sns Publish: the message is larger than 256 KiB", "message");
  }
  return Status::Ok();
}

Result<std::string> SnsClient::Publish(const Credentials& creds, const std::string& region,
                                       const std::string& topic_arn, const std::string& subject,
                                       const std::string& message) {
  RETURN_IF_ERROR(ValidatePublish(topic_arn, subject, message));
  QueryParams params = {{"Action", "Publish"}, {"Version", kSnsApiVersion}, {"TopicArn", topic_arn}};
  if (!subject.empty()) params.emplace_back("Subject", subject);
  params.emplace_back("Message", message);
  CallSpec spec;
  spec.service = AwsService::kSns;
  spec.operation = "Publish";
  spec.body = EncodeForm(params);
  spec.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");

  AwsError last;
  Result<HttpResponse> answer = caller_.Call(creds, region, spec, &last);
  if (!answer.ok()) {
    // SNS's own codes, which the shared mapping (aws_error.h) does not know; the message (code first) is kept.
    const std::string& text = answer.status().message();
    if (AnyOf(last.code, {"NotFound", "TopicNotFound"})) return NotFound(text);
    if (AnyOf(last.code, {"AuthorizationError", "KMSAccessDenied", "KMSOptInRequired"})) return PermissionDenied(text);
    if (AnyOf(last.code, {"InvalidParameter", "InvalidParameterValue", "InvalidSecurity"})) {
      return InvalidArgument(text);
    }
    if (AnyOf(last.code, {"EndpointDisabled", "KMSDisabled", "KMSInvalidState", "KMSNotFound"})) {
      return FailedPrecondition(text);
    }
    if (AnyOf(last.code, {"InternalError", "KMSThrottling"})) return Unavailable(text);
    return answer.status();
  }
  Result<XmlElement> doc = ParseXml(answer->body);
  if (!doc.ok()) return Internal("sns Publish: unreadable response: " + doc.status().message());
  if (doc->name != "PublishResponse") {
    return Internal("sns Publish: unexpected response document <" + doc->name + ">");
  }
  std::string id = doc->TextAt({"PublishResult", "MessageId"});
  if (id.empty()) return Internal("sns Publish: the response lacks a MessageId");
  return id;
}

}  // namespace ap::aws
