#include "aws/account_client.h"

#include <utility>

#include "aws/wire.h"

namespace ap::aws {
namespace {

// Wire name ↔ member, in the API's order.
constexpr std::pair<const char*, std::string ContactInformation::*> kFields[] = {
    {"AddressLine1", &ContactInformation::address_line1},
    {"AddressLine2", &ContactInformation::address_line2},
    {"AddressLine3", &ContactInformation::address_line3},
    {"City", &ContactInformation::city},
    {"CompanyName", &ContactInformation::company_name},
    {"CountryCode", &ContactInformation::country_code},
    {"DistrictOrCounty", &ContactInformation::district_or_county},
    {"FullName", &ContactInformation::full_name},
    {"PhoneNumber", &ContactInformation::phone_number},
    {"PostalCode", &ContactInformation::postal_code},
    {"StateOrRegion", &ContactInformation::state_or_region},
    {"WebsiteUrl", &ContactInformation::website_url},
};

CallSpec AccountCall(const std::string& operation, const std::string& path, const boost::json::object& input) {
  CallSpec spec;
  spec.service = AwsService::kAccount;
  spec.operation = operation;
  spec.path = path;
  spec.body = boost::json::serialize(input);
  spec.headers.emplace_back("Content-Type", "application/json");
  return spec;
}

}  // namespace

AccountClient::AccountClient(AwsCaller caller, std::shared_ptr<void> keep_alive)
    : caller_(std::move(caller)), keep_alive_(std::move(keep_alive)) {}

Result<ContactInformation> AccountClient::GetContactInformation(const Credentials& creds, const std::string& region) {
  ASSIGN_OR_RETURN(HttpResponse resp,
                   caller_.Call(creds, region, AccountCall("GetContactInformation", "/getContactInformation", {})));
  Result<boost::json::object> body = ParseJsonObject(resp.body, "account GetContactInformation");
  if (!body.ok()) return Internal(body.status().message());
  const boost::json::object* ci = JsonObj(*body, "ContactInformation");
  if (ci == nullptr) return Internal("account GetContactInformation: response has no ContactInformation");
  ContactInformation out;
  for (const auto& [name, member] : kFields) out.*member = JsonStr(*ci, name);
  return out;
}

Status AccountClient::PutContactInformation(const Credentials& creds, const std::string& region,
                                            const ContactInformation& info) {
  boost::json::object ci;
  for (const auto& [name, member] : kFields) {
    if (!(info.*member).empty()) ci[name] = info.*member;
  }
  boost::json::object input{{"ContactInformation", std::move(ci)}};
  Result<HttpResponse> resp =
      caller_.Call(creds, region, AccountCall("PutContactInformation", "/putContactInformation", input));
  return resp.ok() ? Status::Ok() : resp.status();
}

}  // namespace ap::aws
