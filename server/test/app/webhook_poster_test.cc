// TransportWebhookPoster on a scripted FakeTransport: the HTTP request it builds from a URL (scheme, host, port,
// path, query, headers, body, POST), the answer it returns (status, Retry-After) and the error messages, which must
// never carry the URL (Slack webhook URLs are secrets).
#include "app/webhook_poster.h"

#include <gtest/gtest.h>

#include "aws/testing/fake_transport.h"
#include "status_matchers.h"

namespace ap::app {
namespace {

using aws::testing::FakeTransport;

TEST(TransportWebhookPoster, BuildsThePostFromTheUrl) {
  auto transport = std::make_shared<FakeTransport>();
  transport->PushResponse(202, "accepted", {{"retry-after", "5"}});
  TransportWebhookPoster poster(transport);
  service::WebhookRequest req;
  req.url = "https://hooks.example.com:8443/a/b?x=1&y=a%20b";
  req.headers = {{"Content-Type", "application/json"}, {"X-AP-Delivery", "d1"}};
  req.body = R"({"version":1})";
  ASSERT_OK_AND_ASSIGN(service::WebhookResponse r, poster.Post(req));
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.retry_after, std::optional<std::string>("5"));
  ASSERT_EQ(transport->requests().size(), 1u);
  const aws::HttpRequest sent = transport->requests()[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.Url(), "https://hooks.example.com:8443/a/b?x=1&y=a%20b");
  EXPECT_EQ(*sent.FindHeader("content-type"), "application/json");
  EXPECT_EQ(*sent.FindHeader("x-ap-delivery"), "d1");
  EXPECT_EQ(sent.body, R"({"version":1})");
}

TEST(TransportWebhookPoster, NoPathMeansSlashAndNoRetryAfterIsNullopt) {
  auto transport = std::make_shared<FakeTransport>();
  transport->PushResponse(500, "");
  TransportWebhookPoster poster(transport);
  ASSERT_OK_AND_ASSIGN(service::WebhookResponse r, poster.Post({"http://127.0.0.1:9", {}, "{}"}));
  EXPECT_EQ(r.status, 500);
  EXPECT_FALSE(r.retry_after.has_value());
  EXPECT_EQ(transport->requests()[0].Url(), "http://127.0.0.1:9/");
}

TEST(TransportWebhookPoster, ErrorsNeverCarryTheUrl) {
  const std::string url = "https://hooks.slack.com/services/T000/B000/SECRETTOKEN";
  auto transport = std::make_shared<FakeTransport>();
  transport->PushError(Unavailable("connect failed calling " + url));
  transport->PushError(DeadlineExceeded("timeout calling " + url));
  transport->PushError(Internal("response larger than 65536 bytes from " + url));
  TransportWebhookPoster poster(transport);
  for (StatusCode want : {StatusCode::kUnavailable, StatusCode::kDeadlineExceeded, StatusCode::kInternal}) {
    Result<service::WebhookResponse> r = poster.Post({url, {}, "{}"});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), want);
    EXPECT_EQ(r.status().message().find("SECRETTOKEN"), std::string::npos) << r.status().message();
  }
  Result<service::WebhookResponse> bad = poster.Post({"ftp://example.com/" + std::string("SECRETTOKEN"), {}, "{}"});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().find("SECRETTOKEN"), std::string::npos);
  EXPECT_EQ(transport->requests().size(), 3u) << "a URL that does not parse is not sent";
}

}  // namespace
}  // namespace ap::app
