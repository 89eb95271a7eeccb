// account-platform: the command line. `serve` runs the platform; `user add` creates a user in the data dir;
// `quota refresh --all` refreshes the fleet with progress; `dynamodb create-tables` prepares the tables of
// `serve --store dynamodb` and `dynamodb table-definitions` prints them for deployment tools; `migrate` copies a
// SQLite platform into DynamoDB; `iam-policy` prints the IAM policies the platform and member accounts need;
// `secrets rewrap` moves the stored credentials between the local master key and KMS.
// `health` probes a running server's /health (the container's HEALTHCHECK). `export <what>` writes the CSV/JSON
// downloads of /api/exports/ from the store (app/export_cli.h); `export litellm` writes the LiteLLM routing export.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <string>

#include "app/dynamodb_backend.h"
#include "app/export_cli.h"
#include "app/health_probe.h"
#include "app/iam_policy.h"
#include "app/json_print.h"
#include "app/options.h"
#include "app/platform.h"
#include "store/dynamodb/dynamodb_store.h"

int main(int argc, char** argv) {
  CLI::App cli{"Account Platform: Bedrock quotas across many AWS accounts"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", "account-platform 0.1.0");

  ap::app::ServeOptions serve;
  CLI::App* serve_cmd = cli.add_subcommand("serve", "run the web platform");
  ap::app::AddServeOptions(serve_cmd, &serve);

  CLI::App* user_cmd = cli.add_subcommand("user", "manage users");
  user_cmd->require_subcommand(1);
  CLI::App* add_cmd =
      user_cmd->add_subcommand("add", "create a user (password from stdin with --password-stdin, else generated)");
  std::string email, role = "user", data_dir = "./data";
  std::vector<std::string> teams;
  bool password_stdin = false;
  int hash_kib = 19456;
  add_cmd->add_option("--email", email, "the user's email")->required();
  add_cmd->add_option("--role", role, "admin or user")->capture_default_str()->check(CLI::IsMember({"admin", "user"}));
  add_cmd->add_option("--teams", teams, "team ids (comma separated)")->delimiter(',');
  add_cmd->add_option("--data-dir", data_dir, "data directory")->envname("AP_DATA_DIR")->capture_default_str();
  add_cmd->add_flag("--password-stdin", password_stdin, "read the password from the first line of stdin");
  add_cmd->add_option("--password-hash-memory-kib", hash_kib, "argon2id memory cost in KiB")
      ->envname("AP_PASSWORD_HASH_MEMORY_KIB");

  CLI::App* quota_cmd = cli.add_subcommand("quota", "quota operations");
  quota_cmd->require_subcommand(1);
  CLI::App* refresh_cmd = quota_cmd->add_subcommand("refresh", "refresh quotas from AWS now, with progress");
  ap::app::ServeOptions refresh_options;
  ap::app::AddServeOptions(refresh_cmd, &refresh_options);
  bool all = false;
  std::string team, region;
  refresh_cmd->add_flag("--all", all, "every active account (required)")->required();
  refresh_cmd->add_option("--team", team, "only accounts of this team");
  refresh_cmd->add_option("--region", region, "only this region");

  CLI::App* dynamodb_cmd = cli.add_subcommand("dynamodb", "DynamoDB store operations");
  dynamodb_cmd->require_subcommand(1);
  CLI::App* create_tables_cmd = dynamodb_cmd->add_subcommand(
      "create-tables", "create the tables of --store dynamodb (idempotent) and wait until they are active");
  std::string create_prefix = "ap-";
  int create_timeout_s = 300;
  ap::app::AddTablePrefixOption(create_tables_cmd, &create_prefix, "--table-prefix");
  create_tables_cmd->add_option("--timeout-seconds", create_timeout_s, "how long to wait for the tables")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));

  CLI::App* definitions_cmd = dynamodb_cmd->add_subcommand(
      "table-definitions", "print the CreateTable requests of the tables as JSON (what deployment tools create)");
  std::string definitions_prefix = "ap-";
  ap::app::AddTablePrefixOption(definitions_cmd, &definitions_prefix, "--table-prefix");

  CLI::App* iam_cmd = cli.add_subcommand(
      "iam-policy", "print the IAM policies of the platform's role and of the role member accounts give it (JSON)");
  std::string iam_part = "all";
  std::map<std::string, std::string> iam_values;
  iam_cmd
      ->add_option("--part", iam_part, "all, task, member-trust, member-read, member-increase or member-organizations")
      ->capture_default_str();
  for (const auto& [flag, name] :
       std::vector<std::pair<std::string, std::string>>{{"--partition", "Partition"},
                                                        {"--region", "Region"},
                                                        {"--account", "Account"},
                                                        {"--table-prefix", "TablePrefix"},
                                                        {"--kms-key-arn", "KmsKeyArn"},
                                                        {"--member-role-name", "MemberRoleName"},
                                                        {"--platform-role-arn", "PlatformRoleArn"},
                                                        {"--external-id", "ExternalId"},
                                                        {"--url-suffix", "UrlSuffix"}}) {
    iam_cmd
        ->add_option_function<std::string>(
            flag, [&iam_values, key = name](const std::string& v) { iam_values[key] = v; },
            "replaces ${" + name + "} (left as a placeholder when not given)")
        ->type_name("TEXT");
  }

  CLI::App* migrate_cmd = cli.add_subcommand(
      "migrate", "copy a whole platform into another store and verify the copy (stop the source's server first)");
  std::string migrate_from, migrate_to, migrate_prefix = "ap-";
  migrate_cmd->add_option("--from", migrate_from, "the source: sqlite:DIR (a data dir)")->required();
  migrate_cmd->add_option("--to", migrate_to, "the target: dynamodb")->required();
  ap::app::AddTablePrefixOption(migrate_cmd, &migrate_prefix, "--table-prefix");

  CLI::App* secrets_cmd = cli.add_subcommand("secrets", "sealed account credentials");
  secrets_cmd->require_subcommand(1);
  CLI::App* rewrap_cmd = secrets_cmd->add_subcommand(
      "rewrap", "seal every stored credential again for KMS or the local master key (store options as serve)");
  ap::app::ServeOptions rewrap_options;
  ap::app::AddServeOptions(rewrap_cmd, &rewrap_options);
  std::string rewrap_to;
  rewrap_cmd->add_option("--to", rewrap_to, "kms (needs --kms-key-id) or local (needs the master key)")
      ->required()
      ->check(CLI::IsMember({"kms", "local"}));
  CLI::App* health_cmd = cli.add_subcommand(
      "health", "exit 0 when the server answers 200 on /health, else print the reason and exit 1 (for HEALTHCHECK)");
  std::string health_url, health_listen = "127.0.0.1:8080";
  health_cmd->add_option("--url", health_url, "the URL to probe (default: /health on the --listen address)");
  health_cmd->add_option("--listen", health_listen, "the server's listen address (0.0.0.0 and :: probe loopback)")
      ->envname("AP_LISTEN")
      ->capture_default_str();

  ap::app::ExportCli export_cli(cli);
  CLI::App* litellm_cmd = export_cli.command()->add_subcommand(
      "litellm", "write a LiteLLM router model_list (YAML) from the cached quotas, and its .env template");
  ap::app::ServeOptions litellm_options;
  ap::app::AddServeOptions(litellm_cmd, &litellm_options);
  ap::service::LitellmExportRequest litellm;
  std::vector<std::string> litellm_names;
  std::string litellm_output = "-", litellm_env_output;
  litellm_cmd->add_option("--model-id", litellm.model_ids, "model ids of the quota config (comma separated)")
      ->delimiter(',')
      ->required();
  litellm_cmd->add_option("--model-name", litellm_names, "MODEL_ID=GROUP: the group name of a model (repeatable)");
  litellm_cmd->add_option("--safety-factor", litellm.safety_factor, "0 < f <= 1")->capture_default_str();
  litellm_cmd->add_flag("--use-headroom", litellm.use_headroom, "use the 24-hour headroom where usage is known");
  litellm_cmd->add_option("--team", litellm.team, "only accounts of this team");
  litellm_cmd->add_option("--region", litellm.region, "only this region");
  litellm_cmd->add_option("--output", litellm_output, "the YAML file ('-': standard output)")->capture_default_str();
  litellm_cmd->add_option("--env-output", litellm_env_output, "also write the .env template to this file");
  litellm_cmd->add_flag("--with-secrets", litellm.with_secrets,
                        "embed the credentials (audited as export.litellm_secrets; files are mode 0600)");

  CLI11_PARSE(cli, argc, argv);

  const auto fail = [](const ap::Status& s) {
    std::cerr << "account-platform: " << (s.field().empty() ? "" : s.field() + ": ") << s.message() << std::endl;
    return 1;
  };

  if (*serve_cmd) {
    ap::app::Platform platform(serve);
    if (ap::Status s = platform.Start(); !s.ok()) {
      return fail(s);
    }
    platform.Run();
    return 0;
  }
  if (*refresh_cmd) {
    ap::app::Platform platform(refresh_options);
    if (ap::Status s = platform.RefreshAllCommand(team, region, std::cout, isatty(STDOUT_FILENO) != 0); !s.ok()) {
      return fail(s);
    }
    return 0;
  }
  if (*add_cmd) {
    std::string password;
    if (password_stdin) std::getline(std::cin, password);
    if (ap::Status s = ap::app::AddUserCommand(data_dir, email, role, teams, password, hash_kib); !s.ok()) {
      return fail(s);
    }
    return 0;
  }
  if (*create_tables_cmd) {
    ap::Status s = ap::app::CreateTablesCommand(create_prefix, std::chrono::seconds(create_timeout_s), std::cout);
    return s.ok() ? 0 : fail(s);
  }
  if (*rewrap_cmd) {
    ap::app::Platform platform(rewrap_options);
    ap::Status s = platform.RewrapSecretsCommand(rewrap_to, std::cout);
    return s.ok() ? 0 : fail(s);
  }
  if (*definitions_cmd) {
    if (ap::Status s = ap::store::ValidateTablePrefix(definitions_prefix); !s.ok()) {
      return fail(ap::InvalidArgument(s.message(), "--table-prefix"));
    }
    std::cout << ap::app::PrettyJson(ap::store::DynamoDbTableDefinitions(definitions_prefix));
    return 0;
  }
  if (*iam_cmd) {
    ap::Result<boost::json::value> doc = ap::app::IamPolicyPart(iam_part, iam_values);
    if (!doc.ok()) return fail(doc.status());
    std::cout << ap::app::PrettyJson(*doc);
    return 0;
  }
  if (*migrate_cmd) {
    ap::Status s = ap::app::MigrateCommand(migrate_from, migrate_to, migrate_prefix, std::cout);
    return s.ok() ? 0 : fail(s);
  }
  if (*litellm_cmd) {
    for (const std::string& n : litellm_names) {
      size_t eq = n.find('=');
      if (eq == std::string::npos || eq == 0)
        return fail(ap::InvalidArgument("must be MODEL_ID=GROUP", "--model-name"));
      litellm.model_names[n.substr(0, eq)] = n.substr(eq + 1);
    }
    ap::app::Platform platform(litellm_options);
    ap::Status s = platform.LitellmExportCommand(litellm, litellm_output, litellm_env_output, std::cout);
    return s.ok() ? 0 : fail(s);
  }
  if (export_cli.chosen()) return export_cli.Run(std::cout, std::cerr);
  if (*health_cmd) return ap::app::HealthCommand(health_url, health_listen, std::cout, std::cerr);
  return 1;
}
