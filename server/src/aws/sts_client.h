// StsClient: Sts (clients.h) over the STS query protocol — POST form `Action=…&Version=2011-06-15` to
// https://sts.<region>.amazonaws.com, XML answers read with the minimal reader in xml.h.
//
// Thread safety: safe from many threads. Ownership: the AwsCaller's references must stay valid; `keep_alive`
// (optional) is held for as long as the client lives (the factory passes the objects the caller refers to).
#pragma once

#include <memory>

#include "aws/aws_caller.h"
#include "aws/clients.h"

namespace ap::aws {

class StsClient final : public Sts {
 public:
  explicit StsClient(AwsCaller caller, std::shared_ptr<void> keep_alive = nullptr);

  // Errors as in clients.h; Internal when a 200 answer cannot be read.
  Result<CallerIdentity> GetCallerIdentity(const Credentials& creds, const std::string& region) override;
  // The temporary credentials (with session_token and expiration). PermissionDenied (AccessDenied) for an unknown
  // role, an untrusted caller or a wrong/missing external id; InvalidArgument (ValidationError) for a bad session
  // name or duration.
  Result<Credentials> AssumeRole(const Credentials& creds, const std::string& region,
                                 const AssumeRoleRequest& request) override;

 private:
  AwsCaller caller_;
  std::shared_ptr<void> keep_alive_;
};

}  // namespace ap::aws
