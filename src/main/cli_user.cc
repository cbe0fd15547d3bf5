// vouch user create: the people who sign in to a shop's dashboard.
#include <iostream>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "main/cli.h"

namespace vouch::main::cli {
namespace {

struct UserOptions {
  int64_t shop = 0;
  std::string email, role;
  bool password_stdin = false;
};

// The first line of standard input, without its line ending.
Result<std::string> PasswordFromStdin() {
  std::string line;
  if (!std::getline(std::cin, line))
    return InvalidArgument("--password-stdin", "no password on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

void AddUserCommands(CLI::App& cli, Commands& out) {
  auto* user = cli.add_subcommand("user", "manage the people who sign in to a shop's dashboard");
  user->require_subcommand(1);
  auto o = std::make_shared<UserOptions>();

  auto* create = user->add_subcommand("create", "create a user and print a one-time password");
  create->add_option("--shop", o->shop, "shop id")->required();
  create->add_option("--email", o->email, "the user's email address")->required();
  create->add_option("--role", o->role, "admin (everything) or viewer (read only)")->required();
  create->add_flag("--password-stdin", o->password_stdin,
                   "read the password from standard input's first line");
  out.push_back({create, [o](const Config& c) {
                   auto role = store::ParseRole(o->role);
                   if (!role) return Fail(InvalidArgument("--role", "must be admin or viewer"));
                   std::optional<std::string> password;
                   if (o->password_stdin) {
                     auto read = PasswordFromStdin();
                     if (!read) return Fail(read.error());
                     password = std::move(*read);
                   }
                   return WithApp(c, [&](app::App& app) {
                     auto created = app.users().Create(o->shop, o->email, *role, password);
                     if (!created) return Fail(created.error());
                     const auto& u = created->user;
                     // The email passed core::NormalizeEmail (no quotes, backslashes or controls)
                     // and the password is base64url: neither needs JSON escaping.
                     std::string json = fmt::format(R"({{"user_id":{},"shop_id":{},"email":"{}","role":"{}")",
                                                    u.id, u.shop_id, u.email, store::RoleName(u.role));
                     if (created->password) json += fmt::format(R"(,"password":"{}")", *created->password);
                     std::cout << json << "}\n";
                     return 0;
                   });
                 }});
}

}  // namespace vouch::main::cli
