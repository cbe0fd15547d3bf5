#pragma once
// Links: the signed tokens Vouch puts in links, the URLs built from them (answer, unsubscribe,
// share) and the texts that go with a promoter's links (offer, share messages).
// A token is base64url(id ‖ HMAC-SHA256(secret, kind ‖ id)[0..16]): 128-bit MACs, nothing stored.
// After a rotation (App::RotateLinkSecret) tokens signed with the previous secret are accepted
// until the end of their grace period (AcceptPrevious). Immutable once in use: thread-safe. Errors: Verify*
// return kNotFound for a token that is malformed or was not signed with this secret.
#include <map>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/time.h"
#include "store/records.h"

namespace vouch::app {

// A promoter's share link and ready-made share URLs for the usual channels, with a localised
// message from the shop's offer.
struct ShareLinks {
  std::string share_url;
  std::string whatsapp_url;
  std::string x_url;
  std::string facebook_url;
  std::string email_url;
};

class Links {
 public:
  // `public_url`: the base of every link (a trailing '/' is dropped); `secret` signs the tokens.
  Links(std::string public_url, std::string secret);

  const std::string& public_url() const { return public_url_; }
  // Also accepts tokens signed with `secret` (the one before a rotation) while clock.Now() is
  // before `until`; new tokens are still signed with the current one. Call before use.
  void AcceptPrevious(std::string secret, Instant until, const Clock& clock);

  // One token per survey, one per customer for unsubscribes.
  std::string SurveyToken(store::Id survey) const;
  std::string UnsubscribeToken(store::Id customer) const;
  Result<store::Id> VerifySurveyToken(std::string_view token) const { return VerifyToken(token, 's'); }
  Result<store::Id> VerifyUnsubscribeToken(std::string_view token) const { return VerifyToken(token, 'u'); }

  std::string AnswerUrl(store::Id survey, int score) const;
  // The short page with the question and its eleven answers (/q/{token}), for text messages.
  std::string QuestionUrl(store::Id survey) const;
  std::string UnsubscribeUrl(store::Id customer) const;
  std::string ShareUrl(const std::string& code) const;
  // The shop's landing page with the code filled in (its landing_url template, else its URL
  // with ?discount=CODE) and {discount} with the shop's friend's offer ("15%" or "5.00 EUR",
  // percent-encoded); give it a shop with the code's own offer applied (ApplyVariantOffer).
  std::string LandingUrl(const store::Shop& shop, const std::string& code) const;

  std::string OfferText(const store::Shop& shop, const std::string& locale) const;
  // "15%" or "€5": what a referred friend gets.
  std::string FriendOffer(const store::Shop& shop, const std::string& locale) const;
  // The share links of `code`; their message is ShareText's.
  ShareLinks ShareLinksFor(const store::Shop& shop, const std::string& locale, const std::string& code,
                           const std::map<std::string, std::string>& overrides = {}) const;

  // Honest sharing (issue 11): what a promoter's shared message says, rendered from the template
  // "share.txt" (built in for en and de; a shop may override it, see CheckShareDisclosure) with
  // shop_name, friend_offer, reward and reward_disclosure. An override that no longer renders
  // falls back to the built-in text. Line breaks become spaces.
  std::string ShareText(const store::Shop& shop, const std::string& locale,
                        const std::map<std::string, std::string>& overrides = {}) const;
  // The sentence that says the sharer is paid: "(I get €10 when you buy through my link.)".
  std::string RewardDisclosure(const store::Shop& shop, const std::string& locale) const;

  // A 64-bit number keyed by the link secret: the first 8 bytes of
  // HMAC-SHA256(secret, purpose ":" a ":" b). The same for the same arguments, unpredictable
  // without the secret (the holdout's draw, app/holdout.h). Never shown to anyone.
  uint64_t KeyedDraw(std::string_view purpose, int64_t a, int64_t b) const;

 private:
  std::string SignToken(char kind, store::Id id) const;
  Result<store::Id> VerifyToken(std::string_view token, char kind) const;

  std::string public_url_;
  std::string secret_;
  std::string previous_;  // empty: none
  Instant previous_until_{};
  const Clock* clock_ = nullptr;
};

// The variable a share text must show outside every section: every shared message says that the
// sharer gets a reward (FTC endorsement guides; UWG §5a on hidden advertising).
inline constexpr const char* kRewardDisclosureTag = "reward_disclosure";
// An override of template `name` that is a share text ("share.txt") must show
// {{reward_disclosure}} outside every section; kInvalidArgument with field "template" otherwise.
// Other templates pass.
Status CheckShareDisclosure(const std::string& name, const std::string& body);

// Hosts of our links, for Message-IDs: "vouch.example" from "https://vouch.example/x".
std::string HostOf(const std::string& url);

}  // namespace vouch::app
