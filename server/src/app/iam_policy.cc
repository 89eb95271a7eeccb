#include "app/iam_policy.h"

#include <cctype>

#include "store/dynamodb/dynamodb_store.h"

namespace ap::app {
namespace {

namespace json = boost::json;

json::object Policy(json::array statements) {
  return {{"Version", "2012-10-17"}, {"Statement", std::move(statements)}};
}

json::object Allow(const char* sid, json::array actions, json::value resource) {
  return {{"Sid", sid}, {"Effect", "Allow"}, {"Action", std::move(actions)}, {"Resource", std::move(resource)}};
}

// The Service Quotas reads of a quota refresh and of the model list (aws/service_quotas_client.h). List operations
// support no resource-level permission, so the resource is "*".
json::object ServiceQuotasRead() {
  return Allow("ServiceQuotasRead",
               {"servicequotas:GetServiceQuota", "servicequotas:GetAWSDefaultServiceQuota",
                "servicequotas:ListServiceQuotas", "servicequotas:ListAWSDefaultServiceQuotas"},
               "*");
}

// Usage against quota reads CloudWatch metrics: ListMetrics finds the model ids that had traffic, GetMetricData reads
// them. Neither supports resource-level permissions.
json::object CloudWatchRead() {
  return Allow("CloudWatchMetricsRead", {"cloudwatch:GetMetricData", "cloudwatch:ListMetrics"}, "*");
}

json::object ContactRead() {
  return Allow("AccountContactRead", {"account:GetContactInformation"}, "arn:${Partition}:account::${Account}:account");
}

json::object TaskRole() {
  const store::DynamoDbTables tables = store::DynamoDbTables::WithPrefix("${TablePrefix}");
  json::array table_arns;
  for (const std::string& table : tables.all()) {
    const std::string arn = "arn:${Partition}:dynamodb:${Region}:${Account}:table/" + table;
    table_arns.push_back(json::value(arn));
    table_arns.push_back(json::value(arn + "/index/*"));
  }
  json::object seal = Allow("SealAccountCredentials", {"kms:GenerateDataKey", "kms:Decrypt"}, "${KmsKeyArn}");
  // Only with the context service/secret_sealer.h sends: exactly the key account_id, and it must be present.
  seal["Condition"] = {{"ForAllValues:StringEquals", {{"kms:EncryptionContextKeys", json::array{"account_id"}}}},
                       {"Null", {{"kms:EncryptionContext:account_id", "false"}}}};
  json::object tables_key =
      Allow("TableEncryptionThroughDynamoDb", {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"},
            "${KmsKeyArn}");
  tables_key["Condition"] = {{"StringEquals", {{"kms:ViaService", "dynamodb.${Region}.${UrlSuffix}"}}}};
  return Policy({
      // The operations of store/dynamodb (Scan only in migrate, the aggregate and name-key rebuilds and
      // --metrics-per-value).
      Allow("PlatformTables",
            {"dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable",
             "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem"},
            std::move(table_arns)),
      std::move(seal),
      std::move(tables_key),
      Allow("AssumeMemberAccountRole", {"sts:AssumeRole"}, "arn:${Partition}:iam::*:role/${MemberRoleName}"),
      ServiceQuotasRead(),
      CloudWatchRead(),
      ContactRead(),
  });
}

json::object MemberTrust() {
  return Policy({{{"Sid", "TrustAccountPlatform"},
                  {"Effect", "Allow"},
                  {"Principal", {{"AWS", "${PlatformRoleArn}"}}},
                  {"Action", "sts:AssumeRole"},
                  {"Condition", {{"StringEquals", {{"sts:ExternalId", "${ExternalId}"}}}}}}});
}

json::object MemberIncrease() {
  return Policy({Allow("ServiceQuotasIncreaseRequests",
                       {"servicequotas:RequestServiceQuotaIncrease", "servicequotas:GetRequestedServiceQuotaChange",
                        "servicequotas:ListRequestedServiceQuotaChangeHistory",
                        "servicequotas:ListRequestedServiceQuotaChangeHistoryByQuota"},
                       "*")});
}

// Organizations onboarding (aws/organizations_client.h): ListAccounts, and the OU walk. Attach it to the platform's
// role in the management account (or a delegated administrator account) only: the other members need none of it, and
// Organizations refuses these calls from them anyway. None of these supports resource-level permissions.
json::object MemberOrganizations() {
  return Policy({Allow("OrganizationsOnboardingRead",
                       {"organizations:DescribeOrganization", "organizations:ListAccounts", "organizations:ListRoots",
                        "organizations:ListOrganizationalUnitsForParent", "organizations:ListAccountsForParent",
                        "organizations:DescribeOrganizationalUnit"},
                       "*")});
}

void Substitute(json::value& v, const std::map<std::string, std::string>& values) {
  if (v.is_string()) {
    std::string s(v.as_string());
    for (const auto& [name, value] : values) {
      const std::string token = "${" + name + "}";
      for (size_t at = s.find(token); at != std::string::npos; at = s.find(token, at + value.size())) {
        s.replace(at, token.size(), value);
      }
    }
    v = json::string(s);
  } else if (v.is_array()) {
    for (json::value& item : v.as_array()) Substitute(item, values);
  } else if (v.is_object()) {
    for (auto& field : v.as_object()) Substitute(field.value(), values);
  }
}

bool AllDigits(const std::string& s) {
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

}  // namespace

std::map<std::string, std::string> IamPlaceholders() {
  return {{"${Partition}", "the AWS partition: aws, aws-cn or aws-us-gov"},
          {"${Region}", "the region of the platform's tables"},
          {"${Account}", "the AWS account id the platform runs in"},
          {"${TablePrefix}", "the DynamoDB table prefix (--dynamodb-table-prefix)"},
          {"${KmsKeyArn}", "the ARN of the KMS key (--kms-key-id; also the tables' encryption key)"},
          {"${MemberRoleName}", "the name of the role in member accounts (e.g. AccountPlatformQuotaReader)"},
          {"${PlatformRoleArn}", "the ARN of the platform's task role, which member accounts trust"},
          {"${ExternalId}", "the external id stored with the member account in the platform"},
          {"${UrlSuffix}", "the partition's domain: amazonaws.com (amazonaws.com.cn in China)"}};
}

json::object IamPolicies() {
  json::object placeholders;
  for (const auto& [name, meaning] : IamPlaceholders()) placeholders[name] = meaning;
  return {{"placeholders", std::move(placeholders)},
          {"task_role", TaskRole()},
          {"member_role",
           {{"trust_policy", MemberTrust()},
            {"read_policy", Policy({ServiceQuotasRead(), CloudWatchRead(), ContactRead()})},
            {"increase_requests_policy", MemberIncrease()},
            {"organizations_policy", MemberOrganizations()}}}};
}

json::value SubstitutePlaceholders(const json::value& doc, const std::map<std::string, std::string>& values) {
  json::value out = doc;
  Substitute(out, values);
  return out;
}

Result<json::value> IamPolicyPart(const std::string& part, const std::map<std::string, std::string>& values) {
  if (auto it = values.find("Account"); it != values.end() && (it->second.size() != 12 || !AllDigits(it->second))) {
    return InvalidArgument("must be a 12-digit AWS account id", "--account");
  }
  if (auto it = values.find("Partition");
      it != values.end() && it->second != "aws" && it->second != "aws-cn" && it->second != "aws-us-gov") {
    return InvalidArgument("must be aws, aws-cn or aws-us-gov", "--partition");
  }
  if (auto it = values.find("TablePrefix"); it != values.end()) {
    if (Status s = store::ValidateTablePrefix(it->second); !s.ok()) {
      return InvalidArgument(s.message(), "--table-prefix");
    }
  }
  json::object all = IamPolicies();
  json::value chosen;
  if (part == "all") {
    chosen = all;
  } else if (part == "task") {
    chosen = all["task_role"];
  } else if (part == "member-trust") {
    chosen = all["member_role"].as_object()["trust_policy"];
  } else if (part == "member-read") {
    chosen = all["member_role"].as_object()["read_policy"];
  } else if (part == "member-increase") {
    chosen = all["member_role"].as_object()["increase_requests_policy"];
  } else if (part == "member-organizations") {
    chosen = all["member_role"].as_object()["organizations_policy"];
  } else {
    return InvalidArgument("must be all, task, member-trust, member-read, member-increase or member-organizations",
                           "--part");
  }
  return SubstitutePlaceholders(chosen, values);
}

}  // namespace ap::app
