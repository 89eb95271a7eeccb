// A scripted AWS Organizations fake for service and api tests: the accounts and tree it answers, or `fail`.
#pragma once

#include <string>
#include <vector>

#include "aws/clients.h"

namespace ap::testing {

class FakeOrganizations : public aws::Organizations {
 public:
  std::vector<aws::OrganizationAccount> accounts;
  aws::OrganizationTree tree;
  Status fail;
  int list_calls = 0;
  std::string last_key;

  Result<std::vector<aws::OrganizationAccount>> ListAccounts(const aws::Credentials& creds) override {
    ++list_calls;
    last_key = creds.access_key_id;
    if (!fail.ok()) return fail;
    return accounts;
  }
  Result<aws::OrganizationTree> WalkTree(const aws::Credentials&) override {
    if (!fail.ok()) return fail;
    return tree;
  }
};

}  // namespace ap::testing
