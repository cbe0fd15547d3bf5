#include "app/test_mails.h"

#include <utility>

#include <fmt/format.h>

#include "app/experiments.h"
#include "base/crypto.h"
#include "base/money.h"
#include "core/validate.h"
#include "delivery/templates.h"

namespace vouch::app {
namespace {

constexpr const char* kSampleCode = "SAMPLE-CODE";

// "activation" from "activation.html"; empty for a template that is not a mail's part.
std::string MessageOf(const std::string& name) {
  for (const char* message : {"survey", "activation", "reward", "coupon_leak"}) {
    for (const char* part : {".subject", ".txt", ".html"}) {
      if (name == std::string(message) + part) return message;
    }
  }
  return "";
}

// What a real mail of `message` would see, with a sample customer, code and reward.
delivery::TemplateContext SampleValues(const Links& links, const store::Shop& shop, const std::string& locale,
                                       const std::string& message,
                                       const std::map<std::string, std::string>& overrides) {
  delivery::TemplateContext ctx;
  ctx.Set("shop_name", shop.name);
  ctx.Set("shop_url", shop.url);
  ctx.Set("first_name", core::LanguageOf(locale) == "de" ? "Erika" : "Ada");
  ctx.Set("unsubscribe_url", links.public_url() + "/u/sample");
  if (message == "survey") {
    ctx.Set("question",
            core::LanguageOf(locale) == "de"
                ? fmt::format("Wie wahrscheinlich ist es, dass Sie {} einem Freund oder "
                              "Kollegen empfehlen?",
                              shop.name)
                : fmt::format("How likely are you to recommend {} to a friend or colleague?", shop.name));
    for (int score = 0; score <= 10; ++score) {
      delivery::AddSurveyButton(ctx, score, fmt::format("{}/s/sample/{}", links.public_url(), score));
    }
  } else if (message == "activation") {
    const ShareLinks share = links.ShareLinksFor(shop, locale, kSampleCode, overrides);
    ctx.Set("code", kSampleCode);
    ctx.Set("share_url", share.share_url);
    ctx.Set("offer_text", links.OfferText(shop, locale));
    ctx.Set("friend_offer", links.FriendOffer(shop, locale));
    ctx.Set("reward", FormatMoney(shop.settings.reward_minor, shop.settings.currency, locale));
    ctx.Set("expires_on", "");
    ctx.Set("whatsapp_url", share.whatsapp_url);
    ctx.Set("x_url", share.x_url);
    ctx.Set("facebook_url", share.facebook_url);
    ctx.Set("email_share_url", share.email_url);
  } else if (message == "coupon_leak") {
    ctx.Set("code", kSampleCode);
    ctx.Set("buyers_without_visit", fmt::format("{}", shop.settings.coupon_leak_buyers));
    ctx.Set("threshold", fmt::format("{}", shop.settings.coupon_leak_buyers));
    ctx.Set("window_days", "30");
    ctx.Set("paused_at", "2026-01-01T00:00:00Z");
    ctx.Set("promoter_url", links.public_url() + "/promoters/1");
    ctx.Set("review_url", links.public_url() + "/referrals?status=pending_review");
    ctx.Set("api_url", links.public_url() + "/api/v1/referrals?status=pending_review");
  } else {
    ctx.Set("reward_code", "SAMPLE-REWARD");
    ctx.Set("reward_amount", FormatMoney(shop.settings.reward_minor, shop.settings.currency, locale));
    ctx.Set("friend_first_name", "");
    ctx.Set("code", kSampleCode);
    ctx.Set("share_url", links.ShareUrl(kSampleCode));
  }
  return ctx;
}

}  // namespace

void TestMails::SetMailer(MailerFactory factory) {
  std::lock_guard lock(mu_);
  mailer_ = std::move(factory);
}

Millis TestMails::RetryAfter(store::Id user) {
  std::lock_guard lock(mu_);
  auto it = last_sent_.find(user);
  if (it == last_sent_.end()) return Millis{0};
  const Millis left = it->second + kTestMailGap - clock_.Now();
  return left > Millis{0} ? left : Millis{0};
}

Result<std::optional<store::ExperimentVariant>> TestMails::OfferOf(store::Id shop,
                                                                   const TestMailOffer& offer) {
  using Offer = std::optional<store::ExperimentVariant>;
  if (offer.variant && offer.audience) return InvalidArgument("variant", "cannot be combined with audience");
  if (!offer.variant && !offer.audience) return Offer{};
  return store_.Read<Offer>([&](store::ReadTx& tx) -> Result<Offer> {
    if (offer.variant) {
      auto running = tx.experiments().Running(shop);
      if (!running) return running.error();
      if (!*running) return Error{Code::kNotFound, "no experiment is running", "variant"};
      for (const auto& v : (*running)->variants) {
        if (v.variant == *offer.variant) return Offer{v};
      }
      return Error{Code::kNotFound, "the running experiment has no such variant", "variant"};
    }
    auto a = tx.audiences().Find(shop, *offer.audience);
    if (!a) return a.error();
    if (!*a) return Error{Code::kNotFound, "no such audience", "audience"};
    if (!(*a)->offer) return InvalidArgument("audience", "has no offer of its own");
    store::ExperimentVariant v;
    v.variant = -1;
    v.name = (*a)->name;
    v.discount_kind = (*a)->offer->discount_kind;
    v.discount_value = (*a)->offer->discount_value;
    v.reward_minor = (*a)->offer->reward_minor;
    return Offer{std::move(v)};
  });
}

Result<TestMail> TestMails::Send(const store::Shop& plain, store::Id user, const std::string& to,
                                 const std::string& locale, const std::string& name,
                                 const std::optional<std::string>& draft, const TestMailOffer& offer) {
  const std::string message = MessageOf(name);
  if (message.empty())
    return InvalidArgument("name", "is not part of a mail (survey, activation, reward or coupon_leak)");
  if (draft) {
    if (auto ok = delivery::ValidateTemplate(*draft); !ok) {
      return InvalidArgument("body", ok.error().message);
    }
  }
  auto variant = OfferOf(plain.id, offer);
  if (!variant) return variant.error();
  store::Shop shop = plain;
  auto overrides = store_.ReadOne<std::map<std::string, std::string>>(
      [&](store::ReadTx& tx) { return tx.templates().Overrides(shop.id); });
  if (!overrides) return overrides.error();
  if (*variant) {  // as the promoter's own mails show it (app/messages.cc)
    ApplyVariantOffer(**variant, shop);
    ApplyVariantShareText(**variant, locale, *overrides);
  }
  const std::string key = locale + "/" + name;
  if (draft) (*overrides)[key] = *draft;
  const delivery::TemplateContext ctx = SampleValues(links_, shop, locale, message, *overrides);
  delivery::MailMessage m;
  const std::pair<const char*, std::string*> parts[] = {
      {".subject", &m.subject}, {".txt", &m.text}, {".html", &m.html}};
  for (const auto& [part, out] : parts) {
    auto rendered = delivery::RenderTemplate(message + part, locale, ctx, *overrides);
    if (!rendered) {
      Error e = rendered.error();
      if (e.field == key) e.field = "body";  // the draft is what broke
      return e;
    }
    *out = std::move(*rendered);
  }
  m.subject = "[Test] " + m.subject;
  m.from_name = shop.settings.sender_name.empty() ? shop.name : shop.settings.sender_name;
  m.from_address = config_.mail_from;
  m.to_address = to;
  m.message_id = fmt::format("<vouch.test.{}@{}>", Base64Url(RandomBytes(12)), HostOf(config_.public_url));
  m.headers.emplace_back("X-Vouch-Test", key);
  m.headers.emplace_back("Auto-Submitted", "auto-generated");

  MailerFactory factory;
  {
    std::lock_guard lock(mu_);
    if (!mailer_) return Error{Code::kFailedPrecondition, "this node has no mail transport", {}};
    auto it = last_sent_.find(user);
    if (it != last_sent_.end() && clock_.Now() - it->second < kTestMailGap) {
      return Error{Code::kResourceExhausted, "a test mail was sent a moment ago: wait a little", {}};
    }
    last_sent_[user] = clock_.Now();  // a failed send counts too: it reached the mail server
    factory = mailer_;
  }
  auto mailer = factory();
  const delivery::SendResult sent = mailer->Send(m);
  if (sent.outcome != delivery::SendOutcome::kSent) {
    return Error{Code::kUnavailable, "the mail server did not take the test mail: " + sent.detail, {}};
  }
  return TestMail{key, to, m.subject};
}

}  // namespace vouch::app
