#include "store/sql/sql_templates.h"

namespace vouch::store::sql {

Result<std::map<std::string, std::string>> SqlTemplates::Overrides(Id shop) {
  auto rows = c_.Query("SELECT key, body FROM templates WHERE shop_id = ?1", {shop});
  if (!rows) return rows.error();
  std::map<std::string, std::string> out;
  for (const auto& r : *rows) out.emplace(Text(r, 0), Text(r, 1));
  return out;
}

Status SqlTemplates::Put(Id shop, const std::string& key, const std::string& body) {
  return Exec(c_,
              "INSERT INTO templates (shop_id, key, body) VALUES (?1, ?2, ?3) "
              "ON CONFLICT (shop_id, key) DO UPDATE SET body = excluded.body",
              {shop, key, body});
}

Status SqlTemplates::Delete(Id shop, const std::string& key) {
  return Exec(c_, "DELETE FROM templates WHERE shop_id = ?1 AND key = ?2", {shop, key});
}

}  // namespace vouch::store::sql
