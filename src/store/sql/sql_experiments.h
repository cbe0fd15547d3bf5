#pragma once
// store::Experiments in SQL over one transaction's connection (composed by SqlTx). Not
// thread-safe.
#include "store/repos/experiments.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlExperiments final : public Experiments, SqlRepo {
 public:
  explicit SqlExperiments(Connection& c) : SqlRepo(c) {}
  Result<std::vector<Experiment>> List(Id shop) override;
  Result<std::optional<Experiment>> Find(Id shop, Id experiment) override;
  Result<std::optional<Experiment>> Running(Id shop) override;
  Result<std::optional<ExperimentVariant>> VariantOfPromoter(Id shop, Id customer) override;
  Status EachOutcome(Id shop, Id experiment, const std::optional<AudienceCut>& cut,
                     const std::function<void(const ExperimentOutcomeRow&)>& row) override;
  Result<Id> Insert(const Experiment& e) override;
  Status Assign(const ExperimentAssignment& a) override;
  Result<int64_t> Finish(Id shop, Id experiment, const std::string& status, Instant at,
                         std::optional<int> adopted_variant) override;
  Result<std::optional<HoldoutDraw>> HoldoutOf(Id shop, Id customer) override;
  Status EachHoldoutOutcome(Id shop, Instant from, Instant to, const std::optional<AudienceCut>& cut,
                            const std::function<void(const HoldoutOutcomeRow&)>& row) override;
  Status RecordHoldout(const HoldoutDraw& d) override;

 private:
  Result<std::vector<Experiment>> Select(const std::string& where, const std::vector<Value>& params);
};

}  // namespace vouch::store::sql
