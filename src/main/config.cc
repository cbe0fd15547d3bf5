#include "main/config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "delivery/sms_gateway.h"

namespace vouch::main {
namespace {

Status FromEnv(Config& c) {
  auto str = [](const char* name, std::string& out) {
    if (const char* v = std::getenv(name)) out = v;
  };
  auto flag = [](const char* name, bool& out) -> Status {
    if (const char* v = std::getenv(name)) {
      std::string s = v;
      if (s == "1" || s == "true" || s == "yes")
        out = true;
      else if (s == "0" || s == "false" || s == "no")
        out = false;
      else
        return InvalidArgument(name, "must be true or false");
    }
    return OkStatus();
  };
  auto num = [](const char* name, int& out) -> Status {
    if (const char* v = std::getenv(name)) {
      try {
        out = std::stoi(v);
      } catch (const std::exception&) {
        return InvalidArgument(name, "must be an integer");
      }
    }
    return OkStatus();
  };
  str("VOUCH_LISTEN", c.listen);
  str("VOUCH_DB", c.db);
  str("VOUCH_PUBLIC_URL", c.public_url);
  str("VOUCH_SMTP_URL", c.smtp_url);
  VOUCH_TRY(flag("VOUCH_SMTP_STARTTLS", c.smtp_starttls));
  VOUCH_TRY(flag("VOUCH_SMTP_VERIFY_PEER", c.smtp_verify_peer));
  VOUCH_TRY(flag("VOUCH_SMTP_ALLOW_PLAINTEXT_AUTH", c.smtp_allow_plaintext_auth));
  VOUCH_TRY(flag("VOUCH_WEBHOOKS_ALLOW_PRIVATE", c.webhooks_allow_private));
  str("VOUCH_MAIL_FROM", c.mail_from);
  str("VOUCH_MAIL_DIR", c.mail_dir);
  str("VOUCH_LOG_LEVEL", c.log_level);
  str("VOUCH_SMS_URL", c.sms_url);
  str("VOUCH_SMS_FROM", c.sms_from);
  str("VOUCH_SMS_HOOK_SECRET", c.sms_hook_secret);
  VOUCH_TRY(num("VOUCH_HTTP_THREADS", c.http_threads));
  VOUCH_TRY(num("VOUCH_HANDLER_THREADS", c.handler_threads));
  VOUCH_TRY(num("VOUCH_WORKERS", c.workers));
  VOUCH_TRY(num("VOUCH_JOB_LEASE_SECONDS", c.job_lease_seconds));
  VOUCH_TRY(num("VOUCH_MAX_CONNECTIONS", c.max_connections));
  VOUCH_TRY(num("VOUCH_HANDLER_QUEUE", c.handler_queue));
  VOUCH_TRY(num("VOUCH_PUBLIC_RATE", c.public_rate));
  VOUCH_TRY(num("VOUCH_PUBLIC_BURST", c.public_burst));
  VOUCH_TRY(num("VOUCH_PUBLIC_THREADS", c.public_threads));
  VOUCH_TRY(num("VOUCH_PUBLIC_NICE", c.public_nice));
  str("VOUCH_METRICS_TOKEN", c.metrics_token);
  return OkStatus();
}

Status FromToml(Config& c, const std::string& path) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(path, fmt::format("{}:{}: {}", path, e.source().begin.line, e.description()));
  }
  Status status = OkStatus();
  auto str = [&](const char* key, std::string& out) {
    if (auto node = t.get(key)) {
      if (auto v = node->value<std::string>())
        out = *v;
      else if (status.ok())
        status = InvalidArgument(
            key, fmt::format("{}:{}: {} must be a string", path, node->source().begin.line, key));
    }
  };
  auto flag = [&](const char* key, bool& out) {
    if (auto node = t.get(key)) {
      if (auto v = node->value<bool>())
        out = *v;
      else if (status.ok())
        status = InvalidArgument(
            key, fmt::format("{}:{}: {} must be true or false", path, node->source().begin.line, key));
    }
  };
  auto num = [&](const char* key, int& out) {
    if (auto node = t.get(key)) {
      if (auto v = node->value<int64_t>())
        out = static_cast<int>(*v);
      else if (status.ok())
        status = InvalidArgument(
            key, fmt::format("{}:{}: {} must be an integer", path, node->source().begin.line, key));
    }
  };
  static const char* kKnown[] = {"listen",
                                 "db",
                                 "public_url",
                                 "smtp_url",
                                 "smtp_starttls",
                                 "smtp_verify_peer",
                                 "mail_from",
                                 "mail_dir",
                                 "log_level",
                                 "http_threads",
                                 "handler_threads",
                                 "workers",
                                 "job_lease_seconds",
                                 "max_connections",
                                 "handler_queue",
                                 "public_rate",
                                 "public_burst",
                                 "public_threads",
                                 "public_nice",
                                 "smtp_allow_plaintext_auth",
                                 "sms_url",
                                 "sms_from",
                                 "sms_hook_secret",

                                 "metrics_token",
                                 "webhooks_allow_private"};
  for (const auto& [k, node] : t) {
    bool known = false;
    for (const char* n : kKnown) known = known || k.str() == n;
    if (!known) {
      return InvalidArgument(std::string(k.str()), fmt::format("{}:{}: unknown setting \"{}\"", path,
                                                               node.source().begin.line, k.str()));
    }
  }
  str("listen", c.listen);
  str("db", c.db);
  str("public_url", c.public_url);
  str("smtp_url", c.smtp_url);
  flag("smtp_starttls", c.smtp_starttls);
  flag("smtp_verify_peer", c.smtp_verify_peer);
  flag("smtp_allow_plaintext_auth", c.smtp_allow_plaintext_auth);
  flag("webhooks_allow_private", c.webhooks_allow_private);
  str("mail_from", c.mail_from);
  str("mail_dir", c.mail_dir);
  str("log_level", c.log_level);
  str("sms_url", c.sms_url);
  str("sms_from", c.sms_from);
  str("sms_hook_secret", c.sms_hook_secret);
  num("http_threads", c.http_threads);
  num("handler_threads", c.handler_threads);
  num("workers", c.workers);
  num("job_lease_seconds", c.job_lease_seconds);
  num("max_connections", c.max_connections);
  num("handler_queue", c.handler_queue);
  num("public_rate", c.public_rate);
  num("public_burst", c.public_burst);
  num("public_threads", c.public_threads);
  num("public_nice", c.public_nice);
  str("metrics_token", c.metrics_token);
  return status;
}

}  // namespace

Result<HostPort> ParseListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return InvalidArgument("listen", "must be host:port, e.g. 127.0.0.1:8080");
  HostPort hp;
  hp.host = listen.substr(0, colon);
  if (hp.host.size() > 2 && hp.host.front() == '[' && hp.host.back() == ']') {
    hp.host = hp.host.substr(1, hp.host.size() - 2);
  }
  try {
    int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    hp.port = static_cast<uint16_t>(port);
  } catch (const std::exception&) {
    return InvalidArgument("listen", "has an invalid port");
  }
  return hp;
}

namespace {

// Whether `url` is smtp:// (not smtps://) with user info: credentials sent before any TLS.
bool PlainSmtpWithCredentials(const std::string& url) {
  std::string lower = url.substr(0, 7);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (lower != "smtp://") return false;
  const std::string authority = url.substr(7, url.find_first_of("/?#", 7) - 7);
  return authority.find('@') != std::string::npos;
}

}  // namespace

Result<Config> LoadConfig(const std::string& path, bool path_explicit) {
  Config c;
  if (!path.empty()) {
    if (std::filesystem::exists(path)) {
      VOUCH_TRY(FromToml(c, path));
    } else if (path_explicit) {
      return InvalidArgument("--config", fmt::format("{}: no such file", path));
    }
  }
  VOUCH_TRY(FromEnv(c));
  auto hp = ParseListen(c.listen);
  if (!hp) return hp.error();
  if (c.public_url.empty()) c.public_url = "http://" + c.listen;
  if (c.workers < 1 || c.workers > 64) return InvalidArgument("workers", "must be 1-64");
  if (c.job_lease_seconds < 1 || c.job_lease_seconds > 86400) {
    return InvalidArgument("job_lease_seconds", "must be 1-86400");
  }
  if (c.handler_threads < 1 || c.handler_threads > 1024)
    return InvalidArgument("handler_threads", "must be 1-1024");
  if (c.max_connections < 1) return InvalidArgument("max_connections", "must be at least 1");
  if (c.handler_queue < 1) return InvalidArgument("handler_queue", "must be at least 1");
  if (PlainSmtpWithCredentials(c.smtp_url) && !c.smtp_starttls && !c.smtp_allow_plaintext_auth) {
    return InvalidArgument("smtp_url",
                           "smtp_url has credentials but no TLS: use smtps://, set smtp_starttls = true, or "
                           "smtp_allow_plaintext_auth = true for a relay on this host or a private network");
  }
  if (c.public_rate < 0) return InvalidArgument("public_rate", "must be 0 (no limit) or more");
  if (c.public_burst < 1) return InvalidArgument("public_burst", "must be at least 1");
  if (c.public_threads < 1 || c.public_threads > 1024)
    return InvalidArgument("public_threads", "must be 1-1024");
  if (c.public_nice < 0 || c.public_nice > 19) return InvalidArgument("public_nice", "must be 0-19");
  if (!c.sms_url.empty()) {
    auto gateway = delivery::ParseSmsUrl(c.sms_url, "sms_url");
    if (!gateway) return gateway.error();
    if (c.sms_from.empty())
      return InvalidArgument("sms_from", "is required with sms_url: the sender number or name");
    const bool plain = c.sms_hook_secret.size() >= 16 &&
                       std::all_of(c.sms_hook_secret.begin(), c.sms_hook_secret.end(), [](char ch) {
                         return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
                       });
    if (gateway->kind == delivery::SmsGatewayKind::kKannel && !plain) {
      return InvalidArgument("sms_hook_secret",
                             "is required with a kannel:// sms_url: 16 or more of A-Z a-z 0-9 _ -");
    }
  }
  return c;
}

}  // namespace vouch::main
