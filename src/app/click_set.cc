// The click set of Answers: GET clicks from the I/O threads, applied together.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "app/answer_steps.h"
#include "app/answers.h"
#include "base/log.h"
#include "core/validate.h"

namespace vouch::app {

using namespace answer_steps;

// --- The click set ----------------------------------------------------------------------------
// GET clicks from the I/O threads are taken by one write function at a time (the coalescer,
// app/coalescer.h), up to kMaxSetClicks, and applied with a few statements per table for all of
// them (the set forms of store::Tx) instead of ~9 statements each: on PostgreSQL each statement
// is a round trip on the writer's connection. The k-th click on one survey goes in the k-th round,
// so clicks on a survey apply in the order they came, each seeing the ones before. Promoters'
// codes and activation jobs are still written one by one. If the set fails, it is rolled back and
// each click runs alone (ApplyAlone).

void Answers::RecordClickAsync(std::string_view token, int score, std::string method, std::string user_agent,
                               std::function<void(Result<AnswerView>)> done, std::string client_ip) {
  auto survey_id = links_.VerifySurveyToken(token);
  if (!survey_id) return done(survey_id.error());
  if (!core::MakeScore(score)) return done(InvalidArgument("score", "must be an integer from 0 to 10"));
  auto finished = async_.Begin();
  async_clicks_.fetch_add(1, std::memory_order_relaxed);
  bool queued = false;
  try {
    clicks_.Submit(QueuedClick{*survey_id, score, std::move(method), std::move(user_agent), clock_.Now(),
                               std::move(done), finished, std::move(client_ip)},
                   &queued);
  } catch (...) {  // not queued (out of memory): never answered, so not in flight
    if (!queued) finished();
    throw;
  }
}

void Answers::AnswerClick(QueuedClick& q, Result<AnswerView> r) {
  try {  // on the writer thread: nothing may escape into it
    q.done(std::move(r));
  } catch (const std::exception& e) {
    Log(LogLevel::kError, "answer.async_done_threw", {{"error", e.what()}});
  }
  q.finished();
}

Status Answers::RunClickSet(store::Tx& tx, ClickCoalescer::Set& set) {
  set.state.results.assign(set.items.size(), std::nullopt);
  set.state.activate_now = false;
  std::unordered_map<store::Id, size_t> seen;
  std::vector<std::vector<size_t>> rounds;
  for (size_t i = 0; i < set.items.size(); ++i) {
    const size_t round = seen[set.items[i].survey]++;
    if (rounds.size() <= round) rounds.emplace_back();
    rounds[round].push_back(i);
  }
  for (const auto& round : rounds) VOUCH_TRY(ClickRoundInTx(tx, set, round));
  return OkStatus();
}

// What a round's steps share: its clicks (indexes into the set), their surveys and recent clicks
// as stored, and what each click does.
struct Answers::Round {
  struct Applied {
    size_t index;
    const store::Survey* before;
    AnswerStep step;
  };
  const std::vector<size_t>* clicks = nullptr;
  std::vector<store::Survey> surveys;
  std::unordered_map<store::Id, const store::Survey*> by_id;  // into `surveys`
  std::unordered_map<store::Id, std::vector<store::Click>> recent_of;
  std::vector<Applied> applied;
  std::vector<store::Id> customer_ids;
};

Status Answers::ClickRoundInTx(store::Tx& tx, ClickCoalescer::Set& set, const std::vector<size_t>& round) {
  Round r;
  r.clicks = &round;
  VOUCH_TRY(LoadRoundInTx(tx, set, r));
  VOUCH_TRY(WriteRoundInTx(tx, set, r));
  return ViewRoundInTx(tx, set, r);
}

// The round's surveys and, for those answered before, their clicks in the burst window.
Status Answers::LoadRoundInTx(store::Tx& tx, ClickCoalescer::Set& set, Round& r) {
  const std::vector<size_t>& round = *r.clicks;
  std::vector<store::Id> ids;
  Instant since = set.items[round.front()].now;
  for (size_t i : round) {
    ids.push_back(set.items[i].survey);
    since = std::min(since, set.items[i].now);
  }
  auto surveys = tx.surveys().GetMany(ids);
  if (!surveys) return surveys.error();
  r.surveys = std::move(*surveys);
  // Only an answered survey has clicks logged (a logged click answers it in the same write), so
  // first answers, most of a set, need no look-up of recent clicks.
  std::vector<store::Id> answered;
  for (const auto& s : r.surveys) {
    r.by_id.emplace(s.id, &s);
    if (s.answered_at) answered.push_back(s.id);
  }
  if (!answered.empty()) {
    auto recent = tx.surveys().RecentClicksOf(answered, since - core::kBurstWindow);
    if (!recent) return recent.error();
    for (auto& c : *recent) r.recent_of[c.survey_id].push_back(std::move(c));
  }
  return OkStatus();
}

// Decides each click, then logs the clicks, saves the answers and moves the rollups.
Status Answers::WriteRoundInTx(store::Tx& tx, ClickCoalescer::Set& set, Round& r) {
  std::vector<store::Click> clicks;
  std::vector<store::Survey> saves;
  std::map<std::tuple<store::Id, int64_t, std::string, int>, int64_t> rollup;
  for (size_t i : *r.clicks) {
    const QueuedClick& q = set.items[i];
    auto it = r.by_id.find(q.survey);
    if (it == r.by_id.end()) {
      set.state.results[i].emplace(NotFound("unknown or invalid link"));
      continue;
    }
    const store::Survey& before = *it->second;
    std::vector<store::Click> window;
    for (const auto& c : r.recent_of[q.survey]) {
      if (c.at >= q.now - core::kBurstWindow) window.push_back(c);
    }
    AnswerStep step = DecideAnswer(before, window, q.score, q.method, q.user_agent, false, q.now);
    if (step.kind == AnswerStep::Kind::kWrite) {
      clicks.push_back(step.click);
      saves.push_back(step.after);
      VOUCH_TRY(EmitAnswerInTx(tx, before, step.after, q.now));
      VOUCH_TRY(ForRollupMoves(before, step.after,
                               [&](int64_t day, const std::string& segment, int s, int64_t delta) {
                                 rollup[{before.shop_id, day, segment, s}] += delta;
                                 return OkStatus();
                               }));
    }
    r.customer_ids.push_back(before.customer_id);
    r.applied.push_back(Round::Applied{i, &before, std::move(step)});
  }
  VOUCH_TRY(tx.surveys().InsertClicks(clicks));
  VOUCH_TRY(tx.surveys().SaveAnswers(saves));
  for (const auto& [key, delta] : rollup) {
    if (delta != 0) {
      VOUCH_TRY(tx.surveys().AddToRollup(std::get<0>(key), std::get<1>(key), std::get<2>(key),
                                         std::get<3>(key), delta));
    }
  }
  return OkStatus();
}

// What the pages show: each survey's shop and customer, and a promoter's code (activating the
// promoters this round made).
Status Answers::ViewRoundInTx(store::Tx& tx, ClickCoalescer::Set& set, Round& r) {
  std::vector<store::Id>& customer_ids = r.customer_ids;
  std::sort(customer_ids.begin(), customer_ids.end());
  customer_ids.erase(std::unique(customer_ids.begin(), customer_ids.end()), customer_ids.end());
  auto customers = tx.customers().GetMany(customer_ids);
  if (!customers) return customers.error();
  std::unordered_map<store::Id, const store::Customer*> customer_of;
  for (const auto& c : *customers) customer_of.emplace(c.id, &c);
  std::unordered_map<store::Id, store::Shop> shop_of;
  for (Round::Applied& a : r.applied) {
    const store::Survey& shown = a.step.kind == AnswerStep::Kind::kWrite ? a.step.after : *a.before;
    auto shop = shop_of.find(shown.shop_id);
    if (shop == shop_of.end()) {
      auto got = tx.shops().Get(shown.shop_id);
      if (!got) return got.error();
      if (!got->has_value()) return Internal("survey without shop");
      shop = shop_of.emplace(shown.shop_id, std::move(**got)).first;
    }
    auto customer = customer_of.find(shown.customer_id);
    if (customer == customer_of.end()) return Internal("survey without customer");
    if (a.step.kind == AnswerStep::Kind::kWrite && IsPromoter(shown)) {
      VOUCH_TRY(ActivatePromoterInTx(tx, shop->second, *customer->second, shown, false,
                                     set.items[a.index].now, set.state.activate_now,
                                     set.items[a.index].client_ip));
    }
    auto v = ViewOf(tx, shown, shop->second, *customer->second);
    if (!v) return v.error();
    v->locked = a.step.kind == AnswerStep::Kind::kLocked;
    v->verdict = a.step.verdict;
    set.state.results[a.index].emplace(std::move(*v));
  }
  return OkStatus();
}

void Answers::FinishClickSet(ClickCoalescer::Set& set) {
  if (set.state.activate_now) notifier_.Notify();
  for (size_t i = 0; i < set.items.size(); ++i) {
    AnswerClick(set.items[i], set.state.results[i] ? std::move(*set.state.results[i])
                                                   : Result<AnswerView>(Internal("click not applied")));
  }
}

void Answers::ApplyAlone(QueuedClick&& q) {
  auto call = std::make_shared<QueuedClick>(std::move(q));
  auto view = std::make_shared<std::optional<Result<AnswerView>>>();
  auto activate = std::make_shared<bool>(false);
  store_.WriteAsync(
      [this, call, view, activate](store::Tx& tx) -> Status {
        *activate = false;  // a retried write starts over
        view->emplace(ApplyInTx(tx, call->survey, call->score, call->method, call->user_agent, false,
                                call->now, *activate, call->client_ip));
        if (!(*view)->ok()) return (*view)->error();
        return OkStatus();
      },
      [this, call, view, activate](Status done) {
        if (done.ok() && *activate) notifier_.Notify();
        AnswerClick(*call, done.ok() ? std::move(**view) : Result<AnswerView>(done.error()));
      });
}

}  // namespace vouch::app
