// The first start's admin: on a store with no user yet, creates an admin and tells the operator (on stdout, the
// only place a generated password is ever shown).
#pragma once

#include <ostream>
#include <string>

#include "common/status.h"
#include "service/auth_service.h"

namespace ap::app {

// When the store has no user, creates an admin with `email` (empty: "admin@localhost") and `password` (empty: a
// generated one) and prints "First admin created: <email>", with "  password: <generated>  (shown once; …)"
// when generated, as one line on `out`. Prints nothing when users exist. Returns InvalidArgument naming
// AP_ADMIN_EMAIL or AP_ADMIN_PASSWORD (the environment variables these come from) when one is rejected, or the
// store's error. OK, printing nothing, when another instance starting at the same time created the admin with this
// email first (AlreadyExists from the store).
Status EnsureFirstAdmin(service::AuthService& auth, std::string email, const std::string& password, std::ostream& out);

}  // namespace ap::app
