#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "app/app.h"
#include "base/log.h"
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

// Clocks drift a little; an order from tomorrow is a bug in the sender.
Status CheckNotFromTheFuture(const OrderInput& in, Instant now) {
  if (in.created_at > now + std::chrono::hours{24}) {
    return InvalidArgument("created_at", "is more than a day in the future");
  }
  return OkStatus();
}

// Survey: eligibility and throttling are the core's decision, from the customer as it stands.
core::SurveyPlan PlanFor(const store::Customer& c, const OrderInput& in, const store::ShopSettings& settings,
                         Instant now) {
  core::CustomerState state;
  if (!c.email.empty()) state.reachable.Add(core::Channel::kEmail);
  state.unsubscribed = c.unsubscribed_at.has_value();
  state.last_survey_at = c.last_survey_at;
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
  return order;
}

// The survey a stored order gets when its plan schedules one.
store::Survey NewSurvey(const store::Order& order, const core::SurveyPlan& plan) {
  store::Survey survey;
  survey.shop_id = order.shop_id;
  survey.order_id = order.id;
  survey.customer_id = order.customer_id;
  survey.segment = order.items.empty() ? "" : order.items.front().category;
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

// Whether an order can take the set path: all it needs is known after two look-ups per set.
// An order with discount codes may be a referral, whose attribution reads codes, the promoter and
// the buyer's history order by order.
bool SetEligible(const OrderInput& o) { return o.discount_codes.empty(); }

// Orders per set write function: a set holds the writer (and its transaction) while it runs.
constexpr size_t kMaxSetOrders = 2000;

}  // namespace

// --- Entry points ------------------------------------------------------------------------------

Result<IngestResult> App::IngestOrder(const store::Shop& shop, const OrderInput& order) {
  auto call = std::make_shared<IngestCall>(1);
  QueuedOrder q{call, 0, &shop, &order};
  if (SetEligible(order)) {
    QueueForSet({std::move(q)});
  } else {
    SubmitOne(std::move(q));
  }
  call->Wait();
  return std::move(*call->results[0]);
}

std::vector<Result<IngestResult>> App::IngestBatch(const store::Shop& shop,
                                                   const std::vector<OrderInput>& orders) {
  if (orders.empty()) return {};
  auto call = std::make_shared<IngestCall>(orders.size());
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
    QueueForSet(std::move(queued));
  }
  call->Wait();
  std::vector<Result<IngestResult>> out;
  out.reserve(orders.size());
  for (auto& r : call->results) out.push_back(std::move(*r));
  return out;
}

void App::IngestOrderAsync(store::Shop shop, OrderInput order,
                           std::function<void(Result<IngestResult>)> done) {
  struct Owned {
    store::Shop shop;
    OrderInput order;
  };
  auto owned = std::make_shared<Owned>(Owned{std::move(shop), std::move(order)});
  auto finished = BeginAsync();
  async_ingests_.fetch_add(1, std::memory_order_relaxed);
  auto call = std::make_shared<IngestCall>(1);
  call->owned = owned;
  call->on_done = [done = std::move(done), finished](IngestCall& c) {
    try {  // on the writer thread: nothing may escape into it
      done(std::move(*c.results[0]));
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "ingest.async_done_threw", {{"error", e.what()}});
    }
    finished();
  };
  QueuedOrder q{call, 0, &owned->shop, &owned->order};
  try {
    if (SetEligible(owned->order)) {
      QueueForSet({std::move(q)});
    } else {
      SubmitOne(std::move(q));
    }
  } catch (...) {  // not queued (out of memory): never answered, so not in flight
    finished();
    throw;
  }
}

std::function<void()> App::BeginAsync() {
  {
    std::lock_guard lock(async_mu_);
    ++async_in_flight_;
  }
  auto counted = std::make_shared<std::atomic<bool>>(true);
  return [this, counted] {
    if (!counted->exchange(false)) return;  // once, whichever way the call ends
    std::lock_guard lock(async_mu_);        // the last touch of this App
    if (--async_in_flight_ == 0) async_cv_.notify_all();
  };
}

void App::WaitForAsync() {
  std::unique_lock lock(async_mu_);
  async_cv_.wait(lock, [&] { return async_in_flight_ == 0; });
}

void App::IngestCall::Answer(size_t i, Result<IngestResult> r) {
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

void App::IngestCall::Wait() {
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return pending == 0; });
}

// --- One by one -------------------------------------------------------------------------------

void App::SubmitOne(QueuedOrder q) {
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
        if ((**result)->created) Notify();  // first: an answered caller may destroy the App
        q.call->Answer(q.index, std::move(**result));
      });
}

// --- The set path -----------------------------------------------------------------------------
//
// Calls' orders wait in set_pending_ until a write function takes them: at most one such
// function is queued at a time, so orders that arrive while the writer is busy share the next
// one. It takes whole calls, up to kMaxSetOrders orders unless one call alone has more, splits
// them by shop, and ingests with IngestSetInTx all but those marked alone and those whose order
// or customer key repeats an earlier one of the set (their outcome depends on it): these run one
// by one after the commit, in their call's order. When the function fails (a key another node
// inserted between our look-up and our insert, a row the database refused, the database away),
// the writer undoes it (to its savepoint, or the whole transaction when it ran alone) and each of
// the set's orders runs again alone, so one bad order still fails alone (and with the database
// away, each gets its own 503).

struct App::SetWrite {
  bool taken = false;  // the function ran and took its orders (fixed for a retry)
  Instant now{};
  std::vector<QueuedOrder> orders;
  std::vector<std::optional<Result<IngestResult>>> results;
  std::vector<size_t> alone;  // to run one by one after the commit
};

void App::QueueForSet(std::vector<QueuedOrder> orders) {
  {
    std::lock_guard lock(set_mu_);
    set_pending_.push_back(std::move(orders));
    if (set_scheduled_) return;
    set_scheduled_ = true;
  }
  ScheduleSetWrite();
}

void App::ScheduleSetWrite() {
  auto set = std::make_shared<SetWrite>();
  store_.WriteAsync(
      [this, set](store::Tx& tx) -> Status {
        if (!set->taken) {
          set->taken = true;
          set->now = clock_.Now();
          bool more = false;
          {
            std::lock_guard lock(set_mu_);
            size_t calls = 0;
            while (calls < set_pending_.size() &&
                   (calls == 0 || set->orders.size() + set_pending_[calls].size() <= kMaxSetOrders)) {
              for (auto& q : set_pending_[calls]) set->orders.push_back(std::move(q));
              ++calls;
            }
            set_pending_.erase(set_pending_.begin(), set_pending_.begin() + static_cast<std::ptrdiff_t>(calls));
            more = !set_pending_.empty();
            if (!more) set_scheduled_ = false;
          }
          if (more) ScheduleSetWrite();  // the rest in the next function, maybe the same commit
        }
        return RunSet(tx, *set);
      },
      [this, set](Status s) { FinishSet(*set, s); });
}

Status App::RunSet(store::Tx& tx, SetWrite& set) {
  set.results.assign(set.orders.size(), std::nullopt);
  set.alone.clear();
  std::map<store::Id, std::vector<size_t>> by_shop;
  for (size_t i = 0; i < set.orders.size(); ++i) by_shop[set.orders[i].shop->id].push_back(i);
  for (const auto& [shop_id, indexes] : by_shop) {
    std::unordered_set<std::string_view> order_keys;
    std::unordered_set<std::string> customer_keys;
    std::vector<const QueuedOrder*> members;
    std::vector<size_t> where;
    for (size_t i : indexes) {
      const QueuedOrder& q = set.orders[i];
      if (q.alone || !order_keys.insert(q.order->external_id).second ||
          !customer_keys.insert(CustomerKey(q.order->customer)).second) {
        set.alone.push_back(i);
        continue;
      }
      members.push_back(&q);
      where.push_back(i);
    }
    if (members.empty()) continue;
    auto done = IngestSetInTx(tx, members, set.now);
    if (!done) return done.error();
    for (size_t k = 0; k < where.size(); ++k) set.results[where[k]].emplace(std::move((*done)[k]));
  }
  return OkStatus();
}

void App::FinishSet(SetWrite& set, const Status& s) {
  if (!set.taken) {  // never ran: the store is shutting down; answer what waits
    std::vector<std::vector<QueuedOrder>> calls;
    {
      std::lock_guard lock(set_mu_);
      calls.swap(set_pending_);
      set_scheduled_ = false;
    }
    for (auto& orders : calls) {
      for (auto& q : orders) q.call->Answer(q.index, s.ok() ? Result<IngestResult>(Internal("set not run")) : s.error());
    }
    return;
  }
  if (s.ok()) {
    // Before any answer: an answered caller's orders (and the App itself) may be gone.
    for (size_t i : set.alone) SubmitOne(set.orders[i]);
    if (std::any_of(set.results.begin(), set.results.end(), [](const auto& r) { return r && r->ok() && (*r)->created; })) {
      Notify();
    }
    for (size_t i = 0; i < set.orders.size(); ++i) {
      if (set.results[i]) set.orders[i].call->Answer(set.orders[i].index, std::move(*set.results[i]));
    }
    return;
  }
  Log(LogLevel::kInfo, "ingest.set_one_by_one",
      {{"orders", std::to_string(set.orders.size())}, {"error", s.error().message}});
  for (auto& q : set.orders) SubmitOne(q);
}

Result<std::vector<Result<IngestResult>>> App::IngestSetInTx(store::Tx& tx,
                                                             const std::vector<const QueuedOrder*>& queued,
                                                             Instant now) {
  const store::Shop& shop = *queued.front()->shop;  // the id; settings are each caller's own
  std::vector<const OrderInput*> in;
  in.reserve(queued.size());
  for (const auto* q : queued) in.push_back(q->order);
  std::vector<Result<IngestResult>> out(in.size(), Result<IngestResult>(Internal("not ingested")));
  std::vector<size_t> live;
  std::vector<std::string> keys;
  for (size_t i = 0; i < in.size(); ++i) {
    if (auto valid = CheckNotFromTheFuture(*in[i], now); !valid) {
      out[i] = valid.error();
      continue;
    }
    live.push_back(i);
    keys.push_back(in[i]->external_id);
  }

  // Orders we already have are replays.
  auto known = tx.orders().FindMany(shop.id, keys);
  if (!known) return known.error();
  std::unordered_map<std::string, const store::Order*> known_by_key;
  for (const auto& o : *known) known_by_key.emplace(o.external_id, &o);
  std::vector<size_t> fresh;
  keys.clear();
  for (size_t i : live) {
    auto it = known_by_key.find(in[i]->external_id);
    if (it != known_by_key.end()) {
      auto replay = ReplayResult(tx, *it->second);
      if (!replay) return replay.error();
      out[i] = std::move(*replay);
      continue;
    }
    fresh.push_back(i);
    keys.push_back(CustomerKey(in[i]->customer));
  }
  if (fresh.empty()) return out;

  // Customers: as stored and merged with this order, or new with their survey time set.
  auto stored = tx.customers().FindMany(shop.id, keys);
  if (!stored) return stored.error();
  std::unordered_map<std::string, const store::Customer*> stored_by_key;
  for (const auto& c : *stored) stored_by_key.emplace(c.external_id, &c);
  std::vector<store::Customer> customers(fresh.size());
  std::vector<const store::Customer*> before(fresh.size(), nullptr);
  std::vector<core::SurveyPlan> plans(fresh.size());
  std::vector<store::Customer> to_insert;
  std::vector<size_t> inserted_at;
  for (size_t k = 0; k < fresh.size(); ++k) {
    const OrderInput& o = *in[fresh[k]];
    store::Customer& c = customers[k];
    auto it = stored_by_key.find(keys[k]);
    if (it != stored_by_key.end()) {
      before[k] = it->second;
      c = *it->second;
    } else {
      c.shop_id = shop.id;
      c.external_id = keys[k];
    }
    Merge(c, o.customer);
    plans[k] = PlanFor(c, o, queued[fresh[k]]->shop->settings, now);
    if (plans[k].skip == core::SurveySkip::kNone) c.last_survey_at = plans[k].due_at;
    if (!before[k]) inserted_at.push_back(k);
  }
  // In key order: two nodes inserting some of the same new customers take their row locks in the
  // same order, so they wait for each other instead of deadlocking.
  std::sort(inserted_at.begin(), inserted_at.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  for (size_t k : inserted_at) to_insert.push_back(customers[k]);
  auto new_ids = tx.customers().InsertMany(to_insert);
  if (!new_ids) return new_ids.error();
  for (size_t j = 0; j < inserted_at.size(); ++j) {
    if (!(*new_ids)[j]) {
      return Error{Code::kAlreadyExists, "customer " + to_insert[j].external_id + " was inserted meanwhile", {}};
    }
    customers[inserted_at[j]].id = *(*new_ids)[j];
  }

  std::vector<store::Order> orders;
  orders.reserve(fresh.size());
  for (size_t k = 0; k < fresh.size(); ++k) {
    orders.push_back(NewOrder(shop.id, *in[fresh[k]], customers[k].id, now));
    if (plans[k].skip != core::SurveySkip::kNone) orders.back().survey_skip = core::SkipName(plans[k].skip);
  }
  auto order_ids = tx.orders().InsertMany(orders);
  if (!order_ids) return order_ids.error();
  for (size_t k = 0; k < fresh.size(); ++k) {
    if (!(*order_ids)[k]) return Error{Code::kAlreadyExists, "order " + orders[k].external_id + " was inserted meanwhile", {}};
    orders[k].id = *(*order_ids)[k];
  }

  std::vector<store::Survey> surveys;
  for (size_t k = 0; k < fresh.size(); ++k) {
    if (plans[k].skip == core::SurveySkip::kNone) surveys.push_back(NewSurvey(orders[k], plans[k]));
  }
  if (!surveys.empty()) {
    auto survey_ids = tx.surveys().InsertMany(surveys);
    if (!survey_ids) return survey_ids.error();
    std::vector<std::pair<store::Id, Instant>> jobs;
    std::vector<store::Id> linked;
    for (size_t j = 0; j < surveys.size(); ++j) {
      jobs.emplace_back((*survey_ids)[j], surveys[j].due_at);
      linked.push_back(surveys[j].order_id);
    }
    auto enqueued = tx.jobs().EnqueueMany(shop.id, store::JobKind::kSurvey, core::Channel::kEmail, jobs);
    if (!enqueued) return enqueued.error();
    VOUCH_TRY(tx.orders().LinkSurveys(linked));
  }
  for (size_t k = 0; k < fresh.size(); ++k) {
    if (before[k] && !SameStoredFields(*before[k], customers[k])) VOUCH_TRY(tx.customers().Update(customers[k]));
  }

  for (size_t k = 0; k < fresh.size(); ++k) {
    IngestResult r;
    r.created = true;
    r.order_id = orders[k].id;
    r.external_id = orders[k].external_id;
    r.survey = OutcomeOf(plans[k]);
    out[fresh[k]] = std::move(r);
  }
  return out;
}

// --- One order in a transaction ---------------------------------------------------------------

Result<IngestResult> App::IngestInTx(store::Tx& tx, const store::Shop& shop, const OrderInput& in,
                                     Instant now) {
  VOUCH_TRY(CheckNotFromTheFuture(in, now));
  auto existing = tx.orders().Find(shop.id, in.external_id);
  if (!existing) return existing.error();
  if (existing->has_value()) return ReplayResult(tx, **existing);

  // Customer: upsert by the shop's identity for it. A new one is inserted with its survey time
  // already set, an existing one rewritten only if this order changed it (one statement fewer
  // per order either way). Another node may insert the same new customer at the same moment: its
  // row wins, and this order joins it (the store's insert waits for that node's commit on
  // PostgreSQL, then reports the row as taken).
  store::Customer customer;
  std::optional<store::Customer> stored;  // as the store has it, when it already existed
  core::SurveyPlan plan;
  for (int attempt = 0;; ++attempt) {
    auto found = tx.customers().Find(shop.id, CustomerKey(in.customer));
    if (!found) return found.error();
    if (found->has_value()) {
      stored = **found;
      customer = **found;
      Merge(customer, in.customer);
      plan = PlanFor(customer, in, shop.settings, now);
      break;
    }
    customer = store::Customer{};
    customer.shop_id = shop.id;
    customer.external_id = CustomerKey(in.customer);
    Merge(customer, in.customer);
    plan = PlanFor(customer, in, shop.settings, now);
    if (plan.skip == core::SurveySkip::kNone) customer.last_survey_at = plan.due_at;
    auto id = tx.customers().Insert(customer);
    if (id) {
      customer.id = *id;
      break;
    }
    if (id.error().code != Code::kAlreadyExists || attempt > 0) return id.error();
  }

  store::Order order = NewOrder(shop.id, in, customer.id, now);
  auto order_id = tx.orders().Insert(order);
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
    auto sid = tx.surveys().Insert(NewSurvey(order, plan));
    if (!sid) return sid.error();
    survey_id = *sid;
    auto queued = tx.jobs().Enqueue(shop.id, store::JobKind::kSurvey, *sid, core::Channel::kEmail, plan.due_at);
    if (!queued) return queued.error();
    customer.last_survey_at = plan.due_at;
  }
  result.survey = OutcomeOf(plan);
  if (stored && !SameStoredFields(*stored, customer)) VOUCH_TRY(tx.customers().Update(customer));

  std::optional<store::Id> referral_id;
  if (result.referral) referral_id = result.referral->referral_id;
  VOUCH_TRY(tx.orders().SetOutcome(order.id, survey_id, result.survey.skipped_reason, referral_id));
  return result;
}

Result<IngestResult> App::ReplayResult(store::Tx& tx, const store::Order& order) {
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
      out.status = core::VerdictName((*ref)->status);
      auto code = tx.referrals().GetCode((*ref)->code_id);
      if (!code) return code.error();
      if (code->has_value()) out.code = (*code)->code;
      auto reward = tx.referrals().FindRewardByReferral((*ref)->id);
      if (!reward) return reward.error();
      if (reward->has_value()) out.reward_code = (*reward)->code;
      r.referral = out;
    }
  }
  return r;
}

}  // namespace vouch::app
