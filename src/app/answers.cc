#include "app/answers.h"

#include "app/answer_steps.h"
#include "app/audiences.h"
#include "app/experiments.h"
#include "app/holdout.h"
#include "app/promoter_networks.h"
#include "base/utf8.h"
#include "core/validate.h"

namespace vouch::app {

using namespace answer_steps;

namespace {

constexpr size_t kMaxComment = 2000;
// Clicks one set write function takes at most (more wait for the next, maybe in the same commit).
constexpr size_t kMaxSetClicks = 1000;

}  // namespace

Answers::Answers(store::Store& store, const Clock& clock, const Links& links, Referrals& referrals,
                 AsyncCalls& async, const WorkNotifier& notifier, Unsubscribes& unsubscribes,
                 Webhooks& webhooks)
    : store_(store),
      clock_(clock),
      links_(links),
      referrals_(referrals),
      async_(async),
      notifier_(notifier),
      unsubscribes_(unsubscribes),
      webhooks_(webhooks),
      clicks_(store,
              ClickCoalescer::Options{kMaxSetClicks, "answer.set_one_by_one", "clicks", "click set not run"},
              ClickCoalescer::Callbacks{
                  [this](store::Tx& tx, ClickCoalescer::Set& set) { return RunClickSet(tx, set); },
                  [this](ClickCoalescer::Set& set) { FinishClickSet(set); },
                  [this](QueuedClick&& q) { ApplyAlone(std::move(q)); },
                  [](QueuedClick& q, const Error& e) { AnswerClick(q, e); }}) {}

Result<AnswerView> Answers::RecordClick(std::string_view token, int score, std::string_view method,
                                        std::string_view user_agent, std::string_view client_ip) {
  return Apply(token, score, method, user_agent, /*confirmed=*/false, client_ip);
}

Result<AnswerView> Answers::Confirm(std::string_view token, int score, std::string_view client_ip) {
  return Apply(token, score, "POST", "", /*confirmed=*/true, client_ip);
}

Result<AnswerView> Answers::Apply(std::string_view token, int score, std::string_view method,
                                  std::string_view user_agent, bool confirmed, std::string_view client_ip) {
  auto survey_id = links_.VerifySurveyToken(token);
  if (!survey_id) return survey_id.error();
  if (!core::MakeScore(score)) return InvalidArgument("score", "must be an integer from 0 to 10");
  const Instant now = clock_.Now();
  bool activate_now = false;
  auto view = store_.Write<AnswerView>([&](store::Tx& tx) {
    return ApplyInTx(tx, *survey_id, score, method, user_agent, confirmed, now, activate_now, client_ip);
  });
  if (view && activate_now) notifier_.Notify();
  return view;
}

Result<AnswerView> Answers::ApplyInTx(store::Tx& tx, store::Id survey_id, int score, std::string_view method,
                                      std::string_view user_agent, bool confirmed, Instant now,
                                      bool& activate_now, std::string_view client_ip) {
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
  VOUCH_TRY(EmitAnswerInTx(tx, before, step.after, now));
  VOUCH_TRY(
      ForRollupMoves(before, step.after, [&](int64_t day, const std::string& segment, int s, int64_t delta) {
        return tx.surveys().AddToRollup(step.after.shop_id, day, segment, s, delta);
      }));
  if (IsPromoter(step.after)) {
    auto shop = tx.shops().Get(step.after.shop_id);
    if (!shop) return shop.error();
    auto customer = tx.customers().Get(step.after.customer_id);
    if (!customer) return customer.error();
    if (!shop->has_value() || !customer->has_value()) return Internal("survey without shop or customer");
    VOUCH_TRY(
        ActivatePromoterInTx(tx, **shop, **customer, step.after, confirmed, now, activate_now, client_ip));
  }
  auto v = MakeView(tx, step.after);
  if (v) v->verdict = step.verdict;
  return v;
}

Status Answers::ActivatePromoterInTx(store::Tx& tx, const store::Shop& shop, const store::Customer& customer,
                                     const store::Survey& survey, bool confirmed, Instant now,
                                     bool& activate_now, std::string_view client_ip) {
  // A promoter outside the shop's gated audiences (app/audiences.h), or held out
  // (app/holdout.h), gets the thank-you but no code and no activation message.
  auto existing = tx.referrals().FindCodeByPromoter(shop.id, customer.id);
  if (!existing) return existing.error();
  std::optional<store::Audience> offer_from;
  if (!*existing) {
    auto audience = Audiences::DecideInTx(tx, shop, survey.id);
    if (!audience) return audience.error();
    if (!audience->activate) return OkStatus();
    offer_from = std::move(audience->offer_from);
    auto held_out = HeldOutInTx(tx, links_, shop, customer.id, survey.id, now);
    if (!held_out) return held_out.error();
    if (*held_out) return OkStatus();
  }
  auto code = referrals_.EnsureCodeInTx(tx, shop, customer, survey.id, now);
  if (!code) return code.error();
  if (offer_from && code->created_at == now) {
    VOUCH_TRY(tx.audiences().AssignOffer(shop.id, customer.id, offer_from->id, code->id, now));
  }
  // Where the promoter answered from, for the shared-network rule (only promoters with a code).
  VOUCH_TRY(RecordAnswerNetworkInTx(tx, unsubscribes_, shop.id, customer.id, client_ip, now));
  // A code made now joins the running offer experiment, if any, and carries its variant's offer.
  if (code->created_at == now) VOUCH_TRY(Experiments::AssignInTx(tx, shop.id, customer.id, *code));
  // The activation mail waits out the burst window unless a person confirmed the answer.
  const Instant run_at = confirmed ? now : now + core::kBurstWindow;
  // The activation goes on the survey's channel: a survey answered from a text gets a text back.
  auto queued =
      tx.jobs().Enqueue(survey.shop_id, store::JobKind::kActivation, code->id, survey.channel, run_at);
  if (!queued) return queued.error();
  if (*queued)
    VOUCH_TRY(webhooks_.EmitInTx(tx, survey.shop_id, "promoter.activated", code->id, now, run_at - now));
  if (confirmed) {
    VOUCH_TRY(tx.jobs().Reschedule(store::JobKind::kActivation, code->id, survey.channel, now));
    activate_now = true;
  }
  return OkStatus();
}

Status Answers::EmitAnswerInTx(store::Tx& tx, const store::Survey& before, const store::Survey& after,
                               Instant now) {
  if (IsCounted(before.answer_state) || !IsCounted(after.answer_state) || !after.score) return OkStatus();
  VOUCH_TRY(webhooks_.EmitInTx(tx, after.shop_id, "response.created", after.id, now, kResponseEventDelay));
  if (*after.score <= 6) {
    VOUCH_TRY(webhooks_.EmitInTx(tx, after.shop_id, "detractor.created", after.id, now, kResponseEventDelay));
  }
  return OkStatus();
}

Result<AnswerView> Answers::View(std::string_view token) {
  auto survey_id = links_.VerifySurveyToken(token);
  if (!survey_id) return survey_id.error();
  return store_.Read<AnswerView>([&](store::ReadTx& tx) -> Result<AnswerView> {
    auto found = tx.surveys().Get(*survey_id);
    if (!found) return found.error();
    if (!found->has_value()) return NotFound("unknown or invalid link");
    return MakeView(tx, **found);
  });
}

Result<AnswerView> Answers::MakeView(store::ReadTx& tx, const store::Survey& survey) {
  auto shop = tx.shops().Get(survey.shop_id);
  if (!shop) return shop.error();
  auto customer = tx.customers().Get(survey.customer_id);
  if (!customer) return customer.error();
  if (!shop->has_value() || !customer->has_value()) return Internal("survey without shop or customer");
  return ViewOf(tx, survey, **shop, **customer);
}

Result<AnswerView> Answers::ViewOf(store::ReadTx& tx, const store::Survey& survey, const store::Shop& shop,
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
      auto overrides = tx.templates().Overrides(shop.id);  // the shop's share text, if any
      if (!overrides) return overrides.error();
      auto variant = tx.experiments().VariantOfPromoter(shop.id, customer.id);  // an experiment's offer
      if (!variant) return variant.error();
      if (*variant) {
        ApplyVariantOffer(**variant, v.shop);
        ApplyVariantShareText(**variant, v.locale, *overrides);
      }
      v.share = links_.ShareLinksFor(v.shop, v.locale, (*code)->code, *overrides);
      v.offer_text = links_.OfferText(v.shop, v.locale);
    }
  }
  return v;
}

Status Answers::SaveComment(std::string_view token, std::string comment) {
  auto survey_id = links_.VerifySurveyToken(token);
  if (!survey_id) return survey_id.error();
  if (comment.size() > kMaxComment) {
    return InvalidArgument("comment", "must be at most 2000 characters");
  }
  comment = RepairUtf8(comment);  // stored and shown: bytes that are not UTF-8 become U+FFFD
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

Status Answers::Unsubscribe(std::string_view token) {
  auto customer_id = links_.VerifyUnsubscribeToken(token);
  if (!customer_id) return customer_id.error();
  const Instant now = clock_.Now();
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    auto c = tx.customers().Get(*customer_id);
    if (!c) return c.error();
    if (!c->has_value()) return NotFound("unknown or invalid link");
    store::Customer customer = **c;
    // Held for the person (its canonical email and phone), not only this row: see unsubscribes.h.
    VOUCH_TRY(unsubscribes_.RecordInTx(tx, customer, now));
    if (customer.unsubscribed_at) return OkStatus();
    customer.unsubscribed_at = now;
    return tx.customers().Update(customer);
  });
}

Result<store::Shop> Answers::UnsubscribeShop(std::string_view token) {
  auto customer_id = links_.VerifyUnsubscribeToken(token);
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
