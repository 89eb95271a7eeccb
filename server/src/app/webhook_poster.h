// TransportWebhookPoster: service::WebhookPoster (service/alert_delivery.h) over an aws::Transport — in production
// a CurlTransport of its own (MakeWebhookPoster): no AWS signing, no proxy bypass, TLS always verified, redirects
// never followed, plain http to loopback hosts only (the same rule ValidateAlertChannel applies), responses larger
// than the cap fail (Internal; the body is never returned or logged).
//
// Error messages are generic: the transport's own messages name the destination, and a Slack webhook URL is a
// secret, so they are replaced by "webhook POST: <what happened>".
//
// Thread safety: safe from many threads (the transport is). Ownership: shares the transport.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "aws/transport.h"
#include "service/alert_delivery.h"

namespace ap::app {

struct WebhookPosterOptions {
  // Time to connect (TCP and TLS). Default 10 s.
  Duration connect_timeout = std::chrono::seconds(10);
  // Time for the whole POST, connect included. Default 10 s.
  Duration total_timeout = std::chrono::seconds(10);
  // Larger answers fail the attempt (Internal). Default 64 KiB: receivers answer with a status, not a document.
  size_t max_response_bytes = size_t{64} * 1024;
  // CA bundle; empty = the system store. Default empty.
  std::string ca_file;
};

class TransportWebhookPoster final : public service::WebhookPoster {
 public:
  explicit TransportWebhookPoster(std::shared_ptr<aws::Transport> transport) : transport_(std::move(transport)) {}

  // See service::WebhookPoster. InvalidArgument also when the URL does not parse.
  Result<service::WebhookResponse> Post(const service::WebhookRequest& request) override;

 private:
  std::shared_ptr<aws::Transport> transport_;
};

// A poster over a new CurlTransport with `options`. Internal when libcurl cannot be initialised.
Result<std::unique_ptr<service::WebhookPoster>> MakeWebhookPoster(const WebhookPosterOptions& options = {});

}  // namespace ap::app
