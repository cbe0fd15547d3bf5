#include "app/shops.h"

#include <cctype>

#include "base/crypto.h"
#include "base/log.h"
#include "base/money.h"
#include "core/fraud.h"
#include "core/validate.h"

namespace vouch::app {
namespace {

Status ValidateUrl(const std::string& url, const std::string& field) {
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
    return InvalidArgument(field, "must be an http:// or https:// URL");
  }
  if (url.find_first_of(" \t\r\n<>\"") != std::string::npos) {
    return InvalidArgument(field, "must not contain spaces, quotes or angle brackets");
  }
  return OkStatus();
}

// A webhook signing secret as the store software shows it: printable, at most 200 bytes.
Status ValidateSecret(const std::string& secret, const std::string& field) {
  if (secret.size() > 200) return InvalidArgument(field, "must be at most 200 characters");
  for (unsigned char c : secret) {
    if (c <= 0x20 || c == 0x7f)
      return InvalidArgument(field, "must not contain spaces or control characters");
  }
  return OkStatus();
}

// The host of an absolute URL, lower case, without user info or port ("" if there is none).
std::string HostOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (!rest.empty() && rest.front() != '[') rest = rest.substr(0, rest.find(':'));
  std::string host(rest);
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

// Whether `host` is `shop_host` or one of its subdomains ("www.trail.example" of "trail.example").
bool OnShopHost(const std::string& host, std::string shop_host) {
  if (shop_host.starts_with("www.")) shop_host.erase(0, 4);
  if (host.empty() || shop_host.empty()) return false;
  return host == shop_host || (host.size() > shop_host.size() && host.ends_with("." + shop_host));
}

Status ValidateSettings(const store::Shop& s) {
  const auto& st = s.settings;
  if (s.name.empty() || s.name.size() > 200) return InvalidArgument("name", "must be 1-200 characters");
  VOUCH_TRY(ValidateUrl(s.url, "url"));
  if (st.survey_delay_seconds < 0 || st.survey_delay_seconds > 365 * 86400) {
    return InvalidArgument("survey_delay_seconds", "must be between 0 and 31536000");
  }
  if (st.throttle_days < 0 || st.throttle_days > 3650) {
    return InvalidArgument("throttle_days", "must be between 0 and 3650");
  }
  if (st.discount_kind != "percent" && st.discount_kind != "amount") {
    return InvalidArgument("discount_kind", "must be \"percent\" or \"amount\"");
  }
  if (st.discount_value < 0 || (st.discount_kind == "percent" && st.discount_value > 100)) {
    return InvalidArgument("discount_value", "must be 0-100 for a percent discount and not negative");
  }
  if (st.reward_minor < 0) return InvalidArgument("reward_minor", "must not be negative");
  if (!CurrencyExponent(st.currency)) return InvalidArgument("currency", "unknown ISO 4217 currency code");
  if (st.code_expiry_days < 0) return InvalidArgument("code_expiry_days", "must not be negative");
  if (st.code_max_uses < 0) return InvalidArgument("code_max_uses", "must not be negative");
  if (!st.landing_url.empty()) {
    VOUCH_TRY(ValidateUrl(st.landing_url, "landing_url"));
    if (st.landing_url.find("{code}") == std::string::npos) {
      return InvalidArgument("landing_url", "must contain {code}");
    }
    // Placeholders: {code} and {discount} (the code's friend's offer); any other brace is a typo.
    const std::string_view url = st.landing_url;
    for (size_t i = 0; i < url.size(); ++i) {
      if (url[i] != '{' && url[i] != '}') continue;
      const std::string_view rest = url.substr(i);
      const size_t known = rest.starts_with("{code}") ? 6 : rest.starts_with("{discount}") ? 10 : 0;
      if (known == 0)
        return InvalidArgument("landing_url", "knows only the placeholders {code} and {discount}");
      i += known - 1;
    }
    if (HostOf(st.landing_url).find("{discount}") != std::string::npos) {
      return InvalidArgument("landing_url", "may hold {discount} only in its path or query");
    }
    // Share links redirect here from Vouch's domain: only to the shop's own site, never elsewhere.
    if (!OnShopHost(HostOf(st.landing_url), HostOf(s.url))) {
      return InvalidArgument("landing_url", "must be on the shop's own host (" + HostOf(s.url) + ")");
    }
  }
  auto loc = core::NormalizeLocale(st.locale, "locale");
  if (!loc) return loc.error();
  if (st.sender_name.size() > 200) return InvalidArgument("sender_name", "must be at most 200 characters");
  if (st.reward_min_order < 0) return InvalidArgument("reward_min_order", "must not be negative");
  if (st.reward_hold_seconds < 0 || st.reward_hold_seconds > 365 * 86400) {
    return InvalidArgument("reward_hold_seconds", "must be between 0 and 31536000 (365 days)");
  }
  if (st.reward_cap_per_month < 0) return InvalidArgument("reward_cap_per_month", "must not be negative");
  if (st.velocity_max < 0) return InvalidArgument("velocity_max", "must not be negative");
  if (st.velocity_hours < 1 || st.velocity_hours > 8760) {
    return InvalidArgument("velocity_hours", "must be between 1 and 8760");
  }
  if (st.rule_actions.size() > 2000)
    return InvalidArgument("rule_actions", "must be at most 2000 characters");
  auto actions = core::RuleActions::Parse(st.rule_actions);
  if (!actions) return actions.error();
  VOUCH_TRY(core::ValidateDomainList(st.disposable_domains));
  if (st.shopify_ingest_on != "orders/create" && st.shopify_ingest_on != "orders/paid") {
    return InvalidArgument("shopify_ingest_on", "must be \"orders/create\" or \"orders/paid\"");
  }
  VOUCH_TRY(ValidateSecret(st.shopify_webhook_secret, "shopify_webhook_secret"));
  VOUCH_TRY(ValidateSecret(st.woocommerce_webhook_secret, "woocommerce_webhook_secret"));
  if (st.reminder_after_seconds < 0 || st.reminder_after_seconds > 90 * 86400) {
    return InvalidArgument("reminder_after_seconds", "must be between 0 (off) and 7776000 (90 days)");
  }
  if (st.channel != "email" && st.channel != "sms" && st.channel != "sms_first" &&
      st.channel != "email_first") {
    return InvalidArgument("channel", "must be \"email\", \"sms\", \"sms_first\" or \"email_first\"");
  }
  if (!st.default_region.empty()) VOUCH_TRY(core::NormalizeRegion(st.default_region, "default_region"));
  if (st.max_messages < 0 || st.max_messages > 1000) {
    return InvalidArgument("max_messages", "must be between 0 and 1000");
  }
  if (st.budget_days < 1 || st.budget_days > 3650) {
    return InvalidArgument("budget_days", "must be between 1 and 3650");
  }
  if (st.messages_per_hour < 0 || st.messages_per_hour > 1'000'000) {
    return InvalidArgument("messages_per_hour", "must be between 0 (no quota) and 1000000");
  }
  if (st.attribution_days < 0 || st.attribution_days > 365) {
    return InvalidArgument("attribution_days", "must be between 0 (off) and 365");
  }
  if (st.coupon_leak_buyers < 0 || st.coupon_leak_buyers > 100'000) {
    return InvalidArgument("coupon_leak_buyers", "must be between 0 (off) and 100000");
  }
  if (!st.contact_email.empty()) VOUCH_TRY(core::NormalizeEmail(st.contact_email, "contact_email"));
  if (st.holdout_percent < 0 || st.holdout_percent > 50) {
    return InvalidArgument("holdout_percent", "must be between 0 (no holdout) and 50");
  }
  return OkStatus();
}

}  // namespace

std::string NewApiKey() { return "vk_" + Base64Url(RandomBytes(24)); }

Result<CreatedShop> Shops::Create(const std::string& name, const std::string& url) {
  store::Shop shop;
  shop.name = name;
  shop.url = url;
  shop.created_at = clock_.Now();
  VOUCH_TRY(ValidateSettings(shop));
  const std::string key = NewApiKey();
  auto id = store_.Write<store::Id>([&](store::Tx& tx) { return tx.shops().Insert(shop, Sha256Hex(key)); });
  if (!id) return id.error();
  shop.id = *id;
  return CreatedShop{shop, key};
}

std::optional<ShopKeyCache::Hit> ShopKeyCache::Lookup(const std::string& key_hash, Instant now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key_hash);
  if (it == entries_.end()) return std::nullopt;
  if (now - it->second.at >= kTtl || now < it->second.at) {
    entries_.erase(it);
    return std::nullopt;
  }
  const store::Id key = it->second.key_id;
  return Hit{it->second.shop, key, key != 0 && TouchDueLocked(key, now)};
}

std::optional<store::Shop> ShopKeyCache::Find(const std::string& key_hash, Instant now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key_hash);
  if (it == entries_.end() || now - it->second.at >= kTtl || now < it->second.at) return std::nullopt;
  return it->second.shop;
}

bool ShopKeyCache::TouchDue(store::Id key, Instant now) {
  std::lock_guard lock(mu_);
  return TouchDueLocked(key, now);
}

bool ShopKeyCache::TouchDueLocked(store::Id key, Instant now) {
  auto [it, added] = touched_.try_emplace(key, now);
  if (added) {
    if (touched_.size() > kMaxEntries) {  // keys are few; bound it anyway
      touched_.clear();
      touched_.emplace(key, now);
    }
    return true;
  }
  if (now - it->second < kTouchEvery) return false;
  it->second = now;
  return true;
}

uint64_t ShopKeyCache::Generation() {
  std::lock_guard lock(mu_);
  return generation_;
}

void ShopKeyCache::Put(const std::string& key_hash, const store::Shop& shop, Instant now, uint64_t generation,
                       store::Id key_id) {
  std::lock_guard lock(mu_);
  if (generation != generation_) return;
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.insert_or_assign(key_hash, Entry{shop, now, key_id});
}

void ShopKeyCache::Forget(store::Id shop) {
  std::lock_guard lock(mu_);
  ++generation_;
  std::erase_if(entries_, [shop](const auto& e) { return e.second.shop.id == shop; });
}

Result<store::Shop> Shops::Authenticate(std::string_view api_key) {
  auto unauth = Error{Code::kUnauthenticated, "missing or unknown API key", "Authorization"};
  if (api_key.empty() || api_key.size() > 200) return unauth;
  const std::string hash = Sha256Hex(api_key);
  const Instant now = clock_.Now();
  if (auto cached = keys_.Lookup(hash, now)) {
    if (cached->touch) RecordUse(cached->key_id, now);
    return std::move(cached->shop);
  }
  const uint64_t generation = keys_.Generation();
  auto found = store_.ReadOne<std::optional<store::KeyedShop>>(
      [&](store::ReadTx& tx) { return tx.shops().FindByKey(hash); });
  if (!found) return found.error();
  if (!found->has_value()) return unauth;
  keys_.Put(hash, (*found)->shop, now, generation, (*found)->key_id);
  if (keys_.TouchDue((*found)->key_id, now)) RecordUse((*found)->key_id, now);
  return std::move((*found)->shop);
}

std::optional<store::Shop> Shops::AuthenticateCached(std::string_view api_key) {
  if (api_key.empty() || api_key.size() > 200) return std::nullopt;
  const Instant now = clock_.Now();
  auto cached = keys_.Lookup(Sha256Hex(api_key), now);
  if (!cached) return std::nullopt;
  if (cached->touch) RecordUse(cached->key_id, now);
  return std::move(cached->shop);
}

void Shops::RecordUse(store::Id key, Instant now) {
  store_.WriteAsync([key, now](store::Tx& tx) { return tx.shops().TouchKey(key, now); },
                    [key](Status s) {
                      if (!s.ok()) {
                        Log(LogLevel::kWarn, "api_key.touch_failed",
                            {{"key_id", std::to_string(key)}, {"error", s.error().message}});
                      }
                    });
}

Result<store::Shop> Shops::UpdateSettings(store::Id shop_id, const SettingsPatch& p) {
  auto updated = store_.Write<store::Shop>([&](store::Tx& tx) -> Result<store::Shop> {
    auto found = tx.shops().Get(shop_id);
    if (!found) return found.error();
    if (!found->has_value()) return NotFound("shop not found");
    store::Shop s = **found;
    auto& st = s.settings;
    if (p.name) s.name = *p.name;
    if (p.url) s.url = *p.url;
    if (p.survey_delay_seconds) st.survey_delay_seconds = *p.survey_delay_seconds;
    if (p.throttle_days) st.throttle_days = *p.throttle_days;
    if (p.discount_kind) st.discount_kind = *p.discount_kind;
    if (p.discount_value) st.discount_value = *p.discount_value;
    if (p.reward_minor) st.reward_minor = *p.reward_minor;
    if (p.currency) st.currency = *p.currency;
    if (p.code_expiry_days) st.code_expiry_days = *p.code_expiry_days;
    if (p.code_max_uses) st.code_max_uses = *p.code_max_uses;
    if (p.landing_url) st.landing_url = *p.landing_url;
    if (p.locale) {
      auto loc = core::NormalizeLocale(*p.locale, "locale");
      if (!loc) return loc.error();
      st.locale = *loc;
    }
    if (p.sender_name) st.sender_name = *p.sender_name;
    if (p.reward_min_order) st.reward_min_order = *p.reward_min_order;
    if (p.reward_hold_seconds) st.reward_hold_seconds = *p.reward_hold_seconds;
    if (p.reward_cap_per_month) st.reward_cap_per_month = *p.reward_cap_per_month;
    if (p.velocity_max) st.velocity_max = *p.velocity_max;
    if (p.velocity_hours) st.velocity_hours = *p.velocity_hours;
    if (p.rule_actions) st.rule_actions = *p.rule_actions;
    if (p.disposable_domains) st.disposable_domains = *p.disposable_domains;
    if (p.shopify_webhook_secret) st.shopify_webhook_secret = *p.shopify_webhook_secret;
    if (p.shopify_ingest_on) st.shopify_ingest_on = *p.shopify_ingest_on;
    if (p.woocommerce_webhook_secret) st.woocommerce_webhook_secret = *p.woocommerce_webhook_secret;
    if (p.reminder_after_seconds) st.reminder_after_seconds = *p.reminder_after_seconds;
    if (p.channel) st.channel = *p.channel;
    if (p.default_region) {
      auto region = core::NormalizeRegion(*p.default_region, "default_region");
      st.default_region = p.default_region->empty() || !region ? *p.default_region : *region;
    }
    if (p.max_messages) st.max_messages = *p.max_messages;
    if (p.budget_days) st.budget_days = *p.budget_days;
    if (p.messages_per_hour) st.messages_per_hour = *p.messages_per_hour;
    if (p.attribution_days) st.attribution_days = *p.attribution_days;
    if (p.coupon_leak_buyers) st.coupon_leak_buyers = *p.coupon_leak_buyers;
    if (p.contact_email) {
      auto email = core::NormalizeEmail(*p.contact_email, "contact_email");
      st.contact_email = p.contact_email->empty() || !email ? *p.contact_email : *email;
    }
    if (p.holdout_percent) st.holdout_percent = *p.holdout_percent;
    VOUCH_TRY(ValidateSettings(s));
    VOUCH_TRY(tx.shops().Update(s));
    return s;
  });
  keys_.Forget(shop_id);  // after the commit: a request now reads the new settings
  return updated;
}

Result<std::string> Shops::RotateApiKey(store::Id shop) {
  const std::string key = NewApiKey();
  const Instant now = clock_.Now();
  auto done = store_.Write<Ok>([&](store::Tx& tx) -> Status {
    auto found = tx.shops().Get(shop);
    if (!found) return found.error();
    if (!found->has_value()) return NotFound("shop not found");
    return tx.shops().ReplaceKeys(shop, Sha256Hex(key), "Rotated key", now);
  });
  keys_.Forget(shop);  // the old key stops working on this node at once
  if (!done) return done.error();
  return key;
}

Result<std::vector<store::Shop>> Shops::List() {
  return store_.Read<std::vector<store::Shop>>([](store::ReadTx& tx) { return tx.shops().List(); });
}

}  // namespace vouch::app
