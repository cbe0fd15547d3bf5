#include "store/sql/sql_shops.h"

#include <fmt/format.h>

namespace vouch::store::sql {

Result<Id> SqlShops::Insert(const Shop& s, const std::string& key_hash) {
  const auto& st = s.settings;
  return InsertUnlessTaken(
      c_,
      "INSERT INTO shops (name, url, api_key_hash, survey_delay_seconds, throttle_days, "
      "discount_kind, discount_value, reward_minor, currency, code_expiry_days, code_max_uses, "
      "landing_url, locale, sender_name, created_at, reward_min_order, reward_hold_days, "
      "reward_cap_per_month, velocity_max, velocity_hours, rule_actions, disposable_domains) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
      "?21, "
      "?22)",
      "api_key_hash",
      {s.name,
       s.url,
       key_hash,
       st.survey_delay_seconds,
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
       Ms(s.created_at),
       st.reward_min_order,
       st.reward_hold_days,
       st.reward_cap_per_month,
       st.velocity_max,
       st.velocity_hours,
       st.rule_actions,
       st.disposable_domains},
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
      "sender_name = ?14, reward_min_order = ?15, reward_hold_days = ?16, reward_cap_per_month = ?17, "
      "velocity_max = ?18, velocity_hours = ?19, rule_actions = ?20, disposable_domains = ?21 WHERE id = ?1",
      {s.id,
       s.name,
       s.url,
       st.survey_delay_seconds,
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
       st.reward_hold_days,
       st.reward_cap_per_month,
       st.velocity_max,
       st.velocity_hours,
       st.rule_actions,
       st.disposable_domains});
}

Status SqlShops::SetKeyHash(Id shop, const std::string& key_hash) {
  return Exec(c_, "UPDATE shops SET api_key_hash = ?2 WHERE id = ?1", {shop, key_hash});
}

}  // namespace vouch::store::sql
