#include <memory>
#include <optional>

#include "app/app.h"
#include "base/log.h"
#include "core/validate.h"

namespace vouch::app {
namespace {

constexpr Millis kChangeWindow{std::chrono::days{7}};
constexpr size_t kMaxComment = 2000;

bool IsPromoter(const store::Survey& s) {
  return s.score && IsCounted(s.answer_state) &&
         core::Classify(core::Score{*s.score}) == core::NpsCategory::kPromoter;
}

// Moves the survey's contribution in the rollup from `before` to `after`.
Status MoveRollup(store::Tx& tx, const store::Survey& before, const store::Survey& after) {
  const bool was = before.score && IsCounted(before.answer_state);
  const bool is = after.score && IsCounted(after.answer_state);
  const int64_t day = DayNumber(*after.answered_at);
  if (was && is && *before.score == *after.score) return OkStatus();
  if (was) VOUCH_TRY(tx.AddToRollup(after.shop_id, day, after.segment, *before.score, -1));
  if (is) VOUCH_TRY(tx.AddToRollup(after.shop_id, day, after.segment, *after.score, +1));
  return OkStatus();
}

}  // namespace

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

void App::RecordClickAsync(std::string_view token, int score, std::string method,
                           std::string user_agent, std::function<void(Result<AnswerView>)> done) {
  auto survey_id = VerifyToken(token, 's');
  if (!survey_id) return done(survey_id.error());
  if (!core::MakeScore(score)) return done(InvalidArgument("score", "must be an integer from 0 to 10"));
  struct Call {
    std::string method, user_agent;
    std::optional<Result<AnswerView>> view;
    bool activate_now = false;
  };
  auto call = std::make_shared<Call>(Call{std::move(method), std::move(user_agent), std::nullopt, false});
  auto finished = BeginAsync();
  async_clicks_.fetch_add(1, std::memory_order_relaxed);
  const Instant now = clock_.Now();
  const store::Id id = *survey_id;
  try {
    store_.WriteAsync(
        [this, call, id, score, now](store::Tx& tx) -> Status {
          call->activate_now = false;  // a retried write starts over
          call->view.emplace(
              ApplyAnswerInTx(tx, id, score, call->method, call->user_agent, false, now, call->activate_now));
          if (!call->view->ok()) return call->view->error();
          return OkStatus();
        },
        [this, call, done = std::move(done), finished](Status s) {
          try {  // on the writer thread: nothing may escape into it
            if (!s.ok()) {
              done(s.error());
            } else {
              if (call->activate_now) Notify();
              done(std::move(*call->view));
            }
          } catch (const std::exception& e) {
            Log(LogLevel::kError, "answer.async_done_threw", {{"error", e.what()}});
          }
          finished();
        });
  } catch (...) {  // not queued (out of memory): never answered, so not in flight
    finished();
    throw;
  }
}

Result<AnswerView> App::ApplyAnswerInTx(store::Tx& tx, store::Id survey_id, int score,
                                        std::string_view method, std::string_view user_agent,
                                        bool confirmed, Instant now, bool& activate_now) {
  auto found = tx.GetSurvey(survey_id);
  if (!found) return found.error();
  if (!found->has_value()) return NotFound("unknown or invalid link");
  const store::Survey before = **found;
  store::Survey after = before;

  // An answer can be changed for a week after it was first given.
  if (before.answered_at && now - *before.answered_at > kChangeWindow) {
    auto v = MakeView(tx, before);
    if (v) v->locked = true;
    return v;
  }

  core::ClickVerdict verdict = core::ClickVerdict::kCount;
  if (!confirmed) {
    auto recent = tx.RecentClicks(before.id, now - core::kBurstWindow);
    if (!recent) return recent.error();
    core::ClickContext ctx;
    ctx.method = method;
    ctx.user_agent = user_agent;
    ctx.at = now;
    ctx.sent_at = before.sent_at;
    ctx.score = score;
    for (const auto& c : *recent) {
      if (c.verdict != "ignore") ctx.recent_clicks.push_back({c.at, c.score});
    }
    verdict = core::JudgeClick(ctx);
    if (verdict == core::ClickVerdict::kIgnore) {
      auto v = MakeView(tx, before);
      if (v) v->verdict = verdict;
      return v;
    }
  }
  store::Click click{before.id, now, score,
                     confirmed ? "confirm" : verdict == core::ClickVerdict::kCount ? "count" : "suspect",
                     std::string(user_agent.substr(0, 300))};
  VOUCH_TRY(tx.InsertClick(click));

  after.score = score;
  if (!after.answered_at) after.answered_at = now;
  after.updated_at = now;
  if (confirmed) {
    after.answer_state = store::AnswerState::kConfirmed;
  } else if (verdict == core::ClickVerdict::kSuspect) {
    // A burst also withdraws the answer counted just before it, unless a person confirmed it.
    after.answer_state = before.answer_state == store::AnswerState::kConfirmed &&
                                 before.score == score
                             ? store::AnswerState::kConfirmed
                             : store::AnswerState::kSuspect;
  } else {
    after.answer_state = before.answer_state == store::AnswerState::kConfirmed &&
                                 before.score == score
                             ? store::AnswerState::kConfirmed
                             : store::AnswerState::kCounted;
  }
  VOUCH_TRY(tx.SaveAnswer(after));
  VOUCH_TRY(MoveRollup(tx, before, after));

  if (IsPromoter(after)) {
    auto shop = tx.GetShop(after.shop_id);
    if (!shop) return shop.error();
    auto customer = tx.GetCustomer(after.customer_id);
    if (!customer) return customer.error();
    if (!shop->has_value() || !customer->has_value()) return Internal("survey without shop or customer");
    auto code = EnsureCode(tx, **shop, **customer, after.id, now);
    if (!code) return code.error();
    // The activation mail waits out the burst window unless a person confirmed the answer.
    const Instant run_at = confirmed ? now : now + core::kBurstWindow;
    auto queued = tx.EnqueueJob(after.shop_id, store::JobKind::kActivation, code->id, run_at);
    if (!queued) return queued.error();
    if (confirmed) {
      VOUCH_TRY(tx.RescheduleJob(store::JobKind::kActivation, code->id, now));
      activate_now = true;
    }
  }
  auto v = MakeView(tx, after);
  if (v) v->verdict = verdict;
  return v;
}

Result<AnswerView> App::ViewAnswer(std::string_view token) {
  auto survey_id = VerifyToken(token, 's');
  if (!survey_id) return survey_id.error();
  return store_.Read<AnswerView>([&](store::Tx& tx) -> Result<AnswerView> {
    auto found = tx.GetSurvey(*survey_id);
    if (!found) return found.error();
    if (!found->has_value()) return NotFound("unknown or invalid link");
    return MakeView(tx, **found);
  });
}

Result<AnswerView> App::MakeView(store::Tx& tx, const store::Survey& survey) {
  AnswerView v;
  v.survey = survey;
  auto shop = tx.GetShop(survey.shop_id);
  if (!shop) return shop.error();
  auto customer = tx.GetCustomer(survey.customer_id);
  if (!customer) return customer.error();
  if (!shop->has_value() || !customer->has_value()) return Internal("survey without shop or customer");
  v.shop = **shop;
  v.first_name = (*customer)->first_name;
  v.locale = (*customer)->locale.empty() ? v.shop.settings.locale : (*customer)->locale;
  if (IsPromoter(survey)) {
    auto code = tx.FindCodeByPromoter(survey.shop_id, survey.customer_id);
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
    auto found = tx.GetSurvey(*survey_id);
    if (!found) return found.error();
    if (!found->has_value()) return NotFound("unknown or invalid link");
    store::Survey s = **found;
    if (!s.score) return Error{Code::kFailedPrecondition, "answer the question first", "score"};
    s.comment = std::move(comment);
    s.updated_at = clock_.Now();
    return tx.SaveAnswer(s);
  });
}

Status App::Unsubscribe(std::string_view token) {
  auto customer_id = VerifyToken(token, 'u');
  if (!customer_id) return customer_id.error();
  const Instant now = clock_.Now();
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    auto c = tx.GetCustomer(*customer_id);
    if (!c) return c.error();
    if (!c->has_value()) return NotFound("unknown or invalid link");
    store::Customer customer = **c;
    if (customer.unsubscribed_at) return OkStatus();
    customer.unsubscribed_at = now;
    return tx.UpdateCustomer(customer);
  });
}

Result<store::Shop> App::UnsubscribeShop(std::string_view token) {
  auto customer_id = VerifyToken(token, 'u');
  if (!customer_id) return customer_id.error();
  return store_.Read<store::Shop>([&](store::Tx& tx) -> Result<store::Shop> {
    auto c = tx.GetCustomer(*customer_id);
    if (!c) return c.error();
    if (!c->has_value()) return NotFound("unknown or invalid link");
    auto shop = tx.GetShop((*c)->shop_id);
    if (!shop) return shop.error();
    if (!shop->has_value()) return NotFound("unknown or invalid link");
    return **shop;
  });
}

}  // namespace vouch::app
