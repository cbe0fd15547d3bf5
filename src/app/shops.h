#pragma once
// Shops: creating them, their settings, their API keys (stored as SHA-256 only) and
// authenticating a request's key, with ShopKeyCache in front of the store.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

struct CreatedShop {
  store::Shop shop;
  std::string api_key;  // shown once; only its hash is stored
};

// Partial update of shop settings: only set fields change.
struct SettingsPatch {
  std::optional<std::string> name, url;
  std::optional<int64_t> survey_delay_seconds, throttle_days, discount_value, reward_minor;
  std::optional<int64_t> code_expiry_days, code_max_uses;
  std::optional<std::string> discount_kind, currency, landing_url, locale, sender_name;
  std::optional<int64_t> reward_min_order, reward_hold_days, reward_cap_per_month;
  std::optional<int64_t> velocity_max, velocity_hours;
  std::optional<std::string> rule_actions, disposable_domains;
};

// Shops by API key hash, for a short while: every API request authenticates, and on PostgreSQL
// that read was three of a report's six round trips. Entries live `ttl`; this node drops a
// shop's entries when it changes the shop's settings or key, other nodes see the change within
// `ttl`. Unknown keys are not kept (random keys cannot fill it). Thread-safe (one mutex).
class ShopKeyCache {
 public:
  static constexpr Millis kTtl{2000};
  static constexpr size_t kMaxEntries = 10000;

  std::optional<store::Shop> Find(const std::string& key_hash, Instant now);
  // Taken before reading the shop from the store; Put stores nothing if a Forget came between
  // (the read may predate the change Forget announced).
  uint64_t Generation();
  void Put(const std::string& key_hash, const store::Shop& shop, Instant now, uint64_t generation);
  void Forget(store::Id shop);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::pair<store::Shop, Instant>> entries_;
  uint64_t generation_ = 0;
};

// The shop use cases. Thread-safe; every method but AuthenticateCached blocks on the store.
// Errors: kInvalidArgument (with the setting's name as field) for settings that break a rule,
// kNotFound for an unknown shop, kUnauthenticated for a missing or unknown key, store errors.
class Shops {
 public:
  Shops(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<CreatedShop> Create(const std::string& name, const std::string& url);
  Result<store::Shop> Authenticate(std::string_view api_key);
  // The shop of a key this node knows from the last seconds (see ShopKeyCache), without touching
  // the store: for callers that must not block. nullopt: unknown here; use Authenticate.
  std::optional<store::Shop> AuthenticateCached(std::string_view api_key);
  // An empty patch returns the shop as it is.
  Result<store::Shop> UpdateSettings(store::Id shop, const SettingsPatch& patch);
  Result<std::string> RotateApiKey(store::Id shop);
  Result<std::vector<store::Shop>> List();

 private:
  store::Store& store_;
  const Clock& clock_;
  ShopKeyCache keys_;
};

}  // namespace vouch::app
