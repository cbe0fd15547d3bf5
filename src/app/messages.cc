#include "app/messages.h"

#include <fmt/format.h>

#include "base/money.h"
#include "core/validate.h"
#include "delivery/templates.h"

namespace vouch::app {
namespace {

std::string Question(const store::Shop& shop, const std::string& locale) {
  if (core::LanguageOf(locale) == "de") {
    return fmt::format("Wie wahrscheinlich ist es, dass Sie {} einem Freund oder Kollegen empfehlen?",
                       shop.name);
  }
  return fmt::format("How likely are you to recommend {} to a friend or colleague?", shop.name);
}

struct Parts {
  std::string subject, text, html;
};

Result<Parts> RenderAll(const std::string& message, const std::string& locale,
                        const delivery::TemplateContext& ctx,
                        const std::map<std::string, std::string>& overrides) {
  Parts p;
  auto subject = delivery::RenderTemplate(message + ".subject", locale, ctx, overrides);
  if (!subject) return subject.error();
  auto text = delivery::RenderTemplate(message + ".txt", locale, ctx, overrides);
  if (!text) return text.error();
  auto html = delivery::RenderTemplate(message + ".html", locale, ctx, overrides);
  if (!html) return html.error();
  return Parts{std::move(*subject), std::move(*text), std::move(*html)};
}

}  // namespace

Result<JobMessage> Messages::Build(const store::Job& job) {
  return store_.Read<JobMessage>([&](store::Tx& tx) -> Result<JobMessage> {
    auto shop_r = tx.GetShop(job.shop_id);
    if (!shop_r) return shop_r.error();
    if (!shop_r->has_value()) return JobMessage{std::nullopt, "shop no longer exists"};
    const store::Shop& shop = **shop_r;

    // Resolve who the message is for and what it is about.
    store::Id customer_id = 0;
    std::optional<store::Survey> survey;
    std::optional<store::ReferralCode> code;
    std::optional<store::Reward> reward;
    switch (job.kind) {
      case store::JobKind::kSurvey: {
        auto s = tx.GetSurvey(job.ref_id);
        if (!s) return s.error();
        if (!s->has_value()) return JobMessage{std::nullopt, "survey no longer exists"};
        survey = **s;
        customer_id = survey->customer_id;
        break;
      }
      case store::JobKind::kActivation: {
        auto c = tx.GetCode(job.ref_id);
        if (!c) return c.error();
        if (!c->has_value()) return JobMessage{std::nullopt, "code no longer exists"};
        code = **c;
        customer_id = code->promoter_id;
        auto s = tx.GetSurvey(code->survey_id);
        if (!s) return s.error();
        // A scanner burst or a changed mind since the click: no promoter, no activation.
        if (!s->has_value() || !(*s)->score || !IsCounted((*s)->answer_state) || *(*s)->score < 9) {
          return JobMessage{std::nullopt, "answer is no longer a counted promoter answer"};
        }
        break;
      }
      case store::JobKind::kReward: {
        auto w = tx.GetReward(job.ref_id);
        if (!w) return w.error();
        if (!w->has_value()) return JobMessage{std::nullopt, "reward no longer exists"};
        reward = **w;
        customer_id = reward->promoter_id;
        auto c = tx.FindCodeByPromoter(shop.id, customer_id);
        if (!c) return c.error();
        code = *c;
        break;
      }
    }
    auto cust_r = tx.GetCustomer(customer_id);
    if (!cust_r) return cust_r.error();
    if (!cust_r->has_value()) return JobMessage{std::nullopt, "customer no longer exists"};
    const store::Customer& customer = **cust_r;
    if (customer.email.empty()) return JobMessage{std::nullopt, "customer has no email address"};
    // Surveys and activations are invitations: an unsubscribe stops them. A reward is money the
    // customer earned, so its notice still goes out.
    if (customer.unsubscribed_at && job.kind != store::JobKind::kReward) {
      return JobMessage{std::nullopt, "customer unsubscribed"};
    }
    const std::string locale = customer.locale.empty() ? shop.settings.locale : customer.locale;

    delivery::TemplateContext ctx;
    ctx.Set("shop_name", shop.name);
    ctx.Set("shop_url", shop.url);
    ctx.Set("first_name", customer.first_name);
    ctx.Set("unsubscribe_url", links_.UnsubscribeUrl(customer.id));
    std::string message_name;
    switch (job.kind) {
      case store::JobKind::kSurvey:
        message_name = "survey";
        ctx.Set("question", Question(shop, locale));
        for (int score = 0; score <= 10; ++score) {
          delivery::AddSurveyButton(ctx, score, links_.AnswerUrl(survey->id, score));
        }
        break;
      case store::JobKind::kActivation: {
        message_name = "activation";
        const ShareLinks links = links_.ShareLinksFor(shop, locale, code->code);
        ctx.Set("code", code->code);
        ctx.Set("share_url", links.share_url);
        ctx.Set("offer_text", links_.OfferText(shop, locale));
        ctx.Set("friend_offer", links_.FriendOffer(shop, locale));
        ctx.Set("reward", FormatMoney(shop.settings.reward_minor, shop.settings.currency, locale));
        ctx.Set("expires_on", code->expires_at ? FormatRfc3339(*code->expires_at).substr(0, 10) : "");
        ctx.Set("whatsapp_url", links.whatsapp_url);
        ctx.Set("x_url", links.x_url);
        ctx.Set("facebook_url", links.facebook_url);
        ctx.Set("email_share_url", links.email_url);
        break;
      }
      case store::JobKind::kReward: {
        message_name = "reward";
        ctx.Set("reward_code", reward->code);
        ctx.Set("reward_amount", FormatMoney(reward->amount_minor, reward->currency, locale));
        ctx.Set("friend_first_name", "");
        ctx.Set("code", code ? code->code : "");
        ctx.Set("share_url", code ? links_.ShareUrl(code->code) : "");
        break;
      }
    }
    auto overrides = tx.TemplateOverrides(shop.id);
    if (!overrides) return overrides.error();
    auto parts = RenderAll(message_name, locale, ctx, *overrides);
    if (!parts) return parts.error();

    delivery::MailMessage m;
    m.from_name = shop.settings.sender_name.empty() ? shop.name : shop.settings.sender_name;
    m.from_address = config_.mail_from;
    m.to_name = customer.first_name + (customer.last_name.empty() ? "" : " " + customer.last_name);
    m.to_address = customer.email;
    m.subject = std::move(parts->subject);
    m.text = std::move(parts->text);
    m.html = std::move(parts->html);
    // Stable per cause: a resend after a crash carries the same Message-ID.
    m.message_id = fmt::format("<vouch.{}.{}.{}@{}>", store::JobKindName(job.kind), job.ref_id,
                               job.shop_id, HostOf(config_.public_url));
    const std::string unsub = links_.UnsubscribeUrl(customer.id);
    m.headers.emplace_back("List-Unsubscribe", "<" + unsub + ">");
    m.headers.emplace_back("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    m.headers.emplace_back("X-Vouch-Job", fmt::format("{}", job.id));
    if (job.kind == store::JobKind::kSurvey) m.headers.emplace_back("Auto-Submitted", "auto-generated");
    return JobMessage{std::move(m), ""};
  });
}

}  // namespace vouch::app
