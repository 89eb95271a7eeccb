// Who is asking and from where: passed into every use case so that authorization and the audit log see the
// same facts. Built by api/ from the request; value type.
#pragma once

#include <string>
#include <vector>

#include "domain/user.h"

namespace ap::service {

struct Principal {
  bool authenticated = false;
  std::string user_id;  // empty when anonymous; "system" for background work
  std::string email;
  domain::Role role = domain::Role::kUser;
  std::vector<std::string> teams;  // sorted
  std::string token_hash;          // the session this principal came from (for logout)
  // An admin forced a password reset: the API lets this principal only set a new password (api.cc).
  bool must_change_password = false;

  bool is_admin() const { return authenticated && role == domain::Role::kAdmin; }
};

struct RequestContext {
  Principal principal;
  std::string request_id;
  std::string client_ip;
  std::string user_agent;
  // The fleet job this work is done for; empty otherwise. Work done for a job is audited once, by the job (issue 16
  // §5: one entry per fleet refresh, not one per account).
  std::string job_id;

  // A context for work the platform does by itself (scheduler, bootstrap).
  static RequestContext System() {
    RequestContext c;
    c.principal.authenticated = true;
    c.principal.user_id = "system";
    c.principal.role = domain::Role::kAdmin;
    return c;
  }
};

}  // namespace ap::service
