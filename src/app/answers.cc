#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "app/app.h"
#include "base/log.h"
#include "core/validate.h"

namespace vouch::app {
namespace {

constexpr Millis kChangeWindow{std::chrono::days{7}};
constexpr size_t kMaxComment = 2000;
// Clicks one set write function takes at most (more wait for the next, maybe in the same commit).
constexpr size_t kMaxSetClicks = 1000;

bool IsPromoter(const store::Survey& s) {
  return s.score && IsCounted(s.answer_state) &&
         core::Classify(core::Score{*s.score}) == core::NpsCategory::kPromoter;
}

// An answer can be changed for a week after it was first given.
bool IsLocked(const store::Survey& s, Instant now) { return s.answered_at && now - *s.answered_at > kChangeWindow; }

// The rollup changes that move the survey's contribution from `before` to `after`:
// fn(day, segment, score, delta).
template <class F>
Status ForRollupMoves(const store::Survey& before, const store::Survey& after, F&& fn) {
  const bool was = before.score && IsCounted(before.answer_state);
  const bool is = after.score && IsCounted(after.answer_state);
  const int64_t day = DayNumber(*after.answered_at);
  if (was && is && *before.score == *after.score) return OkStatus();
  if (was) VOUCH_TRY(fn(day, after.segment, *before.score, -1));
  if (is) VOUCH_TRY(fn(day, after.segment, *after.score, +1));
  return OkStatus();
}

// What one click or confirmation does to its survey, from the survey and, for a click, the
// clicks on it in the burst window before `now`.
struct AnswerStep {
  enum class Kind { kLocked, kIgnored, kWrite } kind = Kind::kWrite;
  core::ClickVerdict verdict = core::ClickVerdict::kCount;
  store::Click click;  // kWrite: the click to log
  store::Survey after;  // kWrite: the survey to save
};

AnswerStep DecideAnswer(const store::Survey& before, const std::vector<store::Click>& recent, int score,
                        std::string_view method, std::string_view user_agent, bool confirmed, Instant now) {
  AnswerStep step;
  if (IsLocked(before, now)) {
    step.kind = AnswerStep::Kind::kLocked;
    return step;
  }
  if (!confirmed) {
    core::ClickContext ctx;
    ctx.method = method;
    ctx.user_agent = user_agent;
    ctx.at = now;
    ctx.sent_at = before.sent_at;
    ctx.score = score;
    for (const auto& c : recent) {
      if (c.verdict != core::ClickVerdict::kIgnore) ctx.recent_clicks.push_back({c.at, c.score});
    }
    step.verdict = core::JudgeClick(ctx);
    if (step.verdict == core::ClickVerdict::kIgnore) {
      step.kind = AnswerStep::Kind::kIgnored;
      return step;
    }
  }
  step.click = store::Click{before.id, now, score,
                            confirmed ? core::ClickVerdict::kConfirm : step.verdict,
                            std::string(user_agent.substr(0, 300))};
  store::Survey& after = step.after;
  after = before;
  after.score = score;
  if (!after.answered_at) after.answered_at = now;
  after.updated_at = now;
  // A burst also withdraws the answer counted just before it, unless a person confirmed it.
  const bool stays_confirmed = before.answer_state == store::AnswerState::kConfirmed && before.score == score;
  if (confirmed) {
    after.answer_state = store::AnswerState::kConfirmed;
  } else if (stays_confirmed) {
    after.answer_state = store::AnswerState::kConfirmed;
  } else {
    after.answer_state = step.verdict == core::ClickVerdict::kSuspect ? store::AnswerState::kSuspect
                                                                       : store::AnswerState::kCounted;
  }
  return step;
}

}  // namespace

struct App::ClickSet {
  bool taken = false;  // the function ran and took its clicks (fixed for a retry)
  std::vector<QueuedClick> clicks;
  std::vector<std::optional<Result<AnswerView>>> results;
  bool activate_now = false;
};

Result<AnswerView> App::RecordClick(std::string_view token, int score, std::string_view method,
                                    std::string_view user_agent) {
  return ApplyAnswer(token, score, method, user_agent, /*confirmed=*/false);
}

Result<AnswerView> App::ConfirmAnswer(std::string_view token, int score) {
  return ApplyAnswer(token, score, "POST", "", /*confirmed=*/true);
}

Result<AnswerView> App::ApplyAnswer(std::string_view token, int score, std::string_view method,
                                    std::string_view user_agent, bool confirmed) {
  auto survey_id = VerifyToken(token, 's');
  if (!survey_id) return survey_id.error();
  if (!core::MakeScore(score)) return InvalidArgument("score", "must be an integer from 0 to 10");
  const Instant now = clock_.Now();
  bool activate_now = false;
  auto view = store_.Write<AnswerView>([&](store::Tx& tx) {
    return ApplyAnswerInTx(tx, *survey_id, score, method, user_agent, confirmed, now, activate_now);
  });
  if (view && activate_now) Notify();
  return view;
}

Result<AnswerView> App::ApplyAnswerInTx(store::Tx& tx, store::Id survey_id, int score,
                                        std::string_view method, std::string_view user_agent,
                                        bool confirmed, Instant now, bool& activate_now) {
  auto found = tx.surveys().Get(survey_id);
  if (!found) return found.error();
  if (!found->has_value()) return NotFound("unknown or invalid link");
  const store::Survey& before = **found;
  std::vector<store::Click> recent;
  if (!confirmed && !IsLocked(before, now)) {
    auto r = tx.surveys().RecentClicks(before.id, now - core::kBurstWindow);
    if (!r) return r.error();
    recent = std::move(*r);
  }
  AnswerStep step = DecideAnswer(before, recent, score, method, user_agent, confirmed, now);
  if (step.kind != AnswerStep::Kind::kWrite) {
    auto v = MakeView(tx, before);
    if (v) {
      v->locked = step.kind == AnswerStep::Kind::kLocked;
      v->verdict = step.verdict;
    }
    return v;
  }
  VOUCH_TRY(tx.surveys().InsertClick(step.click));
  VOUCH_TRY(tx.surveys().SaveAnswer(step.after));
  VOUCH_TRY(ForRollupMoves(before, step.after, [&](int64_t day, const std::string& segment, int s, int64_t delta) {
    return tx.surveys().AddToRollup(step.after.shop_id, day, segment, s, delta);
  }));
  if (IsPromoter(step.after)) {
    auto shop = tx.shops().Get(step.after.shop_id);
    if (!shop) return shop.error();
    auto customer = tx.customers().Get(step.after.customer_id);
    if (!customer) return customer.error();
    if (!shop->has_value() || !customer->has_value()) return Internal("survey without shop or customer");
    VOUCH_TRY(ActivatePromoter(tx, **shop, **customer, step.after, confirmed, now, activate_now));
  }
  auto v = MakeView(tx, step.after);
  if (v) v->verdict = step.verdict;
  return v;
}

Status App::ActivatePromoter(store::Tx& tx, const store::Shop& shop, const store::Customer& customer,
                             const store::Survey& survey, bool confirmed, Instant now, bool& activate_now) {
  auto code = EnsureCode(tx, shop, customer, survey.id, now);
  if (!code) return code.error();
  // The activation mail waits out the burst window unless a person confirmed the answer.
  const Instant run_at = confirmed ? now : now + core::kBurstWindow;
  auto queued = tx.jobs().Enqueue(survey.shop_id, store::JobKind::kActivation, code->id, core::Channel::kEmail, run_at);
  if (!queued) return queued.error();
  if (confirmed) {
    VOUCH_TRY(tx.jobs().Reschedule(store::JobKind::kActivation, code->id, core::Channel::kEmail, now));
    activate_now = true;
  }
  return OkStatus();
}

// --- The click set ----------------------------------------------------------------------------
// GET clicks from the I/O threads are taken by one write function at a time, up to
// kMaxSetClicks, and applied with a few statements per table for all of them (the set forms of
// store::Tx) instead of ~9 statements each: on PostgreSQL each statement is a round trip on the
// writer's connection. The k-th click on one survey goes in the k-th round, so clicks on a survey
// apply in the order they came, each seeing the ones before. Promoters' codes and activation jobs
// are still written one by one. If the set fails, it is rolled back and each click runs alone.

void App::RecordClickAsync(std::string_view token, int score, std::string method,
                           std::string user_agent, std::function<void(Result<AnswerView>)> done) {
  auto survey_id = VerifyToken(token, 's');
  if (!survey_id) return done(survey_id.error());
  if (!core::MakeScore(score)) return done(InvalidArgument("score", "must be an integer from 0 to 10"));
  auto finished = BeginAsync();
  async_clicks_.fetch_add(1, std::memory_order_relaxed);
  bool queued = false;
  try {
    QueuedClick q{*survey_id, score, std::move(method), std::move(user_agent), clock_.Now(), std::move(done), finished};
    {
      std::lock_guard lock(click_mu_);
      click_pending_.push_back(std::move(q));
      queued = true;
      if (click_scheduled_) return;
      click_scheduled_ = true;
    }
    ScheduleClickSet();
  } catch (...) {  // not queued (out of memory): never answered, so not in flight
    if (!queued) finished();
    throw;
  }
}

void App::ScheduleClickSet() {
  auto set = std::make_shared<ClickSet>();
  store_.WriteAsync(
      [this, set](store::Tx& tx) -> Status {
        if (!set->taken) {
          set->taken = true;
          bool more = false;
          {
            std::lock_guard lock(click_mu_);
            const size_t n = std::min(click_pending_.size(), kMaxSetClicks);
            set->clicks.assign(std::make_move_iterator(click_pending_.begin()),
                               std::make_move_iterator(click_pending_.begin() + static_cast<std::ptrdiff_t>(n)));
            click_pending_.erase(click_pending_.begin(), click_pending_.begin() + static_cast<std::ptrdiff_t>(n));
            more = !click_pending_.empty();
            if (!more) click_scheduled_ = false;
          }
          if (more) ScheduleClickSet();
        }
        return RunClickSet(tx, *set);
      },
      [this, set](Status s) { FinishClickSet(*set, s); });
}

Status App::RunClickSet(store::Tx& tx, ClickSet& set) {
  set.results.assign(set.clicks.size(), std::nullopt);
  set.activate_now = false;
  std::unordered_map<store::Id, size_t> seen;
  std::vector<std::vector<size_t>> rounds;
  for (size_t i = 0; i < set.clicks.size(); ++i) {
    const size_t round = seen[set.clicks[i].survey]++;
    if (rounds.size() <= round) rounds.emplace_back();
    rounds[round].push_back(i);
  }
  for (const auto& round : rounds) VOUCH_TRY(ClickRoundInTx(tx, set, round));
  return OkStatus();
}

Status App::ClickRoundInTx(store::Tx& tx, ClickSet& set, const std::vector<size_t>& round) {
  std::vector<store::Id> ids;
  Instant since = set.clicks[round.front()].now;
  for (size_t i : round) {
    ids.push_back(set.clicks[i].survey);
    since = std::min(since, set.clicks[i].now);
  }
  auto surveys = tx.surveys().GetMany(ids);
  if (!surveys) return surveys.error();
  std::unordered_map<store::Id, const store::Survey*> by_id;
  // Only an answered survey has clicks logged (a logged click answers it in the same write), so
  // first answers, most of a set, need no look-up of recent clicks.
  std::vector<store::Id> answered;
  for (const auto& s : *surveys) {
    by_id.emplace(s.id, &s);
    if (s.answered_at) answered.push_back(s.id);
  }
  std::unordered_map<store::Id, std::vector<store::Click>> recent_of;
  if (!answered.empty()) {
    auto recent = tx.surveys().RecentClicksOf(answered, since - core::kBurstWindow);
    if (!recent) return recent.error();
    for (auto& c : *recent) recent_of[c.survey_id].push_back(std::move(c));
  }

  struct Applied {
    size_t index;
    const store::Survey* before;
    AnswerStep step;
  };
  std::vector<Applied> applied;
  std::vector<store::Click> clicks;
  std::vector<store::Survey> saves;
  std::map<std::tuple<store::Id, int64_t, std::string, int>, int64_t> rollup;
  std::vector<store::Id> customer_ids;
  for (size_t i : round) {
    const QueuedClick& q = set.clicks[i];
    auto it = by_id.find(q.survey);
    if (it == by_id.end()) {
      set.results[i].emplace(NotFound("unknown or invalid link"));
      continue;
    }
    const store::Survey& before = *it->second;
    std::vector<store::Click> window;
    for (const auto& c : recent_of[q.survey]) {
      if (c.at >= q.now - core::kBurstWindow) window.push_back(c);
    }
    AnswerStep step = DecideAnswer(before, window, q.score, q.method, q.user_agent, false, q.now);
    if (step.kind == AnswerStep::Kind::kWrite) {
      clicks.push_back(step.click);
      saves.push_back(step.after);
      VOUCH_TRY(ForRollupMoves(before, step.after, [&](int64_t day, const std::string& segment, int s, int64_t delta) {
        rollup[{before.shop_id, day, segment, s}] += delta;
        return OkStatus();
      }));
    }
    customer_ids.push_back(before.customer_id);
    applied.push_back(Applied{i, &before, std::move(step)});
  }
  VOUCH_TRY(tx.surveys().InsertClicks(clicks));
  VOUCH_TRY(tx.surveys().SaveAnswers(saves));
  for (const auto& [key, delta] : rollup) {
    if (delta != 0) {
      VOUCH_TRY(tx.surveys().AddToRollup(std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), delta));
    }
  }

  // What the pages show: each survey's shop and customer, and a promoter's code.
  std::sort(customer_ids.begin(), customer_ids.end());
  customer_ids.erase(std::unique(customer_ids.begin(), customer_ids.end()), customer_ids.end());
  auto customers = tx.customers().GetMany(customer_ids);
  if (!customers) return customers.error();
  std::unordered_map<store::Id, const store::Customer*> customer_of;
  for (const auto& c : *customers) customer_of.emplace(c.id, &c);
  std::unordered_map<store::Id, store::Shop> shop_of;
  for (Applied& a : applied) {
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
      VOUCH_TRY(ActivatePromoter(tx, shop->second, *customer->second, shown, false, set.clicks[a.index].now,
                                 set.activate_now));
    }
    auto v = ViewOf(tx, shown, shop->second, *customer->second);
    if (!v) return v.error();
    v->locked = a.step.kind == AnswerStep::Kind::kLocked;
    v->verdict = a.step.verdict;
    set.results[a.index].emplace(std::move(*v));
  }
  return OkStatus();
}

void App::FinishClickSet(ClickSet& set, const Status& s) {
  auto answer = [](QueuedClick& q, Result<AnswerView> r) {
    try {  // on the writer thread: nothing may escape into it
      q.done(std::move(r));
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "answer.async_done_threw", {{"error", e.what()}});
    }
    q.finished();
  };
  if (!set.taken) {  // never ran: the store is shutting down; answer what waits
    std::vector<QueuedClick> waiting;
    {
      std::lock_guard lock(click_mu_);
      waiting.swap(click_pending_);
      click_scheduled_ = false;
    }
    for (auto& q : waiting) answer(q, s.ok() ? Result<AnswerView>(Internal("click set not run")) : s.error());
    return;
  }
  if (s.ok()) {
    if (set.activate_now) Notify();
    for (size_t i = 0; i < set.clicks.size(); ++i) {
      answer(set.clicks[i], set.results[i] ? std::move(*set.results[i]) : Result<AnswerView>(Internal("click not applied")));
    }
    return;
  }
  Log(LogLevel::kInfo, "answer.set_one_by_one", {{"clicks", std::to_string(set.clicks.size())}, {"error", s.error().message}});
  for (auto& q : set.clicks) {
    auto call = std::make_shared<QueuedClick>(std::move(q));
    auto view = std::make_shared<std::optional<Result<AnswerView>>>();
    auto activate = std::make_shared<bool>(false);
    store_.WriteAsync(
        [this, call, view, activate](store::Tx& tx) -> Status {
          *activate = false;  // a retried write starts over
          view->emplace(ApplyAnswerInTx(tx, call->survey, call->score, call->method, call->user_agent, false,
                                        call->now, *activate));
          if (!(*view)->ok()) return (*view)->error();
          return OkStatus();
        },
        [this, call, view, activate, answer](Status done) {
          if (done.ok() && *activate) Notify();
          answer(*call, done.ok() ? std::move(**view) : Result<AnswerView>(done.error()));
        });
  }
}

Result<AnswerView> App::ViewAnswer(std::string_view token) {
  auto survey_id = VerifyToken(token, 's');
  if (!survey_id) return survey_id.error();
  return store_.Read<AnswerView>([&](store::ReadTx& tx) -> Result<AnswerView> {
    auto found = tx.surveys().Get(*survey_id);
    if (!found) return found.error();
    if (!found->has_value()) return NotFound("unknown or invalid link");
    return MakeView(tx, **found);
  });
}

Result<AnswerView> App::MakeView(store::ReadTx& tx, const store::Survey& survey) {
  auto shop = tx.shops().Get(survey.shop_id);
  if (!shop) return shop.error();
  auto customer = tx.customers().Get(survey.customer_id);
  if (!customer) return customer.error();
  if (!shop->has_value() || !customer->has_value()) return Internal("survey without shop or customer");
  return ViewOf(tx, survey, **shop, **customer);
}

Result<AnswerView> App::ViewOf(store::ReadTx& tx, const store::Survey& survey, const store::Shop& shop,
                               const store::Customer& customer) {
  AnswerView v;
  v.survey = survey;
  v.shop = shop;
  v.first_name = customer.first_name;
  v.locale = customer.locale.empty() ? v.shop.settings.locale : customer.locale;
  if (IsPromoter(survey)) {
    auto code = tx.referrals().FindCodeByPromoter(survey.shop_id, survey.customer_id);
    if (!code) return code.error();
    if (code->has_value()) {
      v.code = **code;
      v.share = ShareLinksFor(v.shop, v.locale, (*code)->code);
      v.offer_text = OfferText(v.shop, v.locale);
    }
  }
  return v;
}

Status App::SaveComment(std::string_view token, std::string comment) {
  auto survey_id = VerifyToken(token, 's');
  if (!survey_id) return survey_id.error();
  if (comment.size() > kMaxComment) {
    return InvalidArgument("comment", "must be at most 2000 characters");
  }
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    auto found = tx.surveys().Get(*survey_id);
    if (!found) return found.error();
    if (!found->has_value()) return NotFound("unknown or invalid link");
    store::Survey s = **found;
    if (!s.score) return Error{Code::kFailedPrecondition, "answer the question first", "score"};
    s.comment = std::move(comment);
    s.updated_at = clock_.Now();
    return tx.surveys().SaveAnswer(s);
  });
}

Status App::Unsubscribe(std::string_view token) {
  auto customer_id = VerifyToken(token, 'u');
  if (!customer_id) return customer_id.error();
  const Instant now = clock_.Now();
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    auto c = tx.customers().Get(*customer_id);
    if (!c) return c.error();
    if (!c->has_value()) return NotFound("unknown or invalid link");
    store::Customer customer = **c;
    if (customer.unsubscribed_at) return OkStatus();
    customer.unsubscribed_at = now;
    return tx.customers().Update(customer);
  });
}

Result<store::Shop> App::UnsubscribeShop(std::string_view token) {
  auto customer_id = VerifyToken(token, 'u');
  if (!customer_id) return customer_id.error();
  return store_.Read<store::Shop>([&](store::ReadTx& tx) -> Result<store::Shop> {
    auto c = tx.customers().Get(*customer_id);
    if (!c) return c.error();
    if (!c->has_value()) return NotFound("unknown or invalid link");
    auto shop = tx.shops().Get((*c)->shop_id);
    if (!shop) return shop.error();
    if (!shop->has_value()) return NotFound("unknown or invalid link");
    return **shop;
  });
}

}  // namespace vouch::app
