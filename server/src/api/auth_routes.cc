// /api/auth/*: login, logout, who am I (authenticated: me; public: session).
#include "api/api.h"
#include "api/codec.h"

#include <algorithm>
#include <utility>

namespace ap::api {

void AddAuthRoutes(Router& r, Services& s, const ApiOptions& o) {
  // Asynchronous: the password hash runs on the service's bounded hash pool, never on the I/O thread. Over the
  // pool's queue bound: 503 with Retry-After.
  Route login{"POST",
              "/api/auth/login",
              service::Access::kPublic,
              nullptr,
              "",
              "Log in with email and password; returns a bearer token and sets the session cookie"};
  login.async_fn = [&s, &o](AsyncCall c, const Reply& reply) {
    auto parsed = [&]() -> Result<std::pair<std::string, std::string>> {
      ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
      ObjectReader in(body);
      ASSIGN_OR_RETURN(std::string email, in.String("email"));
      ASSIGN_OR_RETURN(std::string password, in.String("password"));
      return std::pair{std::move(email), std::move(password)};
    }();
    if (!parsed.ok()) {
      reply(parsed.status());
      return;
    }
    std::string request_id = c.ctx.request_id;
    auto client_gone = c.request.client_gone;
    auto done = [&o, reply, request_id](Result<service::LoginResult> login, int64_t retry_after) {
      if (!login.ok()) {
        if (login.status().code() == StatusCode::kResourceExhausted) {
          http::Response r = ErrorFromStatus(login.status(), request_id);
          r.AddHeader("Retry-After", std::to_string(std::max<int64_t>(1, retry_after)));
          reply(std::move(r));
          return;
        }
        reply(login.status());
        return;
      }
      http::Response resp = JsonResponse(200, json::object{{"token", login->token},
                                                           {"user", UserToJson(login->user)},
                                                           {"expires_at", TimeOrNull(login->expires_at_ms)}});
      std::string cookie = o.cookie_name + "=" + login->token +
                           "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(o.session_ttl_seconds);
      if (o.cookie_secure) cookie += "; Secure";
      resp.AddHeader("Set-Cookie", cookie);
      resp.AddHeader("Cache-Control", "no-store");
      resp.user_id = login->user.user_id;  // for the access log (Api::Handle's async reply currently overwrites it)
      reply(std::move(resp));
    };
    Status queued = s.auth.LoginAsync(
        std::move(c.ctx), std::move(parsed->first), std::move(parsed->second),
        [client_gone] { return client_gone && client_gone->load(std::memory_order_relaxed); }, std::move(done));
    if (!queued.ok()) {
      // The hash pool's queue is full: a login storm. Refused at once; the client may retry shortly.
      http::Response r = ErrorFromStatus(queued, request_id);
      r.AddHeader("Retry-After", "1");
      reply(std::move(r));
    }
  };
  r.Add(std::move(login));

  // Asynchronous like login: two password hashes on the hash pool. Throttled like login (429 + Retry-After).
  Route password{"POST",
                 "/api/auth/password",
                 service::Access::kAuthenticated,
                 nullptr,
                 "",
                 "Change your own password (the current one required); your other sessions end, this one stays"};
  password.async_fn = [&s](AsyncCall c, const Reply& reply) {
    auto parsed = [&]() -> Result<std::pair<std::string, std::string>> {
      ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
      ObjectReader in(body);
      ASSIGN_OR_RETURN(std::string current, in.String("current_password"));
      ASSIGN_OR_RETURN(std::string next, in.String("new_password"));
      return std::pair{std::move(current), std::move(next)};
    }();
    if (!parsed.ok()) {
      reply(parsed.status());
      return;
    }
    std::string request_id = c.ctx.request_id;
    auto done = [reply, request_id](Result<domain::User> user, int64_t retry_after) {
      if (!user.ok()) {
        http::Response r = ErrorFromStatus(user.status(), request_id);
        if (user.status().code() == StatusCode::kResourceExhausted)
          r.AddHeader("Retry-After", std::to_string(std::max<int64_t>(1, retry_after)));
        reply(std::move(r));
        return;
      }
      reply(JsonResponse(200, UserToJson(*user)));
    };
    Status queued = s.auth.ChangePasswordAsync(std::move(c.ctx), std::move(parsed->first), std::move(parsed->second),
                                               std::move(done));
    if (!queued.ok()) {
      http::Response r = ErrorFromStatus(queued, request_id);
      r.AddHeader("Retry-After", "1");
      reply(std::move(r));
    }
  };
  r.Add(std::move(password));

  r.Add({"POST", "/api/auth/logout", service::Access::kAuthenticated,
         [&s, &o](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(s.auth.Logout(c.ctx));
           http::Response resp = NoContent();
           resp.AddHeader("Set-Cookie", o.cookie_name + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
           return resp;
         },
         "", "End the current session"});

  r.Add({"GET", "/api/auth/me", service::Access::kAuthenticated,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(domain::User u, s.auth.GetUser(c.ctx.principal.user_id));
           return JsonResponse(200, UserToJson(u));
         },
         "", "The logged-in user"});

  // The web app's first question on every load. Public and always 200, so that a logged-out visit is not a failed
  // request (browsers log every 4xx/5xx in the console): {"user": null} without a valid session.
  r.Add({"GET", "/api/auth/session", service::Access::kPublic,
         [&s](Call& c) -> Result<http::Response> {
           json::value user = nullptr;
           if (c.ctx.principal.authenticated) {
             Result<domain::User> u = s.auth.GetUser(c.ctx.principal.user_id);
             if (u.ok()) {
               user = UserToJson(*u);
             } else if (u.status().code() != StatusCode::kNotFound) {
               return u.status();
             }
           }
           http::Response resp = JsonResponse(200, json::object{{"user", std::move(user)}});
           resp.AddHeader("Cache-Control", "no-store");
           return resp;
         },
         "", "The current session's user, or null when not logged in"});
}

}  // namespace ap::api
