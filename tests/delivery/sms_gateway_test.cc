#include "delivery/sms_gateway.h"

#include <gtest/gtest.h>

#include <string>

namespace vouch::delivery {
namespace {

TEST(ParseSmsUrlTest, KannelAndTwilioUrls) {
  auto k = ParseSmsUrl("kannel://vouch:s%3Acret@127.0.0.1:13013", "sms_url");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->kind, SmsGatewayKind::kKannel);
  EXPECT_EQ(k->base, "http://127.0.0.1:13013");
  EXPECT_EQ(k->user, "vouch");
  EXPECT_EQ(k->password, "s:cret");
  auto t = ParseSmsUrl("twilio://AC123:token@api.twilio.com", "sms_url");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->kind, SmsGatewayKind::kTwilio);
  EXPECT_EQ(t->base, "https://api.twilio.com");
  EXPECT_EQ(ParseSmsUrl("twilio+http://AC1:t@127.0.0.1:9000/", "sms_url")->base, "http://127.0.0.1:9000");
  for (const char* bad : {"smtp://a:b@host", "kannel://host:13013", "kannel://:p@host", "kannel://u:@host",
                          "twilio://a:b@host/path", "kannel://u:p@", "kannel://u:p@ho st"}) {
    auto r = ParseSmsUrl(bad, "sms_url");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "sms_url");
  }
}

TextMessage Text(std::string body) {
  TextMessage m;
  m.from = "TrailShop";
  m.to = "+4915112345678";
  m.body = std::move(body);
  m.job_id = 42;
  return m;
}

SmsGatewayConfig Kannel() {
  SmsGatewayConfig c = *ParseSmsUrl("kannel://vouch:pw@127.0.0.1:1", "sms_url");
  c.callback_base = "https://vouch.example";
  c.hook_secret = "s3cret-s3cret-s3cret";
  return c;
}

TEST(KannelSendQueryTest, CarriesTheTextUtf8AndADeliveryReportUrlWithKannelsEscapes) {
  const std::string q = KannelSendQuery(Kannel(), Text("Hallo € 10"));
  EXPECT_EQ(q,
            "username=vouch&password=pw&from=TrailShop&to=%2B4915112345678&text=Hallo%20%E2%82%AC%2010"
            "&charset=UTF-8&coding=0&dlr-mask=19&dlr-url="
            "https%3A%2F%2Fvouch.example%2Fhooks%2Fkannel%2Fdlr%3Fsecret%3Ds3cret-s3cret-s3cret%26job%3D42"
            "%26type%3D%25d%26reply%3D%25A");
  // Outside GSM-7: UCS-2 (coding 2).
  EXPECT_NE(KannelSendQuery(Kannel(), Text("Danke ✓")).find("&coding=2&"), std::string::npos);
}

TEST(TwilioSendFormTest, ToFromBodyStatusCallbackOrAMessagingService) {
  SmsGatewayConfig c = *ParseSmsUrl("twilio://AC1:t@api.twilio.com", "sms_url");
  c.callback_base = "https://vouch.example";
  EXPECT_EQ(TwilioSendForm(c, Text("Hi & bye")),
            "To=%2B4915112345678&From=TrailShop&Body=Hi%20%26%20bye&StatusCallback="
            "https%3A%2F%2Fvouch.example%2Fhooks%2Ftwilio%3Fjob%3D42");
  TextMessage service = Text("x");
  service.from = "MG" + std::string(32, 'a');
  EXPECT_EQ(TwilioSendForm(c, service).find("&MessagingServiceSid=MG"), 19u);
}

TEST(SmsSenderTest, AGatewayThatIsNotThereIsTransientAMailIsPermanent) {
  SmsGatewayConfig c = *ParseSmsUrl("kannel://vouch:pw@127.0.0.1:1", "sms_url");
  c.timeout_seconds = 2;
  auto sender = MakeSmsSender(c);
  EXPECT_EQ(sender->channel(), core::Channel::kSms);
  EXPECT_EQ(sender->Send(Text("hi")).outcome, SendOutcome::kTransient);
  EXPECT_EQ(sender->Send(MailMessage{}).outcome, SendOutcome::kPermanent);
}

}  // namespace
}  // namespace vouch::delivery
