#include "app/text_messages.h"

#include <fmt/format.h>

#include "app/experiments.h"
#include "app/sms.h"
#include "core/quiet_hours.h"
#include "core/sms_text.h"
#include "core/validate.h"
#include "delivery/templates.h"

namespace vouch::app {
namespace {

JobMessage Skip(std::string reason) { return JobMessage{std::nullopt, std::move(reason), std::nullopt}; }

std::string TrimEnd(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

std::vector<std::shared_ptr<const TimeZone>> CustomerZones(const std::string& phone,
                                                           const std::string& default_region) {
  std::vector<std::string_view> names = core::ZonesOfRegion(core::DescribePhone(phone).region);
  if (names.empty()) names = core::ZonesOfRegion(default_region);
  std::vector<std::shared_ptr<const TimeZone>> zones;
  for (std::string_view name : names) {
    if (auto z = LoadTimeZone(name)) zones.push_back(*z);
  }
  return zones;
}

Result<TextPreview> PreviewText(const Links& links, const store::Shop& shop, const std::string& locale,
                                const std::string& name,
                                const std::map<std::string, std::string>& overrides) {
  if (name != "survey.sms" && name != "activation.sms") {
    return InvalidArgument("name", "text templates are survey.sms and activation.sms");
  }
  delivery::TemplateContext ctx;
  ctx.Set("shop_name", shop.name);
  ctx.Set("first_name", "Ana");
  ctx.Set("code", "ANNA-7K3F");
  ctx.Set("friend_offer", links.FriendOffer(shop, locale));
  auto text = delivery::RenderTemplate(name, locale, ctx, overrides);
  if (!text) return text.error();
  std::string tail = " " + (name == "survey.sms" ? links.QuestionUrl(123456) : links.ShareUrl("ANNA-7K3F"));
  if (name == "survey.sms") tail += OptOutHint(shop.settings.default_region);
  auto body = core::FitSms(TrimEnd(*text), tail, kMaxSmsSegments, name);
  if (!body) return body.error();
  TextPreview preview;
  preview.shape = core::MeasureSms(*body);
  preview.text = std::move(*body);
  return preview;
}

Result<JobMessage> BuildText(const TextEnv& env, store::ReadTx& tx, const store::Job& job,
                             const store::Shop& shop, const store::Customer& customer,
                             const std::optional<store::Survey>& survey,
                             const std::optional<store::ReferralCode>& code) {
  if (job.kind == store::JobKind::kReward) return Skip("reward notices go by email");
  const core::PhoneFacts facts = core::DescribePhone(customer.phone);
  if (!facts.can_text) return Skip("number cannot take text messages");
  auto opted_out = tx.sms().IsOptedOut(customer.phone);
  if (!opted_out) return opted_out.error();
  if (*opted_out) return Skip("number opted out of text messages");

  // Quiet hours: from 21:00 to 09:00 where the customer is, the message waits.
  const auto zones = CustomerZones(customer.phone, shop.settings.default_region);
  std::vector<const TimeZone*> raw;
  for (const auto& z : zones) raw.push_back(z.get());
  const Instant allowed = core::NextDaytime(env.now, raw);
  if (allowed > env.now) return JobMessage{std::nullopt, "", allowed};

  const std::string locale = customer.locale.empty() ? shop.settings.locale : customer.locale;
  delivery::TemplateContext ctx;
  ctx.Set("shop_name", shop.name);
  ctx.Set("first_name", customer.first_name);
  std::string name, link;
  if (job.kind == store::JobKind::kSurvey) {
    name = "survey.sms";
    link = env.links.QuestionUrl(survey->id);
  } else {
    name = "activation.sms";
    const ShareLinks links = env.links.ShareLinksFor(shop, locale, code->code);
    auto variant = tx.experiments().VariantOfPromoter(shop.id, customer.id);  // an experiment's offer
    if (!variant) return variant.error();
    store::Shop offered = shop;
    if (*variant) ApplyVariantOffer(**variant, offered);
    ctx.Set("code", code->code);
    ctx.Set("friend_offer", env.links.FriendOffer(offered, locale));
    link = links.share_url;
  }
  auto overrides = tx.templates().Overrides(shop.id);
  if (!overrides) return overrides.error();
  auto text = delivery::RenderTemplate(name, locale, ctx, *overrides);
  if (!text) return text.error();
  const std::string region =
      shop.settings.default_region.empty() ? facts.region : shop.settings.default_region;
  std::string tail = " " + link;
  if (job.kind == store::JobKind::kSurvey) tail += OptOutHint(region);
  auto body = core::FitSms(TrimEnd(*text), tail, kMaxSmsSegments, name);
  if (!body) return body.error();

  delivery::TextMessage m;
  m.from = env.config.sms_from;
  m.to = customer.phone;
  m.body = std::move(*body);
  m.reference = fmt::format("vouch.{}.{}.{}@{}", store::JobKindName(job.kind), job.ref_id, job.shop_id,
                            HostOf(env.config.public_url));
  m.job_id = job.id;
  return JobMessage{delivery::Message(std::move(m)), "", std::nullopt};
}

}  // namespace vouch::app
