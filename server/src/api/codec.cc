#include "api/codec.h"

#include <algorithm>

#include "api/quota_names_codec.h"
#include "api/quota_status_codec.h"
#include "api/usage_codec.h"

namespace ap::api {
namespace {

json::array StringArray(const std::vector<std::string>& v) {
  json::array a;
  a.reserve(v.size());
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::value OptString(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return json::string(*s);
}

json::value NonEmptyOrNull(const std::string& s) {
  if (s.empty()) return nullptr;
  return json::string(s);
}

json::value SourceOf(bool has_value, bool is_default) {
  auto source = domain::QuotaValueSource(has_value, is_default);
  if (!source) return nullptr;
  return json::string(*source);
}

// A model card's state: that of its configured values taken together (domain::WorstQuotaState).
std::string_view ModelStatus(const service::ModelQuotaView& m) {
  std::vector<domain::QuotaState> states;
  for (const auto& d : m.dimensions) {
    if (d.quota_code) states.push_back(d.value.state);
  }
  return domain::QuotaStateName(domain::WorstQuotaState(states));
}

}  // namespace

json::object UserToJson(const domain::User& u) {
  return {{"user_id", u.user_id},
          {"email", u.email},
          {"role", domain::RoleName(u.role)},
          {"teams", StringArray(u.teams)},
          {"disabled", u.disabled},
          {"must_change_password", u.must_change_password},
          {"created_at", TimeOrNull(u.created_at_ms)},
          {"updated_at", TimeOrNull(u.updated_at_ms)}};
}

json::object TeamToJson(const domain::Team& t) {
  return {{"team_id", t.team_id}, {"name", t.name}, {"created_at", TimeOrNull(t.created_at_ms)}};
}

json::object AccountToJson(const domain::Account& a, bool refreshing) {
  json::object creds{{"type", domain::CredentialTypeName(a.credential_type)}};
  if (a.credential_type == domain::CredentialType::kAccessKey) {
    creds["access_key_id"] = a.access_key_id_masked;
  } else {
    creds["role_arn"] = a.role_arn;
  }
  return {{"account_id", a.account_id},
          {"account_name", a.account_name},
          {"regions", StringArray(a.regions)},
          {"teams", StringArray(a.teams)},
          {"status", domain::AccountStatusName(a.status)},
          {"credentials", std::move(creds)},
          {"created_at", TimeOrNull(a.created_at_ms)},
          {"updated_at", TimeOrNull(a.updated_at_ms)},
          {"created_by", a.created_by},
          {"version", a.version},
          {"refreshing", refreshing}};
}

json::object ContactInfoToJson(const domain::ContactInfo& c) {
  return {{"full_name", c.full_name},
          {"address_line1", c.address_line1},
          {"address_line2", c.address_line2},
          {"address_line3", c.address_line3},
          {"city", c.city},
          {"company_name", c.company_name},
          {"country_code", c.country_code},
          {"district_or_county", c.district_or_county},
          {"phone_number", c.phone_number},
          {"postal_code", c.postal_code},
          {"state_or_region", c.state_or_region},
          {"website_url", c.website_url},
          {"updated_at", TimeOrNull(c.updated_at_ms)},
          {"updated_by", c.updated_by}};
}

json::object CredentialsToJson(const domain::Credentials& c) {
  json::object o{{"type", domain::CredentialTypeName(c.type)}};
  if (c.type == domain::CredentialType::kAccessKey) {
    o["access_key_id"] = c.access_key_id;
    o["secret_access_key"] = c.secret_access_key;
    o["session_token"] = NonEmptyOrNull(c.session_token);
  } else {
    o["role_arn"] = c.role_arn;
    o["external_id"] = NonEmptyOrNull(c.external_id);
  }
  return o;
}

json::object QuotaConfigToJson(const domain::QuotaConfig& c) {
  json::array models;
  for (const domain::ModelSpec& m : c.models) {
    models.push_back(json::object{{"model_id", m.model_id},
                                  {"display_name", m.display_name},
                                  {"quota_code_tpm", OptString(m.quota_code_tpm)},
                                  {"quota_code_rpm", OptString(m.quota_code_rpm)},
                                  {"enabled", m.enabled},
                                  {"show_in_dashboard", m.show_in_dashboard},
                                  {"has_1m_context", m.has_1m_context},
                                  {"quota_code_tpm_1m", OptString(m.quota_code_tpm_1m)},
                                  {"quota_code_rpm_1m", OptString(m.quota_code_rpm_1m)},
                                  {"output_token_burndown", m.output_token_burndown}});
  }
  return {{"config_id", c.config_id},
          {"models", std::move(models)},
          {"updated_at", TimeOrNull(c.updated_at_ms)},
          {"updated_by", c.updated_by},
          {"version", c.version}};
}

// The target's name as the entry recorded it (detail field "target_name", issue 16 §5); null for entries that
// recorded none (older ones, targets without a name).
json::value TargetNameOf(const domain::AuditEntry& e) {
  if (e.detail.empty() || e.detail.front() != '{' || e.detail.find("\"target_name\"") == std::string::npos)
    return nullptr;
  boost::system::error_code ec;
  json::value parsed = json::parse(e.detail, ec);
  if (ec || !parsed.is_object()) return nullptr;
  const json::value* name = parsed.as_object().if_contains("target_name");
  if (!name || !name->is_string() || name->as_string().empty()) return nullptr;
  return *name;
}

json::object AuditEntryToJson(const domain::AuditEntry& e) {
  return {{"audit_id", e.audit_id},
          {"at", TimeOrNull(e.at_ms)},
          {"target_name", TargetNameOf(e)},
          {"actor_id", e.actor_id},
          {"actor_email", e.actor_email},
          {"action", e.action},
          {"target_type", e.target_type},
          {"target_id", e.target_id},
          {"outcome", e.outcome},
          {"client_ip", e.client_ip},
          {"user_agent", e.user_agent},
          {"request_id", e.request_id},
          {"detail", e.detail},
          {"count", e.count},
          {"last_at", TimeOrNull(std::max(e.at_ms, e.last_at_ms))}};
}

json::object QuotaViewToJson(const service::QuotaView& view) {
  json::object out;
  out["account_id"] = view.account_id;
  out["region"] = view.region;
  json::array models;
  for (const service::ModelQuotaView& m : view.models) {
    std::string prefix = domain::QuotaFieldPrefix(m.model->model_id);
    json::object mo{{"model_id", m.model->model_id}, {"display_name", m.model->display_name}};
    for (const service::DimensionView& d : m.dimensions) {
      const domain::QuotaValue& v = d.value;
      out[prefix + std::string(domain::DimensionFieldSuffix(d.dimension))] = NumberOrNull(v.value);
      json::object dim{
          {"value", NumberOrNull(v.value)},           {"quota_code", OptString(d.quota_code)},
          {"state", domain::QuotaStateName(v.state)}, {"source", SourceOf(v.value.has_value(), v.is_default)},
          {"reason", NonEmptyOrNull(v.reason)},       {"reason_kind", ReasonKindOf(v)},
          {"read_at", TimeOrNull(v.read_at_ms)},      {"attempted_at", TimeOrNull(v.attempted_at_ms)}};
      AddQuotaExplanation(dim, v, d.catalogue);
      mo[domain::DimensionKey(d.dimension)] = std::move(dim);
    }
    if (!m.model->has_1m_context) {
      mo["tpm_1m"] = nullptr;
      mo["rpm_1m"] = nullptr;
    }
    mo["status"] = ModelStatus(m);
    mo["usage"] = ModelUsageOf(view.usage.get(), m.model->model_id);
    models.push_back(std::move(mo));
  }
  out["last_updated"] = TimeOrNull(view.last_updated_ms);
  out["last_refresh"] = LastRefreshToJson(view.last_refresh);
  out["models"] = std::move(models);
  out["usage"] = UsageStatusToJson(view.usage.get());
  out["usage_series"] = SeriesUsageToJson(view.usage.get());
  return out;
}

json::object RefreshReportToJson(const service::RefreshReport& r) {
  json::array values;
  for (const service::ValueOutcome& v : r.values) {
    values.push_back(json::object{{"model_id", v.model_id},
                                  {"dimension", domain::DimensionKey(v.dimension)},
                                  {"quota_code", v.quota_code},
                                  {"ok", v.ok},
                                  {"value", NumberOrNull(v.value)},
                                  {"source", SourceOf(v.ok, v.is_default)},
                                  {"error", v.ok ? json::value(nullptr) : json::value(v.error)}});
  }
  return {{"started_at", TimeOrNull(r.started_at_ms)},
          {"finished_at", TimeOrNull(r.finished_at_ms)},
          {"duration_ms", r.finished_at_ms - r.started_at_ms},
          {"ok", r.ok_count},
          {"failed", r.failed_count},
          {"cache_written", r.cache_written},
          {"values", std::move(values)}};
}

json::object UsagePollReportToJson(const service::UsagePollReport& r, const std::string& error_message) {
  const bool ok = r.state == store::UsageState::kOk;
  json::array partial;
  for (const service::PartialMetric& m : r.partial)
    partial.push_back(json::object{{"series", m.series}, {"metric", m.metric}, {"status", m.status}});
  return {{"account_id", r.account_id},
          {"region", r.region},
          {"started_at", TimeOrNull(r.started_at_ms)},
          {"finished_at", TimeOrNull(r.finished_at_ms)},
          {"state", ok ? "ok" : "stale"},
          {"error_code", ok ? json::value(nullptr) : json::value(r.error_code)},
          {"error_message", ok ? json::value(nullptr) : json::value(error_message)},
          {"by_other_instance", r.by_other_instance},
          {"snapshot_written", r.snapshot_written},
          {"series", r.series},
          {"counted_series", r.counted_series},
          {"unmatched_series", r.unmatched_series},
          {"series_dropped", r.series_dropped},
          {"models", r.models},
          {"points_read", r.points_read},
          {"metric_calls", r.metric_calls},
          {"partial", std::move(partial)}};
}

json::array HistoryToJson(const std::vector<domain::QuotaHistoryEntry>& entries, const domain::QuotaConfig& config) {
  json::array out;
  for (const domain::QuotaHistoryEntry& e : entries) {
    json::value model_id = nullptr, dimension = nullptr;
    if (auto at = domain::FindQuotaCode(config, e.quota_code)) {
      model_id = json::string(at->model->model_id);
      dimension = json::string(domain::DimensionKey(at->dimension));
    }
    out.push_back(json::object{{"history_id", e.history_id},
                               {"at", TimeOrNull(e.at_ms)},
                               {"model_id", model_id},
                               {"dimension", dimension},
                               {"quota_code", e.quota_code},
                               {"event", domain::QuotaEventName(e.event)},
                               {"value", NumberOrNull(e.value)},
                               {"previous_value", NumberOrNull(e.previous_value)},
                               {"state", domain::QuotaStateName(e.state)},
                               {"source", SourceOf(e.value.has_value(), e.is_default)},
                               {"reason", NonEmptyOrNull(e.reason)}});
  }
  return out;
}

json::object DashboardStatsToJson(const service::DashboardStats& s, int64_t now_ms) {
  json::array models;
  for (const service::ModelTotals& m : s.models) {
    json::object mo{{"model_id", m.model.model_id},
                    {"display_name", m.model.display_name},
                    {"has_1m_context", m.model.has_1m_context}};
    for (const service::DimensionTotals& t : m.dimensions) {
      mo[domain::DimensionKey(t.dimension)] = json::object{
          {"total", NumberOrNull(t.total)}, {"fresh", t.fresh}, {"stale", t.stale}, {"missing", t.missing}};
    }
    models.push_back(std::move(mo));
  }
  json::array rows;
  for (const service::DashboardRow& row : s.rows) {
    json::object values;
    for (const service::RowModelValues& m : row.models) {
      json::object dims;
      for (const service::RowValue& rv : m.values) {
        const domain::QuotaValue& v = rv.value;
        dims[domain::DimensionKey(rv.dimension)] = json::object{{"value", NumberOrNull(v.value)},
                                                                {"state", domain::QuotaStateName(v.state)},
                                                                {"source", SourceOf(v.value.has_value(), v.is_default)},
                                                                {"read_at", TimeOrNull(v.read_at_ms)},
                                                                {"attempted_at", TimeOrNull(v.attempted_at_ms)},
                                                                {"reason", NonEmptyOrNull(v.reason)},
                                                                {"reason_kind", ReasonKindOf(v)}};
      }
      values[m.model_id] = std::move(dims);
    }
    rows.push_back(json::object{{"account_id", row.account_id},
                                {"account_name", row.account_name},
                                {"region", row.region},
                                {"usage_state", RowUsageStateToJson(row.usage_state)},
                                {"headroom", RowHeadroomToJson(row.headroom)},
                                {"last_refresh", LastRefreshToJson(row.last_refresh)},
                                {"values", std::move(values)}});
  }
  return {{"active_accounts", s.active_accounts},
          {"account_regions", s.account_regions},
          {"models", std::move(models)},
          {"accounts", std::move(rows)},
          {"next", s.next.empty() ? json::value(nullptr) : json::value(s.next)},
          {"page_size", s.page_size},
          {"total", s.account_regions},
          {"generated_at", TimeOrNull(now_ms)},
          {"scope", s.all_accounts ? "all" : "teams"},
          {"sort", s.sort},
          {"order", s.descending ? "desc" : "asc"},
          {"team", NonEmptyOrNull(s.team)},
          {"region", NonEmptyOrNull(s.region)}};
}

Result<domain::Credentials> CredentialsFromJson(const json::object& obj, const std::string& prefix) {
  ObjectReader r(obj, prefix);
  ASSIGN_OR_RETURN(std::string type, r.String("type"));
  domain::Credentials c;
  ASSIGN_OR_RETURN(c.type, domain::ParseCredentialType(type, r.FieldName("type")));
  if (c.type == domain::CredentialType::kAccessKey) {
    ASSIGN_OR_RETURN(c.access_key_id, r.String("access_key_id"));
    ASSIGN_OR_RETURN(c.secret_access_key, r.String("secret_access_key"));
    ASSIGN_OR_RETURN(auto token, r.OptString("session_token"));
    c.session_token = token.value_or("");
  } else {
    ASSIGN_OR_RETURN(c.role_arn, r.String("role_arn"));
    ASSIGN_OR_RETURN(auto ext, r.OptString("external_id"));
    c.external_id = ext.value_or("");
  }
  return c;
}

Result<service::NewAccount> NewAccountFromJson(const json::object& obj) {
  ObjectReader r(obj);
  service::NewAccount a;
  ASSIGN_OR_RETURN(a.account_name, r.String("account_name"));
  ASSIGN_OR_RETURN(auto account_id, r.OptString("account_id"));
  a.account_id = account_id.value_or("");
  ASSIGN_OR_RETURN(a.regions, r.OptStringList("regions"));
  ASSIGN_OR_RETURN(auto teams, r.OptStringList("teams"));
  a.teams = teams.value_or(std::vector<std::string>{});
  ASSIGN_OR_RETURN(const json::object* creds, r.Object("credentials"));
  ASSIGN_OR_RETURN(a.credentials, CredentialsFromJson(*creds, "credentials."));
  return a;
}

Result<service::AccountPatch> AccountPatchFromJson(const json::object& obj) {
  ObjectReader r(obj);
  service::AccountPatch p;
  ASSIGN_OR_RETURN(p.account_name, r.OptString("account_name"));
  ASSIGN_OR_RETURN(p.regions, r.OptStringList("regions"));
  ASSIGN_OR_RETURN(p.teams, r.OptStringList("teams"));
  ASSIGN_OR_RETURN(p.expected_version, r.OptInt("version"));
  ASSIGN_OR_RETURN(auto status, r.OptString("status"));
  if (status) {
    ASSIGN_OR_RETURN(auto st, domain::ParseAccountStatus(*status));
    p.status = st;
  }
  if (r.Has("credentials")) {
    ASSIGN_OR_RETURN(const json::object* creds, r.Object("credentials"));
    ASSIGN_OR_RETURN(auto c, CredentialsFromJson(*creds, "credentials."));
    p.credentials = std::move(c);
  }
  return p;
}

Result<domain::ContactInfo> ContactInfoFromJson(const json::object& obj) {
  ObjectReader r(obj);
  domain::ContactInfo c;
  std::pair<std::string*, const char*> fields[] = {{&c.full_name, "full_name"},
                                                   {&c.address_line1, "address_line1"},
                                                   {&c.address_line2, "address_line2"},
                                                   {&c.address_line3, "address_line3"},
                                                   {&c.city, "city"},
                                                   {&c.company_name, "company_name"},
                                                   {&c.country_code, "country_code"},
                                                   {&c.district_or_county, "district_or_county"},
                                                   {&c.phone_number, "phone_number"},
                                                   {&c.postal_code, "postal_code"},
                                                   {&c.state_or_region, "state_or_region"},
                                                   {&c.website_url, "website_url"}};
  for (auto& [dst, name] : fields) {
    ASSIGN_OR_RETURN(auto v, r.OptString(name));
    *dst = v.value_or("");
  }
  return c;
}

Result<domain::QuotaConfig> QuotaConfigFromJson(const json::object& obj, int64_t* expected_version) {
  ObjectReader r(obj);
  ASSIGN_OR_RETURN(auto version, r.OptInt("version"));
  if (!version) return InvalidArgument("is required: send back the version you read", "version");
  *expected_version = *version;
  domain::QuotaConfig c;
  ASSIGN_OR_RETURN(auto id, r.OptString("config_id"));
  c.config_id = id.value_or(std::string(domain::kQuotaConfigId));
  ASSIGN_OR_RETURN(const json::array* models, r.Array("models"));
  for (size_t i = 0; i < models->size(); ++i) {
    std::string at = "models[" + std::to_string(i) + "]";
    if (!(*models)[i].is_object()) return InvalidArgument("must be an object", at);
    ObjectReader m((*models)[i].as_object(), at + ".");
    domain::ModelSpec s;
    ASSIGN_OR_RETURN(s.model_id, m.String("model_id"));
    ASSIGN_OR_RETURN(auto name, m.OptString("display_name"));
    s.display_name = name.value_or(s.model_id);
    ASSIGN_OR_RETURN(s.quota_code_tpm, m.OptString("quota_code_tpm"));
    ASSIGN_OR_RETURN(s.quota_code_rpm, m.OptString("quota_code_rpm"));
    ASSIGN_OR_RETURN(s.quota_code_tpm_1m, m.OptString("quota_code_tpm_1m"));
    ASSIGN_OR_RETURN(s.quota_code_rpm_1m, m.OptString("quota_code_rpm_1m"));
    ASSIGN_OR_RETURN(auto enabled, m.OptBool("enabled"));
    ASSIGN_OR_RETURN(auto dash, m.OptBool("show_in_dashboard"));
    ASSIGN_OR_RETURN(auto one_m, m.OptBool("has_1m_context"));
    s.enabled = enabled.value_or(false);
    s.show_in_dashboard = dash.value_or(false);
    s.has_1m_context = one_m.value_or(false);
    // Range-checked here, before narrowing to int (a huge value must not wrap into range).
    ASSIGN_OR_RETURN(auto burndown, m.OptInt("output_token_burndown"));
    if (burndown && (*burndown < domain::kMinOutputTokenBurndown || *burndown > domain::kMaxOutputTokenBurndown))
      return InvalidArgument("must be an integer in 1..100", at + ".output_token_burndown");
    s.output_token_burndown = burndown ? static_cast<int>(*burndown) : domain::kDefaultOutputTokenBurndown;
    c.models.push_back(std::move(s));
  }
  return c;
}

}  // namespace ap::api
