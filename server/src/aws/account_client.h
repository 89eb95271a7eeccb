// AccountClient: AccountApi (clients.h) over the Account Management REST-JSON API — POST /getContactInformation
// and POST /putContactInformation (application/json) to the global endpoint https://account.us-east-1.amazonaws.com,
// always signed for us-east-1 whatever region the caller names.
//
// Thread safety: safe from many threads. Ownership: see CallerClient (caller_client.h).
#pragma once

#include "aws/caller_client.h"

namespace ap::aws {

class AccountClient final : public CallerClient<AccountApi> {
 public:
  using CallerClient::CallerClient;

  // The caller's own account's primary contact. NotFound (ResourceNotFoundException) when it has none.
  Result<ContactInformation> GetContactInformation(const Credentials& creds, const std::string& region) override;
  // Replaces it; empty fields are left out of the request. InvalidArgument (ValidationException) when a required
  // field is missing or malformed (the message lists the fields).
  Status PutContactInformation(const Credentials& creds, const std::string& region,
                               const ContactInformation& info) override;
};

}  // namespace ap::aws
