#include "store/sql/sql_meta.h"

namespace vouch::store::sql {

Result<std::optional<std::string>> SqlMeta::Get(const std::string& key) {
  return One<std::string>(c_, "SELECT value FROM meta WHERE key = ?1", {key},
                          [](const Row& r) { return Text(r, 0); });
}

Status SqlMeta::PutIfAbsent(const std::string& key, const std::string& value) {
  return Exec(c_, "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING", {key, value});
}

Status SqlMeta::Put(const std::string& key, const std::string& value) {
  return Exec(
      c_,
      "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      {key, value});
}

}  // namespace vouch::store::sql
