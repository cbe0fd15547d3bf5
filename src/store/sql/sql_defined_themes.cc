#include "store/sql/sql_defined_themes.h"

namespace vouch::store::sql {
namespace {

constexpr const char* kCols = "id, shop_id, name, keywords, created_at, updated_at";

DefinedTheme ThemeFrom(const Row& r) {
  DefinedTheme t;
  t.id = Int(r, 0);
  t.shop_id = Int(r, 1);
  t.name = Text(r, 2);
  t.keywords = SplitLines(Text(r, 3));
  t.created_at = FromUnixMillis(Int(r, 4));
  t.updated_at = FromUnixMillis(Int(r, 5));
  return t;
}

Error NameTaken() { return Error{Code::kAlreadyExists, "the shop already has a theme of that name", "name"}; }

}  // namespace

Result<std::vector<DefinedTheme>> SqlDefinedThemes::List(Id shop) {
  return Many<DefinedTheme>(
      c_, std::string("SELECT ") + kCols + " FROM defined_themes WHERE shop_id = ?1 ORDER BY name, id",
      {shop}, ThemeFrom);
}

Result<std::optional<DefinedTheme>> SqlDefinedThemes::Find(Id shop, Id theme) {
  return One<DefinedTheme>(
      c_, std::string("SELECT ") + kCols + " FROM defined_themes WHERE shop_id = ?1 AND id = ?2",
      {shop, theme}, ThemeFrom);
}

Result<int64_t> SqlDefinedThemes::CountOf(Id shop) {
  return Count(c_, "SELECT COUNT(*) FROM defined_themes WHERE shop_id = ?1", {shop});
}

Result<Id> SqlDefinedThemes::Insert(const DefinedTheme& t) {
  // ON CONFLICT DO NOTHING: a failed statement would abort a PostgreSQL transaction.
  auto id = InsertUnlessTaken(c_,
                              "INSERT INTO defined_themes (shop_id, name, keywords, created_at, updated_at) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)",
                              "shop_id, name",
                              {t.shop_id, t.name, JoinLines(t.keywords), Ms(t.created_at), Ms(t.updated_at)},
                              "theme");
  if (!id && id.error().code == Code::kAlreadyExists) return NameTaken();
  return id;
}

Result<int64_t> SqlDefinedThemes::Update(const DefinedTheme& t) {
  auto taken = Count(c_, "SELECT COUNT(*) FROM defined_themes WHERE shop_id = ?1 AND name = ?2 AND id <> ?3",
                     {t.shop_id, t.name, t.id});
  if (!taken) return taken.error();
  if (*taken > 0) return NameTaken();
  return c_.Exec(
      "UPDATE defined_themes SET name = ?3, keywords = ?4, updated_at = ?5 WHERE shop_id = ?1 AND id = ?2",
      {t.shop_id, t.id, t.name, JoinLines(t.keywords), Ms(t.updated_at)});
}

Result<int64_t> SqlDefinedThemes::Delete(Id shop, Id theme) {
  return c_.Exec("DELETE FROM defined_themes WHERE shop_id = ?1 AND id = ?2", {shop, theme});
}

}  // namespace vouch::store::sql
