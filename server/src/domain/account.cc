#include "domain/account.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "domain/user.h"

namespace ap::domain {
namespace {

bool AllOf(std::string_view s, int (*pred)(int)) {
  return std::all_of(s.begin(), s.end(), [pred](char c) { return pred(static_cast<unsigned char>(c)) != 0; });
}

bool IsUpperAlnum(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

bool IsRoleArn(std::string_view arn) {
  // arn:<partition>:iam::<12 digits>:role/<name with optional path>
  constexpr std::string_view kPrefix = "arn:";
  if (arn.substr(0, kPrefix.size()) != kPrefix) return false;
  arn.remove_prefix(kPrefix.size());
  auto colon = arn.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view partition = arn.substr(0, colon);
  if (partition.substr(0, 3) != "aws" || !std::all_of(partition.begin(), partition.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || c == '-';
      }))
    return false;
  arn.remove_prefix(colon + 1);
  if (arn.substr(0, 5) != "iam::") return false;
  arn.remove_prefix(5);
  if (arn.size() < 13 || !AllOf(arn.substr(0, 12), isdigit) || arn[12] != ':') return false;
  arn.remove_prefix(13);
  if (arn.substr(0, 5) != "role/" || arn.size() <= 5 || arn.size() > 5 + 512) return false;
  arn.remove_prefix(5);
  return std::all_of(arn.begin(), arn.end(),
                     [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("+=,.@_-/", c) != nullptr;
                     }) &&
         arn.back() != '/';
}

void PutField(std::string* out, std::string_view v) {
  uint32_t n = static_cast<uint32_t>(v.size());
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  out->append(v);
}

bool GetField(std::string_view* in, std::string* v) {
  if (in->size() < 4) return false;
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= static_cast<uint32_t>(static_cast<unsigned char>((*in)[i])) << (8 * i);
  in->remove_prefix(4);
  if (in->size() < n) return false;
  v->assign(in->substr(0, n));
  in->remove_prefix(n);
  return true;
}

constexpr char kCredentialsFormat = 1;

}  // namespace

std::string_view AccountStatusName(AccountStatus s) { return s == AccountStatus::kActive ? "active" : "inactive"; }

Result<AccountStatus> ParseAccountStatus(std::string_view text, std::string_view field) {
  if (text == "active") return AccountStatus::kActive;
  if (text == "inactive") return AccountStatus::kInactive;
  return InvalidArgument("status must be \"active\" or \"inactive\"", std::string(field));
}

std::string_view CredentialTypeName(CredentialType t) {
  return t == CredentialType::kAccessKey ? "access_key" : "assume_role";
}

Result<CredentialType> ParseCredentialType(std::string_view text, std::string_view field) {
  if (text == "access_key") return CredentialType::kAccessKey;
  if (text == "assume_role") return CredentialType::kAssumeRole;
  return InvalidArgument("credentials.type must be \"access_key\" or \"assume_role\"", std::string(field));
}

Status ValidateCredentials(const Credentials& c) {
  if (c.type == CredentialType::kAccessKey) {
    if (c.access_key_id.size() < 16 || c.access_key_id.size() > 128 || !IsUpperAlnum(c.access_key_id))
      return InvalidArgument("must be 16-128 characters of A-Z and 0-9", "credentials.access_key_id");
    if (c.secret_access_key.size() < 16 || c.secret_access_key.size() > 128 || HasControl(c.secret_access_key) ||
        c.secret_access_key.find(' ') != std::string::npos)
      return InvalidArgument("must be 16-128 printable characters", "credentials.secret_access_key");
    if (c.session_token.size() > 8192 || HasControl(c.session_token))
      return InvalidArgument("must be at most 8192 printable characters", "credentials.session_token");
    return Status::Ok();
  }
  if (!IsRoleArn(c.role_arn))
    return InvalidArgument("must be an IAM role ARN like arn:aws:iam::123456789012:role/Name", "credentials.role_arn");
  if (!c.external_id.empty()) {
    bool ok = c.external_id.size() >= 2 && c.external_id.size() <= 1224 &&
              std::all_of(c.external_id.begin(), c.external_id.end(), [](char ch) {
                return std::isalnum(static_cast<unsigned char>(ch)) || std::strchr("+=,.@:/_-", ch) != nullptr;
              });
    if (!ok)
      return InvalidArgument("must be 2-1224 characters of letters, digits and +=,.@:/_-", "credentials.external_id");
  }
  return Status::Ok();
}

std::string EncodeCredentials(const Credentials& c) {
  std::string out;
  out.push_back(kCredentialsFormat);
  out.push_back(c.type == CredentialType::kAccessKey ? 'k' : 'r');
  for (const std::string* f : {&c.access_key_id, &c.secret_access_key, &c.session_token, &c.role_arn, &c.external_id})
    PutField(&out, *f);
  return out;
}

Result<Credentials> DecodeCredentials(std::string_view bytes) {
  if (bytes.size() < 2 || bytes[0] != kCredentialsFormat || (bytes[1] != 'k' && bytes[1] != 'r'))
    return InvalidArgument("malformed credentials record");
  Credentials c;
  c.type = bytes[1] == 'k' ? CredentialType::kAccessKey : CredentialType::kAssumeRole;
  bytes.remove_prefix(2);
  for (std::string* f : {&c.access_key_id, &c.secret_access_key, &c.session_token, &c.role_arn, &c.external_id}) {
    if (!GetField(&bytes, f)) return InvalidArgument("malformed credentials record");
  }
  if (!bytes.empty()) return InvalidArgument("malformed credentials record");
  return c;
}

std::string MaskAccessKeyId(std::string_view id) {
  if (id.size() < 12) return std::string(id.size(), '*');
  std::string out(id);
  for (size_t i = 4; i + 4 < out.size(); ++i) out[i] = '*';
  return out;
}

Status ValidateContactInfo(const ContactInfo& c) {
  struct F {
    const std::string* v;
    const char* name;
    bool required;
  };
  const F fields[] = {
      {&c.full_name, "full_name", true},
      {&c.address_line1, "address_line1", true},
      {&c.address_line2, "address_line2", false},
      {&c.address_line3, "address_line3", false},
      {&c.city, "city", true},
      {&c.company_name, "company_name", false},
      {&c.country_code, "country_code", true},
      {&c.district_or_county, "district_or_county", false},
      {&c.phone_number, "phone_number", true},
      {&c.postal_code, "postal_code", true},
      {&c.state_or_region, "state_or_region", false},
      {&c.website_url, "website_url", false},
  };
  for (const F& f : fields) {
    if (f.required && f.v->empty()) return InvalidArgument("is required", f.name);
    if (f.v->size() > 250) return InvalidArgument("must be at most 250 characters", f.name);
    if (HasControl(*f.v)) return InvalidArgument("must not contain control characters", f.name);
  }
  if (c.country_code.size() != 2 || !std::isupper(static_cast<unsigned char>(c.country_code[0])) ||
      !std::isupper(static_cast<unsigned char>(c.country_code[1])))
    return InvalidArgument("must be a two-letter ISO country code such as US", "country_code");
  bool phone_ok = std::all_of(c.phone_number.begin(), c.phone_number.end(),
                              [](char ch) {
                                return std::isdigit(static_cast<unsigned char>(ch)) || ch == '+' || ch == ' ' ||
                                       ch == '-' || ch == '(' || ch == ')';
                              }) &&
                  std::any_of(c.phone_number.begin(), c.phone_number.end(),
                              [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
  if (!phone_ok) return InvalidArgument("must be a phone number such as +1 206 555 0100", "phone_number");
  return Status::Ok();
}

Status ValidateAccountId(std::string_view id, std::string_view field) {
  if (id.size() != 12 || !AllOf(id, isdigit))
    return InvalidArgument("must be a 12-digit AWS account id", std::string(field));
  return Status::Ok();
}

Status ValidateAccountName(std::string_view name, std::string_view field) {
  while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  if (name.empty() || name.size() > 128) return InvalidArgument("must be 1-128 characters", std::string(field));
  if (HasControl(name)) return InvalidArgument("must not contain control characters", std::string(field));
  return Status::Ok();
}

const std::vector<std::string_view>& KnownRegions() {
  static const std::vector<std::string_view> kRegions = {
      "af-south-1",     "ap-east-1",      "ap-east-2",      "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
      "ap-south-1",     "ap-south-2",     "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
      "ap-southeast-5", "ap-southeast-7", "ca-central-1",   "ca-west-1",      "eu-central-1",   "eu-central-2",
      "eu-north-1",     "eu-south-1",     "eu-south-2",     "eu-west-1",      "eu-west-2",      "eu-west-3",
      "il-central-1",   "me-central-1",   "me-south-1",     "mx-central-1",   "sa-east-1",      "us-east-1",
      "us-east-2",      "us-west-1",      "us-west-2",
  };
  return kRegions;
}

bool IsKnownRegion(std::string_view region) {
  const auto& r = KnownRegions();
  return std::binary_search(r.begin(), r.end(), region);
}

Status NormalizeRegions(std::vector<std::string>* regions, std::string_view field) {
  if (regions->empty()) return InvalidArgument("must name at least one region", std::string(field));
  for (size_t i = 0; i < regions->size(); ++i) {
    if (!IsKnownRegion((*regions)[i]))
      return InvalidArgument("unknown AWS region \"" + (*regions)[i] + "\"",
                             std::string(field) + "[" + std::to_string(i) + "]");
  }
  NormalizeIdList(regions);
  return Status::Ok();
}

}  // namespace ap::domain
