#include "app/app.h"

#include <exception>
#include <string>

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
      webhooks_(store, clock, config_),
      shops_(store, clock),
      templates_(store),
      rewards_(store, clock, webhooks_),
      referrals_(store, clock, links_, rewards_, webhooks_, unsubscribes_),
      orders_(store, clock, rewards_),
      shares_(store, clock, links_, async_),
      ingest_(store, clock, referrals_, async_, notifier_, unsubscribes_),
      answers_(store, clock, links_, referrals_, async_, notifier_, unsubscribes_, webhooks_),
      reports_(store),
      privacy_(store),
      messages_(store, clock, links_, config_, unsubscribes_),
      outbox_(store),
      users_(store, clock, config_.password_cost),
      sessions_(store, clock, users_),
      followups_(store, clock),
      hooks_(store, clock),
      imports_(ingest_, clock),
      sms_(store, clock, answers_, links_, config_),
      campaigns_(store, clock),
      test_mails_(store, clock, links_, config_),
      program_(store, clock),
      themes_(store),
      experiments_(store, clock, shops_),
      defined_themes_(store, clock),
      audiences_(store, clock) {}

App::~App() { WaitForAsync(); }

Result<std::string> App::LoadLinkSecret(store::Store& store) {
  // The first node to start writes the secret; every node (and restart) reads the same one.
  const std::string fresh = Base64Url(RandomBytes(32));
  auto secret = store.Write<std::string>([&](store::Tx& tx) -> Result<std::string> {
    VOUCH_TRY(tx.meta().PutIfAbsent("link_secret", fresh));
    VOUCH_TRY(Unsubscribes::EnsureKeyInTx(tx));  // the unsubscribes' identity key, see unsubscribes.h
    auto v = tx.meta().Get("link_secret");
    if (!v) return v.error();
    if (!v->has_value()) return Internal("link secret missing after insert");
    return **v;
  });
  if (!secret) return secret.error();
  VOUCH_TRY(Unsubscribes::BackfillFromCustomers(store));  // a no-op once done
  return secret;
}

namespace {

constexpr const char* kPreviousSecret = "link_secret_previous";
constexpr const char* kPreviousUntil = "link_secret_previous_until";  // Unix milliseconds

}  // namespace

Result<App::LinkSecrets> App::LoadLinkSecrets(store::Store& store) {
  auto current = LoadLinkSecret(store);
  if (!current) return current.error();
  return store.Read<LinkSecrets>([&](store::ReadTx& tx) -> Result<LinkSecrets> {
    LinkSecrets s;
    s.current = *current;
    auto prev = tx.meta().Get(kPreviousSecret);
    if (!prev) return prev.error();
    auto until = tx.meta().Get(kPreviousUntil);
    if (!until) return until.error();
    if (prev->has_value() && until->has_value()) {
      s.previous = **prev;
      try {
        s.previous_until = FromUnixMillis(std::stoll(**until));
      } catch (const std::exception&) {
        s.previous.clear();
      }
    }
    return s;
  });
}

Result<Instant> App::RotateLinkSecret(store::Store& store, Instant now, Millis grace) {
  if (auto loaded = LoadLinkSecret(store); !loaded) return loaded.error();
  const std::string fresh = Base64Url(RandomBytes(32));
  const Instant until = now + grace;
  return store.Write<Instant>([&](store::Tx& tx) -> Result<Instant> {
    auto current = tx.meta().Get("link_secret");
    if (!current) return current.error();
    if (!current->has_value()) return Internal("link secret missing");
    VOUCH_TRY(tx.meta().Put(kPreviousSecret, **current));
    VOUCH_TRY(tx.meta().Put(kPreviousUntil, std::to_string(ToUnixMillis(until))));
    VOUCH_TRY(tx.meta().Put("link_secret", fresh));
    return until;
  });
}

void App::AcceptPreviousLinkSecret(const LinkSecrets& s) {
  if (!s.previous.empty()) links_.AcceptPrevious(s.previous, s.previous_until, clock_);
}

HealthInfo App::Health() const { return HealthInfo{store_.Kind(), store_.SchemaVersion()}; }

}  // namespace vouch::app
