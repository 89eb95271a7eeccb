#include "app/first_admin.h"

#include <utility>

namespace ap::app {

Status EnsureFirstAdmin(service::AuthService& auth, std::string email, const std::string& password, std::ostream& out) {
  if (email.empty()) email = "admin@localhost";
  auto first_admin = auth.BootstrapAdmin(email, password);
  // Several instances starting together on an empty store: one of them creates the admin.
  if (first_admin.status().code() == StatusCode::kAlreadyExists) return Status::Ok();
  if (!first_admin.ok()) {
    const Status& s = first_admin.status();
    // The operator set these through the environment: name the variable, not the API field.
    if (s.field() == "email") return InvalidArgument("AP_ADMIN_EMAIL: " + s.message());
    if (s.field() == "password") return InvalidArgument("AP_ADMIN_PASSWORD: " + s.message());
    return s;
  }
  if (*first_admin) {
    out << "First admin created: " << (*first_admin)->user.email;
    if ((*first_admin)->generated_password) {
      out << "  password: " << *(*first_admin)->generated_password << "  (shown once; change it after logging in)";
    }
    out << std::endl;
  }
  return Status::Ok();
}

}  // namespace ap::app
