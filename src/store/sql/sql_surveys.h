#pragma once
// store::Surveys in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/surveys.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlSurveys final : public Surveys, SqlRepo {
 public:
  explicit SqlSurveys(Connection& c) : SqlRepo(c) {}
  Result<std::optional<Survey>> Get(Id survey) override;
  Result<std::vector<Survey>> ListByCustomer(Id customer) override;
  Result<std::vector<Click>> RecentClicks(Id survey, Instant since) override;
  Result<std::vector<Survey>> GetMany(const std::vector<Id>& ids) override;
  Result<std::vector<Click>> RecentClicksOf(const std::vector<Id>& surveys, Instant since) override;
  Result<Id> Insert(const Survey& s) override;
  Result<std::vector<Id>> TakeIds(size_t n) override;
  Result<std::vector<Id>> InsertMany(const std::vector<Survey>& ss) override;
  Status MarkSent(Id survey, Instant at) override;
  Status MarkFailed(Id survey) override;
  Status SaveAnswer(const Survey& s) override;
  Status SaveAnswers(const std::vector<Survey>& ss) override;
  Status InsertClick(const Click& c) override;
  Status InsertClicks(const std::vector<Click>& clicks) override;
  Status AddToRollup(Id shop, int64_t day, const std::string& segment, int score, int64_t delta) override;
};

}  // namespace vouch::store::sql
