// Router: the route table of the API. Each route names its method, its path pattern (one "{id}" segment at
// most) and the Access level the Authorizer checks before the handler runs — authorization is declared here,
// not coded in handlers.
//
// Thread safety: build the table at start-up; Find() is then safe from any thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "http/message.h"
#include "service/authorizer.h"
#include "service/context.h"

namespace ap::api {

// What a handler gets: the request, the caller and the path parameter.
struct Call {
  const http::Request& request;
  service::RequestContext& ctx;
  std::string id;  // the {id} segment, percent-decoded; empty when the pattern has none
};

// A handler answers with a response, or with a Status that the api maps to the error body.
using RouteFn = std::function<Result<http::Response>(Call&)>;

// What an asynchronous handler gets: owned copies, since it answers later from another thread.
struct AsyncCall {
  http::Request request;
  service::RequestContext ctx;
  std::string id;
};
using Reply = std::function<void(Result<http::Response>)>;
// For routes that wait on slow work (AWS calls): answer through `reply`, exactly once, from any thread. The
// HTTP I/O thread is not blocked meanwhile.
using AsyncRouteFn = std::function<void(AsyncCall, Reply)>;

struct Route {
  std::string method;   // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string pattern;  // "/api/accounts/{id}"
  service::Access access = service::Access::kAuthenticated;
  RouteFn fn;
  // Audit action recorded when the Authorizer denies this route (writes and secret reads); empty = none.
  std::string denial_audit_action;
  std::string summary;    // one line, for `account-platform routes`
  AsyncRouteFn async_fn;  // set instead of fn for asynchronous routes
  // The handler may wait on AWS (e.g. credential checks): run `fn` on the blocking-work pool, not the I/O thread.
  bool blocking = false;
};

class Router {
 public:
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;  // set when method and path match
    std::string id;
    bool path_known = false;  // some route has this path (→ 405 when route is null)
    std::string allow;        // methods allowed on this path, "GET, PUT"
  };
  Match Find(std::string_view method, std::string_view path) const;

  // The metrics label for a request method: the method itself when some route answers it ("HEAD" when some
  // route is a GET, since GET routes answer HEAD), else "other". Any client may send any method token, so only
  // this fixed set may become a label (a label per token would grow the metrics without limit).
  std::string_view MethodLabel(std::string_view method) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  // A pattern split once into its segments ("{id}" marks the parameter), so matching never re-parses it.
  struct Compiled {
    std::vector<std::string> segments;
    int id_index = -1;
  };
  static Compiled Compile(std::string_view pattern);
  static bool Matches(const Compiled& c, std::string_view path, std::string* id);
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;    // parallel to routes_
  std::vector<std::string> methods_;  // the distinct methods of routes_ (+ HEAD with GET)
};

}  // namespace ap::api
