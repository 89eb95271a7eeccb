// StsClient: Sts (clients.h) over the STS query protocol — POST form `Action=…&Version=2011-06-15` to
// https://sts.<region>.amazonaws.com, XML answers read with the minimal reader in xml.h.
//
// Thread safety: safe from many threads. Ownership: see CallerClient (caller_client.h).
#pragma once

#include "aws/caller_client.h"

namespace ap::aws {

class StsClient final : public CallerClient<Sts> {
 public:
  using CallerClient::CallerClient;

  // Errors as in clients.h; Internal when a 200 answer cannot be read.
  Result<CallerIdentity> GetCallerIdentity(const Credentials& creds, const std::string& region) override;
  // The temporary credentials (with session_token and expiration). PermissionDenied (AccessDenied) for an unknown
  // role, an untrusted caller or a wrong/missing external id; InvalidArgument (ValidationError) for a bad session
  // name or duration.
  Result<Credentials> AssumeRole(const Credentials& creds, const std::string& region,
                                 const AssumeRoleRequest& request) override;
};

}  // namespace ap::aws
