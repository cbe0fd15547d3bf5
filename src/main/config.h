#pragma once
// Configuration: vouch.toml (path by --config), overridden by VOUCH_* environment variables.
#include <string>

#include "base/result.h"

namespace vouch::main {

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string db = "sqlite:data/vouch.db";
  std::string public_url;  // default: http://<listen>
  std::string smtp_url;    // smtp://host:port, smtps://user:pass@host:465; empty: no SMTP
  bool smtp_starttls = false;
  bool smtp_verify_peer = true;
  // Credentials in an smtp:// URL without STARTTLS would cross the network in the clear: refused
  // at start unless this is set (for a relay on the same host or a private network).
  bool smtp_allow_plaintext_auth = false;
  // Outgoing webhooks to loopback or private addresses (refused by default: SSRF; docs/SECURITY.md).
  bool webhooks_allow_private = false;
  std::string mail_from = "vouch@localhost";
  std::string mail_dir;  // when set (and no SMTP): write mails as .eml files here
  std::string log_level = "info";
  int http_threads = 0;  // 0: one per core
  int handler_threads = 64;
  // Mail workers, each with one SMTP connection. A worker spends most of a mail waiting on the
  // server's replies (MAIL, RCPT, DATA, the end of data: four round trips, libcurl does not
  // pipeline), so 4 send about 1.4x what 2 do; a relay that allows fewer connections answers
  // the one too many with 421, a transient failure retried later (docs: README, VOUCH_WORKERS).
  int workers = 4;
  int job_lease_seconds = 60;  // a claimed mail job returns to the queue after this
  int max_connections = 4096;  // open HTTP connections; more are answered 503 and closed
  int handler_queue = 1024;    // requests waiting for a handler thread; more are answered 503
  int public_rate = 5;         // requests a second per client IP on /r, /s, /u (0: no limit); 429
  int public_burst = 20;       // ... after a burst of this many
  // The public pages' handlers (/r, /s, /u) and unrouted requests run on their own threads, with
  // their own queue (handler_queue long), at this much lower CPU priority (nice, 0-19), so a
  // flood of them neither fills the API's queue nor takes the CPU the API, the writer and the
  // workers need.
  int public_threads = 16;
  int public_nice = 10;
  // Text messages (delivery/sms_gateway.h): kannel://user:pass@host:port, twilio://SID:TOKEN@host
  // or twilio+http://SID:TOKEN@host:port; empty: no SMS (SMS jobs fail "no sender"). sms_from:
  // the sender number or name. sms_hook_secret: Kannel only, the secret its get-url and dlr-url
  // carry (16+ characters of A-Z a-z 0-9 _ -).
  std::string sms_url;
  std::string sms_from;
  std::string sms_hook_secret;
  std::string metrics_token;  // GET /metrics only with "Authorization: Bearer <this>" (empty: open)
};

// Reads `path` if non-empty (a missing explicit file is an error; a missing default vouch.toml is
// not), then the environment. Errors name the file and key, or the variable.
Result<Config> LoadConfig(const std::string& path, bool path_explicit);

struct HostPort {
  std::string host;
  uint16_t port = 0;
};
Result<HostPort> ParseListen(const std::string& listen);

}  // namespace vouch::main
