#include "app/iam_policy.h"

#include <gtest/gtest.h>

#include <set>

#include "app/json_print.h"
#include "store/dynamodb/dynamodb_store.h"

namespace ap::app {
namespace {

namespace json = boost::json;

std::vector<json::object> Statements(const json::value& policy) {
  std::vector<json::object> out;
  for (const json::value& s : policy.as_object().at("Statement").as_array()) out.push_back(s.as_object());
  return out;
}

std::vector<std::string> Strings(const json::value& v) {
  if (v.is_string()) return {std::string(v.as_string())};
  std::vector<std::string> out;
  for (const json::value& item : v.as_array()) out.emplace_back(item.as_string());
  return out;
}

std::vector<json::value> AllPolicies() {
  json::object all = IamPolicies();
  const json::object& member = all.at("member_role").as_object();
  return {all.at("task_role"), member.at("trust_policy"), member.at("read_policy"),
          member.at("increase_requests_policy"), member.at("organizations_policy")};
}

TEST(IamPolicyTest, NoStatementUsesAWildcardActionAndEverySidIsUnique) {
  for (const json::value& policy : AllPolicies()) {
    EXPECT_EQ(policy.at("Version"), "2012-10-17");
    std::set<std::string> sids;
    for (const json::object& s : Statements(policy)) {
      ASSERT_TRUE(s.contains("Sid"));
      EXPECT_TRUE(sids.insert(std::string(s.at("Sid").as_string())).second) << s.at("Sid");
      EXPECT_EQ(s.at("Effect"), "Allow");
      for (const std::string& action : Strings(s.at("Action"))) {
        EXPECT_EQ(action.find('*'), std::string::npos) << action;
        EXPECT_NE(action.find(':'), std::string::npos) << action;
      }
    }
  }
}

TEST(IamPolicyTest, TaskRoleTouchesOnlyItsOwnTablesAndTheirIndexes) {
  const store::DynamoDbTables tables = store::DynamoDbTables::WithPrefix("${TablePrefix}");
  std::set<std::string> expected;
  for (const std::string& t : tables.all()) {
    expected.insert("arn:${Partition}:dynamodb:${Region}:${Account}:table/" + t);
    expected.insert("arn:${Partition}:dynamodb:${Region}:${Account}:table/" + t + "/index/*");
  }
  bool found = false;
  for (const json::object& s : Statements(IamPolicies().at("task_role"))) {
    const std::vector<std::string> actions = Strings(s.at("Action"));
    if (actions.front().rfind("dynamodb:", 0) != 0) continue;
    found = true;
    const std::vector<std::string> resources = Strings(s.at("Resource"));
    EXPECT_EQ(std::set<std::string>(resources.begin(), resources.end()), expected);
    for (const std::string& a : actions) {
      EXPECT_NE(a, "dynamodb:CreateTable");  // CDK or `dynamodb create-tables` makes the tables, not the server
      EXPECT_NE(a, "dynamodb:DeleteTable");
    }
  }
  EXPECT_TRUE(found);
}

TEST(IamPolicyTest, CredentialSealingNeedsTheAccountIdEncryptionContext) {
  bool found = false;
  for (const json::object& s : Statements(IamPolicies().at("task_role"))) {
    if (s.at("Sid") != "SealAccountCredentials") continue;
    found = true;
    EXPECT_EQ(s.at("Resource"), "${KmsKeyArn}");
    const json::object& condition = s.at("Condition").as_object();
    EXPECT_EQ(condition.at("ForAllValues:StringEquals").at("kms:EncryptionContextKeys"), json::array{"account_id"});
    EXPECT_EQ(condition.at("Null").at("kms:EncryptionContext:account_id"), "false");
  }
  EXPECT_TRUE(found);
  // Every other use of the key goes through DynamoDB.
  for (const json::object& s : Statements(IamPolicies().at("task_role"))) {
    if (Strings(s.at("Action")).front().rfind("kms:", 0) != 0 || s.at("Sid") == "SealAccountCredentials") continue;
    EXPECT_EQ(s.at("Condition").at("StringEquals").at("kms:ViaService"), "dynamodb.${Region}.${UrlSuffix}");
  }
}

TEST(IamPolicyTest, AssumeRoleOnlyOnTheMemberRoleAndTheTrustNeedsTheExternalId) {
  for (const json::object& s : Statements(IamPolicies().at("task_role"))) {
    for (const std::string& a : Strings(s.at("Action"))) {
      if (a.rfind("sts:", 0) == 0) {
        EXPECT_EQ(a, "sts:AssumeRole");
        EXPECT_EQ(s.at("Resource"), "arn:${Partition}:iam::*:role/${MemberRoleName}");
      }
    }
  }
  const json::object trust = Statements(IamPolicies().at("member_role").at("trust_policy")).at(0);
  EXPECT_EQ(trust.at("Principal").at("AWS"), "${PlatformRoleArn}");
  EXPECT_EQ(trust.at("Condition").at("StringEquals").at("sts:ExternalId"), "${ExternalId}");
}

TEST(IamPolicyTest, IncreaseRequestsAreOnlyInTheirOwnPolicy) {
  const json::object all = IamPolicies();
  const json::object& member = all.at("member_role").as_object();
  for (const json::object& s : Statements(member.at("read_policy"))) {
    for (const std::string& a : Strings(s.at("Action"))) EXPECT_EQ(a.find("Request"), std::string::npos) << a;
  }
  bool request = false;
  for (const json::object& s : Statements(member.at("increase_requests_policy"))) {
    for (const std::string& a : Strings(s.at("Action"))) request |= a == "servicequotas:RequestServiceQuotaIncrease";
  }
  EXPECT_TRUE(request);
}

TEST(IamPolicyTest, OrganizationsReadsAreOnlyInTheManagementAccountsPolicy) {
  const json::object all = IamPolicies();
  const json::object& member = all.at("member_role").as_object();
  for (const char* part : {"read_policy", "increase_requests_policy"}) {
    for (const json::object& s : Statements(member.at(part))) {
      for (const std::string& a : Strings(s.at("Action"))) EXPECT_FALSE(a.starts_with("organizations:")) << a;
    }
  }
  std::set<std::string> actions;
  for (const json::object& s : Statements(member.at("organizations_policy"))) {
    for (const std::string& a : Strings(s.at("Action"))) actions.insert(a);
  }
  EXPECT_TRUE(actions.count("organizations:ListAccounts"));
  EXPECT_TRUE(actions.count("organizations:ListAccountsForParent"));
  EXPECT_TRUE(actions.count("organizations:ListOrganizationalUnitsForParent"));
  for (const std::string& a : actions)
    EXPECT_TRUE(a.starts_with("organizations:List") || a.starts_with("organizations:Describe")) << a;
  Result<json::value> part = IamPolicyPart("member-organizations", {});
  ASSERT_TRUE(part.ok()) << part.status().message();
}

TEST(IamPolicyTest, PartsWithValuesSubstituted) {
  Result<json::value> trust =
      IamPolicyPart("member-trust", {{"PlatformRoleArn", "arn:aws:iam::111122223333:role/t"}, {"ExternalId", "ext-1"}});
  ASSERT_TRUE(trust.ok()) << trust.status().message();
  const std::string text = PrettyJson(*trust);
  EXPECT_NE(text.find("arn:aws:iam::111122223333:role/t"), std::string::npos);
  EXPECT_NE(text.find("\"ext-1\""), std::string::npos);
  EXPECT_EQ(text.find("${"), std::string::npos);

  Result<json::value> task = IamPolicyPart("task", {{"Account", "111122223333"}, {"TablePrefix", "ap-prod-"}});
  ASSERT_TRUE(task.ok());
  const std::string task_text = PrettyJson(*task);
  EXPECT_NE(task_text.find(":111122223333:table/ap-prod-accounts\""), std::string::npos);
  EXPECT_NE(task_text.find("${Region}"), std::string::npos);  // not given: stays a placeholder
}

TEST(IamPolicyTest, BadPartsAndValuesAreRefusedNamingTheFlag) {
  Result<json::value> part = IamPolicyPart("everything", {});
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.status().field(), "--part");
  Result<json::value> account = IamPolicyPart("task", {{"Account", "12345"}});
  ASSERT_FALSE(account.ok());
  EXPECT_EQ(account.status().field(), "--account");
  Result<json::value> prefix = IamPolicyPart("task", {{"TablePrefix", "a b"}});
  ASSERT_FALSE(prefix.ok());
  EXPECT_EQ(prefix.status().field(), "--table-prefix");
  Result<json::value> partition = IamPolicyPart("task", {{"Partition", "mars"}});
  ASSERT_FALSE(partition.ok());
  EXPECT_EQ(partition.status().field(), "--partition");
}

TEST(TableDefinitionsTest, EveryTableIsOnDemandAndOnlyMainHasTtl) {
  json::object defs = store::DynamoDbTableDefinitions("p-");
  EXPECT_EQ(defs.at("ttl_attribute"), "expires_at");
  std::vector<std::string> suffixes;
  for (const json::value& t : defs.at("tables").as_array()) {
    const std::string suffix(t.at("suffix").as_string());
    suffixes.push_back(suffix);
    EXPECT_EQ(t.at("create_table").at("TableName"), json::value("p-" + suffix));
    EXPECT_EQ(t.at("create_table").at("BillingMode"), "PAY_PER_REQUEST");
    EXPECT_EQ(t.at("time_to_live").as_bool(), suffix == "main") << suffix;
  }
  const store::DynamoDbTables tables = store::DynamoDbTables::WithPrefix("p-");
  std::vector<std::string> names;
  for (const std::string& s : suffixes) names.push_back("p-" + s);
  EXPECT_EQ(names, tables.all());
}

TEST(JsonPrintTest, IndentsAndParsesBack) {
  const json::value doc = json::parse(R"({"a":[1,{"b":"x"}],"c":{},"d":[]})");
  const std::string text = PrettyJson(doc);
  EXPECT_EQ(text, "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"x\"\n    }\n  ],\n  \"c\": {},\n  \"d\": []\n}\n");
  EXPECT_EQ(json::parse(text), doc);
}

}  // namespace
}  // namespace ap::app
