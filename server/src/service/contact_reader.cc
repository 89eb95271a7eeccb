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
  out.full_name = c.full_name;
  out.address_line1 = c.address_line1;
  out.address_line2 = c.address_line2;
  out.address_line3 = c.address_line3;
  out.city = c.city;
  out.company_name = c.company_name;
  out.country_code = c.country_code;
  out.district_or_county = c.district_or_county;
  out.phone_number = c.phone_number;
  out.postal_code = c.postal_code;
  out.state_or_region = c.state_or_region;
  out.website_url = c.website_url;
  return out;
}

}  // namespace ap::service
