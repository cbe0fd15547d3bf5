#include <condition_variable>
#include <mutex>

#include "app/app.h"
#include "core/codes.h"
#include "core/eligibility.h"

namespace vouch::app {
namespace {

core::SurveyPolicy PolicyOf(const store::ShopSettings& s) {
  core::SurveyPolicy p;
  p.delay = std::chrono::seconds{s.survey_delay_seconds};
  p.throttle = std::chrono::days{s.throttle_days};
  return p;
}

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
}

// Whether UpdateCustomer would write anything new.
bool SameStoredFields(const store::Customer& a, const store::Customer& b) {
  return a.email == b.email && a.phone == b.phone && a.first_name == b.first_name &&
         a.last_name == b.last_name && a.locale == b.locale && a.unsubscribed_at == b.unsubscribed_at &&
         a.last_survey_at == b.last_survey_at;
}

}  // namespace

Result<IngestResult> App::IngestOrder(const store::Shop& shop, const OrderInput& order) {
  const Instant now = clock_.Now();
  auto r = store_.Write<IngestResult>(
      [&](store::Tx& tx) { return IngestInTx(tx, shop, order, now); });
  if (r && r->created) Notify();
  return r;
}

std::vector<Result<IngestResult>> App::IngestBatch(const store::Shop& shop,
                                                   const std::vector<OrderInput>& orders) {
  const Instant now = clock_.Now();
  std::vector<std::optional<Result<IngestResult>>> slots(orders.size());
  std::mutex mu;
  std::condition_variable cv;
  size_t pending = orders.size();
  for (size_t i = 0; i < orders.size(); ++i) {
    store_.WriteAsync(
        [&, i](store::Tx& tx) -> Status {
          slots[i].emplace(IngestInTx(tx, shop, orders[i], now));
          if (!slots[i]->ok()) return slots[i]->error();
          return OkStatus();
        },
        [&, i](Status s) {
          std::lock_guard lock(mu);
          if (!s.ok()) slots[i].emplace(s.error());
          if (--pending == 0) cv.notify_one();
        });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return pending == 0; });
  }
  std::vector<Result<IngestResult>> out;
  out.reserve(orders.size());
  for (auto& s : slots) out.push_back(std::move(*s));
  Notify();
  return out;
}

Result<IngestResult> App::IngestInTx(store::Tx& tx, const store::Shop& shop, const OrderInput& in,
                                     Instant now) {
  // Clocks drift a little; an order from tomorrow is a bug in the sender.
  if (in.created_at > now + std::chrono::hours{24}) {
    return InvalidArgument("created_at", "is more than a day in the future");
  }
  auto existing = tx.FindOrder(shop.id, in.external_id);
  if (!existing) return existing.error();
  if (existing->has_value()) return ReplayResult(tx, **existing);

  // Survey: eligibility and throttling are the core's decision, from the customer as it stands.
  auto plan_for = [&](const store::Customer& c) {
    core::CustomerState state;
    state.has_email = !c.email.empty();
    state.unsubscribed = c.unsubscribed_at.has_value();
    state.last_survey_at = c.last_survey_at;
    return core::PlanSurvey(in.created_at, state, PolicyOf(shop.settings), now);
  };

  // Customer: upsert by the shop's identity for it. A new one is inserted with its survey time
  // already set, an existing one rewritten only if this order changed it (one statement fewer
  // per order either way). Another node may insert the same new customer at the same moment: its
  // row wins, and this order joins it (the store's insert waits for that node's commit on
  // PostgreSQL, then reports the row as taken).
  store::Customer customer;
  std::optional<store::Customer> stored;  // as the store has it, when it already existed
  core::SurveyPlan plan;
  for (int attempt = 0;; ++attempt) {
    auto found = tx.FindCustomer(shop.id, CustomerKey(in.customer));
    if (!found) return found.error();
    if (found->has_value()) {
      stored = **found;
      customer = **found;
      Merge(customer, in.customer);
      plan = plan_for(customer);
      break;
    }
    customer = store::Customer{};
    customer.shop_id = shop.id;
    customer.external_id = CustomerKey(in.customer);
    Merge(customer, in.customer);
    plan = plan_for(customer);
    if (plan.skip == core::SurveySkip::kNone) customer.last_survey_at = plan.due_at;
    auto id = tx.InsertCustomer(customer);
    if (id) {
      customer.id = *id;
      break;
    }
    if (id.error().code != Code::kAlreadyExists || attempt > 0) return id.error();
  }

  store::Order order;
  order.shop_id = shop.id;
  order.external_id = in.external_id;
  order.customer_id = customer.id;
  order.created_at = in.created_at;
  order.currency = in.currency;
  order.total_minor = in.total_minor;
  order.discount_codes = in.discount_codes;
  order.items = in.items;
  order.ingested_at = now;
  auto order_id = tx.InsertOrder(order);
  if (!order_id) return order_id.error();
  order.id = *order_id;

  IngestResult result;
  result.created = true;
  result.order_id = order.id;
  result.external_id = order.external_id;

  auto referral = Attribute(tx, shop, order, customer, now);
  if (!referral) return referral.error();
  result.referral = *referral;

  std::optional<store::Id> survey_id;
  if (plan.skip == core::SurveySkip::kNone) {
    store::Survey survey;
    survey.shop_id = shop.id;
    survey.order_id = order.id;
    survey.customer_id = customer.id;
    survey.segment = order.items.empty() ? "" : order.items.front().category;
    survey.due_at = plan.due_at;
    auto sid = tx.InsertSurvey(survey);
    if (!sid) return sid.error();
    survey_id = *sid;
    auto queued = tx.EnqueueJob(shop.id, store::JobKind::kSurvey, *sid, plan.due_at);
    if (!queued) return queued.error();
    customer.last_survey_at = plan.due_at;
    result.survey.scheduled = true;
    result.survey.due_at = plan.due_at;
  } else {
    result.survey.skipped_reason = core::SkipName(plan.skip);
  }
  if (stored && !SameStoredFields(*stored, customer)) VOUCH_TRY(tx.UpdateCustomer(customer));

  std::optional<store::Id> referral_id;
  if (result.referral) referral_id = result.referral->referral_id;
  VOUCH_TRY(tx.SetOrderOutcome(order.id, survey_id, result.survey.skipped_reason, referral_id));
  return result;
}

Result<IngestResult> App::ReplayResult(store::Tx& tx, const store::Order& order) {
  IngestResult r;
  r.created = false;
  r.order_id = order.id;
  r.external_id = order.external_id;
  if (order.survey_id) {
    auto s = tx.GetSurvey(*order.survey_id);
    if (!s) return s.error();
    if (s->has_value()) {
      r.survey.scheduled = true;
      r.survey.due_at = (*s)->due_at;
    }
  } else {
    r.survey.skipped_reason = order.survey_skip;
  }
  if (order.referral_id) {
    auto ref = tx.GetReferral(*order.referral_id);
    if (!ref) return ref.error();
    if (ref->has_value()) {
      ReferralOutcome out;
      out.referral_id = (*ref)->id;
      out.status = (*ref)->status;
      auto code = tx.GetCode((*ref)->code_id);
      if (!code) return code.error();
      if (code->has_value()) out.code = (*code)->code;
      auto reward = tx.FindRewardByReferral((*ref)->id);
      if (!reward) return reward.error();
      if (reward->has_value()) out.reward_code = (*reward)->code;
      r.referral = out;
    }
  }
  return r;
}

}  // namespace vouch::app
