#include "service/contact_reader.h"

namespace ap::service {

Result<domain::ContactInfo> ContactReader::Read(const std::string& account_id) {
  // Looked up on every read (it is cached by AccountService), so that an unknown account is NotFound even while
  // a contact of that id is still cached.
  ASSIGN_OR_RETURN(auto account, accounts_.Lookup(account_id));
  ASSIGN_OR_RETURN(std::shared_ptr<const domain::ContactInfo> info,
                   cache_.GetOrLoad(account_id, [&] { return ReadFromAws(*account); }));
  return *info;
}

Result<domain::ContactInfo> ContactReader::ReadFromAws(const domain::Account& account) {
  // The Account API is global; its calls are signed for us-east-1 whatever the account's regions.
  ASSIGN_OR_RETURN(aws::Credentials creds, credentials_.For(account, "us-east-1"));
  ASSIGN_OR_RETURN(aws::ContactInformation c, account_api_.GetContactInformation(creds, "us-east-1"));
  domain::ContactInfo out;
  static_cast<domain::ContactAddress&>(out) = std::move(c);  // as AWS has it: never updated by the platform
  return out;
}

}  // namespace ap::service
