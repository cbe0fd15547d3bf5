#pragma once
// The surveys repository: surveys and their answers, the clicks on answer links, and the NPS
// rollup the answers move. Obtained from a transaction (ReadTx::surveys(), Tx::surveys()); not
// thread-safe, valid only inside the function the transaction was handed to. Errors:
// kUnavailable for a database fault.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/records/surveys.h"

namespace vouch::store {

class SurveyReads {
 public:
  virtual ~SurveyReads() = default;
  virtual Result<std::optional<Survey>> Get(Id survey) = 0;
  virtual Result<std::vector<Survey>> ListByCustomer(Id customer) = 0;
  virtual Result<std::vector<Click>> RecentClicks(Id survey, Instant since) = 0;
  // Set forms for answer clicks (app/answers.cc); on PostgreSQL one statement per call.
  // The surveys of `ids` that exist, in no particular order.
  virtual Result<std::vector<Survey>> GetMany(const std::vector<Id>& ids) = 0;
  // The clicks on `surveys` at or after `since`, each survey's in time order.
  virtual Result<std::vector<Click>> RecentClicksOf(const std::vector<Id>& surveys, Instant since) = 0;
};

class Surveys : public SurveyReads {
 public:
  virtual Result<Id> Insert(const Survey& s) = 0;
  // n ids for surveys this transaction is about to insert (with InsertMany, each survey's id set
  // to one of them), so their orders can name them in their own insert (Orders::InsertMany).
  virtual Result<std::vector<Id>> TakeIds(size_t n) = 0;
  // Set form for ingest: the new surveys' ids in input order; at most one survey per order. Either
  // every survey's id is 0 (the database numbers them) or every one is an id TakeIds gave.
  virtual Result<std::vector<Id>> InsertMany(const std::vector<Survey>& ss) = 0;
  virtual Status MarkSent(Id survey, Instant at) = 0;
  // A survey no channel reached: only a scheduled one fails (one sent on another channel stays sent).
  virtual Status MarkFailed(Id survey) = 0;
  virtual Status SaveAnswer(const Survey& s) = 0;  // score, state, times, comment
  // SaveAnswer for each; the ids must be distinct.
  virtual Status SaveAnswers(const std::vector<Survey>& surveys) = 0;
  virtual Status InsertClick(const Click& c) = 0;
  virtual Status InsertClicks(const std::vector<Click>& clicks) = 0;
  // Adds `delta` answers of `score` to the (shop, day, segment) rollup.
  virtual Status AddToRollup(Id shop, int64_t day, const std::string& segment, int score, int64_t delta) = 0;
};

}  // namespace vouch::store
