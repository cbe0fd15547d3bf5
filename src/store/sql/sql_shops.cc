#include "store/sql/sql_shops.h"

#include <fmt/format.h>

namespace vouch::store::sql {

Result<Id> SqlShops::Insert(const Shop& s, const std::string& key_hash) {
  const auto& st = s.settings;
  return InsertUnlessTaken(
      c_,
      "INSERT INTO shops (name, url, api_key_hash, survey_delay_seconds, throttle_days, "
      "discount_kind, discount_value, reward_minor, currency, code_expiry_days, code_max_uses, "
      "landing_url, locale, sender_name, created_at, reward_min_order, shopify_webhook_secret, "
      "shopify_ingest_on, woocommerce_webhook_secret) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
      "api_key_hash",
      {s.name, s.url, key_hash, st.survey_delay_seconds, st.throttle_days, st.discount_kind,
       st.discount_value, st.reward_minor, st.currency, st.code_expiry_days, st.code_max_uses, st.landing_url,
       st.locale, st.sender_name, Ms(s.created_at), st.reward_min_order, st.shopify_webhook_secret,
       st.shopify_ingest_on, st.woocommerce_webhook_secret},
      "shop with this API key");
}

Result<std::optional<Shop>> SqlShops::FindByKeyHash(const std::string& key_hash) {
  return One<Shop>(c_, fmt::format("SELECT {} FROM shops WHERE api_key_hash = ?1", kShopCols), {key_hash},
                   ShopFrom);
}

Result<std::optional<Shop>> SqlShops::Get(Id shop) {
  return One<Shop>(c_, fmt::format("SELECT {} FROM shops WHERE id = ?1", kShopCols), {shop}, ShopFrom);
}

Result<std::vector<Shop>> SqlShops::List() {
  return Many<Shop>(c_, fmt::format("SELECT {} FROM shops ORDER BY id", kShopCols), {}, ShopFrom);
}

Status SqlShops::Update(const Shop& s) {
  const auto& st = s.settings;
  return Exec(
      c_,
      "UPDATE shops SET name = ?2, url = ?3, survey_delay_seconds = ?4, throttle_days = ?5, "
      "discount_kind = ?6, discount_value = ?7, reward_minor = ?8, currency = ?9, "
      "code_expiry_days = ?10, code_max_uses = ?11, landing_url = ?12, locale = ?13, "
      "sender_name = ?14, reward_min_order = ?15, shopify_webhook_secret = ?16, shopify_ingest_on = ?17, "
      "woocommerce_webhook_secret = ?18 WHERE id = ?1",
      {s.id, s.name, s.url, st.survey_delay_seconds, st.throttle_days, st.discount_kind, st.discount_value,
       st.reward_minor, st.currency, st.code_expiry_days, st.code_max_uses, st.landing_url, st.locale,
       st.sender_name, st.reward_min_order, st.shopify_webhook_secret, st.shopify_ingest_on,
       st.woocommerce_webhook_secret});
}

Status SqlShops::SetKeyHash(Id shop, const std::string& key_hash) {
  return Exec(c_, "UPDATE shops SET api_key_hash = ?2 WHERE id = ?1", {shop, key_hash});
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
