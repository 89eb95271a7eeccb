// /api/auth/*: login, logout, who am I.
#include "api/api.h"
#include "api/codec.h"

namespace ap::api {

void AddAuthRoutes(Router& r, Services& s, const ApiOptions& o) {
  r.Add({"POST", "/api/auth/login", service::Access::kPublic,
         [&s, &o](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
           ObjectReader in(body);
           ASSIGN_OR_RETURN(std::string email, in.String("email"));
           ASSIGN_OR_RETURN(std::string password, in.String("password"));
           auto login = s.auth.Login(c.ctx, email, password);
           if (!login.ok()) {
             if (login.status().code() == StatusCode::kResourceExhausted) {
               http::Response r = ErrorFromStatus(login.status(), c.ctx.request_id);
               r.AddHeader("Retry-After", std::to_string(s.auth.RetryAfterSeconds(email)));
               return r;
             }
             return login.status();
           }
           c.ctx.principal.user_id = login->user.user_id;
           http::Response resp = JsonResponse(200, json::object{{"token", login->token},
                                                                {"user", UserToJson(login->user)},
                                                                {"expires_at", TimeOrNull(login->expires_at_ms)}});
           std::string cookie = o.cookie_name + "=" + login->token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                std::to_string(o.session_ttl_seconds);
           if (o.cookie_secure) cookie += "; Secure";
           resp.AddHeader("Set-Cookie", cookie);
           resp.AddHeader("Cache-Control", "no-store");
           return resp;
         },
         "", "Log in with email and password; returns a bearer token and sets the session cookie"});

  r.Add({"POST", "/api/auth/logout", service::Access::kAuthenticated,
         [&s, &o](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(s.auth.Logout(c.ctx));
           http::Response resp;
           resp.status = 204;
           resp.content_type.clear();
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
}

}  // namespace ap::api
