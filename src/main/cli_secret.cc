// vouch secret rotate: a fresh link-signing secret. Links already sent (answer buttons,
// unsubscribe links) were signed with the old one: it stays accepted for a grace period, then
// those links stop working. Nodes read the secrets at start: restart them after rotating.
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "main/cli.h"

namespace vouch::main::cli {
namespace {

struct SecretOptions {
  int grace_days = 30;
};

}  // namespace

void AddSecretCommands(CLI::App& cli, Commands& out) {
  auto* secret = cli.add_subcommand("secret", "manage the secret that signs survey and unsubscribe links");
  secret->require_subcommand(1);
  auto o = std::make_shared<SecretOptions>();
  auto* rotate = secret->add_subcommand(
      "rotate", "sign new links with a fresh secret; links signed before keep working for --grace-days");
  rotate->add_option("--grace-days", o->grace_days, "days the previous secret is still accepted (0-365)")
      ->capture_default_str();
  out.push_back({rotate, [o](const Config& c) {
                   if (o->grace_days < 0 || o->grace_days > 365) {
                     return Fail(InvalidArgument("--grace-days", "must be 0 to 365"));
                   }
                   auto store = store::OpenStore(c.db);
                   if (!store) return Fail(store.error());
                   SystemClock clock;
                   auto until =
                       app::App::RotateLinkSecret(**store, clock.Now(), std::chrono::days{o->grace_days});
                   if (!until) return Fail(until.error());
                   std::cout << fmt::format(R"({{"rotated":true,"previous_accepted_until":"{}"}})",
                                            FormatRfc3339(*until))
                             << "\n";
                   std::cerr << "vouch: restart every node so it signs with the new secret\n";
                   return 0;
                 }});
}

}  // namespace vouch::main::cli
