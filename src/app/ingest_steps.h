#pragma once
// The pure steps ingest shares between its one-by-one path (app/ingest.cc) and its set path
// (app/ingest_set.cc): customer identity and merge, the survey plan, the new rows, the outcome.
// Internal to app; no I/O, thread-safe.
#include <string>

#include "app/ingest.h"
#include "core/eligibility.h"

namespace vouch::app::ingest_steps {

// The customer's identity in the shop: its own id, else its email, else its phone.
std::string CustomerKey(const CustomerInput& c);
// Newer non-empty contact data replaces what we had.
void Merge(store::Customer& c, const CustomerInput& in);
// Whether UpdateCustomer would write anything new.
bool SameStoredFields(const store::Customer& a, const store::Customer& b);
// Clocks drift a little; an order from tomorrow is a bug in the sender.
Status CheckNotFromTheFuture(const OrderInput& in, Instant now);
// Survey: eligibility and throttling are the core's decision, from the customer as it stands.
// `sms_opted_out`: the customer's number answered STOP (store::Sms::IsOptedOut; ask only when
// MayText).
core::SurveyPlan PlanFor(const store::Customer& c, const OrderInput& in, const store::ShopSettings& settings,
                         Instant now, bool sms_opted_out);
// Whether the shop texts and the customer has a textable number and SMS consent.
bool MayText(const store::Customer& c, const store::ShopSettings& settings);
// Whether the customer's number opted out of texts; false without a read when MayText is false.
Result<bool> SmsOptedOutInTx(store::ReadTx& tx, const store::Customer& c,
                             const store::ShopSettings& settings);
store::Order NewOrder(store::Id shop, const OrderInput& in, store::Id customer, Instant now);
// The survey a stored order gets when its plan schedules one.
store::Survey NewSurvey(const store::Order& order, const core::SurveyPlan& plan);
SurveyOutcome OutcomeOf(const core::SurveyPlan& plan);

}  // namespace vouch::app::ingest_steps
