#include "aws/organizations_client.h"

#include <deque>
#include <functional>
#include <set>
#include <string>

#include "aws/wire.h"

namespace ap::aws {
namespace {

constexpr int kPageSize = 20;  // AWS's maximum for every Organizations list
constexpr int kMaxPages = 10000;
constexpr size_t kMaxUnits = 2000;  // AWS allows 1,000 OUs (and one root) per organization
// The region the caller is given: the service is global, the resolver signs for the partition's home region.
constexpr char kRegion[] = "us-east-1";

CallSpec OrgCall(const std::string& operation, const boost::json::object& input) {
  return JsonProtocolCall(AwsService::kOrganizations, "application/x-amz-json-1.1", "AWSOrganizationsV20161128.",
                          operation, boost::json::serialize(input));
}

// Runs a paginated operation: `member` is the list in each page; every object in it goes to `each`.
Status Paginate(AwsCaller& caller, const Credentials& creds, const std::string& operation, boost::json::object input,
                const char* member, const std::function<Status(const boost::json::object&)>& each) {
  input["MaxResults"] = kPageSize;
  std::set<std::string> seen_tokens;
  for (int page = 0; page < kMaxPages; ++page) {
    ASSIGN_OR_RETURN(HttpResponse resp, caller.Call(creds, kRegion, OrgCall(operation, input)));
    Result<boost::json::object> body = ParseJsonObject(resp.body, "organizations " + operation);
    if (!body.ok()) return Internal(body.status().message());
    if (const boost::json::array* items = JsonArr(*body, member)) {
      for (const auto& item : *items) {
        if (item.is_object()) RETURN_IF_ERROR(each(item.get_object()));
      }
    }
    std::string next = JsonStr(*body, "NextToken");
    if (next.empty()) return Status::Ok();
    if (!seen_tokens.insert(next).second) {
      return Internal("organizations " + operation + ": NextToken repeated; stopping to avoid an endless list");
    }
    input["NextToken"] = next;
  }
  return Internal("organizations " + operation + ": more than " + std::to_string(kMaxPages) + " pages");
}

OrganizationAccount DecodeAccount(const boost::json::object& a) {
  OrganizationAccount out;
  out.id = JsonStr(a, "Id");
  out.arn = JsonStr(a, "Arn");
  out.email = JsonStr(a, "Email");
  out.name = JsonStr(a, "Name");
  out.status = JsonStr(a, "Status");
  // Newer answers carry State (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, …) beside the deprecated Status.
  if (out.status.empty()) out.status = JsonStr(a, "State");
  out.joined_method = JsonStr(a, "JoinedMethod");
  if (auto t = JsonNumber(a, "JoinedTimestamp")) out.joined_timestamp = FromEpochSeconds(*t);
  return out;
}

}  // namespace

Result<std::vector<OrganizationAccount>> OrganizationsClient::ListAccounts(const Credentials& creds) {
  std::vector<OrganizationAccount> out;
  RETURN_IF_ERROR(Paginate(caller_, creds, "ListAccounts", {}, "Accounts", [&](const boost::json::object& a) {
    OrganizationAccount account = DecodeAccount(a);
    if (account.id.empty()) return Internal("organizations ListAccounts: an account has no Id");
    out.push_back(std::move(account));
    return Status::Ok();
  }));
  return out;
}

Result<OrganizationTree> OrganizationsClient::WalkTree(const Credentials& creds) {
  OrganizationTree tree;
  std::deque<size_t> pending;  // indexes into tree.units whose children are still to be listed
  auto add_unit = [&](OrganizationalUnit unit) -> Status {
    if (unit.id.empty()) return Internal("organizations: a root or OU has no Id");
    if (tree.units.size() >= kMaxUnits) {
      return Internal("organizations: more than " + std::to_string(kMaxUnits) + " roots and OUs; stopping the walk");
    }
    tree.units.push_back(std::move(unit));
    pending.push_back(tree.units.size() - 1);
    return Status::Ok();
  };
  RETURN_IF_ERROR(Paginate(caller_, creds, "ListRoots", {}, "Roots", [&](const boost::json::object& r) {
    OrganizationalUnit root;
    root.id = JsonStr(r, "Id");
    root.name = JsonStr(r, "Name");
    if (root.name.empty()) root.name = "Root";
    root.path = root.name;
    return add_unit(std::move(root));
  }));
  std::set<std::string> visited;
  while (!pending.empty()) {
    // Copies: add_unit may grow tree.units and move the parent.
    const std::string parent_id = tree.units[pending.front()].id;
    const std::string parent_path = tree.units[pending.front()].path;
    pending.pop_front();
    if (!visited.insert(parent_id).second) return Internal("organizations: the OU tree has a cycle at " + parent_id);
    boost::json::object input{{"ParentId", parent_id}};
    RETURN_IF_ERROR(Paginate(caller_, creds, "ListOrganizationalUnitsForParent", input, "OrganizationalUnits",
                             [&](const boost::json::object& o) {
                               OrganizationalUnit unit;
                               unit.id = JsonStr(o, "Id");
                               unit.name = JsonStr(o, "Name");
                               unit.parent_id = parent_id;
                               unit.path = parent_path + "/" + unit.name;
                               return add_unit(std::move(unit));
                             }));
    RETURN_IF_ERROR(
        Paginate(caller_, creds, "ListAccountsForParent", input, "Accounts", [&](const boost::json::object& a) {
          std::string id = JsonStr(a, "Id");
          if (!id.empty()) tree.account_parent[id] = parent_id;
          return Status::Ok();
        }));
  }
  return tree;
}

}  // namespace ap::aws
