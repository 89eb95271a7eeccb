// /api/accounts/*: the account registry, credential export and contact information.
#include "api/api.h"
#include "api/codec.h"

namespace ap::api {
namespace {

bool Refreshing(Services& s, const std::string& account_id) { return s.refresher && s.refresher->InFlight(account_id); }

// An account as the API answers it, with whether a refresh of it runs now.
http::Response AccountResponse(int status, Services& s, const domain::Account& a) {
  return JsonResponse(status, AccountToJson(a, Refreshing(s, a.account_id)));
}

// The request body decoded by `decode`: InvalidArgument for a malformed body or a bad field.
template <class T>
Result<T> DecodeBody(const Call& c, Result<T> (*decode)(const json::object&)) {
  ASSIGN_OR_RETURN(json::object body, ParseObject(c.request.body));
  return decode(body);
}

Result<http::Response> ListAccounts(Services& s, Call& c) {
  service::AccountQuery q;
  std::string status = c.request.QueryParam("status");
  if (status == "all") {
    q.status.reset();
  } else if (!status.empty()) {
    ASSIGN_OR_RETURN(auto st, domain::ParseAccountStatus(status));
    q.status = st;
  }
  q.team = c.request.QueryParam("team");
  q.search = c.request.QueryParam("search");
  if (q.search.size() > 128) return InvalidArgument("must be at most 128 characters", "search");
  // Offset pages are gone (they cost O(offset)); refusing them tells an old client instead of serving page 1 again.
  bool page_sent = false;
  (void)c.request.QueryParam("page", &page_sent);
  if (page_sent) return InvalidArgument("not supported: follow the \"next\" cursor with ?cursor=", "page");
  q.cursor = c.request.QueryParam("cursor");
  ASSIGN_OR_RETURN(q.page_size, IntParam(c.request, "page_size", 50));
  ASSIGN_OR_RETURN(store::AccountPage page, s.accounts.List(c.ctx, q));
  json::array items;
  for (const auto& a : page.items) items.push_back(AccountToJson(a, Refreshing(s, a.account_id)));
  json::object out{{"items", std::move(items)},
                   {"next", page.next.empty() ? json::value(nullptr) : json::value(page.next)},
                   {"page_size", q.page_size}};
  if (page.total) out["total"] = *page.total;
  return JsonResponse(200, std::move(out));
}

// The primary contact as AWS has it (Account API GetContactInformation with the account's own credentials).
// AWS refusing (e.g. the credentials may not call the Account API) is reported as 502 with AWS's code.
Result<http::Response> ContactInfoFromAws(Services& s, Call& c) {
  if (!s.contact_reader) return Unavailable("reading from AWS is not configured on this server");
  auto info = s.contact_reader->Read(c.id);
  if (!info.ok()) {
    StatusCode code = info.status().code();
    if (code == StatusCode::kInternal || code == StatusCode::kNotFound) return info.status();
    // AWS refused or failed: report it as such, never as an empty contact.
    return http::ErrorResponse(502, "aws_error", "AWS did not give the contact information: " + info.status().message(),
                               c.ctx.request_id);
  }
  json::object out = ContactInfoToJson(*info);
  out["updated_at"] = nullptr;
  out["updated_by"] = nullptr;
  out["account_id"] = c.id;
  out["source"] = "aws";
  return JsonResponse(200, out);
}

}  // namespace

void AddAccountRoutes(Router& r, Services& s) {
  using service::Access;
  r.Add({"GET", "/api/accounts", Access::kAuthenticated, [&s](Call& c) { return ListAccounts(s, c); }, "",
         "Accounts the caller may see, one cursor page at a time; filters status (active|inactive|all), team, search "
         "(id prefix or name word prefix); cursor, page_size"});
  r.Add({"POST",
         "/api/accounts",
         Access::kAdmin,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::NewAccount req, DecodeBody(c, NewAccountFromJson));
           ASSIGN_OR_RETURN(domain::Account a, s.accounts.Create(c.ctx, std::move(req)));
           // The first refresh of every region runs in the background: creation answers at once and the account
           // shows as refreshing until the quotas are in (each outcome is audited like any refresh).
           if (s.refresher)
             for (const std::string& region : a.regions)
               s.refresher->RefreshAsync(c.ctx, a.account_id, region, [](const Result<service::RefreshReport>&) {});
           http::Response resp = AccountResponse(201, s, a);
           resp.AddHeader("Location", "/api/accounts/" + a.account_id);
           return resp;
         },
         "account.create",
         "Register an AWS account: its credentials are checked with STS and the id is taken from AWS",
         {},
         true});
  r.Add({"GET", "/api/accounts/{id}", Access::kAccountRead,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(auto a, s.accounts.Lookup(c.id));
           return AccountResponse(200, s, *a);
         },
         "", "One account"});
  r.Add({"PATCH",
         "/api/accounts/{id}",
         Access::kAccountWrite,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(service::AccountPatch p, DecodeBody(c, AccountPatchFromJson));
           ASSIGN_OR_RETURN(domain::Account a, s.accounts.Update(c.ctx, c.id, p));
           return AccountResponse(200, s, a);
         },
         "account.update",
         "Rename, rotate credentials (checked with STS), change regions, teams or status (optional version check)",
         {},
         true});
  r.Add({"DELETE", "/api/accounts/{id}", Access::kAccountWrite,
         [&s](Call& c) -> Result<http::Response> {
           RETURN_IF_ERROR(s.accounts.Delete(c.ctx, c.id));
           return NoContent();
         },
         "account.delete", "Soft delete: the account becomes inactive"});
  r.Add({"GET",
         "/api/accounts/{id}/credentials",
         Access::kAccountWrite,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(domain::Credentials creds, s.accounts.ExportCredentials(c.ctx, c.id));
           http::Response resp = JsonResponse(200, CredentialsToJson(creds));
           resp.AddHeader("Cache-Control", "no-store");
           return resp;
         },
         "credentials.export",
         "Decrypted credentials (admins only, audited)",
         {},
         true});  // opening may call KMS
  r.Add({"GET",
         "/api/accounts/{id}/billing",
         Access::kAccountRead,
         [&s](Call& c) -> Result<http::Response> {
           std::string source = c.request.QueryParam("source");
           if (source == "aws") return ContactInfoFromAws(s, c);
           if (!source.empty() && source != "platform")
             return InvalidArgument("must be \"platform\" or \"aws\"", "source");
           Result<domain::ContactInfo> info = s.accounts.GetContactInfo(c.id);
           if (!info.ok() && info.status().code() == StatusCode::kNotFound) {
             // None stored yet is an empty state, not an error (a 404 prints in every browser console): 204.
             // A missing account stays 404.
             RETURN_IF_ERROR(s.accounts.Lookup(c.id).status());
             return NoContent();
           }
           if (!info.ok()) return info.status();
           json::object out = ContactInfoToJson(*info);
           out["account_id"] = c.id;
           out["source"] = "platform";
           return JsonResponse(200, out);
         },
         "",
         "The account's contact information kept by the platform, or read from AWS with ?source=aws",
         {},
         true});
  r.Add({"PUT", "/api/accounts/{id}/billing", Access::kAccountWrite,
         [&s](Call& c) -> Result<http::Response> {
           ASSIGN_OR_RETURN(domain::ContactInfo info, DecodeBody(c, ContactInfoFromJson));
           ASSIGN_OR_RETURN(domain::ContactInfo saved, s.accounts.PutContactInfo(c.ctx, c.id, std::move(info)));
           json::object out = ContactInfoToJson(saved);
           out["account_id"] = c.id;
           out["source"] = "platform";
           return JsonResponse(200, out);
         },
         "account.billing.update", "Replace the account's contact information"});
}

}  // namespace ap::api
