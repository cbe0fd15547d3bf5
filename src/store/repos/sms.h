#pragma once
// The SMS repository: numbers that opted out of text messages (STOP until START, for every shop:
// all texts come from the one gateway sender the number answered), the survey an inbound reply
// answers, and the gateway's delivery reports on jobs. Obtained from a transaction
// (ReadTx::sms(), Tx::sms()); not thread-safe. Errors: kUnavailable for a database fault.
#include <optional>
#include <string>

#include "base/result.h"
#include "base/time.h"
#include "store/records/id.h"

namespace vouch::store {

class SmsReads {
 public:
  virtual ~SmsReads() = default;
  // Whether the E.164 number `phone` opted out (STOP) and has not opted in again (START).
  virtual Result<bool> IsOptedOut(const std::string& phone) = 0;
  // The survey a reply from `phone` answers: the most recently sent SMS survey of any customer
  // with that number that has no answer yet; nullopt when there is none.
  virtual Result<std::optional<Id>> LatestOpenSurvey(const std::string& phone) = 0;
};

class Sms : public SmsReads {
 public:
  // Records the opt-out; true when it is new (false: the number had opted out already).
  virtual Result<bool> OptOut(const std::string& phone, Instant at) = 0;
  // Removes the opt-out; true when there was one.
  virtual Result<bool> OptIn(const std::string& phone) = 0;
  // A delivery report for the SMS job `job`: `delivered` true sets delivery 'delivered'; false
  // sets 'failed' and fails the job with `detail` as its last_error. Only a job on the SMS channel
  // that was sent (done) or already reported is changed; false when no such job.
  virtual Result<bool> RecordDelivery(Id job, bool delivered, const std::string& detail, Instant at) = 0;
  // Puts a claimed job back until `run_at` without using up the attempt its claim counted (a
  // text in the customer's quiet hours), `note` as its last_error.
  virtual Status Defer(Id job, Instant run_at, const std::string& note) = 0;
};

}  // namespace vouch::store
