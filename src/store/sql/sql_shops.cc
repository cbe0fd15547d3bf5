#include "store/sql/sql_shops.h"

#include <array>
#include <iterator>
#include <vector>

#include <fmt/format.h>

namespace vouch::store::sql {

namespace {

constexpr const char* kKeyCols = "id, shop_id, name, prefix, key_hash, created_at, last_used_at, revoked_at";

ApiKey KeyFrom(const Row& r) {
  ApiKey k;
  k.id = Int(r, 0);
  k.shop_id = Int(r, 1);
  k.name = Text(r, 2);
  k.prefix = Text(r, 3);
  k.key_hash = Text(r, 4);
  k.created_at = Time(r, 5);
  k.last_used_at = OptTime(r, 6);
  k.revoked_at = OptTime(r, 7);
  return k;
}

// The shop's columns, then the key's id last (wherever kShopCols ends; the subquery names no
// column a shop has).
KeyedShop KeyedShopFrom(const Row& r) { return KeyedShop{ShopFrom(r), Int(r, r.size() - 1)}; }

// The settings' columns, in the order AppendSettings gives their values: the insert and the
// update write them from this one list (the reads take kShopCols, rows.h).
constexpr auto kSettingsCols = std::to_array<const char*>({"survey_delay_seconds",
                                                           "throttle_days",
                                                           "discount_kind",
                                                           "discount_value",
                                                           "reward_minor",
                                                           "currency",
                                                           "code_expiry_days",
                                                           "code_max_uses",
                                                           "landing_url",
                                                           "locale",
                                                           "sender_name",
                                                           "reward_min_order",
                                                           "reward_hold_seconds",
                                                           "reward_cap_per_month",
                                                           "velocity_max",
                                                           "velocity_hours",
                                                           "rule_actions",
                                                           "disposable_domains",
                                                           "shopify_webhook_secret",
                                                           "shopify_ingest_on",
                                                           "woocommerce_webhook_secret",
                                                           "reminder_after_seconds",
                                                           "channel",
                                                           "default_region",
                                                           "max_messages",
                                                           "budget_days",
                                                           "messages_per_hour",
                                                           "attribution_days",
                                                           "coupon_leak_buyers",
                                                           "contact_email",
                                                           "holdout_percent"});

// Appends the settings' values in kSettingsCols' order; false if the two lists went apart (a
// column added to one only), which every test that creates a shop would then report.
bool AppendSettings(const ShopSettings& st, std::vector<Value>& v) {
  const size_t before = v.size();
  v.insert(v.end(), {st.survey_delay_seconds,
                     st.throttle_days,
                     st.discount_kind,
                     st.discount_value,
                     st.reward_minor,
                     st.currency,
                     st.code_expiry_days,
                     st.code_max_uses,
                     st.landing_url,
                     st.locale,
                     st.sender_name,
                     st.reward_min_order,
                     st.reward_hold_seconds,
                     st.reward_cap_per_month,
                     st.velocity_max,
                     st.velocity_hours,
                     st.rule_actions,
                     st.disposable_domains,
                     st.shopify_webhook_secret,
                     st.shopify_ingest_on,
                     st.woocommerce_webhook_secret,
                     st.reminder_after_seconds,
                     st.channel,
                     st.default_region,
                     st.max_messages,
                     st.budget_days,
                     st.messages_per_hour,
                     st.attribution_days,
                     st.coupon_leak_buyers,
                     st.contact_email,
                     st.holdout_percent});
  return v.size() - before == kSettingsCols.size();
}

}  // namespace

Result<Id> SqlShops::Insert(const Shop& s, const std::string& key_hash) {
  auto id = InsertShop(s, key_hash);
  if (!id) return id;
  ApiKey first;
  first.shop_id = *id;
  first.name = "First key";
  first.prefix = "vk_";
  first.key_hash = key_hash;
  first.created_at = s.created_at;
  auto key = InsertKey(first);
  if (!key) return key.error();
  return id;
}

Result<Id> SqlShops::InsertShop(const Shop& s, const std::string& key_hash) {
  static const std::string sql = [] {
    std::string cols = "name, url, api_key_hash, created_at";
    std::string marks = "?1, ?2, ?3, ?4";
    size_t n = 4;
    for (const char* col : kSettingsCols) {
      fmt::format_to(std::back_inserter(cols), ", {}", col);
      fmt::format_to(std::back_inserter(marks), ", ?{}", ++n);
    }
    return fmt::format("INSERT INTO shops ({}) VALUES ({})", cols, marks);
  }();
  std::vector<Value> values{s.name, s.url, key_hash, Ms(s.created_at)};
  if (!AppendSettings(s.settings, values)) return Internal("shop settings: columns and values differ");
  return InsertUnlessTaken(c_, sql, "api_key_hash", values, "shop with this API key");
}

Result<std::optional<Shop>> SqlShops::FindByKeyHash(const std::string& key_hash) {
  auto found = FindByKey(key_hash);
  if (!found) return found.error();
  if (!found->has_value()) return std::optional<Shop>{};
  return std::optional<Shop>{std::move((*found)->shop)};
}

Result<std::optional<KeyedShop>> SqlShops::FindByKey(const std::string& key_hash) {
  return One<KeyedShop>(
      c_,
      fmt::format("SELECT {}, key_id FROM shops JOIN (SELECT id AS key_id, shop_id FROM api_keys "
                  "WHERE key_hash = ?1 AND revoked_at IS NULL) k ON k.shop_id = shops.id",
                  kShopCols),
      {key_hash}, KeyedShopFrom);
}

Result<std::vector<ApiKey>> SqlShops::ListKeys(Id shop) {
  return Many<ApiKey>(
      c_,
      fmt::format("SELECT {} FROM api_keys WHERE shop_id = ?1 AND revoked_at IS NULL ORDER BY id", kKeyCols),
      {shop}, KeyFrom);
}

Result<std::optional<Shop>> SqlShops::Get(Id shop) {
  return One<Shop>(c_, fmt::format("SELECT {} FROM shops WHERE id = ?1", kShopCols), {shop}, ShopFrom);
}

Result<std::vector<Shop>> SqlShops::List() {
  return Many<Shop>(c_, fmt::format("SELECT {} FROM shops ORDER BY id", kShopCols), {}, ShopFrom);
}

Status SqlShops::Update(const Shop& s) {
  static const std::string sql = [] {
    std::string out = "UPDATE shops SET name = ?2, url = ?3";
    size_t n = 3;
    for (const char* col : kSettingsCols) fmt::format_to(std::back_inserter(out), ", {} = ?{}", col, ++n);
    return out + " WHERE id = ?1";
  }();
  std::vector<Value> values{s.id, s.name, s.url};
  if (!AppendSettings(s.settings, values)) return Internal("shop settings: columns and values differ");
  return Exec(c_, sql, values);
}

Status SqlShops::ReplaceKeys(Id shop, const std::string& key_hash, const std::string& name, Instant at) {
  // shops.api_key_hash is no longer read, but stays unique and NOT NULL: it follows the newest key.
  VOUCH_TRY(Exec(c_, "UPDATE shops SET api_key_hash = ?2 WHERE id = ?1", {shop, key_hash}));
  VOUCH_TRY(Exec(c_, "UPDATE api_keys SET revoked_at = ?2 WHERE shop_id = ?1 AND revoked_at IS NULL",
                 {shop, Ms(at)}));
  ApiKey k;
  k.shop_id = shop;
  k.name = name;
  k.prefix = "vk_";
  k.key_hash = key_hash;
  k.created_at = at;
  auto id = InsertKey(k);
  if (!id) return id.error();
  return OkStatus();
}

Result<Id> SqlShops::InsertKey(const ApiKey& k) {
  return InsertUnlessTaken(c_,
                           "INSERT INTO api_keys (shop_id, name, prefix, key_hash, created_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)",
                           "key_hash", {k.shop_id, k.name, k.prefix, k.key_hash, Ms(k.created_at)},
                           "API key");
}

Result<int64_t> SqlShops::RevokeKey(Id shop, Id key, Instant at) {
  return c_.Exec("UPDATE api_keys SET revoked_at = ?3 WHERE id = ?2 AND shop_id = ?1 AND revoked_at IS NULL",
                 {shop, key, Ms(at)});
}

Status SqlShops::TouchKey(Id key, Instant at) {
  return Exec(c_,
              "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1 AND (last_used_at IS NULL OR "
              "last_used_at < ?2)",
              {key, Ms(at)});
}

Result<bool> SqlShops::SeenDelivery(Id shop, const std::string& source, const std::string& delivery_id) {
  auto n = Count(
      c_, "SELECT COUNT(*) FROM hook_deliveries WHERE shop_id = ?1 AND source = ?2 AND delivery_id = ?3",
      {shop, source, delivery_id});
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> SqlShops::RememberDelivery(Id shop, const std::string& source, const std::string& delivery_id,
                                        Instant at) {
  auto n = c_.Exec(
      "INSERT INTO hook_deliveries (shop_id, source, delivery_id, received_at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT DO NOTHING",
      {shop, source, delivery_id, Ms(at)});
  if (!n) return n.error();
  return *n > 0;
}

Status SqlShops::ForgetDeliveries(Id shop, Instant before) {
  return Exec(c_, "DELETE FROM hook_deliveries WHERE shop_id = ?1 AND received_at < ?2", {shop, Ms(before)});
}

}  // namespace vouch::store::sql
