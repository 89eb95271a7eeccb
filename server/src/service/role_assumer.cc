#include "service/role_assumer.h"

namespace ap::service {

Result<aws::Credentials> RoleAssumer::Resolve(const domain::Credentials& c, const std::string& region) {
  if (c.type == domain::CredentialType::kAccessKey) {
    aws::Credentials out;
    out.access_key_id = c.access_key_id;
    out.secret_access_key = c.secret_access_key;
    out.session_token = c.session_token;
    return out;
  }
  if (!platform_identity_)
    return FailedPrecondition("the platform has no AWS identity of its own to assume roles with");
  ASSIGN_OR_RETURN(aws::Credentials base, platform_identity_->Get());
  aws::AssumeRoleRequest req;
  req.role_arn = c.role_arn;
  req.external_id = c.external_id;
  req.role_session_name = "account-platform";
  return sts_.AssumeRole(base, region, req);
}

Result<std::string> RoleAssumer::CallerAccount(const domain::Credentials& c, const std::string& region) {
  ASSIGN_OR_RETURN(aws::Credentials creds, Resolve(c, region));
  ASSIGN_OR_RETURN(aws::CallerIdentity id, sts_.GetCallerIdentity(creds, region));
  return id.account;
}

}  // namespace ap::service
