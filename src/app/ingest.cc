#include "app/ingest.h"

#include <utility>

#include "app/ingest_steps.h"
#include "base/log.h"
#include "core/signals.h"

namespace vouch::app {

using namespace ingest_steps;

namespace {

// Whether an order can take the set path: all it needs is known after two look-ups per set.
// An order with discount codes may be a referral, whose attribution reads codes, the promoter and
// the buyer's history order by order.
// An order whose landing URL may hold a code (attribution by landing URL) goes one by one too.
bool SetEligible(const OrderInput& o) {
  return o.discount_codes.empty() && !core::LandingMayHoldCode(o.landing_site);
}

// Orders per set write function: a set holds the writer (and its transaction) while it runs.
constexpr size_t kMaxSetOrders = 2000;

}  // namespace

Ingest::Ingest(store::Store& store, const Clock& clock, Referrals& referrals, AsyncCalls& async,
               const WorkNotifier& notifier, Unsubscribes& unsubscribes)
    : store_(store),
      clock_(clock),
      referrals_(referrals),
      async_(async),
      notifier_(notifier),
      unsubscribes_(unsubscribes),
      set_(store, SetCoalescer::Options{kMaxSetOrders, "ingest.set_one_by_one", "orders", "set not run"},
           SetCoalescer::Callbacks{[this](store::Tx& tx, SetCoalescer::Set& set) { return RunSet(tx, set); },
                                   [this](SetCoalescer::Set& set) { FinishSet(set); },
                                   [this](QueuedOrder&& q) { SubmitOne(std::move(q)); },
                                   [](QueuedOrder& q, const Error& e) { q.call->Answer(q.index, e); }}) {}

// --- Entry points ------------------------------------------------------------------------------

Result<IngestResult> Ingest::Order(const store::Shop& shop, const OrderInput& order) {
  auto call = std::make_shared<Call>(1);
  Submit(QueuedOrder{call, 0, &shop, &order});
  call->Wait();
  return std::move(*call->results[0]);
}

void Ingest::Submit(QueuedOrder q) {
  if (SetEligible(*q.order)) {
    set_.Submit(std::move(q));
  } else {
    SubmitOne(std::move(q));
  }
}

std::vector<Result<IngestResult>> Ingest::Batch(const store::Shop& shop,
                                                const std::vector<OrderInput>& orders) {
  if (orders.empty()) return {};
  auto call = std::make_shared<Call>(orders.size());
  // The batch's outcome must be the one of its orders taken in turn. The set goes first, so an
  // order with discount codes (whose attribution reads the buyer's earlier orders) and every
  // order after it wait for the set's commit and then run one by one, in the batch's order.
  std::vector<QueuedOrder> queued;
  queued.reserve(orders.size());
  bool after_coded = false;
  for (size_t i = 0; i < orders.size(); ++i) {
    after_coded = after_coded || !SetEligible(orders[i]);
    queued.push_back(QueuedOrder{call, i, &shop, &orders[i], after_coded});
  }
  if (queued.front().alone) {
    for (auto& q : queued) SubmitOne(std::move(q));  // nothing for a set
  } else {
    set_.SubmitGroup(std::move(queued));
  }
  call->Wait();
  std::vector<Result<IngestResult>> out;
  out.reserve(orders.size());
  for (auto& r : call->results) out.push_back(std::move(*r));
  return out;
}

void Ingest::OrderAsync(store::Shop shop, OrderInput order, std::function<void(Result<IngestResult>)> done) {
  struct Owned {
    store::Shop shop;
    OrderInput order;
  };
  auto owned = std::make_shared<Owned>(Owned{std::move(shop), std::move(order)});
  auto finished = async_.Begin();
  async_orders_.fetch_add(1, std::memory_order_relaxed);
  auto call = std::make_shared<Call>(1);
  call->owned = owned;
  call->on_done = [done = std::move(done), finished](Call& c) {
    try {  // on the writer thread: nothing may escape into it
      done(std::move(*c.results[0]));
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "ingest.async_done_threw", {{"error", e.what()}});
    }
    finished();
  };
  try {
    Submit(QueuedOrder{call, 0, &owned->shop, &owned->order});
  } catch (...) {  // not queued (out of memory): never answered, so not in flight
    finished();
    throw;
  }
}

void Ingest::Call::Answer(size_t i, Result<IngestResult> r) {
  {
    std::lock_guard lock(mu);
    results[i].emplace(std::move(r));
    if (--pending > 0) return;
    if (!on_done) {
      cv.notify_all();
      return;
    }
  }
  on_done(*this);  // the last answer, so no other thread touches this call any more
  on_done = nullptr;
  owned.reset();
}

void Ingest::Call::Wait() {
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return pending == 0; });
}

// --- One by one -------------------------------------------------------------------------------

void Ingest::SubmitOne(QueuedOrder q) {
  auto result = std::make_shared<std::optional<Result<IngestResult>>>();
  store_.WriteAsync(
      [this, q, result](store::Tx& tx) -> Status {
        result->emplace(IngestInTx(tx, *q.shop, *q.order, clock_.Now()));
        if (!(*result)->ok()) return (*result)->error();
        return OkStatus();
      },
      [this, q, result](Status s) {
        if (!s.ok()) {
          q.call->Answer(q.index, s.error());
          return;
        }
        if ((**result)->created) notifier_.Notify();  // first: an answered caller may destroy the App
        q.call->Answer(q.index, std::move(**result));
      });
}

// --- One order in a transaction ---------------------------------------------------------------

struct Ingest::Buyer {
  store::Customer customer;
  std::optional<store::Customer> stored;  // as the store has it, when it already existed
  core::SurveyPlan plan;
};

// Customer: upsert by the shop's identity for it. A new one is inserted with its survey time
// already set, an existing one rewritten only if this order changed it (one statement fewer per
// order either way, see IngestInTx). Another node may insert the same new customer at the same
// moment: its row wins, and this order joins it (the store's insert waits for that node's commit
// on PostgreSQL, then reports the row as taken).
Result<Ingest::Buyer> Ingest::UpsertBuyerInTx(store::Tx& tx, const store::Shop& shop, const OrderInput& in,
                                              Instant now) {
  Buyer b;
  for (int attempt = 0;; ++attempt) {
    auto found = tx.customers().Find(shop.id, CustomerKey(in.customer));
    if (!found) return found.error();
    if (found->has_value()) {
      b.stored = **found;
      b.customer = **found;
      Merge(b.customer, in.customer);
      auto opted_out = SmsOptedOutInTx(tx, b.customer, shop.settings);
      if (!opted_out) return opted_out.error();
      b.plan = PlanFor(b.customer, in, shop.settings, now, *opted_out);
      VOUCH_TRY(DropUnsubscribedInTx(tx, shop, in, now, b));
      return b;
    }
    b.customer = store::Customer{};
    b.customer.shop_id = shop.id;
    b.customer.external_id = CustomerKey(in.customer);
    Merge(b.customer, in.customer);
    auto opted_out = SmsOptedOutInTx(tx, b.customer, shop.settings);
    if (!opted_out) return opted_out.error();
    b.plan = PlanFor(b.customer, in, shop.settings, now, *opted_out);
    VOUCH_TRY(DropUnsubscribedInTx(tx, shop, in, now, b));
    if (b.plan.skip == core::SurveySkip::kNone) b.customer.last_survey_at = b.plan.due_at;
    auto id = tx.customers().Insert(b.customer);
    if (id) {
      b.customer.id = *id;
      return b;
    }
    if (id.error().code != Code::kAlreadyExists || attempt > 0) return id.error();
  }
}

// A survey planned for a person who unsubscribed as another customer row (unsubscribes.h): the
// customer is marked unsubscribed and planned again.
Status Ingest::DropUnsubscribedInTx(store::Tx& tx, const store::Shop& shop, const OrderInput& in, Instant now,
                                    Buyer& b) {
  if (b.plan.skip != core::SurveySkip::kNone || b.customer.unsubscribed_at) return OkStatus();
  auto held = unsubscribes_.HeldInTx(tx, b.customer);
  if (!held) return held.error();
  if (!*held) return OkStatus();
  b.customer.unsubscribed_at = now;
  // Unsubscribed now: the plan skips whatever the channel, so the SMS opt-out needs no reading.
  b.plan = PlanFor(b.customer, in, shop.settings, now, false);
  return OkStatus();
}

Result<IngestResult> Ingest::IngestInTx(store::Tx& tx, const store::Shop& shop, const OrderInput& in,
                                        Instant now) {
  VOUCH_TRY(CheckNotFromTheFuture(in, now));
  auto existing = tx.orders().Find(shop.id, in.external_id);
  if (!existing) return existing.error();
  if (existing->has_value()) return ReplayResult(tx, **existing);

  auto buyer = UpsertBuyerInTx(tx, shop, in, now);
  if (!buyer) return buyer.error();
  store::Customer& customer = buyer->customer;
  const core::SurveyPlan& plan = buyer->plan;

  store::Order order = NewOrder(shop.id, in, customer.id, now);
  auto order_id = tx.orders().Insert(order);
  if (!order_id) return order_id.error();
  order.id = *order_id;

  IngestResult result;
  result.created = true;
  result.order_id = order.id;
  result.external_id = order.external_id;

  auto referral = referrals_.AttributeInTx(tx, shop, order, customer, now);
  if (!referral) return referral.error();
  result.referral = *referral;
  if (!order.discount_codes.empty()) VOUCH_TRY(referrals_.NoteVouchersInTx(tx, shop.id, order, now));

  std::optional<store::Id> survey_id;
  if (plan.skip == core::SurveySkip::kNone) {
    auto sid = tx.surveys().Insert(NewSurvey(order, plan));
    if (!sid) return sid.error();
    survey_id = *sid;
    auto queued = tx.jobs().Enqueue(shop.id, store::JobKind::kSurvey, *sid, plan.channel, plan.due_at);
    if (!queued) return queued.error();
    customer.last_survey_at = plan.due_at;
  }
  result.survey = OutcomeOf(plan);
  if (buyer->stored && !SameStoredFields(*buyer->stored, customer))
    VOUCH_TRY(tx.customers().Update(customer));

  std::optional<store::Id> referral_id;
  if (result.referral) referral_id = result.referral->referral_id;
  VOUCH_TRY(tx.orders().SetOutcome(order.id, survey_id, result.survey.skipped_reason, referral_id));
  return result;
}

Result<IngestResult> Ingest::ReplayResult(store::Tx& tx, const store::Order& order) {
  IngestResult r;
  r.created = false;
  r.order_id = order.id;
  r.external_id = order.external_id;
  if (order.survey_id) {
    auto s = tx.surveys().Get(*order.survey_id);
    if (!s) return s.error();
    if (s->has_value()) {
      r.survey.scheduled = true;
      r.survey.due_at = (*s)->due_at;
    }
  } else {
    r.survey.skipped_reason = order.survey_skip;
  }
  if (order.referral_id) {
    auto ref = tx.referrals().Get(*order.referral_id);
    if (!ref) return ref.error();
    if (ref->has_value()) {
      ReferralOutcome out;
      out.referral_id = (*ref)->id;
      out.status = (*ref)->status;
      out.decision = (*ref)->decision;
      out.rules = (*ref)->rules;
      auto code = tx.referrals().GetCode((*ref)->code_id);
      if (!code) return code.error();
      if (code->has_value()) out.code = (*code)->code;
      auto reward = tx.referrals().FindRewardByReferral((*ref)->id);
      if (!reward) return reward.error();
      // A reward voided when it was made (over the monthly cap) was never the promoter's.
      if (reward->has_value() && (*reward)->reverse_reason != "monthly_cap")
        out.reward_code = (*reward)->code;
      r.referral = out;
    }
  }
  return r;
}

}  // namespace vouch::app
