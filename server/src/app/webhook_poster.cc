#include "app/webhook_poster.h"

#include "aws/curl_transport.h"
#include "aws/http_request.h"

namespace ap::app {
namespace {

// The query string as decoded pairs (HttpRequest re-encodes them on the wire).
aws::QueryParams SplitQuery(const std::string& query) {
  aws::QueryParams out;
  size_t start = 0;
  while (start < query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string::npos) amp = query.size();
    std::string pair = query.substr(start, amp - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      if (eq == std::string::npos) {
        out.emplace_back(aws::UriDecode(pair), "");
      } else {
        out.emplace_back(aws::UriDecode(pair.substr(0, eq)), aws::UriDecode(pair.substr(eq + 1)));
      }
    }
    start = amp + 1;
  }
  return out;
}

}  // namespace

Result<service::WebhookResponse> TransportWebhookPoster::Post(const service::WebhookRequest& request) {
  Result<aws::ParsedUrl> url = aws::ParseUrl(request.url);
  if (!url.ok()) return InvalidArgument("webhook POST: the URL is not an absolute http(s) URL");
  aws::HttpRequest http;
  http.method = "POST";
  http.scheme = url->scheme;
  http.host = url->host;
  http.port = url->port;
  http.path = url->path.empty() ? "/" : url->path;
  http.query = SplitQuery(url->query);
  for (const auto& [name, value] : request.headers) http.headers.emplace_back(name, value);
  http.body = request.body;
  Result<aws::HttpResponse> answer = transport_->Send(http);
  if (!answer.ok()) {
    switch (answer.status().code()) {
      case StatusCode::kUnavailable:
        return Unavailable("webhook POST: could not connect");
      case StatusCode::kDeadlineExceeded:
        return DeadlineExceeded("webhook POST: timed out");
      case StatusCode::kInvalidArgument:
        return InvalidArgument("webhook POST: destination refused (https required except to loopback)");
      default:
        return Internal("webhook POST: failed (e.g. an answer over the size limit)");
    }
  }
  service::WebhookResponse out;
  out.status = answer->status;
  if (const std::string* retry_after = answer->FindHeader("retry-after"); retry_after != nullptr) {
    out.retry_after = *retry_after;
  }
  return out;
}

Result<std::unique_ptr<service::WebhookPoster>> MakeWebhookPoster(const WebhookPosterOptions& options) {
  aws::CurlTransportOptions t;
  t.connect_timeout = options.connect_timeout;
  t.total_timeout = options.total_timeout;
  t.max_response_bytes = options.max_response_bytes;
  t.ca_file = options.ca_file;
  t.user_agent = "account-platform-alerts/1";
  ASSIGN_OR_RETURN(std::unique_ptr<aws::CurlTransport> curl, aws::CurlTransport::Create(std::move(t)));
  std::shared_ptr<aws::Transport> transport = std::move(curl);
  return std::unique_ptr<service::WebhookPoster>(std::make_unique<TransportWebhookPoster>(std::move(transport)));
}

}  // namespace ap::app
