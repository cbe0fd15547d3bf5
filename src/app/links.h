#pragma once
// Links: the signed tokens Vouch puts in links, the URLs built from them (answer, unsubscribe,
// share) and the texts that go with a promoter's links (offer, share messages).
// A token is base64url(id ‖ HMAC-SHA256(secret, kind ‖ id)[0..16]): 128-bit MACs, nothing stored.
// Immutable after construction: thread-safe. Errors: Verify* return kNotFound for a token that
// is malformed or was not signed with this secret.
#include <string>
#include <string_view>

#include "base/result.h"
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
  // with ?discount=CODE).
  std::string LandingUrl(const store::Shop& shop, const std::string& code) const;

  std::string OfferText(const store::Shop& shop, const std::string& locale) const;
  // "15%" or "€5": what a referred friend gets.
  std::string FriendOffer(const store::Shop& shop, const std::string& locale) const;
  ShareLinks ShareLinksFor(const store::Shop& shop, const std::string& locale, const std::string& code) const;

 private:
  std::string SignToken(char kind, store::Id id) const;
  Result<store::Id> VerifyToken(std::string_view token, char kind) const;

  std::string public_url_;
  std::string secret_;
};

// Hosts of our links, for Message-IDs: "vouch.example" from "https://vouch.example/x".
std::string HostOf(const std::string& url);

}  // namespace vouch::app
