#include "app/links.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/crypto.h"
#include "base/money.h"
#include "base/url.h"
#include "core/validate.h"
#include "delivery/template_scan.h"
#include "delivery/templates.h"

namespace vouch::app {

namespace {
constexpr size_t kTokenIdBytes = 8;
constexpr size_t kTokenMacBytes = 16;  // 128-bit truncated HMAC-SHA256

}  // namespace

Links::Links(std::string public_url, std::string secret)
    : public_url_(std::move(public_url)), secret_(std::move(secret)) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

void Links::AcceptPrevious(std::string secret, Instant until, const Clock& clock) {
  previous_ = std::move(secret);
  previous_until_ = until;
  clock_ = &clock;
}

std::string Links::SignToken(char kind, store::Id id) const {
  std::string raw(kTokenIdBytes, '\0');
  for (size_t i = 0; i < kTokenIdBytes; ++i) {
    raw[i] = static_cast<char>((static_cast<uint64_t>(id) >> (8 * (kTokenIdBytes - 1 - i))) & 0xff);
  }
  std::string mac = HmacSha256(secret_, std::string(1, kind) + raw);
  return Base64Url(raw + mac.substr(0, kTokenMacBytes));
}

uint64_t Links::KeyedDraw(std::string_view purpose, int64_t a, int64_t b) const {
  const std::string mac = HmacSha256(secret_, fmt::format("{}:{}:{}", purpose, a, b));
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(mac[i]);
  return v;
}

Result<store::Id> Links::VerifyToken(std::string_view token, char kind) const {
  std::string raw;
  if (token.size() > 64 || !Base64UrlDecode(token, raw) || raw.size() != kTokenIdBytes + kTokenMacBytes) {
    return NotFound("unknown or invalid link");
  }
  std::string id_bytes = raw.substr(0, kTokenIdBytes);
  auto signed_with = [&](const std::string& secret) {
    const std::string mac = HmacSha256(secret, std::string(1, kind) + id_bytes);
    return ConstantTimeEqual(mac.substr(0, kTokenMacBytes), raw.substr(kTokenIdBytes));
  };
  const bool previous_valid = !previous_.empty() && clock_ != nullptr && clock_->Now() < previous_until_;
  if (!signed_with(secret_) && !(previous_valid && signed_with(previous_))) {
    return NotFound("unknown or invalid link");
  }
  uint64_t id = 0;
  for (char c : id_bytes) id = (id << 8) | static_cast<unsigned char>(c);
  return static_cast<store::Id>(id);
}

std::string Links::SurveyToken(store::Id survey) const { return SignToken('s', survey); }
std::string Links::UnsubscribeToken(store::Id customer) const { return SignToken('u', customer); }

std::string Links::AnswerUrl(store::Id survey, int score) const {
  return fmt::format("{}/s/{}/{}", public_url_, SurveyToken(survey), score);
}

std::string Links::QuestionUrl(store::Id survey) const {
  return fmt::format("{}/q/{}", public_url_, SurveyToken(survey));
}

std::string Links::UnsubscribeUrl(store::Id customer) const {
  return fmt::format("{}/u/{}", public_url_, UnsubscribeToken(customer));
}

std::string Links::ShareUrl(const std::string& code) const {
  return fmt::format("{}/r/{}", public_url_, PercentEncode(code));
}

std::string Links::LandingUrl(const store::Shop& shop, const std::string& code) const {
  std::string tpl = shop.settings.landing_url;
  if (tpl.empty()) {
    tpl = shop.url + (shop.url.find('?') == std::string::npos ? "?" : "&") + "discount={code}";
  }
  const std::string encoded = PercentEncode(code);
  for (size_t pos; (pos = tpl.find("{code}")) != std::string::npos;) tpl.replace(pos, 6, encoded);
  if (tpl.find("{discount}") != std::string::npos) {
    const auto& s = shop.settings;
    const std::string offer = PercentEncode(
        s.discount_kind == "amount" ? FormatAmount(s.discount_value, s.currency) + " " + s.currency
                                    : std::to_string(s.discount_value) + "%");
    for (size_t pos; (pos = tpl.find("{discount}")) != std::string::npos;) tpl.replace(pos, 10, offer);
  }
  return tpl;
}

std::string Links::FriendOffer(const store::Shop& shop, const std::string& locale) const {
  const auto& s = shop.settings;
  return s.discount_kind == "amount" ? FormatMoney(s.discount_value, s.currency, locale)
                                     : fmt::format("{}%", s.discount_value);
}

std::string Links::OfferText(const store::Shop& shop, const std::string& locale) const {
  const std::string friend_gets = FriendOffer(shop, locale);
  const std::string reward = FormatMoney(shop.settings.reward_minor, shop.settings.currency, locale);
  if (core::LanguageOf(locale) == "de") {
    return fmt::format(
        "Schenken Sie Ihren Freunden {} Rabatt – und erhalten Sie {} für jeden Freund, "
        "der kauft.",
        friend_gets, reward);
  }
  return fmt::format("Give your friends {} off — get {} for each friend who buys.", friend_gets, reward);
}

std::string Links::RewardDisclosure(const store::Shop& shop, const std::string& locale) const {
  const std::string reward = FormatMoney(shop.settings.reward_minor, shop.settings.currency, locale);
  if (core::LanguageOf(locale) == "de") {
    return fmt::format("(Ich bekomme {}, wenn du über meinen Link kaufst.)", reward);
  }
  return fmt::format("(I get {} when you buy through my link.)", reward);
}

std::string Links::ShareText(const store::Shop& shop, const std::string& locale,
                             const std::map<std::string, std::string>& overrides) const {
  delivery::TemplateContext ctx;
  ctx.Set("shop_name", shop.name);
  ctx.Set("friend_offer", FriendOffer(shop, locale));
  ctx.Set("reward", FormatMoney(shop.settings.reward_minor, shop.settings.currency, locale));
  ctx.Set(kRewardDisclosureTag, RewardDisclosure(shop, locale));
  auto text = delivery::RenderTemplate("share.txt", locale, ctx, overrides);
  if (!text && !overrides.empty()) text = delivery::RenderTemplate("share.txt", locale, ctx);
  std::string out = text ? *text : RewardDisclosure(shop, locale);
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\r', ' ');
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Status CheckShareDisclosure(const std::string& name, const std::string& body) {
  if (name != "share.txt") return OkStatus();
  if (delivery::HasTopLevelVariable(body, kRewardDisclosureTag)) return OkStatus();
  return InvalidArgument("template",
                         "a share text must disclose the sharer's reward: show {{reward_disclosure}} "
                         "outside every section");
}

ShareLinks Links::ShareLinksFor(const store::Shop& shop, const std::string& locale, const std::string& code,
                                const std::map<std::string, std::string>& overrides) const {
  ShareLinks l;
  l.share_url = ShareUrl(code);
  const std::string pitch = ShareText(shop, locale, overrides);
  const std::string text = PercentEncode(pitch + " " + l.share_url);
  l.whatsapp_url = "https://wa.me/?text=" + text;
  l.x_url =
      "https://twitter.com/intent/tweet?text=" + PercentEncode(pitch) + "&url=" + PercentEncode(l.share_url);
  l.facebook_url = "https://www.facebook.com/sharer/sharer.php?u=" + PercentEncode(l.share_url);
  l.email_url = "mailto:?subject=" + PercentEncode(shop.name) + "&body=" + text;
  return l;
}

std::string HostOf(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  auto end = url.find_first_of(":/?#", start);
  std::string host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  return host.empty() ? "localhost" : host;
}

}  // namespace vouch::app
