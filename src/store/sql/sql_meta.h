#pragma once
// store::Meta in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/meta.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlMeta final : public Meta, SqlRepo {
 public:
  explicit SqlMeta(Connection& c) : SqlRepo(c) {}
  Result<std::optional<std::string>> Get(const std::string& key) override;
  Status PutIfAbsent(const std::string& key, const std::string& value) override;
  Status Put(const std::string& key, const std::string& value) override;
};

}  // namespace vouch::store::sql
