#include "aws/curl_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>

#include "common/mutex.h"

namespace ap::aws {
namespace {

std::once_flag g_curl_init_once;
CURLcode g_curl_init_result = CURLE_OK;

struct ResponseSink {
  HttpResponse* response;
  size_t limit;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<ResponseSink*>(user);
  size_t n = size * nmemb;
  if (sink->response->body.size() + n > sink->limit) {
    sink->too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  sink->response->body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<ResponseSink*>(user);
  size_t n = size * nmemb;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    // A new header block (after "100 Continue" or a proxy's CONNECT answer): only the last one counts.
    sink->response->headers.clear();
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  sink->response->headers.emplace_back(ToLower(line.substr(0, colon)), std::string(value));
  return n;
}

bool HasControlChars(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

long Millis(Duration d) {
  return static_cast<long>(std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(d).count()));
}

Status MapCurlError(CURLcode code, const char* errbuf, const HttpRequest& request, const ResponseSink& sink,
                    size_t limit) {
  std::string where = request.method + " " + request.scheme + "://" + request.HostHeaderValue() + request.path;
  std::string detail = errbuf[0] != '\0' ? std::string(errbuf) : std::string(curl_easy_strerror(code));
  std::string message =
      "HTTP transport: " + detail + " (curl " + std::to_string(static_cast<int>(code)) + ") calling " + where;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return DeadlineExceeded(std::move(message));
    case CURLE_FILESIZE_EXCEEDED:
      return Internal("HTTP transport: response larger than " + std::to_string(limit) + " bytes from " + where);
    case CURLE_WRITE_ERROR:
      if (sink.too_large) {
        return Internal("HTTP transport: response larger than " + std::to_string(limit) + " bytes from " + where);
      }
      return Internal(std::move(message));
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return InvalidArgument(std::move(message));
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_PROXY:
      return Unavailable(std::move(message));
    default:
      return Internal(std::move(message));
  }
}

}  // namespace

struct CurlTransport::Impl {
  CURLSH* share = nullptr;
  // libcurl's share interface locks and unlocks these through the callbacks below, in separate calls: they guard
  // libcurl's shared data, none of ours, so they stay plain std::mutex (outside the thread-safety analysis).
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;
  Mutex pool_mu;
  std::vector<CURL*> idle GUARDED_BY(pool_mu);

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->share_locks[static_cast<size_t>(data)].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->share_locks[static_cast<size_t>(data)].unlock();
  }

  CURL* Borrow() {
    {
      MutexLock lock(pool_mu);
      if (!idle.empty()) {
        CURL* h = idle.back();
        idle.pop_back();
        return h;
      }
    }
    return curl_easy_init();
  }

  void Return(CURL* h, size_t max_idle) {
    {
      MutexLock lock(pool_mu);
      if (idle.size() < max_idle) {
        idle.push_back(h);
        return;
      }
    }
    curl_easy_cleanup(h);
  }
};

CurlTransport::CurlTransport(CurlTransportOptions options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {}

Result<std::unique_ptr<CurlTransport>> CurlTransport::Create(CurlTransportOptions options) {
  std::call_once(g_curl_init_once, [] { g_curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (g_curl_init_result != CURLE_OK) {
    return Internal(std::string("curl_global_init failed: ") + curl_easy_strerror(g_curl_init_result));
  }
  std::unique_ptr<CurlTransport> t(new CurlTransport(std::move(options)));
  Impl* impl = t->impl_.get();
  impl->share = curl_share_init();
  if (impl->share == nullptr) return Internal("curl_share_init failed");
  curl_share_setopt(impl->share, CURLSHOPT_LOCKFUNC, &Impl::Lock);
  curl_share_setopt(impl->share, CURLSHOPT_UNLOCKFUNC, &Impl::Unlock);
  curl_share_setopt(impl->share, CURLSHOPT_USERDATA, impl);
  curl_share_setopt(impl->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(impl->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  return t;
}

CurlTransport::~CurlTransport() {
  {
    MutexLock lock(impl_->pool_mu);
    for (CURL* h : impl_->idle) curl_easy_cleanup(h);
    impl_->idle.clear();
  }
  if (impl_->share != nullptr) curl_share_cleanup(impl_->share);
}

Result<HttpResponse> CurlTransport::Send(const HttpRequest& request) {
  RETURN_IF_ERROR(CheckDestination(request, options_.plain_http_hosts));
  if (HasControlChars(request.method) || HasControlChars(request.path)) {
    return InvalidArgument("HTTP transport: control characters in the request line");
  }

  // Header list. libcurl sends "Name;" as an empty header and "Name:" removes one it would add itself.
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&](const std::string& line) {
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (next != nullptr) {
      (void)headers.release();
      headers.reset(next);
    }
    return next != nullptr;
  };
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || HasControlChars(name) || HasControlChars(value) || name.find(':') != std::string::npos) {
      return InvalidArgument("HTTP transport: bad header '" + name + "'");
    }
    std::string line = name + (value.empty() ? ";" : ": ");
    line += value;
    if (!add_header(line)) return Internal("curl_slist_append failed");
  }
  if (request.FindHeader("content-type") == nullptr) add_header("Content-Type:");
  add_header("Expect:");  // no 100-continue round trip for bodies over 1 KiB

  const bool reuse = options_.reuse_connections;
  CURL* h = reuse ? impl_->Borrow() : curl_easy_init();
  if (h == nullptr) return Internal("curl_easy_init failed");
  curl_easy_reset(h);  // keeps live connections, drops the previous request's options

  HttpResponse response;
  ResponseSink sink{&response, options_.max_response_bytes};
  char errbuf[CURL_ERROR_SIZE];
  errbuf[0] = '\0';
  const std::string url = request.Url();

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_SHARE, impl_->share);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(h, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.use_proxy || IsLoopbackHost(request.host)) curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, Millis(options_.connect_timeout));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, Millis(options_.total_timeout));
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes));
  curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
  if (!reuse) {
    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);

  if (request.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    // POST, PUT, DELETE, …: the body (possibly empty, which still sends Content-Length: 0) goes as given.
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    if (request.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  if (rc == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  // The handle must not keep pointers into this frame once it is back in the pool.
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  if (reuse) {
    impl_->Return(h, options_.max_idle_handles);
  } else {
    curl_easy_cleanup(h);
  }
  if (rc != CURLE_OK) return MapCurlError(rc, errbuf, request, sink, options_.max_response_bytes);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace ap::aws
