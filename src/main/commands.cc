#include "main/commands.h"

#include <csignal>
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "api/json.h"
#include "base/log.h"
#include "delivery/sender.h"
#include "main/bench_support.h"
#include "main/copy.h"

namespace vouch::main {

Result<jobs::SendersFactory> MakeSenders(const Config& config, const Clock& clock) {
  if (!config.smtp_url.empty()) {
    delivery::SmtpConfig smtp;
    smtp.url = config.smtp_url;
    smtp.starttls = config.smtp_starttls;
    smtp.verify_peer = config.smtp_verify_peer;
    return jobs::SendersFactory([smtp, &clock] {
      delivery::Senders senders;
      senders.Set(delivery::MakeEmailSender(delivery::MakeSmtpMailer(smtp, clock)));
      return senders;
    });
  }
  if (!config.mail_dir.empty()) {
    const std::string dir = config.mail_dir;
    return jobs::SendersFactory([dir, &clock] {
      delivery::Senders senders;
      senders.Set(delivery::MakeEmailSender(delivery::MakeFileMailer(dir, clock)));
      return senders;
    });
  }
  return InvalidArgument("VOUCH_SMTP_URL", "no mail transport: set VOUCH_SMTP_URL (or VOUCH_MAIL_DIR for .eml files)");
}

Result<std::unique_ptr<Node>> Node::Start(const Config& config) {
  std::unique_ptr<Node> n(new Node());
  n->config_ = config;
  auto store = store::OpenStore(config.db);
  if (!store) return store.error();
  n->store_ = std::move(*store);
  auto secret = app::App::LoadLinkSecret(*n->store_);
  if (!secret) return secret.error();
  app::AppConfig ac;
  ac.public_url = config.public_url;
  ac.mail_from = config.mail_from;
  n->app_ = std::make_unique<app::App>(*n->store_, n->clock_, ac, *secret);
  auto senders = MakeSenders(config, n->clock_);
  if (!senders) return senders.error();
  jobs::WorkerOptions wo;
  wo.threads = config.workers;
  wo.lease = std::chrono::seconds{config.job_lease_seconds};
  n->worker_ = std::make_unique<jobs::Worker>(*n->app_, *senders, wo);
  n->app_->SetWorkNotifier([w = n->worker_.get()] { w->Wake(); });
  n->worker_->Start();
  n->pool_ = std::make_unique<ThreadPool>(config.handler_threads);
  n->api_ = std::make_unique<api::Api>(*n->app_, *n->pool_);
  auto hp = ParseListen(config.listen);
  if (!hp) return hp.error();
  http::ServerOptions so;
  so.host = hp->host;
  so.port = hp->port;
  so.threads = config.http_threads;
  so.body_limit = api::kMaxBatchBody;
  n->server_ = std::make_unique<http::Server>(so, n->api_->Handler());
  VOUCH_TRY(n->server_->Start());
  Log(LogLevel::kInfo, "node.started",
      {{"listen", fmt::format("{}:{}", hp->host, n->server_->port())}, {"store", n->store_->Kind()},
       {"public_url", config.public_url}});
  return n;
}

void Node::Stop() {
  if (server_) server_->Stop();
  pool_.reset();  // finishes handlers in flight
  if (app_) app_->WaitForAsync();  // and orders the I/O threads handed to the writer
  if (worker_) worker_->Stop();
}

Node::~Node() { Stop(); }

namespace {

int Fail(const Error& e) {
  std::cerr << "vouch: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
  return e.code == Code::kInvalidArgument ? 2 : 1;
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

void BlockSignals() {
  // Block before any thread starts so only WaitForSignal receives them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

Result<std::unique_ptr<store::Store>> OpenFromConfig(const Config& c) { return store::OpenStore(c.db); }

// Keeps a command's App with its store and clock.
struct Offline {
  SystemClock clock;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<app::App> app;
};

Result<std::unique_ptr<Offline>> OpenOffline(const Config& c) {
  auto o = std::make_unique<Offline>();
  auto store = OpenFromConfig(c);
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

Result<app::SettingsPatch> ParseAssignments(const std::vector<std::string>& pairs) {
  app::SettingsPatch p;
  for (const auto& kv : pairs) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) return InvalidArgument(kv, "expected key=value");
    const std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
    auto num = [&](std::optional<int64_t>& out) -> Status {
      try {
        size_t used = 0;
        out = std::stoll(v, &used);
        if (used != v.size()) throw std::invalid_argument(k);
      } catch (const std::exception&) {
        return InvalidArgument(k, "must be an integer");
      }
      return OkStatus();
    };
    if (k == "name") p.name = v;
    else if (k == "url") p.url = v;
    else if (k == "survey_delay_seconds") VOUCH_TRY(num(p.survey_delay_seconds));
    else if (k == "throttle_days") VOUCH_TRY(num(p.throttle_days));
    else if (k == "discount_kind") p.discount_kind = v;
    else if (k == "discount_value") VOUCH_TRY(num(p.discount_value));
    else if (k == "reward_minor") VOUCH_TRY(num(p.reward_minor));
    else if (k == "currency") p.currency = v;
    else if (k == "code_expiry_days") VOUCH_TRY(num(p.code_expiry_days));
    else if (k == "code_max_uses") VOUCH_TRY(num(p.code_max_uses));
    else if (k == "landing_url") p.landing_url = v;
    else if (k == "locale") p.locale = v;
    else if (k == "sender_name") p.sender_name = v;
    else return InvalidArgument(k, "is not a setting");
  }
  return p;
}

std::string Fmt1(double v) { return fmt::format("{:.1f}", v); }

int RunCopy(const std::string& from, const std::string& to) {
  auto report = CopyStore(from, to);
  if (!report) return Fail(report.error());
  for (const auto& [table, n] : report->rows) std::cout << fmt::format("{:<15} {:>10} rows\n", table, n);
  for (const auto& [shop, counts] : report->nps) {
    const auto e = core::EstimateNps(counts);
    std::cout << fmt::format("shop {}: NPS {} ± {} (n = {}) in both\n", shop, Fmt1(e.nps), Fmt1(e.margin), e.n);
  }
  std::cout << fmt::format("copied and verified (schema version {})\n", report->schema_version);
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App cli{"Vouch: turn happy customers into micro-influencers"};
  cli.require_subcommand(1);
  std::string config_path = "vouch.toml";
  cli.add_option("--config", config_path, "configuration file (TOML)");

  auto* serve = cli.add_subcommand("serve", "run the server and its job workers");
  auto* demo = cli.add_subcommand("demo", "run a server with a demo shop; mail goes to .eml files");
  std::string demo_dir = "demo";
  demo->add_option("--dir", demo_dir, "folder for the demo database and mail");
  auto* migrate = cli.add_subcommand("migrate", "apply database migrations and exit");
  auto* copy = cli.add_subcommand("copy", "copy all data from SQLite into an empty PostgreSQL database");
  std::string copy_from, copy_to;
  copy->add_option("--from", copy_from, "source, sqlite:data/vouch.db")->required();
  copy->add_option("--to", copy_to, "target, postgres://user:pass@host:5432/vouch")->required();

  auto* shop = cli.add_subcommand("shop", "manage shops");
  shop->require_subcommand(1);
  auto* shop_create = shop->add_subcommand("create", "create a shop and print its API key");
  std::string name, url;
  shop_create->add_option("--name", name, "shop name")->required();
  shop_create->add_option("--url", url, "shop URL")->required();
  auto* shop_list = shop->add_subcommand("list", "list shops");
  auto* shop_set = shop->add_subcommand("set", "change settings: vouch shop set --id 1 survey_delay_seconds=0");
  int64_t shop_id = 0;
  std::vector<std::string> assignments;
  shop_set->add_option("--id", shop_id, "shop id")->required();
  shop_set->add_option("settings", assignments, "key=value pairs")->required();
  auto* shop_show = shop->add_subcommand("show", "print a shop's settings");
  shop_show->add_option("--id", shop_id, "shop id")->required();
  auto* shop_rotate = shop->add_subcommand("rotate-key", "replace a shop's API key");
  shop_rotate->add_option("--id", shop_id, "shop id")->required();

  auto* report = cli.add_subcommand("report", "print reports");
  report->require_subcommand(1);
  auto* report_nps = report->add_subcommand("nps", "NPS table with 95% intervals");
  std::string from, to, interval = "week", segment;
  report_nps->add_option("--shop", shop_id, "shop id")->required();
  report_nps->add_option("--from", from, "first day (YYYY-MM-DD), default 90 days ago");
  report_nps->add_option("--to", to, "last day (YYYY-MM-DD), default today");
  report_nps->add_option("--interval", interval, "day, week or month");
  report_nps->add_option("--segment", segment, "product category");

  auto* bench = cli.add_subcommand("bench", "helpers for the load harness bench/run");
  bench->require_subcommand(1);
  auto* bench_links = bench->add_subcommand("links", "print answer URLs of a shop's surveys, oldest first");
  int bench_limit = 1000, bench_score = 9;
  bench_links->add_option("--shop", shop_id, "shop id")->required();
  bench_links->add_option("--limit", bench_limit, "at most this many surveys");
  bench_links->add_option("--score", bench_score, "the score the links answer");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  const bool explicit_config = cli.get_option("--config")->count() > 0;
  auto config = LoadConfig(config_path, explicit_config);
  if (!config) return Fail(config.error());
  InitLogging(config->log_level);

  if (*serve || *demo) {
    BlockSignals();
    Config c = *config;
    if (*demo) {
      if (!std::getenv("VOUCH_DB")) c.db = "sqlite:" + demo_dir + "/vouch.db";
      if (c.smtp_url.empty() && c.mail_dir.empty()) c.mail_dir = demo_dir + "/mail";
      auto store = store::OpenStore(c.db);
      if (!store) return Fail(store.error());
      auto secret = app::App::LoadLinkSecret(**store);
      if (!secret) return Fail(secret.error());
      auto seeded = SeedDemo(**store, c, *secret);
      if (!seeded) return Fail(seeded.error());
      store->reset();
      auto node = Node::Start(c);
      if (!node) return Fail(node.error());
      const std::string base = c.public_url;
      std::cout << "\nVouch demo is running at " << base << "\n"
                << "  shop:     " << seeded->shop.name << " (id " << seeded->shop.id << ")\n"
                << "  API key:  " << seeded->api_key << "\n"
                << "  mail:     " << c.mail_dir << "/ (each message as an .eml file; open the links in a browser)\n\n"
                << "Try:\n"
                << "  curl -s -H 'Authorization: Bearer " << seeded->api_key << "' '" << base << "/api/v1/nps?interval=week'\n"
                << "  curl -s -H 'Authorization: Bearer " << seeded->api_key << "' " << base << "/api/v1/funnel\n"
                << "  curl -s -H 'Authorization: Bearer " << seeded->api_key << "' " << base << "/api/v1/promoters\n"
                << "  curl -s -H 'Authorization: Bearer " << seeded->api_key << "' -H 'Content-Type: application/json' \\\n"
                << "       -d '{\"id\":\"new-1\",\"created_at\":\"2026-11-27T10:00:00Z\",\"currency\":\"EUR\",\"total_price\":\"42.00\","
                << "\"customer\":{\"email\":\"you@example.com\",\"first_name\":\"You\"}}' " << base << "/api/v1/orders\n"
                << "  (the demo shop surveys at once; the survey mail appears in " << c.mail_dir << "/)\n\n"
                << "Stop with Ctrl-C.\n"
                << std::flush;
      WaitForSignal();
      (*node)->Stop();
      return 0;
    }
    auto node = Node::Start(c);
    if (!node) return Fail(node.error());
    WaitForSignal();
    (*node)->Stop();
    return 0;
  }

  if (*copy) return RunCopy(copy_from, copy_to);

  if (*migrate) {
    auto store = OpenFromConfig(*config);
    if (!store) return Fail(store.error());
    std::cout << fmt::format("schema version {} ({})\n", (*store)->SchemaVersion(), (*store)->Kind());
    return 0;
  }

  auto off = OpenOffline(*config);
  if (!off) return Fail(off.error());
  app::App& app = *(*off)->app;

  if (*shop_create) {
    auto created = app.shops().Create(name, url);
    if (!created) return Fail(created.error());
    std::cout << api::CreatedShopJson(*created) << "\n";
    return 0;
  }
  if (*shop_list) {
    auto shops = app.shops().List();
    if (!shops) return Fail(shops.error());
    for (const auto& s : *shops) std::cout << api::ToJson(s) << "\n";
    return 0;
  }
  if (*shop_show) {
    auto updated = app.shops().UpdateSettings(shop_id, {});
    if (!updated) return Fail(updated.error());
    std::cout << api::ToJson(*updated) << "\n";
    return 0;
  }
  if (*shop_set) {
    auto patch = ParseAssignments(assignments);
    if (!patch) return Fail(patch.error());
    auto updated = app.shops().UpdateSettings(shop_id, *patch);
    if (!updated) return Fail(updated.error());
    std::cout << api::ToJson(*updated) << "\n";
    return 0;
  }
  if (*shop_rotate) {
    auto key = app.shops().RotateApiKey(shop_id);
    if (!key) return Fail(key.error());
    std::cout << fmt::format(R"({{"shop_id":{},"api_key":"{}"}})", shop_id, *key) << "\n";
    return 0;
  }
  if (*bench_links) return PrintAnswerLinks(app, shop_id, bench_limit, bench_score, std::cout);
  if (*report_nps) {
    const Instant now = app.clock().Now();
    Instant t_to = DayStart(DayNumber(now) + 1);
    if (!to.empty()) {
      auto v = ParseDateOrTime(to, "--to");
      if (!v) return Fail(v.error());
      t_to = to.size() == 10 ? *v + std::chrono::days{1} : *v;
    }
    Instant t_from = t_to - std::chrono::days{90};
    if (!from.empty()) {
      auto v = ParseDateOrTime(from, "--from");
      if (!v) return Fail(v.error());
      t_from = *v;
    }
    std::optional<std::string> seg;
    if (!segment.empty()) seg = segment;
    auto r = app.reports().Nps(shop_id, t_from, t_to, interval, seg);
    if (!r) return Fail(r.error());
    std::cout << fmt::format("{:<12} {:>7} {:>15} {:>6} {:>6} {:>6} {:>6}\n", "period", "NPS", "95% interval",
                             "n", "prom", "pass", "detr");
    auto row = [](const std::string& label, const core::NpsEstimate& e) {
      const std::string nps = e.n ? Fmt1(e.nps) : "-";
      const std::string ci = e.n ? fmt::format("[{}, {}]", Fmt1(e.ci_low), Fmt1(e.ci_high)) : "";
      return fmt::format("{:<12} {:>7} {:>15} {:>6} {:>6} {:>6} {:>6}\n", label, nps, ci, e.n, e.promoters,
                         e.passives, e.detractors);
    };
    for (const auto& b : r->buckets) std::cout << row(FormatRfc3339(b.start).substr(0, 10), b.estimate);
    std::cout << row("overall", r->overall);
    std::cout << fmt::format("NPS = % promoters - % detractors; interval: adjusted Wald (Rocks 2016), "
                             "margin ±{}\n",
                             Fmt1(r->overall.margin));
    return 0;
  }
  return 0;
}

}  // namespace vouch::main
