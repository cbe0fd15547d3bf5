#pragma once
// store::DefinedThemes in SQL over one transaction's connection (composed by SqlTx). Not
// thread-safe.
#include "store/repos/defined_themes.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlDefinedThemes final : public DefinedThemes, SqlRepo {
 public:
  explicit SqlDefinedThemes(Connection& c) : SqlRepo(c) {}
  Result<std::vector<DefinedTheme>> List(Id shop) override;
  Result<std::optional<DefinedTheme>> Find(Id shop, Id theme) override;
  Result<int64_t> CountOf(Id shop) override;
  Result<Id> Insert(const DefinedTheme& t) override;
  Result<int64_t> Update(const DefinedTheme& t) override;
  Result<int64_t> Delete(Id shop, Id theme) override;
};

}  // namespace vouch::store::sql
