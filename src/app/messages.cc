// Building the message a job owes, in one read transaction: the job's cause (survey, code or
// reward) and customer, the channel it goes on, and the message for that channel. Email: the
// shared template values (shop, greeting, unsubscribe footer), the kind's own values (survey,
// activation or reward mail), rendered subject/text/HTML, and the envelope with its headers.
#include "app/messages.h"

#include "app/experiments.h"
#include "app/text_messages.h"

#include <fmt/format.h>
#include <algorithm>

#include "base/money.h"
#include "core/budget.h"
#include "core/channel.h"
#include "core/validate.h"
#include "delivery/templates.h"

namespace vouch::app {
namespace {

// What building a message needs besides the store: the links it carries and the sender address.
struct Env {
  const Links& links;
  const AppConfig& config;
};

// --- What the job is about ---------------------------------------------------------------------

// A job's cause and the customer it is for; or, in `skip_reason`, why the job is moot.
struct Cause {
  store::Id customer_id = 0;
  std::optional<store::Survey> survey;      // survey jobs
  std::optional<store::ReferralCode> code;  // activation jobs; reward jobs, if the promoter has one
  std::optional<store::Reward> reward;      // reward jobs
  std::string skip_reason;
};

Cause Moot(std::string reason) {
  Cause c;
  c.skip_reason = std::move(reason);
  return c;
}

Result<Cause> SurveyCause(store::ReadTx& tx, const store::Job& job) {
  auto s = tx.surveys().Get(job.ref_id);
  if (!s) return s.error();
  if (!s->has_value()) return Moot("survey no longer exists");
  Cause c;
  c.survey = **s;
  c.customer_id = c.survey->customer_id;
  return c;
}

// A survey's reminder: moot once the survey has any answer (counted, confirmed or held as
// suspect: a person who clicked is not reminded) or when its message never went out.
Result<Cause> ReminderCause(store::ReadTx& tx, const store::Job& job) {
  auto c = SurveyCause(tx, job);
  if (!c || !c->skip_reason.empty()) return c;
  if (c->survey->score) return Moot("survey answered");
  if (c->survey->status != store::SurveyStatus::kSent) return Moot("survey message was not sent");
  return c;
}

Result<Cause> ActivationCause(store::ReadTx& tx, const store::Job& job) {
  auto code = tx.referrals().GetCode(job.ref_id);
  if (!code) return code.error();
  if (!code->has_value()) return Moot("code no longer exists");
  Cause c;
  c.code = **code;
  c.customer_id = c.code->promoter_id;
  auto s = tx.surveys().Get(c.code->survey_id);
  if (!s) return s.error();
  // A scanner burst or a changed mind since the click: no promoter, no activation.
  if (!s->has_value() || !(*s)->score || !IsCounted((*s)->answer_state) || *(*s)->score < 9) {
    return Moot("answer is no longer a counted promoter answer");
  }
  return c;
}

Result<Cause> RewardCause(store::ReadTx& tx, const store::Job& job, const store::Shop& shop) {
  auto w = tx.referrals().GetReward(job.ref_id);
  if (!w) return w.error();
  if (!w->has_value()) return Moot("reward no longer exists");
  // Only a released reward is mailed: one voided or clawed back (a refund came first) never is.
  if ((*w)->status != store::RewardStatus::kReleased) {
    return Moot(std::string("reward ") + store::RewardStatusName((*w)->status));
  }
  Cause c;
  c.reward = **w;
  c.customer_id = c.reward->promoter_id;
  auto code = tx.referrals().FindCodeByPromoter(shop.id, c.customer_id);
  if (!code) return code.error();
  c.code = *code;
  return c;
}

Result<Cause> CauseOf(store::ReadTx& tx, const store::Job& job, const store::Shop& shop) {
  switch (job.kind) {
    case store::JobKind::kSurvey: return SurveyCause(tx, job);
    case store::JobKind::kActivation: return ActivationCause(tx, job);
    case store::JobKind::kReward: return RewardCause(tx, job, shop);
    case store::JobKind::kRewardRelease: return Internal("a reward release sends no message");
    case store::JobKind::kReminder: return ReminderCause(tx, job);
    case store::JobKind::kWebhook: return Internal("a webhook is posted, not mailed");
    case store::JobKind::kWebhookDisabled: return Internal("a webhook notice has no customer");
    case store::JobKind::kCouponLeak: return Internal("a coupon-leak notice has no customer");
  }
  return Internal("unknown job kind");
}

// Why `customer` cannot be sent this job's message on `channel`, or "" when it can.
std::string Unreachable(const store::Customer& customer, core::Channel channel, store::JobKind kind) {
  if (channel == core::Channel::kEmail && customer.email.empty()) return "customer has no email address";
  if (channel == core::Channel::kSms && customer.phone.empty()) return "customer has no phone number";
  // Surveys and activations are invitations: an unsubscribe stops them. A reward is money the
  // customer earned, so its notice still goes out.
  if (customer.unsubscribed_at && kind != store::JobKind::kReward) return "customer unsubscribed";
  // The shop's store said the customer declined email marketing: no invitation by email either.
  if (channel == core::Channel::kEmail && customer.accepts_email_marketing == false &&
      kind != store::JobKind::kReward) {
    return "no_consent";
  }
  // Texts need the customer's explicit SMS consent.
  if (channel == core::Channel::kSms && customer.accepts_sms_marketing != true) return "no_consent";
  return "";
}

// --- Email -------------------------------------------------------------------------------------

std::string Question(const store::Shop& shop, const std::string& locale) {
  if (core::LanguageOf(locale) == "de") {
    return fmt::format("Wie wahrscheinlich ist es, dass Sie {} einem Freund oder Kollegen empfehlen?",
                       shop.name);
  }
  return fmt::format("How likely are you to recommend {} to a friend or colleague?", shop.name);
}

// The values every mail's header and footer use: the shop, the greeting, the unsubscribe link.
void SetCommonValues(const Env& env, const store::Shop& shop, const store::Customer& customer,
                     delivery::TemplateContext& ctx) {
  ctx.Set("shop_name", shop.name);
  ctx.Set("shop_url", shop.url);
  ctx.Set("first_name", customer.first_name);
  ctx.Set("unsubscribe_url", env.links.UnsubscribeUrl(customer.id));
}

// The survey mail (or its one reminder): the question and its eleven answer buttons.
void SetSurveyValues(const Env& env, const store::Shop& shop, const std::string& locale,
                     const store::Survey& survey, bool reminder, delivery::TemplateContext& ctx) {
  ctx.Set("question", Question(shop, locale));
  ctx.SetBool("reminder", reminder);
  for (int score = 0; score <= 10; ++score) {
    delivery::AddSurveyButton(ctx, score, env.links.AnswerUrl(survey.id, score));
  }
}

// The activation mail: the promoter's code, what friends get, the reward, the share links.
void SetActivationValues(const Env& env, const store::Shop& shop, const std::string& locale,
                         const store::ReferralCode& code, const std::map<std::string, std::string>& overrides,
                         delivery::TemplateContext& ctx) {
  const ShareLinks links = env.links.ShareLinksFor(shop, locale, code.code, overrides);
  ctx.Set("code", code.code);
  ctx.Set("share_url", links.share_url);
  ctx.Set("offer_text", env.links.OfferText(shop, locale));
  ctx.Set("friend_offer", env.links.FriendOffer(shop, locale));
  ctx.Set("reward", FormatMoney(shop.settings.reward_minor, shop.settings.currency, locale));
  ctx.Set("expires_on", code.expires_at ? FormatRfc3339(*code.expires_at).substr(0, 10) : "");
  ctx.Set("whatsapp_url", links.whatsapp_url);
  ctx.Set("x_url", links.x_url);
  ctx.Set("facebook_url", links.facebook_url);
  ctx.Set("email_share_url", links.email_url);
}

// The reward mail: the reward code and amount, and the promoter's code to keep sharing.
void SetRewardValues(const Env& env, const std::string& locale, const store::Reward& reward,
                     const std::optional<store::ReferralCode>& code, delivery::TemplateContext& ctx) {
  ctx.Set("reward_code", reward.code);
  ctx.Set("reward_amount", FormatMoney(reward.amount_minor, reward.currency, locale));
  ctx.Set("friend_first_name", "");
  ctx.Set("code", code ? code->code : "");
  ctx.Set("share_url", code ? env.links.ShareUrl(code->code) : "");
}

struct Parts {
  std::string subject, text, html;
};

// Subject (a one-line full render), text and HTML, the bodies filled from their skeleton for this
// context's shape (delivery::RenderTemplateFilled): the same bytes as a full render.
Result<Parts> RenderAll(const std::string& message, const std::string& locale,
                        const delivery::TemplateContext& ctx,
                        const std::map<std::string, std::string>& overrides) {
  auto subject = delivery::RenderTemplate(message + ".subject", locale, ctx, overrides);
  if (!subject) return subject.error();
  auto text = delivery::RenderTemplateFilled(message + ".txt", locale, ctx, overrides);
  if (!text) return text.error();
  auto html = delivery::RenderTemplateFilled(message + ".html", locale, ctx, overrides);
  if (!html) return html.error();
  return Parts{std::move(*subject), std::move(*text), std::move(*html)};
}

// The mail around rendered parts: sender, recipient, a Message-ID stable per cause, and the
// List-Unsubscribe, job and auto-reply headers.
delivery::MailMessage Envelope(const Env& env, const store::Job& job, const store::Shop& shop,
                               const store::Customer& customer, Parts parts) {
  delivery::MailMessage m;
  m.from_name = shop.settings.sender_name.empty() ? shop.name : shop.settings.sender_name;
  m.from_address = env.config.mail_from;
  m.to_name = customer.first_name + (customer.last_name.empty() ? "" : " " + customer.last_name);
  m.to_address = customer.email;
  m.subject = std::move(parts.subject);
  m.text = std::move(parts.text);
  m.html = std::move(parts.html);
  // Stable per cause: a resend after a crash carries the same Message-ID.
  m.message_id = fmt::format("<vouch.{}.{}.{}@{}>", store::JobKindName(job.kind), job.ref_id, job.shop_id,
                             HostOf(env.config.public_url));
  const std::string unsub = env.links.UnsubscribeUrl(customer.id);
  m.headers.emplace_back("List-Unsubscribe", "<" + unsub + ">");
  m.headers.emplace_back("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
  m.headers.emplace_back("X-Vouch-Job", fmt::format("{}", job.id));
  if (job.kind == store::JobKind::kSurvey || job.kind == store::JobKind::kReminder) {
    m.headers.emplace_back("Auto-Submitted", "auto-generated");
  }
  return m;
}

// The job's mail, rendered from the shop's templates in the customer's locale.
Result<delivery::MailMessage> BuildMail(const Env& env, store::ReadTx& tx, const store::Job& job,
                                        const store::Shop& shop, const store::Customer& customer,
                                        const Cause& cause) {
  const std::string locale = customer.locale.empty() ? shop.settings.locale : customer.locale;
  auto overrides = tx.templates().Overrides(shop.id);
  if (!overrides) return overrides.error();
  delivery::TemplateContext ctx;
  SetCommonValues(env, shop, customer, ctx);
  std::string message_name;
  switch (job.kind) {
    case store::JobKind::kSurvey:
    case store::JobKind::kReminder:
      message_name = "survey";
      SetSurveyValues(env, shop, locale, *cause.survey, job.kind == store::JobKind::kReminder, ctx);
      break;
    case store::JobKind::kActivation: {
      message_name = "activation";
      // The code carries its offer experiment's variant, if any.
      auto variant = tx.experiments().VariantOfPromoter(shop.id, customer.id);
      if (!variant) return variant.error();
      store::Shop offered = shop;
      if (*variant) {
        ApplyVariantOffer(**variant, offered);
        ApplyVariantShareText(**variant, locale, *overrides);
      }
      SetActivationValues(env, offered, locale, *cause.code, *overrides, ctx);
      break;
    }
    case store::JobKind::kReward:
      message_name = "reward";
      SetRewardValues(env, locale, *cause.reward, cause.code, ctx);
      break;
    case store::JobKind::kRewardRelease:
    case store::JobKind::kWebhook:
    case store::JobKind::kWebhookDisabled:
    case store::JobKind::kCouponLeak: return Internal("not a customer's mail");
  }
  auto parts = RenderAll(message_name, locale, ctx, *overrides);
  if (!parts) return parts.error();
  return Envelope(env, job, shop, customer, std::move(*parts));
}

JobMessage Skip(std::string reason) { return JobMessage{std::nullopt, std::move(reason), std::nullopt}; }

// Whether `customer` has had the shop's budget of marketing messages in its window.
Result<bool> OverBudget(store::ReadTx& tx, const store::Shop& shop, const store::Customer& customer,
                        Instant now) {
  const core::MessageBudget budget{shop.settings.max_messages, shop.settings.budget_days};
  if (budget.max_messages <= 0) return false;
  auto sent = tx.jobs().CountMarketingSent(shop.id, customer.id, core::BudgetWindowStart(budget, now));
  if (!sent) return sent.error();
  return core::OverBudget(budget, *sent);
}

// The mail that tells a shop's admins (the oldest one, the others in Cc) that an endpoint was
// disabled after failing for 5 days. English, built here: it goes to the shop, not a customer.
Result<JobMessage> WebhookNotice(const Env& env, store::ReadTx& tx, const store::Job& job,
                                 const store::Shop& shop) {
  auto e = tx.webhooks().GetEndpoint(job.ref_id);
  if (!e) return e.error();
  if (!e->has_value() || (*e)->shop_id != shop.id) return Skip("webhook endpoint deleted");
  if (!(*e)->disabled_at) return Skip("webhook endpoint enabled again");
  auto users = tx.users().List(shop.id);
  if (!users) return users.error();
  std::vector<const store::User*> admins;
  for (const auto& u : *users) {
    if (u.role == store::Role::kAdmin) admins.push_back(&u);
  }
  if (admins.empty()) return Skip("shop has no admin to tell");
  std::sort(admins.begin(), admins.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  const store::WebhookEndpoint& ep = **e;
  std::string url = ep.url;
  if (ep.kind == store::WebhookKind::kSlack) url = url.substr(0, url.rfind('/') + 1) + "...";
  delivery::MailMessage m;
  m.from_name = "Vouch";
  m.from_address = env.config.mail_from;
  m.to_address = admins.front()->email;
  for (size_t i = 1; i < admins.size(); ++i) m.cc.push_back(admins[i]->email);
  m.subject = fmt::format("Vouch: webhook endpoint disabled for {}", shop.name);
  m.text = fmt::format(
      "Hello,\n\nVouch could not deliver events to this webhook endpoint of {} for 5 days:\n\n  {}\n\n"
      "Last error: {}\n\nIt was disabled on {}; events that happen now are not sent to it. Check the "
      "receiver, then add the endpoint again (Settings, or POST /api/v1/webhooks).\n\n{}\n",
      shop.name, url, ep.last_error, FormatRfc3339(*ep.disabled_at), env.config.public_url);
  m.message_id =
      fmt::format("<vouch.webhook_disabled.{}.{}@{}>", ep.id, shop.id, HostOf(env.config.public_url));
  m.headers.emplace_back("Auto-Submitted", "auto-generated");
  m.headers.emplace_back("X-Vouch-Job", fmt::format("{}", job.id));
  return JobMessage{delivery::Message(std::move(m)), "", std::nullopt};
}

// The mail that tells the shop (its contact_email, in its locale: templates coupon_leak.*) that
// the coupon-leak rule paused one of its codes: the code, the buyers without a visit that paused
// it, the threshold, and where its referrals are reviewed. Moot once the code is gone or no
// longer paused, or when the shop has no contact address now.
Result<JobMessage> CouponLeakNotice(const Env& env, store::ReadTx& tx, const store::Job& job,
                                    const store::Shop& shop) {
  if (shop.settings.contact_email.empty()) return Skip("shop has no contact_email");
  auto code = tx.referrals().GetCode(job.ref_id);
  if (!code) return code.error();
  if (!code->has_value() || (*code)->shop_id != shop.id) return Skip("code no longer exists");
  if (!(*code)->paused_at) return Skip("code is no longer paused");
  const store::ReferralCode& c = **code;
  const std::string& locale = shop.settings.locale;
  auto overrides = tx.templates().Overrides(shop.id);
  if (!overrides) return overrides.error();
  delivery::TemplateContext ctx;
  ctx.Set("shop_name", shop.name);
  ctx.Set("shop_url", shop.url);
  ctx.Set("code", c.code);
  ctx.Set("buyers_without_visit", fmt::format("{}", c.paused_buyers));
  ctx.Set("threshold", fmt::format("{}", shop.settings.coupon_leak_buyers));
  ctx.Set("window_days",
          fmt::format("{}", shop.settings.attribution_days > 0 ? shop.settings.attribution_days : 30));
  ctx.Set("paused_at", FormatRfc3339(*c.paused_at));
  ctx.Set("promoter_url", fmt::format("{}/promoters/{}", env.config.public_url, c.promoter_id));
  ctx.Set("review_url", env.config.public_url + "/referrals?status=pending_review");
  ctx.Set("api_url", env.config.public_url + "/api/v1/referrals?status=pending_review");
  auto parts = RenderAll("coupon_leak", locale, ctx, *overrides);
  if (!parts) return parts.error();
  delivery::MailMessage m;
  m.from_name = "Vouch";
  m.from_address = env.config.mail_from;
  m.to_name = shop.name;
  m.to_address = shop.settings.contact_email;
  m.subject = std::move(parts->subject);
  m.text = std::move(parts->text);
  m.html = std::move(parts->html);
  m.message_id = fmt::format("<vouch.coupon_leak.{}.{}.{}@{}>", c.id, ToUnixMillis(*c.paused_at), shop.id,
                             HostOf(env.config.public_url));
  m.headers.emplace_back("Auto-Submitted", "auto-generated");
  m.headers.emplace_back("X-Vouch-Job", fmt::format("{}", job.id));
  return JobMessage{delivery::Message(std::move(m)), "", std::nullopt};
}

}  // namespace

bool IsMarketing(store::JobKind kind) {
  switch (kind) {
    case store::JobKind::kSurvey:
    case store::JobKind::kReminder:
    case store::JobKind::kActivation: return true;
    case store::JobKind::kReward:
    case store::JobKind::kRewardRelease:
    case store::JobKind::kWebhook:
    case store::JobKind::kWebhookDisabled:
    case store::JobKind::kCouponLeak: return false;
  }
  return false;
}

Result<JobMessage> Messages::Build(const store::Job& job) {
  return store_.Read<JobMessage>([&](store::ReadTx& tx) -> Result<JobMessage> {
    auto shop = tx.shops().Get(job.shop_id);
    if (!shop) return shop.error();
    if (!shop->has_value()) return Skip("shop no longer exists");
    if (job.kind == store::JobKind::kWebhookDisabled)
      return WebhookNotice(Env{links_, config_}, tx, job, **shop);
    if (job.kind == store::JobKind::kCouponLeak)
      return CouponLeakNotice(Env{links_, config_}, tx, job, **shop);
    auto cause = CauseOf(tx, job, **shop);
    if (!cause) return cause.error();
    if (!cause->skip_reason.empty()) return Skip(cause->skip_reason);
    auto customer = tx.customers().Get(cause->customer_id);
    if (!customer) return customer.error();
    if (!customer->has_value()) return Skip("customer no longer exists");
    // A job's message goes out on the job's own channel: one cause may owe a job per channel.
    const core::Channel channel = job.channel;
    if (std::string why = Unreachable(**customer, channel, job.kind); !why.empty()) return Skip(why);
    if (IsMarketing(job.kind)) {
      auto over = OverBudget(tx, **shop, **customer, clock_.Now());
      if (!over) return over.error();
      if (*over) return Skip(core::kOverBudget);
    }
    // The person may have unsubscribed as another customer row (the same canonical address).
    if (job.kind != store::JobKind::kReward) {
      auto held = unsubscribes_.HeldInTx(tx, **customer);
      if (!held) return held.error();
      if (*held) return Skip("customer unsubscribed");
    }

    switch (channel) {
      case core::Channel::kEmail: {
        auto mail = BuildMail(Env{links_, config_}, tx, job, **shop, **customer, *cause);
        if (!mail) return mail.error();
        return JobMessage{delivery::Message(std::move(*mail)), "", std::nullopt, (*customer)->id};
      }
      case core::Channel::kSms: {
        auto text = BuildText(TextEnv{links_, config_, clock_.Now()}, tx, job, **shop, **customer,
                              cause->survey, cause->code);
        if (text) text->customer_id = (*customer)->id;
        return text;
      }
    }
    return Internal("unknown channel");
  });
}

}  // namespace vouch::app
