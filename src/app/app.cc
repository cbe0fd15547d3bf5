#include "app/app.h"

#include "base/crypto.h"

namespace vouch::app {
namespace {

AppConfig Trimmed(AppConfig c) {
  while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
  return c;
}

}  // namespace

App::App(store::Store& store, const Clock& clock, AppConfig config, std::string link_secret)
    : store_(store),
      clock_(clock),
      config_(Trimmed(std::move(config))),
      links_(config_.public_url, std::move(link_secret)),
      shops_(store, clock),
      templates_(store),
      rewards_(store, clock),
      referrals_(store, clock, links_, rewards_),
      orders_(store, clock, rewards_),
      shares_(store, clock, links_, async_),
      ingest_(store, clock, referrals_, async_, notifier_),
      answers_(store, clock, links_, referrals_, async_, notifier_),
      reports_(store),
      privacy_(store),
      messages_(store, clock, links_, config_),
      outbox_(store),
      users_(store, clock, config_.password_cost),
      sessions_(store, clock, users_),
      followups_(store, clock),
      hooks_(store, clock),
      imports_(ingest_, clock),
      sms_(store, clock, answers_, links_, config_),
      campaigns_(store, clock) {}

App::~App() { WaitForAsync(); }

Result<std::string> App::LoadLinkSecret(store::Store& store) {
  // The first node to start writes the secret; every node (and restart) reads the same one.
  const std::string fresh = Base64Url(RandomBytes(32));
  return store.Write<std::string>([&](store::Tx& tx) -> Result<std::string> {
    VOUCH_TRY(tx.meta().PutIfAbsent("link_secret", fresh));
    auto v = tx.meta().Get("link_secret");
    if (!v) return v.error();
    if (!v->has_value()) return Internal("link secret missing after insert");
    return **v;
  });
}

HealthInfo App::Health() const { return HealthInfo{store_.Kind(), store_.SchemaVersion()}; }

}  // namespace vouch::app
