// ContactReader: an account's primary contact as AWS has it (Account API GetContactInformation, called with the
// account's own credentials). Thread safety: safe from any thread. Blocking: not on an HTTP I/O thread.
#pragma once

#include "aws/clients.h"
#include "domain/account.h"
#include "service/account_credentials.h"
#include "service/account_service.h"

namespace ap::service {

class ContactReader {
 public:
  ContactReader(AccountService& accounts, AccountCredentials& credentials, aws::AccountApi& account_api)
      : accounts_(accounts), credentials_(credentials), account_api_(account_api) {}

  // NotFound for an unknown account; Internal when the stored credentials cannot be decrypted; any other error
  // is AWS refusing or failing (its message starts with AWS's error code) and is for the caller to report.
  Result<domain::ContactInfo> Read(const std::string& account_id);

 private:
  AccountService& accounts_;
  AccountCredentials& credentials_;
  aws::AccountApi& account_api_;
};

}  // namespace ap::service
