// The composition root of a running node: store, app, job workers (one sender per channel) and
// the HTTP server, started and stopped in order.
#include <fmt/format.h>

#include <functional>
#include <optional>

#include "base/log.h"
#include "delivery/sender.h"
#include "delivery/sms_gateway.h"
#include "main/commands.h"

namespace vouch::main {

Result<jobs::SendersFactory> MakeSenders(const Config& config, const Clock& clock) {
  std::function<std::unique_ptr<delivery::Mailer>()> mailer;
  if (!config.smtp_url.empty()) {
    delivery::SmtpConfig smtp;
    smtp.url = config.smtp_url;
    smtp.starttls = config.smtp_starttls;
    smtp.verify_peer = config.smtp_verify_peer;
    mailer = [smtp, &clock] { return delivery::MakeSmtpMailer(smtp, clock); };
  } else if (!config.mail_dir.empty()) {
    const std::string dir = config.mail_dir;
    mailer = [dir, &clock] { return delivery::MakeFileMailer(dir, clock); };
  } else {
    return InvalidArgument("VOUCH_SMTP_URL",
                           "no mail transport: set VOUCH_SMTP_URL (or VOUCH_MAIL_DIR for .eml files)");
  }
  // Text messages when a gateway is configured; without one, SMS jobs fail "no sender".
  std::optional<delivery::SmsGatewayConfig> sms;
  if (!config.sms_url.empty()) {
    auto gateway = delivery::ParseSmsUrl(config.sms_url, "sms_url");
    if (!gateway) return gateway.error();
    gateway->from = config.sms_from;
    gateway->callback_base = config.public_url;
    while (!gateway->callback_base.empty() && gateway->callback_base.back() == '/')
      gateway->callback_base.pop_back();
    gateway->hook_secret = config.sms_hook_secret;
    sms = *gateway;
  }
  return jobs::SendersFactory([mailer, sms] {
    delivery::Senders senders;
    senders.Set(delivery::MakeEmailSender(mailer()));
    if (sms) senders.Set(delivery::MakeSmsSender(*sms));
    return senders;
  });
}

Result<std::unique_ptr<Node>> Node::Start(const Config& config) {
  std::unique_ptr<Node> n(new Node());
  n->config_ = config;
  auto store = store::OpenStore(config.db);
  if (!store) return store.error();
  n->store_ = std::move(*store);
  auto secrets = app::App::LoadLinkSecrets(*n->store_);
  if (!secrets) return secrets.error();
  app::AppConfig ac;
  ac.public_url = config.public_url;
  ac.webhooks_allow_private = config.webhooks_allow_private;
  ac.mail_from = config.mail_from;
  if (!config.sms_url.empty()) {
    auto gateway = delivery::ParseSmsUrl(config.sms_url, "sms_url");
    if (!gateway) return gateway.error();
    ac.sms_from = config.sms_from;
    ac.sms_gateway = gateway->kind == delivery::SmsGatewayKind::kKannel ? "kannel" : "twilio";
    ac.sms_hook_secret =
        gateway->kind == delivery::SmsGatewayKind::kKannel ? config.sms_hook_secret : gateway->password;
  }
  n->app_ = std::make_unique<app::App>(*n->store_, n->clock_, ac, secrets->current);
  n->app_->AcceptPreviousLinkSecret(*secrets);  // links signed before a rotation, in their grace
  auto senders = MakeSenders(config, n->clock_);
  if (!senders) return senders.error();
  jobs::WorkerOptions wo;
  wo.threads = config.workers;
  wo.lease = std::chrono::seconds{config.job_lease_seconds};
  n->worker_ = std::make_unique<jobs::Worker>(*n->app_, *senders, wo);
  n->app_->SetWorkNotifier([w = n->worker_.get()] { w->Wake(); });
  // "Send me a test" in Settings: the same transport as the workers', a connection per test mail.
  if (!config.smtp_url.empty()) {
    delivery::SmtpConfig smtp;
    smtp.url = config.smtp_url;
    smtp.starttls = config.smtp_starttls;
    smtp.verify_peer = config.smtp_verify_peer;
    n->app_->test_mails().SetMailer(
        [smtp, &clock = n->clock_] { return delivery::MakeSmtpMailer(smtp, clock); });
  } else if (!config.mail_dir.empty()) {
    n->app_->test_mails().SetMailer(
        [dir = config.mail_dir, &clock = n->clock_] { return delivery::MakeFileMailer(dir, clock); });
  }
  n->worker_->Start();
  n->pool_ = std::make_unique<ThreadPool>(config.handler_threads, static_cast<size_t>(config.handler_queue));
  n->public_pool_ = std::make_unique<ThreadPool>(
      config.public_threads, static_cast<size_t>(config.handler_queue), config.public_nice);
  n->api_ = std::make_unique<api::Api>(
      *n->app_, *n->pool_,
      api::Api::Options{.public_per_second = static_cast<double>(config.public_rate),
                        .public_burst = static_cast<double>(config.public_burst),
                        .metrics_token = config.metrics_token},
      n->public_pool_.get());
  auto hp = ParseListen(config.listen);
  if (!hp) return hp.error();
  http::ServerOptions so;
  so.host = hp->host;
  so.port = hp->port;
  so.threads = config.http_threads;
  so.body_limit = api::kMaxBatchBody;
  so.body_limit_of = n->api_->BodyLimitDecider();
  so.log_path = n->api_->LogPathMapper();
  so.observe = n->api_->RequestObserver();
  so.max_connections = config.max_connections;
  n->server_ = std::make_unique<http::Server>(so, n->api_->Handler());
  VOUCH_TRY(n->server_->Start());
  if (!n->public_pool_->niceness_applied()) {
    Log(LogLevel::kWarn, "node.public_nice_refused",
        {{"public_nice", std::to_string(config.public_nice)},
         {"effect", "public pages run at normal priority"}});
  }
  Log(LogLevel::kInfo, "node.started",
      {{"listen", fmt::format("{}:{}", hp->host, n->server_->port())},
       {"store", n->store_->Kind()},
       {"public_url", config.public_url}});
  return n;
}

void Node::Stop() {
  if (server_) server_->Stop();
  pool_.reset();  // finishes handlers in flight
  public_pool_.reset();
  if (app_) app_->WaitForAsync();  // and orders the I/O threads handed to the writer
  if (worker_) worker_->Stop();
}

Node::~Node() { Stop(); }

}  // namespace vouch::main
