// AWS accounts registered on the platform, their credentials (secret form) and contact information.
// Pure value types and rules; no I/O, no crypto (sealing lives in service/). Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::domain {

enum class AccountStatus { kActive, kInactive };
std::string_view AccountStatusName(AccountStatus s);  // "active" | "inactive"
Result<AccountStatus> ParseAccountStatus(std::string_view text, std::string_view field = "status");

enum class CredentialType { kAccessKey, kAssumeRole };
std::string_view CredentialTypeName(CredentialType t);  // "access_key" | "assume_role"
Result<CredentialType> ParseCredentialType(std::string_view text, std::string_view field = "credentials.type");

// The secret form of an account's credentials. Lives in memory only while needed; stored sealed.
struct Credentials {
  CredentialType type = CredentialType::kAccessKey;
  std::string access_key_id;      // access_key
  std::string secret_access_key;  // access_key
  std::string session_token;      // access_key, optional
  std::string role_arn;           // assume_role
  std::string external_id;        // assume_role, optional
};

// InvalidArgument naming the field ("credentials.access_key_id", ...) unless the credentials are well formed:
// access key ids are 16-128 chars of [A-Z0-9]; secrets 16-128 printable chars; role ARNs
// arn:aws[-a-z]*:iam::<12 digits>:role/<path/name>; external ids 2-1224 chars of [\w+=,.@:/-].
Status ValidateCredentials(const Credentials& c);

// Compact binary encoding (length-prefixed fields) used as the plaintext that service/ seals. Decode returns
// InvalidArgument on malformed input.
std::string EncodeCredentials(const Credentials& c);
Result<Credentials> DecodeCredentials(std::string_view bytes);

// "AKIA************WXYZ": first 4 and last 4 characters kept; shorter ids are fully masked.
std::string MaskAccessKeyId(std::string_view id);

struct Account {
  std::string account_id;  // 12-digit AWS account id; primary key
  std::string account_name;
  std::vector<std::string> regions;  // validated region names, sorted, unique; never empty
  std::vector<std::string> teams;    // team ids, sorted, unique
  AccountStatus status = AccountStatus::kActive;
  CredentialType credential_type = CredentialType::kAccessKey;
  std::string access_key_id_masked;  // for display; empty for assume_role
  std::string role_arn;              // for display; empty for access_key
  std::string sealed_credentials;    // nonce || XChaCha20-Poly1305 ciphertext of EncodeCredentials(); AD = account_id
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::string created_by;  // user id
  int64_t version = 1;     // bumped on every update (optimistic concurrency)
};

// AWS primary contact fields (Account API ContactInformation): what AWS keeps for an account (aws/ reads and
// writes exactly these).
struct ContactAddress {
  std::string full_name;
  std::string address_line1;
  std::string address_line2;
  std::string address_line3;
  std::string city;
  std::string company_name;
  std::string country_code;  // ISO 3166-1 alpha-2
  std::string district_or_county;
  std::string phone_number;
  std::string postal_code;
  std::string state_or_region;
  std::string website_url;
};

// The primary contact the platform keeps per account: the AWS fields and who changed them last, when.
struct ContactInfo : ContactAddress {
  int64_t updated_at_ms = 0;
  std::string updated_by;
};
// InvalidArgument naming the field: full_name, address_line1, city, country_code (2 upper-case letters),
// phone_number (+ and digits, spaces, dashes) and postal_code are required as in AWS; every field <= 250 chars.
Status ValidateContactInfo(const ContactInfo& c);

// InvalidArgument("account_id") unless exactly 12 ASCII digits.
Status ValidateAccountId(std::string_view id, std::string_view field = "account_id");
// InvalidArgument("account_name") unless 1-128 characters after trimming, no control characters.
Status ValidateAccountName(std::string_view name, std::string_view field = "account_name");

// Known AWS commercial region names (Bedrock's regions among them).
const std::vector<std::string_view>& KnownRegions();
bool IsKnownRegion(std::string_view region);
// Sorts, de-duplicates and checks every element against KnownRegions(); InvalidArgument("regions[i]") for an
// unknown one and InvalidArgument("regions") for an empty list.
Status NormalizeRegions(std::vector<std::string>* regions, std::string_view field = "regions");

inline constexpr std::string_view kDefaultRegion = "us-east-1";

}  // namespace ap::domain
