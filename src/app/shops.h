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

// A new API key: "vk_" and 192 random bits in base64url (35 characters).
std::string NewApiKey();

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
  std::optional<int64_t> reward_min_order, reward_hold_seconds, reward_cap_per_month;
  std::optional<int64_t> velocity_max, velocity_hours;
  std::optional<std::string> rule_actions, disposable_domains;
  // Webhooks from the shop's store software; an empty secret unsets it.
  std::optional<std::string> shopify_webhook_secret, shopify_ingest_on, woocommerce_webhook_secret;
  std::optional<int64_t> reminder_after_seconds;
  std::optional<std::string> channel, default_region;
  std::optional<int64_t> max_messages, budget_days;
  std::optional<int64_t> messages_per_hour;
  std::optional<int64_t> attribution_days;
  std::optional<int64_t> coupon_leak_buyers;
  std::optional<std::string> contact_email;  // '' unsets it
  std::optional<int64_t> holdout_percent;
};

// Shops by API key hash, for a short while: every API request authenticates, and on PostgreSQL
// that read was three of a report's six round trips. Entries live `ttl`; this node drops a
// shop's entries when it changes the shop's settings or keys (a revoked key stops at once),
// other nodes see the change within `ttl`. Unknown keys are not kept (random keys cannot fill
// it). It also decides when a key's last_used_at is due a write: at most once per kTouchEvery
// per key and node, so the order path does not write on every request. Thread-safe (one mutex).
class ShopKeyCache {
 public:
  static constexpr Millis kTtl{2000};
  static constexpr Millis kTouchEvery{60'000};
  static constexpr size_t kMaxEntries = 10000;

  struct Hit {
    store::Shop shop;
    store::Id key_id = 0;
    bool touch = false;  // last_used_at is due a write now (and is counted as written)
  };
  // The shop of a cached key, and whether its use is due to be recorded.
  std::optional<Hit> Lookup(const std::string& key_hash, Instant now);
  std::optional<store::Shop> Find(const std::string& key_hash, Instant now);
  // Whether key `key`'s use is due to be recorded now (then counted as recorded).
  bool TouchDue(store::Id key, Instant now);
  // Taken before reading the shop from the store; Put stores nothing if a Forget came between
  // (the read may predate the change Forget announced).
  uint64_t Generation();
  void Put(const std::string& key_hash, const store::Shop& shop, Instant now, uint64_t generation,
           store::Id key_id = 0);
  void Forget(store::Id shop);

 private:
  struct Entry {
    store::Shop shop;
    Instant at{};
    store::Id key_id = 0;
  };
  bool TouchDueLocked(store::Id key, Instant now);

  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::unordered_map<store::Id, Instant> touched_;  // key id → when its use was last recorded
  uint64_t generation_ = 0;
};

// One of a shop's API keys as the API lists it (never its hash) and a new one with its secret.
struct CreatedKey {
  store::ApiKey key;
  std::string secret;  // "vk_…": shown once; only its hash is stored
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
  // Revokes every key of the shop and makes a new one ("Rotated key"); returns its secret.
  Result<std::string> RotateApiKey(store::Id shop);
  Result<std::vector<store::Shop>> List();

  // API keys (app/shop_keys.cc). The shop's unrevoked keys, oldest first, without hashes.
  Result<std::vector<store::ApiKey>> ListKeys(store::Id shop);
  // A new key named `name` (1-100 characters; kInvalidArgument "name"). At most kMaxKeys
  // unrevoked keys per shop (kFailedPrecondition).
  static constexpr int64_t kMaxKeys = 50;
  Result<CreatedKey> CreateKey(store::Id shop, std::string_view name);
  // Revokes the key: refused at once on this node, within ShopKeyCache::kTtl on others.
  // kNotFound for a key of another shop, an unknown or a revoked one.
  Status RevokeKey(store::Id shop, store::Id key);
  // After a change to the shop's settings made elsewhere (an adopted experiment): a request on
  // this node reads them anew.
  void ForgetCached(store::Id shop) { keys_.Forget(shop); }

 private:
  // Queues a write of the key's last_used_at (never blocks; a failure is only logged).
  void RecordUse(store::Id key, Instant now);

  store::Store& store_;
  const Clock& clock_;
  ShopKeyCache keys_;
};

}  // namespace vouch::app
