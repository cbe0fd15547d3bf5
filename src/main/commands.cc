// The command line: the commands of each area (cli_server.cc, cli_shop.cc, cli_report.cc, cli_user.cc),
// parsed with CLI11, run with the loaded configuration.
#include "main/commands.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "base/log.h"
#include "main/cli.h"

namespace vouch::main {
namespace cli {

int Fail(const Error& e) {
  std::cerr << "vouch: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
  return e.code == Code::kInvalidArgument ? 2 : 1;
}

Result<std::unique_ptr<Offline>> OpenOffline(const Config& c) {
  auto o = std::make_unique<Offline>();
  auto store = store::OpenStore(c.db);
  if (!store) return store.error();
  o->store = std::move(*store);
  auto secret = app::App::LoadLinkSecret(*o->store);
  if (!secret) return secret.error();
  app::AppConfig ac;
  ac.public_url = c.public_url;
  ac.mail_from = c.mail_from;
  o->app = std::make_unique<app::App>(*o->store, o->clock, ac, *secret);
  return o;
}

int WithApp(const Config& c, const std::function<int(app::App&)>& fn) {
  auto off = OpenOffline(c);
  if (!off) return Fail(off.error());
  return fn(*(*off)->app);
}

}  // namespace cli

int RunCli(int argc, char** argv) {
  CLI::App app{"Vouch: turn happy customers into micro-influencers"};
  app.require_subcommand(1);
  std::string config_path = "vouch.toml";
  app.add_option("--config", config_path, "configuration file (TOML)");

  cli::Commands commands;
  cli::AddServerCommands(app, commands);
  cli::AddShopCommands(app, commands);
  cli::AddReportCommands(app, commands);
  cli::AddUserCommands(app, commands);
  cli::AddImportCommands(app, commands);
  cli::AddSecretCommands(app, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  const bool explicit_config = app.get_option("--config")->count() > 0;
  auto config = LoadConfig(config_path, explicit_config);
  if (!config) return cli::Fail(config.error());
  InitLogging(config->log_level);

  for (const auto& c : commands) {
    if (*c.command) return c.run(*config);
  }
  return 0;
}

}  // namespace vouch::main
