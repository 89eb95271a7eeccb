// AccountClient: AccountApi (clients.h) over the Account Management REST-JSON API — POST /getContactInformation
// and POST /putContactInformation (application/json) to the global endpoint https://account.us-east-1.amazonaws.com,
// always signed for us-east-1 whatever region the caller names.
//
// Thread safety: safe from many threads. Ownership: as StsClient.
#pragma once

#include <memory>

#include "aws/aws_caller.h"
#include "aws/clients.h"

namespace ap::aws {

class AccountClient final : public AccountApi {
 public:
  explicit AccountClient(AwsCaller caller, std::shared_ptr<void> keep_alive = nullptr);

  // The caller's own account's primary contact. NotFound (ResourceNotFoundException) when it has none.
  Result<ContactInformation> GetContactInformation(const Credentials& creds, const std::string& region) override;
  // Replaces it; empty fields are left out of the request. InvalidArgument (ValidationException) when a required
  // field is missing or malformed (the message lists the fields).
  Status PutContactInformation(const Credentials& creds, const std::string& region,
                               const ContactInformation& info) override;

 private:
  AwsCaller caller_;
  std::shared_ptr<void> keep_alive_;
};

}  // namespace ap::aws
