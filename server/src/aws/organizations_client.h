// OrganizationsClient: Organizations (clients.h) over JSON 1.1 — POST / with
// `Content-Type: application/x-amz-json-1.1` and `X-Amz-Target: AWSOrganizationsV20161128.<Operation>` to the global
// endpoint https://organizations.us-east-1.amazonaws.com, signed for us-east-1 (endpoints.h). Lists ask for
// MaxResults 20 (AWS's maximum) and follow every NextToken.
//
// Thread safety: safe from many threads. Ownership: see CallerClient (caller_client.h).
#pragma once

#include "aws/caller_client.h"

namespace ap::aws {

class OrganizationsClient final : public CallerClient<Organizations> {
 public:
  using CallerClient::CallerClient;

  // Errors as in clients.h.
  Result<std::vector<OrganizationAccount>> ListAccounts(const Credentials& creds) override;
  Result<OrganizationTree> WalkTree(const Credentials& creds) override;
};

}  // namespace ap::aws
