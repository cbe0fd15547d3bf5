// The set path of Ingest: orders without discount codes, taken together by one write function.
#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "app/ingest.h"
#include "app/ingest_steps.h"

namespace vouch::app {

using namespace ingest_steps;

// --- The set path -----------------------------------------------------------------------------
//
// Calls' orders wait in the coalescer (app/coalescer.h) until a write function takes them: whole
// calls, up to kMaxSetOrders orders unless one call alone has more. RunSet splits them by shop,
// and ingests with IngestSetInTx all but those marked alone and those whose order or customer key
// repeats an earlier one of the set (their outcome depends on it): these run one by one after the
// commit, in their call's order. When the function fails (a key another node inserted between our
// look-up and our insert, a row the database refused, the database away), the writer undoes it
// (to its savepoint, or the whole transaction when it ran alone) and each of the set's orders
// runs again alone, so one bad order still fails alone (and with the database away, each gets its
// own 503).

Status Ingest::RunSet(store::Tx& tx, SetCoalescer::Set& set) {
  if (set.runs == 1) set.state.now = clock_.Now();  // fixed for a retry
  set.state.results.assign(set.items.size(), std::nullopt);
  set.state.alone.clear();
  std::map<store::Id, std::vector<size_t>> by_shop;
  for (size_t i = 0; i < set.items.size(); ++i) by_shop[set.items[i].shop->id].push_back(i);
  for (const auto& [shop_id, indexes] : by_shop) {
    std::unordered_set<std::string_view> order_keys;
    std::unordered_set<std::string> customer_keys;
    std::vector<const QueuedOrder*> members;
    std::vector<size_t> where;
    for (size_t i : indexes) {
      const QueuedOrder& q = set.items[i];
      if (q.alone || !order_keys.insert(q.order->external_id).second ||
          !customer_keys.insert(CustomerKey(q.order->customer)).second) {
        set.state.alone.push_back(i);
        continue;
      }
      members.push_back(&q);
      where.push_back(i);
    }
    if (members.empty()) continue;
    auto done = IngestSetInTx(tx, members, set.state.now);
    if (!done) return done.error();
    for (size_t k = 0; k < where.size(); ++k) set.state.results[where[k]].emplace(std::move((*done)[k]));
  }
  return OkStatus();
}

void Ingest::FinishSet(SetCoalescer::Set& set) {
  // Before any answer: an answered caller's orders (and the App itself) may be gone.
  for (size_t i : set.state.alone) SubmitOne(set.items[i]);
  const auto& results = set.state.results;
  if (std::any_of(results.begin(), results.end(),
                  [](const auto& r) { return r && r->ok() && (*r)->created; })) {
    notifier_.Notify();
  }
  for (size_t i = 0; i < set.items.size(); ++i) {
    if (set.state.results[i]) set.items[i].call->Answer(set.items[i].index, std::move(*set.state.results[i]));
  }
}

// --- One shop's orders in one go --------------------------------------------------------------

// What IngestSetInTx's steps share: the orders, their results, and per fresh order (index k)
// its customer as stored and as it will be, its plan and its order row.
struct Ingest::SetWork {
  const store::Shop* shop = nullptr;  // the id; settings are each caller's own
  const std::vector<const QueuedOrder*>* queued = nullptr;
  std::vector<const OrderInput*> in;
  Instant now{};
  std::vector<Result<IngestResult>> out;
  std::vector<size_t> fresh;      // indexes into `in` of orders not stored yet
  std::vector<std::string> keys;  // customer keys of the fresh orders
  std::vector<store::Customer> customers;
  std::vector<store::Customer> stored;         // the fresh orders' customers the store has
  std::vector<const store::Customer*> before;  // into `stored`; null for new customers
  std::vector<core::SurveyPlan> plans;
  std::vector<store::Order> orders;
};

Result<std::vector<Result<IngestResult>>> Ingest::IngestSetInTx(store::Tx& tx,
                                                                const std::vector<const QueuedOrder*>& queued,
                                                                Instant now) {
  SetWork w;
  w.shop = queued.front()->shop;
  w.queued = &queued;
  w.now = now;
  w.in.reserve(queued.size());
  for (const auto* q : queued) w.in.push_back(q->order);
  w.out.assign(w.in.size(), Result<IngestResult>(Internal("not ingested")));

  VOUCH_TRY(FindReplaysInTx(tx, w));
  if (w.fresh.empty()) return std::move(w.out);
  VOUCH_TRY(PrepareCustomersInTx(tx, w));
  VOUCH_TRY(InsertOrdersInTx(tx, w));
  VOUCH_TRY(InsertSurveysInTx(tx, w));
  for (size_t k = 0; k < w.fresh.size(); ++k) {
    if (w.before[k] && !SameStoredFields(*w.before[k], w.customers[k]))
      VOUCH_TRY(tx.customers().Update(w.customers[k]));
  }

  for (size_t k = 0; k < w.fresh.size(); ++k) {
    IngestResult r;
    r.created = true;
    r.order_id = w.orders[k].id;
    r.external_id = w.orders[k].external_id;
    r.survey = OutcomeOf(w.plans[k]);
    w.out[w.fresh[k]] = std::move(r);
  }
  return std::move(w.out);
}

// Orders from the future fail alone; orders we already have are replays; the rest are fresh.
Status Ingest::FindReplaysInTx(store::Tx& tx, SetWork& w) {
  std::vector<size_t> live;
  std::vector<std::string>& keys = w.keys;
  for (size_t i = 0; i < w.in.size(); ++i) {
    if (auto valid = CheckNotFromTheFuture(*w.in[i], w.now); !valid) {
      w.out[i] = valid.error();
      continue;
    }
    live.push_back(i);
    keys.push_back(w.in[i]->external_id);
  }

  auto known = tx.orders().FindMany(w.shop->id, keys);
  if (!known) return known.error();
  std::unordered_map<std::string, const store::Order*> known_by_key;
  for (const auto& o : *known) known_by_key.emplace(o.external_id, &o);
  keys.clear();
  for (size_t i : live) {
    auto it = known_by_key.find(w.in[i]->external_id);
    if (it != known_by_key.end()) {
      auto replay = ReplayResult(tx, *it->second);
      if (!replay) return replay.error();
      w.out[i] = std::move(*replay);
      continue;
    }
    w.fresh.push_back(i);
    keys.push_back(CustomerKey(w.in[i]->customer));
  }
  return OkStatus();
}

// A customer a survey is planned for whose person unsubscribed (as another customer row, same
// canonical address; unsubscribes.h) is marked unsubscribed and planned again: one statement.
Status Ingest::DropUnsubscribedInTx(store::Tx& tx, SetWork& w) {
  std::vector<size_t> planned;
  std::vector<const store::Customer*> asked;
  for (size_t k = 0; k < w.plans.size(); ++k) {
    if (w.plans[k].skip != core::SurveySkip::kNone || w.customers[k].unsubscribed_at) continue;
    planned.push_back(k);
    asked.push_back(&w.customers[k]);
  }
  auto held = unsubscribes_.HeldManyInTx(tx, w.shop->id, asked);
  if (!held) return held.error();
  for (size_t j = 0; j < planned.size(); ++j) {
    if (!(*held)[j]) continue;
    const size_t k = planned[j];
    w.customers[k].unsubscribed_at = w.now;
    // Unsubscribed now: the plan skips whatever the channel (the SMS opt-out needs no reading).
    w.plans[k] =
        PlanFor(w.customers[k], *w.in[w.fresh[k]], (*w.queued)[w.fresh[k]]->shop->settings, w.now, false);
  }
  return OkStatus();
}

// Customers: as stored and merged with this order, or new (inserted here) with their survey
// time set.
Status Ingest::PrepareCustomersInTx(store::Tx& tx, SetWork& w) {
  const std::vector<std::string>& keys = w.keys;
  auto stored = tx.customers().FindMany(w.shop->id, keys);
  if (!stored) return stored.error();
  w.stored = std::move(*stored);
  std::unordered_map<std::string, const store::Customer*> stored_by_key;
  for (const auto& c : w.stored) stored_by_key.emplace(c.external_id, &c);
  const size_t n = w.fresh.size();
  w.customers.resize(n);
  w.before.assign(n, nullptr);
  w.plans.resize(n);
  std::vector<store::Customer> to_insert;
  std::vector<size_t> inserted_at;
  for (size_t k = 0; k < n; ++k) {
    const OrderInput& o = *w.in[w.fresh[k]];
    store::Customer& c = w.customers[k];
    auto it = stored_by_key.find(keys[k]);
    if (it != stored_by_key.end()) {
      w.before[k] = it->second;
      c = *it->second;
    } else {
      c.shop_id = w.shop->id;
      c.external_id = keys[k];
    }
    Merge(c, o.customer);
    const store::ShopSettings& settings = (*w.queued)[w.fresh[k]]->shop->settings;
    auto opted_out = SmsOptedOutInTx(tx, c, settings);  // one read per textable customer, texting shops only
    if (!opted_out) return opted_out.error();
    w.plans[k] = PlanFor(c, o, settings, w.now, *opted_out);
  }
  VOUCH_TRY(DropUnsubscribedInTx(tx, w));
  for (size_t k = 0; k < n; ++k) {
    if (w.plans[k].skip == core::SurveySkip::kNone) w.customers[k].last_survey_at = w.plans[k].due_at;
    if (!w.before[k]) inserted_at.push_back(k);
  }
  // In key order: two nodes inserting some of the same new customers take their row locks in the
  // same order, so they wait for each other instead of deadlocking.
  std::sort(inserted_at.begin(), inserted_at.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  for (size_t k : inserted_at) to_insert.push_back(w.customers[k]);
  auto new_ids = tx.customers().InsertMany(to_insert);
  if (!new_ids) return new_ids.error();
  for (size_t j = 0; j < inserted_at.size(); ++j) {
    if (!(*new_ids)[j]) {
      return Error{
          Code::kAlreadyExists, "customer " + to_insert[j].external_id + " was inserted meanwhile", {}};
    }
    w.customers[inserted_at[j]].id = *(*new_ids)[j];
  }
  return OkStatus();
}

// Each order with its survey's id, taken up front: the survey inserted after it needs the order's
// id, and the order names its survey in its own row (no UPDATE of every new order afterwards).
Status Ingest::InsertOrdersInTx(store::Tx& tx, SetWork& w) {
  size_t planned = 0;
  for (const auto& plan : w.plans) planned += plan.skip == core::SurveySkip::kNone ? 1 : 0;
  auto survey_ids = tx.surveys().TakeIds(planned);
  if (!survey_ids) return survey_ids.error();
  w.orders.reserve(w.fresh.size());
  size_t next = 0;
  for (size_t k = 0; k < w.fresh.size(); ++k) {
    w.orders.push_back(NewOrder(w.shop->id, *w.in[w.fresh[k]], w.customers[k].id, w.now));
    if (w.plans[k].skip != core::SurveySkip::kNone) {
      w.orders.back().survey_skip = core::SkipName(w.plans[k].skip);
    } else {
      w.orders.back().survey_id = (*survey_ids)[next++];
    }
  }
  auto order_ids = tx.orders().InsertMany(w.orders);
  if (!order_ids) return order_ids.error();
  for (size_t k = 0; k < w.fresh.size(); ++k) {
    if (!(*order_ids)[k]) {
      return Error{Code::kAlreadyExists, "order " + w.orders[k].external_id + " was inserted meanwhile", {}};
    }
    w.orders[k].id = *(*order_ids)[k];
  }
  return OkStatus();
}

// The planned surveys, with the ids their orders already name, and their jobs.
Status Ingest::InsertSurveysInTx(store::Tx& tx, SetWork& w) {
  std::vector<store::Survey> surveys;
  for (size_t k = 0; k < w.fresh.size(); ++k) {
    if (w.plans[k].skip != core::SurveySkip::kNone) continue;
    surveys.push_back(NewSurvey(w.orders[k], w.plans[k]));
    surveys.back().id = *w.orders[k].survey_id;
  }
  if (surveys.empty()) return OkStatus();
  auto survey_ids = tx.surveys().InsertMany(surveys);
  if (!survey_ids) return survey_ids.error();
  // One statement per channel the set's surveys go out on (today all by email).
  for (core::Channel channel : core::kAllChannels) {
    std::vector<std::pair<store::Id, Instant>> jobs;
    for (size_t j = 0; j < surveys.size(); ++j) {
      if (surveys[j].channel == channel) jobs.emplace_back((*survey_ids)[j], surveys[j].due_at);
    }
    if (jobs.empty()) continue;
    auto enqueued = tx.jobs().EnqueueMany(w.shop->id, store::JobKind::kSurvey, channel, jobs);
    if (!enqueued) return enqueued.error();
  }
  return OkStatus();
}

}  // namespace vouch::app
