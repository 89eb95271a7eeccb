// The LiteLLM routing export (issue 14 §4): GET /api/exports/litellm (references only) and the admin-only, audited
// POST /api/admin/exports/litellm-with-secrets. Both answer a YAML model_list or its .env template as a download.
#include <cmath>
#include <cstdlib>

#include "api/api.h"
#include "api/json.h"

namespace ap::api {
namespace {

Result<double> FactorFrom(std::string_view text) {
  if (text.empty()) return domain::kDefaultSafetyFactor;
  std::string s(text);
  char* end = nullptr;
  double f = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(f))
    return InvalidArgument("must be a number greater than 0 and at most 1", "safety_factor");
  return f;
}

Result<bool> BoolFrom(std::string_view text, std::string_view field) {
  if (text.empty() || text == "false" || text == "0") return false;
  if (text == "true" || text == "1") return true;
  return InvalidArgument("must be true or false", std::string(field));
}

Result<service::LitellmFormat> FormatFrom(std::string_view text) {
  if (text.empty() || text == "yaml") return service::LitellmFormat::kYaml;
  if (text == "env") return service::LitellmFormat::kEnv;
  return InvalidArgument("must be yaml or env", "format");
}

std::vector<std::string> SplitCommas(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    if (comma > start) out.emplace_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

Result<service::LitellmExportRequest> RequestFromQuery(const http::Request& req) {
  service::LitellmExportRequest r;
  r.model_ids = SplitCommas(req.QueryParam("model_id"));
  for (const std::string& id : r.model_ids) {
    bool present = false;
    std::string name = req.QueryParam("model_name." + id, &present);
    if (present) r.model_names[id] = name;
  }
  ASSIGN_OR_RETURN(r.safety_factor, FactorFrom(req.QueryParam("safety_factor")));
  ASSIGN_OR_RETURN(r.use_headroom, BoolFrom(req.QueryParam("use_headroom"), "use_headroom"));
  r.team = req.QueryParam("team");
  r.region = req.QueryParam("region");
  ASSIGN_OR_RETURN(r.format, FormatFrom(req.QueryParam("format")));
  return r;
}

Result<service::LitellmExportRequest> RequestFromBody(const std::string& body) {
  ASSIGN_OR_RETURN(json::object obj, ParseObject(body));
  ObjectReader in(obj);
  service::LitellmExportRequest r;
  r.with_secrets = true;
  ASSIGN_OR_RETURN(auto ids, in.OptStringList("model_ids"));
  if (ids) r.model_ids = *ids;
  if (in.Has("model_names")) {
    ASSIGN_OR_RETURN(const json::object* names, in.Object("model_names"));
    for (const auto& [key, value] : *names) {
      std::string id(key);
      if (!value.is_string()) return InvalidArgument("must be a string", "model_name." + id);
      r.model_names[id] = std::string(value.as_string());
    }
  }
  if (const json::value* f = obj.if_contains("safety_factor"); f && !f->is_null()) {
    if (!f->is_number()) return InvalidArgument("must be a number greater than 0 and at most 1", "safety_factor");
    r.safety_factor = f->to_number<double>();
  }
  ASSIGN_OR_RETURN(auto headroom, in.OptBool("use_headroom"));
  r.use_headroom = headroom.value_or(false);
  ASSIGN_OR_RETURN(auto team, in.OptString("team"));
  r.team = team.value_or("");
  ASSIGN_OR_RETURN(auto region, in.OptString("region"));
  r.region = region.value_or("");
  ASSIGN_OR_RETURN(auto format, in.OptString("format"));
  ASSIGN_OR_RETURN(r.format, FormatFrom(format.value_or("")));
  return r;
}

Result<http::Response> Export(Services& s, Call& c, const service::LitellmExportRequest& request) {
  if (!s.gateway_export) return Unavailable("the LiteLLM export is not configured on this server");
  // Checked and audited before the answer starts (422 / 403 come back as errors, never as a truncated download);
  // then the body streams one account page at a time, so no export is held in memory whole.
  ASSIGN_OR_RETURN(service::LitellmExportPlan plan, s.gateway_export->Prepare(c.ctx, request));
  ASSIGN_OR_RETURN(std::unique_ptr<service::GatewayExport::Stream> opened, s.gateway_export->Open(c.ctx, plan));
  const bool env = request.format == service::LitellmFormat::kEnv;
  std::shared_ptr<service::GatewayExport::Stream> stream(std::move(opened));
  return StreamedResponse(s, env ? "text/plain; charset=utf-8" : "application/yaml; charset=utf-8",
                          env ? "litellm-config.env" : "litellm-config.yaml",
                          [stream](std::string* chunk, bool* done) { return stream->Next(chunk, done); });
}

}  // namespace

void AddGatewayExportRoutes(Router& r, Services& s) {
  using service::Access;
  Route plain{"GET",
              "/api/exports/litellm",
              Access::kAuthenticated,
              [&s](Call& c) -> Result<http::Response> {
                ASSIGN_OR_RETURN(service::LitellmExportRequest req, RequestFromQuery(c.request));
                return Export(s, c, req);
              },
              "",
              "LiteLLM router model_list (YAML) or its .env template for the chosen models over the caller's "
              "accounts (?model_id=a,b&safety_factor=&use_headroom=&team=&region=&format=yaml|env); credentials "
              "referenced, not embedded"};
  plain.blocking = true;
  r.Add(std::move(plain));
  Route secrets{"POST",
                "/api/admin/exports/litellm-with-secrets",
                Access::kAdmin,
                [&s](Call& c) -> Result<http::Response> {
                  ASSIGN_OR_RETURN(service::LitellmExportRequest req, RequestFromBody(c.request.body));
                  return Export(s, c, req);
                },
                "export.litellm_secrets",
                "The LiteLLM export with the accounts' credentials embedded (admins; audited before any secret "
                "is unsealed)"};
  secrets.blocking = true;
  r.Add(std::move(secrets));
}

}  // namespace ap::api
