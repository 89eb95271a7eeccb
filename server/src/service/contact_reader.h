// ContactReader: an account's primary contact as AWS has it (Account API GetContactInformation, called with the
// account's own credentials).
//
// Reads are cached per account for `ContactReaderOptions::ttl` (default 60 s) and single-flighted: concurrent
// reads of one account make one AWS call and share its outcome, so a burst of requests for one account costs
// AWS (and this server's AWS workers) one call. A change made at AWS therefore shows here within `ttl`; nothing
// else invalidates the cache (the platform's own contact copy, PUT /billing, is a separate record). A failed read
// is never cached: the callers that waited for it get the failure and the next read asks AWS again.
//
// Thread safety: safe from any thread. Blocking: not on an HTTP I/O thread (waiting callers block too).
#pragma once

#include "aws/clients.h"
#include "common/clock.h"
#include "domain/account.h"
#include "service/account_credentials.h"
#include "service/account_service.h"
#include "service/ttl_cache.h"

namespace ap::service {

struct ContactReaderOptions {
  // How long a contact read from AWS is served from memory. 0: never cached (concurrent reads still share one
  // call).
  Duration ttl = std::chrono::seconds(60);
  // Accounts whose contact is kept at most (beyond: expired entries go first, then arbitrary ones).
  size_t max_entries = 10000;
};

class ContactReader {
 public:
  ContactReader(AccountService& accounts, AccountCredentials& credentials, aws::AccountApi& account_api,
                const Clock& clock, ContactReaderOptions options = {})
      : accounts_(accounts),
        credentials_(credentials),
        account_api_(account_api),
        cache_(clock, options.ttl, options.max_entries) {}

  // NotFound for an unknown account; Internal when the stored credentials cannot be decrypted; any other error
  // is AWS refusing or failing (its message starts with AWS's error code) and is for the caller to report.
  // May answer from the cache (see the class comment).
  Result<domain::ContactInfo> Read(const std::string& account_id);

 private:
  Result<domain::ContactInfo> ReadFromAws(const domain::Account& account);

  AccountService& accounts_;
  AccountCredentials& credentials_;
  aws::AccountApi& account_api_;
  TtlCache<domain::ContactInfo> cache_;  // by account id
};

}  // namespace ap::service
