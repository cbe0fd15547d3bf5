#pragma once
// A shop's customer.
// Plain records; money in minor units, time as Instant (UTC).
#include <optional>
#include <string>

#include "base/time.h"
#include "store/records/id.h"

namespace vouch::store {

struct Customer {
  Id id = 0;
  Id shop_id = 0;
  std::string external_id;
  std::string email;  // lower-cased, may be empty
  std::string phone;  // E.164, may be empty
  std::string first_name;
  std::string last_name;
  std::string locale;
  std::optional<Instant> unsubscribed_at;
  std::optional<Instant> last_survey_at;
  // Marketing consent as the shop's store reported it; nullopt: unknown. An explicit false stops
  // survey and activation mail (app/messages.cc: "no_consent").
  std::optional<bool> accepts_email_marketing;
  std::optional<bool> accepts_sms_marketing;
  // core::CanonicalEmail(email) (issue 11: the mailbox the address reaches, for "is this the
  // same person?"); read only: every insert and update writes it from `email`, erasure blanks it.
  std::string canonical_email{};
};

}  // namespace vouch::store
