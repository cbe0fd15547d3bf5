// Honest sharing (issue 11): every message a promoter shares says that they get a reward, in the
// built-in texts (en, de) and in a shop's own; an override without the disclosure is refused.
#include <gtest/gtest.h>

#include "app/links.h"
#include "base/url.h"

namespace vouch::app {
namespace {

store::Shop TrailShop() {
  store::Shop shop;
  shop.id = 1;
  shop.name = "Trail Shop";
  shop.url = "https://trail.example";
  shop.settings.reward_minor = 1000;
  shop.settings.currency = "EUR";
  return shop;
}

const Links kLinks("https://vouch.test", "secret");

TEST(HonestSharingTest, TheBuiltInShareTextsDiscloseTheReward) {
  const std::string en = kLinks.ShareText(TrailShop(), "en");
  EXPECT_NE(en.find("Trail Shop"), std::string::npos) << en;
  EXPECT_NE(en.find("15%"), std::string::npos) << en;
  EXPECT_NE(en.find("I get €10 when you buy through my link."), std::string::npos) << en;
  const std::string de = kLinks.ShareText(TrailShop(), "de-AT");
  EXPECT_NE(de.find("Ich bekomme 10 €"), std::string::npos) << de;
  EXPECT_NE(de.find("wenn du über meinen Link kaufst"), std::string::npos) << de;
}

TEST(HonestSharingTest, EveryShareLinkCarriesTheText) {
  const ShareLinks links = kLinks.ShareLinksFor(TrailShop(), "en", "ANNA-7K2Q");
  const std::string encoded = PercentEncode(kLinks.RewardDisclosure(TrailShop(), "en"));
  EXPECT_NE(links.whatsapp_url.find(encoded), std::string::npos) << links.whatsapp_url;
  EXPECT_NE(links.x_url.find(encoded), std::string::npos) << links.x_url;
  EXPECT_NE(links.email_url.find(encoded), std::string::npos) << links.email_url;
}

TEST(HonestSharingTest, AShopsOwnTextIsUsedAndStillDiscloses) {
  const std::map<std::string, std::string> overrides = {
      {"en/share.txt", "{{shop_name}} rocks!\n{{reward_disclosure}}\n"}};
  EXPECT_EQ(kLinks.ShareText(TrailShop(), "en", overrides),
            "Trail Shop rocks! (I get €10 when you buy through my link.)");
}

TEST(HonestSharingTest, AnOverrideWithoutTheDisclosureIsRefusedNamingTheField) {
  const Status refused = CheckShareDisclosure("share.txt", "{{shop_name}} rocks!");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "template");
  EXPECT_NE(refused.error().message.find("{{reward_disclosure}}"), std::string::npos);
  EXPECT_FALSE(CheckShareDisclosure("share.txt", "{{#reward}}{{reward_disclosure}}{{/reward}}").ok());
  EXPECT_TRUE(CheckShareDisclosure("share.txt", "Look: {{reward_disclosure}}").ok());
  EXPECT_TRUE(CheckShareDisclosure("survey.txt", "no disclosure needed").ok());
}

}  // namespace
}  // namespace vouch::app
