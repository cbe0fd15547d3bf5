#pragma once
// The command line's parts (internal to main): each file under src/main/cli_*.cc registers its
// commands on the CLI11 app and says how each runs once the command line is parsed and the
// configuration is loaded. RunCli (commands.cc) composes them. Adding a command: a function
// here, its file, one line in RunCli.
#include <functional>
#include <memory>
#include <vector>

#include "app/app.h"
#include "base/result.h"
#include "base/time.h"
#include "main/config.h"
#include "store/store.h"

namespace CLI {
class App;
}

namespace vouch::main::cli {

// A registered (sub)command and how it runs; `command` is set when it was chosen.
struct Command {
  CLI::App* command = nullptr;
  std::function<int(const Config&)> run;
};
using Commands = std::vector<Command>;

// serve, demo, migrate, copy (cli_server.cc).
void AddServerCommands(CLI::App& cli, Commands& out);
// shop create | list | show | set | rotate-key (cli_shop.cc).
void AddShopCommands(CLI::App& cli, Commands& out);
// report nps, bench links (cli_report.cc).
void AddReportCommands(CLI::App& cli, Commands& out);
// user create (cli_user.cc).
void AddUserCommands(CLI::App& cli, Commands& out);

// import orders (cli_import.cc).
void AddImportCommands(CLI::App& cli, Commands& out);
// secret rotate (cli_secret.cc).
void AddSecretCommands(CLI::App& cli, Commands& out);

// Prints "vouch: field: message" on stderr; exit status 2 for bad input, else 1.
int Fail(const Error& e);

// An App on the configured store, for commands that run without a server.
struct Offline {
  SystemClock clock;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<app::App> app;
};
Result<std::unique_ptr<Offline>> OpenOffline(const Config& c);

// Runs `fn` with an offline App; a store that cannot be opened fails the command.
int WithApp(const Config& c, const std::function<int(app::App&)>& fn);

}  // namespace vouch::main::cli
