#pragma once
// The composition root: the only code that names concrete implementations.
#include <memory>
#include <optional>
#include <string>

#include "api/handlers.h"
#include "app/app.h"
#include "base/thread_pool.h"
#include "http/server.h"
#include "jobs/worker.h"
#include "main/config.h"
#include "store/store.h"

namespace vouch::main {

// A running node: store, app, job workers and HTTP server.
class Node {
 public:
  static Result<std::unique_ptr<Node>> Start(const Config& config);
  ~Node();
  uint16_t port() const { return server_->port(); }
  app::App& app() { return *app_; }
  void Stop();

 private:
  Node() = default;
  Config config_;
  SystemClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::App> app_;
  std::unique_ptr<jobs::Worker> worker_;
  std::unique_ptr<ThreadPool> pool_;
  std::unique_ptr<ThreadPool> public_pool_;  // the public pages' handlers, at a lower priority
  std::unique_ptr<api::Api> api_;
  std::unique_ptr<http::Server> server_;
};

// Builds the senders a config asks for, one set per worker thread: email over SMTP or into a
// folder of .eml files (no SMS sender yet), or an error when no mail transport is configured.
Result<jobs::SendersFactory> MakeSenders(const Config& config, const Clock& clock);

int RunCli(int argc, char** argv);

// The demo's admin user (main/demo.cc).
inline constexpr const char* kDemoEmail = "demo@vouch.local";

struct DemoSeed {
  app::CreatedShop shop;
  std::optional<std::string> password;  // kDemoEmail's, when this run created the user: shown once
};

// Seeds the demo shop with six months of history (customers, answers with comments, follow-ups,
// referrals, rewards) and its admin user kDemoEmail; idempotent: an existing demo shop keeps its
// data and user, and only gets a fresh API key.
Result<DemoSeed> SeedDemo(store::Store& store, const Config& config, const std::string& secret);

}  // namespace vouch::main
