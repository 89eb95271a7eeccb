// The IAM policies the platform needs, in one place: `account-platform iam-policy` prints them for people who do
// not use CDK, and the CDK app (deploy/cdk) builds its roles from the same document, committed as
// deploy/cdk/generated/iam-policies.json and checked against this code by a test (scripts/generate-deploy-files).
//
// Two principals:
//  - the platform's task role (the identity the server runs as): its DynamoDB tables and their indexes; its KMS
//    key, for sealing account credentials (GenerateDataKey/Decrypt only with the encryption context key
//    `account_id`, service/secret_sealer.h) and for the tables' encryption (only through DynamoDB);
//    sts:AssumeRole only on the member-account role name; Service Quotas, CloudWatch metrics and account contact
//    reads in its own account.
//  - the role each member account gives it (trusting the task role with an external id): Service Quotas and
//    CloudWatch metric reads and the account's contact information, plus, behind a flag, quota increase requests.
// No statement uses a wildcard action. Placeholders `${Name}` stand for deployment values (IamPlaceholders).
#pragma once

#include <boost/json.hpp>
#include <map>
#include <string>

#include "common/status.h"

namespace ap::app {

// Placeholder ("${Account}") → what it stands for.
std::map<std::string, std::string> IamPlaceholders();

// {"placeholders": {...}, "task_role": <policy>, "member_role": {"trust_policy", "read_policy",
// "increase_requests_policy", "organizations_policy" (the management / delegated-admin account's role only)}},
// every policy a complete IAM policy document with placeholders.
boost::json::object IamPolicies();

// `doc` with every placeholder named in `values` ("Account" → "123456789012") replaced in every string; the others
// stay as they are.
boost::json::value SubstitutePlaceholders(const boost::json::value& doc,
                                          const std::map<std::string, std::string>& values);

// `account-platform iam-policy --part P`: "all" (IamPolicies), "task", "member-trust", "member-read",
// "member-increase", "member-organizations". The document with `values` substituted. InvalidArgument naming --part for
// another part, or naming a value (e.g. "--account") that cannot be right (an account id that is not 12 digits).
Result<boost::json::value> IamPolicyPart(const std::string& part, const std::map<std::string, std::string>& values);

}  // namespace ap::app
