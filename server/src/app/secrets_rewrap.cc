#include "app/secrets_rewrap.h"

#include <sys/stat.h>

#include "app/dynamodb_backend.h"
#include "app/master_key.h"
#include "service/epoch_watch.h"
#include "service/stored_channel_directory.h"
#include "store/alert_channel_store.h"

namespace ap::app {
namespace {

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

Result<std::unique_ptr<aws::Kms>> MakeKms(aws::AwsClients& aws, const aws::Environment& env) {
  Result<std::string> region = DynamoDbRegion(env);  // the same variables: AWS_REGION, else AWS_DEFAULT_REGION
  if (!region.ok()) return InvalidArgument("AWS_REGION: set it to the region of the KMS key");
  return aws.kms(*aws.default_credentials, *region);
}

}  // namespace

Result<SecretsSetup> SetUpSecrets(const SecretsOptions& options, aws::AwsClients& aws, const aws::Environment& env,
                                  const Clock& clock, Random& random) {
  if (options.mode != "local" && options.mode != "kms")
    return InvalidArgument("must be local or kms, not " + options.mode, "--secrets");
  SecretsSetup out;
  if (options.mode == "local") {
    ASSIGN_OR_RETURN(service::MasterKey key,
                     LoadOrCreateMasterKey(options.master_key_env, options.data_dir, random, &out.master_key_created));
    out.master_key = key;
    auto local = std::make_unique<service::LocalSealer>(key, random);
    if (options.kms_key_id.empty() && !options.read_kms) {
      out.sealer = std::move(local);
      return out;
    }
    ASSIGN_OR_RETURN(out.kms, MakeKms(aws, env));
    out.sealer = std::make_unique<service::DualSealer>(
        std::move(local), std::make_unique<service::KmsSealer>(*out.kms, options.kms_key_id, clock, random));
    return out;
  }

  if (options.kms_key_id.empty()) return InvalidArgument("is required with --secrets kms", "--kms-key-id");
  ASSIGN_OR_RETURN(out.kms, MakeKms(aws, env));
  auto kms = std::make_unique<service::KmsSealer>(*out.kms, options.kms_key_id, clock, random);
  if (Status check = kms->CheckRoundTrip(); !check.ok())
    return FailedPrecondition("KMS key " + options.kms_key_id + " cannot seal credentials: " + check.message());
  // Blobs sealed with the master key before the switch still open while a master key is at hand; none is made
  // here: a KMS store needs none.
  std::unique_ptr<service::SecretSealer> local;
  if (!options.master_key_env.empty() || FileExists(options.data_dir + "/master.key")) {
    bool created = false;
    ASSIGN_OR_RETURN(service::MasterKey key,
                     LoadOrCreateMasterKey(options.master_key_env, options.data_dir, random, &created));
    out.master_key = key;
    local = std::make_unique<service::LocalSealer>(key, random);
  }
  out.sealer = std::make_unique<service::DualSealer>(std::move(kms), std::move(local));
  return out;
}

namespace {

// One sealed string of channel `id` sealed for the target: unchanged when empty or already current.
Result<std::string> ResealChannelString(service::SecretSealer& sealer, const std::string& sealed,
                                        const std::string& id) {
  if (sealed.empty() || sealer.IsCurrent(sealed)) return sealed;
  ASSIGN_OR_RETURN(std::string plain, service::OpenChannelSecret(sealer, sealed, id));
  Result<std::string> again = service::SealChannelSecret(sealer, plain, id);
  std::fill(plain.begin(), plain.end(), '\0');
  return again;
}

Status RewrapAlertChannels(store::Store& store, service::SecretSealer& sealer, const Clock& clock, std::ostream& out,
                           int attempts, RewrapReport& report) {
  ASSIGN_OR_RETURN(std::vector<store::StoredAlertChannel> channels, store.ListAlertChannels());
  for (store::StoredAlertChannel c : channels) {
    std::string failure;
    for (int attempt = 0; attempt < attempts; ++attempt) {
      if (attempt > 0) {
        Result<store::StoredAlertChannel> again = store.GetAlertChannel(c.id);
        if (!again.ok()) {
          failure = again.status().message();
          break;
        }
        c = std::move(again).value();
      }
      const bool current = (c.sealed_url.empty() || sealer.IsCurrent(c.sealed_url)) &&
                           (c.sealed_secret.empty() || sealer.IsCurrent(c.sealed_secret));
      if (current) {
        ++report.channels_already;
        failure.clear();
        break;
      }
      Result<std::string> url = ResealChannelString(sealer, c.sealed_url, c.id);
      Result<std::string> secret = url.ok() ? ResealChannelString(sealer, c.sealed_secret, c.id) : url;
      if (!secret.ok()) {
        failure = secret.status().message();
        break;
      }
      const int64_t expected = c.version;
      c.sealed_url = std::move(url).value();
      c.sealed_secret = std::move(secret).value();
      c.version = expected + 1;
      c.updated_at_ms = clock.NowUnixMillis();
      Status written = store.PutAlertChannel(c, expected);
      if (written.ok()) {
        ++report.channels_rewrapped;
        failure.clear();
        break;
      }
      failure = written.message();
      if (written.code() != StatusCode::kFailedPrecondition) break;  // only a concurrent change is retried
    }
    if (!failure.empty()) {
      ++report.channels_failed;
      out << "  failed alert channel " << c.id << ": " << failure << std::endl;
    }
  }
  out << "  " << channels.size() << " alert channels: rewrapped " << report.channels_rewrapped << ", already "
      << report.channels_already << ", failed " << report.channels_failed << std::endl;
  return Status::Ok();
}

}  // namespace

Result<RewrapReport> RewrapSecrets(store::Store& store, service::SecretSealer& sealer, const Clock& clock,
                                   std::ostream& out, int attempts, int64_t page_size) {
  RewrapReport report;
  store::AccountFilter filter;
  filter.status = std::nullopt;  // every account, inactive ones too: they may be reactivated
  filter.limit = page_size;
  int64_t seen = 0;
  for (;;) {
    ASSIGN_OR_RETURN(store::AccountPage page, store.ListAccounts(filter));
    for (domain::Account& listed : page.items) {
      domain::Account a = std::move(listed);
      std::string failure;
      for (int attempt = 0; attempt < attempts; ++attempt) {
        if (attempt > 0) {
          Result<domain::Account> again = store.GetAccount(a.account_id);
          if (!again.ok()) {
            failure = again.status().message();
            break;
          }
          a = std::move(again).value();
        }
        if (a.sealed_credentials.empty() || sealer.IsCurrent(a.sealed_credentials)) {
          ++report.already;
          failure.clear();
          break;
        }
        Result<std::string> plain = sealer.Open(a.sealed_credentials, a.account_id);
        if (!plain.ok()) {
          failure = plain.status().message();
          break;
        }
        Result<std::string> sealed = sealer.Seal(*plain, a.account_id);
        std::fill(plain->begin(), plain->end(), '\0');
        if (!sealed.ok()) {
          failure = sealed.status().message();
          break;
        }
        const int64_t expected = a.version;
        a.sealed_credentials = std::move(sealed).value();
        a.version = expected + 1;
        a.updated_at_ms = clock.NowUnixMillis();
        Status written = store.UpdateAccount(a, expected);
        if (written.ok()) {
          ++report.rewrapped;
          failure.clear();
          break;
        }
        failure = written.message();
        if (written.code() != StatusCode::kFailedPrecondition) break;  // only a concurrent change is retried
      }
      if (!failure.empty()) {
        ++report.failed;
        out << "  failed " << a.account_id << ": " << failure << std::endl;
      }
    }
    seen += static_cast<int64_t>(page.items.size());
    out << "  " << seen << " accounts: rewrapped " << report.rewrapped << ", already " << report.already << ", failed "
        << report.failed << std::endl;
    if (page.next.empty()) break;
    filter.cursor = page.next;
  }
  RETURN_IF_ERROR(RewrapAlertChannels(store, sealer, clock, out, attempts, report));
  if (report.rewrapped > 0) {
    Result<int64_t> bumped = store.BumpEpoch(std::string(service::kAccountsEpoch));
    if (!bumped.ok())
      out << "  note: running servers were not told (" << bumped.status().message()
          << "); they see the new credentials within their cache TTL" << std::endl;
  }
  return report;
}

}  // namespace ap::app
