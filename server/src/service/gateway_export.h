// GatewayExport: the LiteLLM router export (issue 14 §4, docs/usage.md "Routing export for LiteLLM"): a
// model_list with one deployment per active account × region × chosen model group whose quotas are cached, and
// the matching .env template. The numbers and the text are domain/litellm_export.h's.
//
// Cost: an export, not a view. It pages through the accounts the caller may see (AccountService::List, 200 a
// page) and reads each page's quota snapshots (and usage snapshots, with use_headroom) in batches of at most 1000
// keys; it holds one page at a time and hands the text to a ChunkSink as it goes, so memory stays O(page)
// whatever the fleet's size. Accounts changing while it runs are served as AccountService::List pages them.
//
// Who: admins export any account (or one team's); users only their teams' accounts (a team they are not in is
// PermissionDenied). The secrets export (with_secrets) is for admins only; it is audited durably
// (export.litellm_secrets) before any secret is unsealed, and only there are credentials unsealed. The plain
// export is audited best effort (export.litellm).
//
// Thread safety: safe from any thread. Blocking (store reads; KMS with secrets): not for an HTTP I/O thread.
// Does not own its collaborators; they must outlive it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "domain/catalogue.h"
#include "domain/litellm_export.h"
#include "service/account_service.h"
#include "service/audit_service.h"
#include "service/context.h"
#include "service/quota_config_service.h"
#include "store/quota_cache_store.h"
#include "store/usage_store.h"

namespace ap::service {

// Receives the export's text piece by piece, in order. A non-OK Status stops the export (the client has gone).
using ChunkSink = std::function<Status(std::string_view chunk)>;

enum class LitellmFormat { kYaml, kEnv };

struct LitellmExportRequest {
  std::vector<std::string> model_ids;                   // 1..kMaxExportModels models of the quota config (dups ignored)
  std::map<std::string, std::string> model_names;       // model_id -> group name (default: the model_id)
  double safety_factor = domain::kDefaultSafetyFactor;  // 0 < f <= 1
  bool use_headroom = false;                            // 24-hour headroom instead of the quota, where known
  std::string team;                                     // "" = every account the caller sees
  std::string region;                                   // "" = every region of each account
  LitellmFormat format = LitellmFormat::kYaml;
  bool with_secrets = false;  // embed the credentials (admins only; audited)
};

// A request checked and resolved: what Write needs. Made by Prepare.
struct LitellmExportPlan {
  LitellmExportRequest request;
  std::vector<domain::ExportGroup> groups;
};

class GatewayExport {
 public:
  GatewayExport(store::QuotaCacheStore& quotas, store::UsageStore* usage, AccountService& accounts,
                QuotaConfigService& config, AuditService& audit, const Clock& clock,
                std::vector<domain::CatalogueQuota> catalogue);

  // Checks the request before anything is written, so that a caller can still answer with an error. Errors:
  // PermissionDenied for with_secrets by a non-admin, or a team the user is not in; InvalidArgument naming the field:
  // "model_id" (none, more than kMaxExportModels, not in the quota config, or no Bedrock model id known for it),
  // "model_name.<model_id>" (ValidateGroupName, or an override for a model not exported), "safety_factor",
  // "team", "region" (not a known region). The config's store errors.
  Result<LitellmExportPlan> Prepare(const RequestContext& ctx, const LitellmExportRequest& request);

  // One export being produced, piece by piece: the header, then one piece per page of accounts, then the tail.
  // Next() has http::BodyStream::next's contract (and app/export_cli.h's ExportProducer's), so that a streamed
  // response or the CLI can pull from it directly. Not thread-safe: one caller at a time; it keeps the parent
  // GatewayExport and the plan's copy it was opened with.
  class Stream {
   public:
    // Appends the next piece to *chunk and sets *done after the last one (the tail "# end of export"). Store or
    // sealer errors stop it (what was produced stays produced: the text then lacks its tail).
    Status Next(std::string* chunk, bool* done);

   private:
    friend class GatewayExport;
    Stream(GatewayExport& parent, const RequestContext& ctx, LitellmExportPlan plan);
    GatewayExport& parent_;
    RequestContext ctx_;
    LitellmExportPlan plan_;
    bool header_written_ = false;
    bool finished_pages_ = false;
    bool list_open_ = false;
    std::string cursor_;
    int64_t written_ = 0;
    int64_t left_out_ = 0;
  };

  // Audits the export and returns its stream. The secrets export records its audit entry durably first:
  // Unavailable (nothing produced) when it cannot. Call before the first byte is sent, so that this error can still
  // be the answer.
  Result<std::unique_ptr<Stream>> Open(const RequestContext& ctx, const LitellmExportPlan& plan);

  // Open, then every piece of the stream to `sink` (a non-OK from `sink` stops it and is returned).
  Status Write(const RequestContext& ctx, const LitellmExportPlan& plan, const ChunkSink& sink);

 private:
  // The text of one page of accounts (AccountService::List), after `cursor`; sets *next.
  Status WritePage(Stream& st, std::string* chunk);

  store::QuotaCacheStore& quotas_;
  store::UsageStore* const usage_;
  AccountService& accounts_;
  QuotaConfigService& config_;
  AuditService& audit_;
  const Clock& clock_;
  const std::vector<domain::CatalogueQuota> catalogue_;
};

}  // namespace ap::service
