#pragma once
// AppConfig: what the use cases need to know of the installation. Plain data.
#include <string>

#include "base/password.h"

namespace vouch::app {

struct AppConfig {
  std::string public_url = "http://127.0.0.1:8080";  // base of every link we send
  std::string mail_from = "vouch@localhost";         // envelope and header sender address
  PasswordCost password_cost{};                      // Argon2id's for new password hashes (tests: cheap)
  // Text messages: the sender (a number or name; Twilio: also a Messaging Service SID), the
  // gateway ("", "kannel", "twilio") and what its callbacks are checked with: Kannel's shared
  // secret in the hook URLs, Twilio's Auth Token for X-Twilio-Signature.
  std::string sms_from{};
  std::string sms_gateway{};
  std::string sms_hook_secret{};
  bool webhooks_allow_private = false;  // outgoing webhooks may go to loopback/private addresses
};

}  // namespace vouch::app
