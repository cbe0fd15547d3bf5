// serve, demo, migrate and copy: the commands that run a node or work on the database itself.
#include <csignal>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "base/log.h"
#include "core/nps.h"
#include "main/cli.h"
#include "main/commands.h"
#include "main/copy.h"

namespace vouch::main::cli {
namespace {

void BlockSignals() {
  // Block before any thread starts so only WaitForSignal receives them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

void WaitForSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  Log(LogLevel::kInfo, "node.stopping", {{"signal", std::to_string(sig)}});
}

// Runs a node until SIGINT or SIGTERM; `started` prints what a person needs to know.
int ServeUntilSignal(const Config& c, const std::function<void()>& started = {}) {
  auto node = Node::Start(c);
  if (!node) return Fail(node.error());
  if (started) started();
  WaitForSignal();
  (*node)->Stop();
  return 0;
}

void PrintDemoWelcome(const Config& c, const DemoSeed& demo) {
  const app::CreatedShop& seeded = demo.shop;
  const std::string& base = c.public_url;
  const std::string auth = "curl -s -H 'Authorization: Bearer " + seeded.api_key + "' ";
  std::cout << "\nVouch demo is running at " << base << "\n"
            << "  dashboard: " << base << "/\n"
            << "  sign in:   " << kDemoEmail << " / "
            << (demo.password
                    ? *demo.password
                    : std::string("the password printed when the demo was first seeded (or make a user: "
                                  "vouch user create --shop ") +
                          std::to_string(seeded.shop.id) + " --email you@example.com --role admin)")
            << (demo.password ? "   (shown only this once)" : "") << "\n"
            << "  shop:     " << seeded.shop.name << " (id " << seeded.shop.id << ")\n"
            << "  API key:  " << seeded.api_key << "\n"
            << "  mail:     " << c.mail_dir
            << "/ (each message as an .eml file; open the links in a browser)\n\n"
            << "Try:\n"
            << "  " << auth << "'" << base << "/api/v1/nps?interval=week'\n"
            << "  " << auth << base << "/api/v1/funnel\n"
            << "  " << auth << base << "/api/v1/promoters\n"
            << "  " << auth << "-H 'Content-Type: application/json' \\\n"
            << "       -d "
               "'{\"id\":\"new-1\",\"created_at\":\"2026-11-27T10:00:00Z\",\"currency\":\"EUR\",\"total_"
               "price\":\"42.00\","
            << "\"customer\":{\"email\":\"you@example.com\",\"first_name\":\"You\"}}' " << base
            << "/api/v1/orders\n"
            << "  (the demo shop surveys at once; the survey mail appears in " << c.mail_dir << "/)\n\n"
            << "Stop with Ctrl-C.\n"
            << std::flush;
}

// The demo: its own SQLite file and mail folder under `dir` (unless configured otherwise), the
// demo shop seeded with history, then a node.
int RunDemo(Config c, const std::string& dir) {
  BlockSignals();
  if (!std::getenv("VOUCH_DB")) c.db = "sqlite:" + dir + "/vouch.db";
  if (c.smtp_url.empty() && c.mail_dir.empty()) c.mail_dir = dir + "/mail";
  Result<DemoSeed> seeded = Internal("not seeded");
  {
    // The seed is one run of many small writes that can simply be made again: no fsync for
    // each (the node that serves it opens the store again, durable).
    store::StoreOptions fast;
    fast.synchronous_full = false;
    auto store = store::OpenStore(c.db, fast);
    if (!store) return Fail(store.error());
    auto secret = app::App::LoadLinkSecret(**store);
    if (!secret) return Fail(secret.error());
    seeded = SeedDemo(**store, c, *secret);
    if (!seeded) return Fail(seeded.error());
  }  // the node opens the store again
  return ServeUntilSignal(c, [&] { PrintDemoWelcome(c, *seeded); });
}

std::string Fmt1(double v) { return fmt::format("{:.1f}", v); }

int RunCopy(const std::string& from, const std::string& to) {
  auto report = CopyStore(from, to);
  if (!report) return Fail(report.error());
  for (const auto& [table, n] : report->rows) std::cout << fmt::format("{:<15} {:>10} rows\n", table, n);
  for (const auto& [shop, counts] : report->nps) {
    const auto e = core::EstimateNps(counts);
    std::cout << fmt::format("shop {}: NPS {} ± {} (n = {}) in both\n", shop, Fmt1(e.nps), Fmt1(e.margin),
                             e.n);
  }
  std::cout << fmt::format("copied and verified (schema version {})\n", report->schema_version);
  return 0;
}

int RunMigrate(const Config& c) {
  auto store = store::OpenStore(c.db);  // opening migrates
  if (!store) return Fail(store.error());
  std::cout << fmt::format("schema version {} ({})\n", (*store)->SchemaVersion(), (*store)->Kind());
  return 0;
}

}  // namespace

void AddServerCommands(CLI::App& cli, Commands& out) {
  auto* serve = cli.add_subcommand("serve", "run the server and its job workers");
  out.push_back({serve, [](const Config& c) {
                   BlockSignals();
                   return ServeUntilSignal(c);
                 }});

  auto* demo = cli.add_subcommand("demo", "run a server with a demo shop; mail goes to .eml files");
  auto demo_dir = std::make_shared<std::string>("demo");
  demo->add_option("--dir", *demo_dir, "folder for the demo database and mail");
  out.push_back({demo, [demo_dir](const Config& c) { return RunDemo(c, *demo_dir); }});

  auto* migrate = cli.add_subcommand("migrate", "apply database migrations and exit");
  out.push_back({migrate, RunMigrate});

  auto* copy = cli.add_subcommand("copy", "copy all data from SQLite into an empty PostgreSQL database");
  auto from_to = std::make_shared<std::pair<std::string, std::string>>();
  copy->add_option("--from", from_to->first, "source, sqlite:data/vouch.db")->required();
  copy->add_option("--to", from_to->second, "target, postgres://user:pass@host:5432/vouch")->required();
  out.push_back({copy, [from_to](const Config&) { return RunCopy(from_to->first, from_to->second); }});
}

}  // namespace vouch::main::cli
