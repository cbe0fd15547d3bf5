#include "app/ingest_steps.h"

#include "core/validate.h"

namespace vouch::app::ingest_steps {
namespace {

core::SurveyPolicy PolicyOf(const store::ShopSettings& s) {
  core::SurveyPolicy p;
  p.delay = std::chrono::seconds{s.survey_delay_seconds};
  p.throttle = std::chrono::days{s.throttle_days};
  p.preferred_channel =
      (s.channel == "sms" || s.channel == "sms_first") ? core::Channel::kSms : core::Channel::kEmail;
  return p;
}

}  // namespace

// The customer's identity in the shop: its own id, else its email, else its phone.
std::string CustomerKey(const CustomerInput& c) {
  if (!c.external_id.empty()) return c.external_id;
  if (!c.email.empty()) return "email:" + c.email;
  return "phone:" + c.phone;
}

// Newer non-empty contact data replaces what we had.
void Merge(store::Customer& c, const CustomerInput& in) {
  if (!in.email.empty()) c.email = in.email;
  if (!in.phone.empty()) c.phone = in.phone;
  if (!in.first_name.empty()) c.first_name = in.first_name;
  if (!in.last_name.empty()) c.last_name = in.last_name;
  if (!in.locale.empty()) c.locale = in.locale;
  if (in.accepts_email_marketing) c.accepts_email_marketing = in.accepts_email_marketing;
  if (in.accepts_sms_marketing) c.accepts_sms_marketing = in.accepts_sms_marketing;
}

// Whether UpdateCustomer would write anything new.
bool SameStoredFields(const store::Customer& a, const store::Customer& b) {
  return a.email == b.email && a.phone == b.phone && a.first_name == b.first_name &&
         a.last_name == b.last_name && a.locale == b.locale && a.unsubscribed_at == b.unsubscribed_at &&
         a.last_survey_at == b.last_survey_at && a.accepts_email_marketing == b.accepts_email_marketing &&
         a.accepts_sms_marketing == b.accepts_sms_marketing;
}

// Clocks drift a little; an order from tomorrow is a bug in the sender.
Status CheckNotFromTheFuture(const OrderInput& in, Instant now) {
  if (in.created_at > now + std::chrono::hours{24}) {
    return InvalidArgument("created_at", "is more than a day in the future");
  }
  return OkStatus();
}

// Survey: eligibility and throttling are the core's decision, from the customer as it stands.
bool MayText(const store::Customer& c, const store::ShopSettings& settings) {
  return settings.channel != "email" && !c.phone.empty() && c.accepts_sms_marketing == true &&
         core::DescribePhone(c.phone).can_text;
}

Result<bool> SmsOptedOutInTx(store::ReadTx& tx, const store::Customer& c,
                             const store::ShopSettings& settings) {
  if (!MayText(c, settings)) return false;
  return tx.sms().IsOptedOut(c.phone);
}

core::SurveyPlan PlanFor(const store::Customer& c, const OrderInput& in, const store::ShopSettings& settings,
                         Instant now, bool sms_opted_out) {
  core::CustomerState state;
  // "sms": texts only; "email", "sms_first", "email_first": mail when there is an address.
  if (!c.email.empty() && settings.channel != "sms") state.reachable.Add(core::Channel::kEmail);
  if (MayText(c, settings) && !sms_opted_out) state.reachable.Add(core::Channel::kSms);
  state.unsubscribed = c.unsubscribed_at.has_value();
  state.last_survey_at = c.last_survey_at;
  if (!in.survey) {
    core::SurveyPlan none;
    none.skip = core::SurveySkip::kNotRequested;
    return none;
  }
  return core::PlanSurvey(in.created_at, state, PolicyOf(settings), now);
}

store::Order NewOrder(store::Id shop, const OrderInput& in, store::Id customer, Instant now) {
  store::Order order;
  order.shop_id = shop;
  order.external_id = in.external_id;
  order.customer_id = customer;
  order.created_at = in.created_at;
  order.currency = in.currency;
  order.total_minor = in.total_minor;
  order.discount_codes = in.discount_codes;
  order.items = in.items;
  order.ingested_at = now;
  order.landing_site = in.landing_site;
  order.browser_ip = in.browser_ip;
  order.shipping_address = in.shipping_address;
  return order;
}

// The survey a stored order gets when its plan schedules one.
store::Survey NewSurvey(const store::Order& order, const core::SurveyPlan& plan) {
  store::Survey survey;
  survey.shop_id = order.shop_id;
  survey.order_id = order.id;
  survey.customer_id = order.customer_id;
  survey.segment = order.items.empty() ? "" : order.items.front().category;
  survey.order_at = order.created_at;
  survey.due_at = plan.due_at;
  survey.channel = plan.channel;
  return survey;
}

SurveyOutcome OutcomeOf(const core::SurveyPlan& plan) {
  SurveyOutcome out;
  if (plan.skip == core::SurveySkip::kNone) {
    out.scheduled = true;
    out.due_at = plan.due_at;
  } else {
    out.skipped_reason = core::SkipName(plan.skip);
  }
  return out;
}

}  // namespace vouch::app::ingest_steps
