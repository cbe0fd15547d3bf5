#pragma once
// store::Templates in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/templates.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlTemplates final : public Templates, SqlRepo {
 public:
  explicit SqlTemplates(Connection& c) : SqlRepo(c) {}
  Result<std::map<std::string, std::string>> Overrides(Id shop) override;
  Status Put(Id shop, const std::string& key, const std::string& body) override;
  Status Delete(Id shop, const std::string& key) override;
};

}  // namespace vouch::store::sql
