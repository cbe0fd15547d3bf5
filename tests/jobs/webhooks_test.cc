// Outgoing webhooks end to end on every store: events emitted where they happen (an answer),
// delivered by the workers over real HTTP to a receiver on loopback that checks the Standard
// Webhooks signature and fails the first attempts; retries with backoff on the FakeClock, failure
// after 24 hours, an endpoint disabled after 5 days of failures with the shop's admins told, the
// Slack kind, and the refusal of private addresses.
#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>

#include "app/webhooks.h"
#include "base/crypto.h"
#include "delivery/http_post.h"
#include "http/server.h"
#include "jobs/job_fixture.h"
#include "jobs/worker.h"

namespace vouch::jobs {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Standard Webhooks' check (the receiver's side), written here from the specification (not through the
// server's own Sign): the key is the base64 after "whsec_"; the signature the base64 HMAC-SHA256 of
// "id.timestamp.body".
bool SignatureValid(const std::string& secret, const std::string& id, const std::string& timestamp,
                    const std::string& body, const std::string& header) {
  std::string b64 = secret.substr(6), url;
  for (char c : b64) {
    if (c != '=') url += c == '+' ? '-' : c == '/' ? '_' : c;
  }
  std::string key;
  if (!Base64UrlDecode(url, key)) return false;
  const std::string expected = "v1," + Base64(HmacSha256(key, id + "." + timestamp + "." + body));
  // The header may carry several signatures, space-separated; one match is enough.
  size_t start = 0;
  while (start <= header.size()) {
    const size_t end = std::min(header.find(' ', start), header.size());
    if (header.compare(start, end - start, expected) == 0) return true;
    start = end + 1;
  }
  return false;
}

// A webhook receiver on 127.0.0.1: records every request and answers each with the next status
// of its script (then the last one for ever). Once given the endpoint's secret (Verify), it checks
// each request as a Standard Webhooks receiver does and answers 401 to a bad signature or a
// missing header, without using up its script (the test checks the timestamps' freshness, as the
// FakeClock is the test thread's).
class Receiver {
 public:
  struct Seen {
    std::string id, timestamp, signature, body;
    bool verified = false;  // passed the receiver's check (only when it had a secret)
  };

  explicit Receiver(std::deque<int> statuses) : statuses_(std::move(statuses)) {
    http::ServerOptions o;
    o.port = 0;
    o.threads = 1;
    server_ = std::make_unique<http::Server>(o, [this](http::Request&& req, http::Responder respond) {
      int status = 200;
      {
        std::lock_guard lock(mu_);
        Seen s{std::string(req.Header("webhook-id")), std::string(req.Header("webhook-timestamp")),
               std::string(req.Header("webhook-signature")), req.body};
        if (!secret_.empty()) {
          const bool numeric = !s.timestamp.empty() && s.timestamp.size() < 19 &&
                               s.timestamp.find_first_not_of("0123456789") == std::string::npos;
          s.verified =
              numeric && !s.id.empty() && SignatureValid(secret_, s.id, s.timestamp, s.body, s.signature);
        }
        const bool refused = !secret_.empty() && !s.verified;
        seen_.push_back(std::move(s));
        if (refused) {
          status = 401;
        } else if (!statuses_.empty()) {
          status = statuses_.front();
          if (statuses_.size() > 1) statuses_.pop_front();
        }
      }
      http::Response r;
      r.status = status;
      respond(std::move(r));
    });
    EXPECT_TRUE(server_->Start().ok());
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/hooks/vouch"; }
  // From now on, check signatures under `secret`.
  void Verify(const std::string& secret) {
    std::lock_guard lock(mu_);
    secret_ = secret;
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  std::mutex mu_;
  std::deque<int> statuses_;
  std::string secret_;
  std::vector<Seen> seen_;
  std::unique_ptr<http::Server> server_;
};

class WebhooksTest : public app::StoreAppTest {
 protected:
  WebhooksTest() : StoreAppTest(kStart, Config()) {}
  static app::AppConfig Config() {
    app::AppConfig c{"https://vouch.test", "hello@trail.example"};
    c.webhooks_allow_private = true;  // the receiver is on loopback
    return c;
  }
  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto shop = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(shop.ok());
    shop_ = shop->shop;
    senders_.Set(std::make_unique<RecordingSender>(core::Channel::kEmail, mails_));
    worker_ = std::make_unique<Worker>(*app_, nullptr, WorkerOptions{});
  }

  // A customer's order and their answer (with a comment): returns the survey.
  store::Id Answer(const std::string& order, int score, const std::string& comment) {
    auto r = app_->ingest().Order(shop_, app::SampleOrder(order, "c-" + order, clock_.Now()));
    EXPECT_TRUE(r.ok());
    auto o = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop_.id, order); });
    const store::Id survey = *(*o)->survey_id;
    const std::string token = app_->links().SurveyToken(survey);
    EXPECT_TRUE(app_->answers().Confirm(token, score).ok());
    if (!comment.empty()) {
      EXPECT_TRUE(app_->answers().SaveComment(token, comment).ok());
    }
    return survey;
  }
  std::vector<store::Job> Jobs(store::JobKind kind) {
    auto all = app_->outbox().List(shop_.id, std::nullopt, 1000);
    std::vector<store::Job> out;
    for (const auto& j : *all) {
      if (j.kind == kind) out.push_back(j);
    }
    return out;
  }
  store::WebhookEndpoint Endpoint(store::Id id) {
    auto list = app_->webhooks().List(shop_.id);
    for (const auto& e : *list) {
      if (e.id == id) return e;
    }
    ADD_FAILURE() << "no endpoint " << id;
    return {};
  }

  store::Shop shop_;
  delivery::Senders senders_;
  std::shared_ptr<RecordingSender::Log> mails_ = std::make_shared<RecordingSender::Log>();
  std::unique_ptr<Worker> worker_;
};

TEST(WebhookSignTest, MatchesTheStandardWebhooksVector) {
  EXPECT_EQ(app::Webhooks::Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                1614265330, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookBackoffTest, DoublesFromThirtySecondsUpToFourHours) {
  EXPECT_EQ(app::Webhooks::Backoff(1), seconds{30});
  EXPECT_EQ(app::Webhooks::Backoff(2), seconds{60});
  EXPECT_EQ(app::Webhooks::Backoff(5), seconds{480});
  EXPECT_EQ(app::Webhooks::Backoff(30), hours{4});
}

TEST(PrivateAddressTest, NamesTheRangesNoPublicReceiverHas) {
  for (const char* ip : {"127.0.0.1",
                         "10.1.2.3",
                         "172.16.0.1",
                         "172.31.255.255",
                         "192.168.1.1",
                         "169.254.169.254",
                         "100.64.0.1",
                         "0.0.0.0",
                         "224.0.0.1",
                         "255.255.255.255",
                         "::1",
                         "::",
                         "fc00::1",
                         "fd12::1",
                         "fe80::1",
                         "::ffff:127.0.0.1",
                         "::ffff:10.0.0.1",
                         "64:ff9b::7f00:1",
                         "64:ff9b::a9fe:a9fe",
                         "2002:7f00:1::1",
                         "not an ip"}) {
    EXPECT_TRUE(delivery::IsPrivateAddress(ip)) << ip;
  }
  for (const char* ip : {"203.0.113.9", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:db8::1",
                         "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"}) {
    EXPECT_FALSE(delivery::IsPrivateAddress(ip)) << ip;
  }
}

TEST(PrivateAddressTest, APostToLoopbackIsRefusedUnlessAllowed) {
  EXPECT_FALSE(app::AppConfig{}.webhooks_allow_private) << "refused unless the server says otherwise";
  EXPECT_FALSE(delivery::HttpPostOptions{}.allow_private);
  Receiver receiver({200});
  delivery::HttpPostOptions strict;
  auto refused = delivery::HttpPost(receiver.url(), {}, "{}", strict);
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.detail.find("private"), std::string::npos) << refused.detail;
  EXPECT_TRUE(receiver.seen().empty());
  delivery::HttpPostOptions allowed;
  allowed.allow_private = true;
  EXPECT_TRUE(delivery::HttpPost(receiver.url(), {}, "{}", allowed).ok());
  EXPECT_EQ(receiver.seen().size(), 1u);
  // And at creation: a URL naming loopback (or a name resolving to it) is refused.
  EXPECT_EQ(delivery::CheckPostUrl("http://127.0.0.1:9/x", false, "url").error().field, "url");
  EXPECT_FALSE(delivery::CheckPostUrl("http://localhost/x", false, "url").ok());
  EXPECT_FALSE(delivery::CheckPostUrl("http://[::1]/x", false, "url").ok());
  EXPECT_FALSE(delivery::CheckPostUrl("ftp://example.com/x", true, "url").ok());
  EXPECT_FALSE(delivery::CheckPostUrl("https://user:pw@example.com/x", true, "url").ok());
  EXPECT_TRUE(delivery::CheckPostUrl("http://127.0.0.1:9/x", true, "url").ok());
}

TEST_P(WebhooksTest, ADetractorIsDeliveredSignedAndRetriedWithBackoff) {
  Receiver receiver({500, 503, 200});
  auto created = app_->webhooks().Create(shop_.id, receiver.url(), "", {"detractor.created"});
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_TRUE(created->secret.starts_with("whsec_"));
  receiver.Verify(created->secret);
  const Instant answered_at = clock_.Now();
  const store::Id survey = Answer("1001", 3, "The zip broke after a week.");
  Answer("1002", 10, "");  // a promoter: no detractor event

  ASSERT_EQ(Jobs(store::JobKind::kWebhook).size(), 1u);
  worker_->RunOnce(senders_);
  EXPECT_TRUE(receiver.seen().empty()) << "answers' events wait for the comment";
  clock_.Advance(app::kResponseEventDelay);
  worker_->RunOnce(senders_);
  ASSERT_EQ(receiver.seen().size(), 1u);
  auto job = Jobs(store::JobKind::kWebhook).front();
  EXPECT_EQ(job.status, store::JobStatus::kPending);
  EXPECT_EQ(job.last_error, "HTTP 500");
  EXPECT_EQ(job.run_at, clock_.Now() + seconds{30});
  EXPECT_EQ(Endpoint(created->endpoint.id).failing_since, std::optional<Instant>(clock_.Now()));

  clock_.Advance(seconds{30});
  worker_->RunOnce(senders_);
  ASSERT_EQ(receiver.seen().size(), 2u);
  EXPECT_EQ(Jobs(store::JobKind::kWebhook).front().run_at, clock_.Now() + seconds{60});
  clock_.Advance(seconds{59});
  worker_->RunOnce(senders_);
  EXPECT_EQ(receiver.seen().size(), 2u) << "not before its time";
  clock_.Advance(seconds{1});
  worker_->RunOnce(senders_);
  const auto seen = receiver.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(Jobs(store::JobKind::kWebhook).front().status, store::JobStatus::kDone);
  EXPECT_FALSE(Endpoint(created->endpoint.id).failing_since.has_value());

  const std::vector<Instant> sent_at = {answered_at + app::kResponseEventDelay,
                                        answered_at + app::kResponseEventDelay + seconds{30},
                                        answered_at + app::kResponseEventDelay + seconds{90}};
  for (size_t i = 0; i < seen.size(); ++i) {
    const auto& s = seen[i];
    EXPECT_TRUE(s.verified) << s.signature;
    EXPECT_EQ(s.timestamp, std::to_string(ToUnixMillis(sent_at[i]) / 1000))
        << "signed when sent, not when owed";
    EXPECT_EQ(s.id, seen[0].id) << "the same webhook-id on every attempt";
  }
  EXPECT_TRUE(seen[0].id.starts_with("msg_"));
  EXPECT_EQ(seen[2].timestamp, std::to_string(ToUnixMillis(clock_.Now()) / 1000));
  json body = json::parse(seen[2].body);
  EXPECT_EQ(body["type"], "detractor.created");
  EXPECT_EQ(body["timestamp"], FormatRfc3339(answered_at));
  EXPECT_EQ(body["data"]["survey_id"], survey);
  EXPECT_EQ(body["data"]["score"], 3);
  EXPECT_EQ(body["data"]["category"], "shoes");
  EXPECT_EQ(body["data"]["comment"], "The zip broke after a week.");
  EXPECT_EQ(body["data"]["order_id"], "1001");
  EXPECT_EQ(body["data"]["customer"]["email"], "c-1001@example.com");
  EXPECT_FALSE(
      SignatureValid(created->secret, seen[2].id, seen[2].timestamp, seen[2].body + " ", seen[2].signature));
  EXPECT_FALSE(SignatureValid("whsec_" + Base64("another key of 24 bytes!"), seen[2].id, seen[2].timestamp,
                              seen[2].body, seen[2].signature));
}

TEST_P(WebhooksTest, ADeliveryFailsAfter24HoursAndAnEndpointIsDisabledAfter5Days) {
  Receiver receiver({503});
  auto admin = app_->users().Create(shop_.id, "owner@trail.example", store::Role::kAdmin, "a-long-password");
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  auto created = app_->webhooks().Create(shop_.id, receiver.url(), "standard", {"response.created"});
  ASSERT_TRUE(created.ok());
  const Instant start = clock_.Now();
  Answer("2001", 7, "");
  // Run every attempt when it falls due until the job is finished.
  std::vector<Instant> attempts;
  for (int i = 0; i < 100; ++i) {
    auto job = Jobs(store::JobKind::kWebhook).front();
    if (job.status != store::JobStatus::kPending) break;
    clock_.Set(job.run_at);
    worker_->RunOnce(senders_);
    attempts.push_back(clock_.Now());
  }
  auto job = Jobs(store::JobKind::kWebhook).front();
  EXPECT_EQ(job.status, store::JobStatus::kFailed);
  EXPECT_EQ(job.last_error, "HTTP 503");
  ASSERT_GE(attempts.size(), 10u);
  EXPECT_EQ(attempts.back(), start + app::kWebhookRetryWindow) << "the last attempt at 24 hours";
  for (size_t i = 2; i + 1 < attempts.size(); ++i) {
    EXPECT_GE(attempts[i] - attempts[i - 1], attempts[i - 1] - attempts[i - 2]) << "growing gaps";
  }
  EXPECT_EQ(receiver.seen().size(), attempts.size());
  EXPECT_TRUE(Endpoint(created->endpoint.id).failing_since.has_value());
  EXPECT_FALSE(Endpoint(created->endpoint.id).disabled_at.has_value()) << "failing, not yet disabled";

  // More events, each failing, until the endpoint has failed for 5 days.
  for (int day = 1; day <= 5; ++day) {
    clock_.Set(start + hours{24 * day} + minutes{1});
    Answer("21" + std::to_string(day), 8, "");
    clock_.Advance(app::kResponseEventDelay);
    worker_->RunOnce(senders_);
  }
  const store::WebhookEndpoint disabled = Endpoint(created->endpoint.id);
  ASSERT_TRUE(disabled.disabled_at.has_value());
  EXPECT_EQ(disabled.last_error, "HTTP 503");
  auto notices = Jobs(store::JobKind::kWebhookDisabled);
  ASSERT_EQ(notices.size(), 1u);
  clock_.Advance(seconds{1});
  worker_->RunOnce(senders_);
  const delivery::MailMessage* mail = nullptr;
  for (const auto& m : *mails_) {
    const auto* candidate = std::get_if<delivery::MailMessage>(&m);
    if (candidate && candidate->to_address == "owner@trail.example") mail = candidate;
  }
  ASSERT_NE(mail, nullptr) << "the shop's admin is told";
  EXPECT_NE(mail->text.find(receiver.url()), std::string::npos) << mail->text;
  EXPECT_NE(mail->subject.find("disabled"), std::string::npos) << mail->subject;

  // Disabled: a new event is owed to no one.
  const size_t before = Jobs(store::JobKind::kWebhook).size();
  Answer("2200", 9, "");
  EXPECT_EQ(Jobs(store::JobKind::kWebhook).size(), before);
}

TEST_P(WebhooksTest, AnOwedDeliverySurvivesARestart) {
  Receiver receiver({200});
  auto created = app_->webhooks().Create(shop_.id, receiver.url(), "standard", {"response.created"});
  ASSERT_TRUE(created.ok());
  receiver.Verify(created->secret);
  Answer("4001", 9, "Quick and kind.");
  // The node stops before the event is due, and another starts on the same database.
  worker_.reset();
  app_.reset();
  store_.reset();
  auto reopened = store::OpenStore(db_->url());
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  store_ = std::move(*reopened);
  app_ = std::make_unique<app::App>(*store_, clock_, config_, "test-secret");
  worker_ = std::make_unique<Worker>(*app_, nullptr, WorkerOptions{});
  clock_.Advance(app::kResponseEventDelay);
  worker_->RunOnce(senders_);
  const auto seen = receiver.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(seen[0].verified);
  json body = json::parse(seen[0].body);
  EXPECT_EQ(body["type"], "response.created");
  EXPECT_EQ(body["data"]["comment"], "Quick and kind.");
  EXPECT_EQ(Jobs(store::JobKind::kWebhook).front().status, store::JobStatus::kDone);
}

TEST_P(WebhooksTest, SlackGetsAReadableMessageWithoutSignature) {
  Receiver receiver({200});
  auto created =
      app_->webhooks().Create(shop_.id, receiver.url(), "slack", {"detractor.created", "promoter.activated"});
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(created->secret.empty());
  Answer("3001", 2, "Late & <broken>\nAnd no answer.");
  Answer("3002", 10, "");
  clock_.Advance(app::kResponseEventDelay);
  worker_->RunOnce(senders_);
  const auto seen = receiver.seen();
  ASSERT_EQ(seen.size(), 2u);
  std::string detractor, promoter;
  for (const auto& s : seen) {
    EXPECT_TRUE(s.signature.empty());
    json j = json::parse(s.body);
    ASSERT_TRUE(j["text"].is_string());
    ASSERT_EQ(j["blocks"][0]["type"], "section");
    (j["text"].get<std::string>().find("Detractor") != std::string::npos ? detractor : promoter) = j["text"];
  }
  EXPECT_NE(detractor.find("*2/10*"), std::string::npos) << detractor;
  EXPECT_NE(detractor.find("order 3001"), std::string::npos) << detractor;
  EXPECT_NE(detractor.find("\n> Late &amp; &lt;broken&gt;\n> And no answer."), std::string::npos)
      << detractor;
  EXPECT_NE(promoter.find("became a promoter"), std::string::npos) << promoter;
}

TEST_P(WebhooksTest, EndpointsAreValidatedListedAndDeleted) {
  auto& w = app_->webhooks();
  EXPECT_EQ(w.Create(shop_.id, "https://example.com/h", "", {}).error().field, "events");
  EXPECT_EQ(w.Create(shop_.id, "https://example.com/h", "", {"order.created"}).error().field, "events[0]");
  EXPECT_EQ(w.Create(shop_.id, "https://example.com/h", "", {"reward.voided", "reward.voided"}).error().field,
            "events[1]");
  EXPECT_EQ(w.Create(shop_.id, "https://example.com/h", "teams", {"reward.voided"}).error().field, "kind");
  EXPECT_EQ(w.Create(shop_.id, "mailto:a@example.com", "", {"reward.voided"}).error().field, "url");
  auto a = w.Create(shop_.id, "https://example.com/h", "", {"reward.voided"});
  ASSERT_TRUE(a.ok());
  auto other = app_->shops().Create("Other", "https://other.example");
  EXPECT_EQ(w.Delete(other->shop.id, a->endpoint.id).error().code, Code::kNotFound) << "another shop's";
  EXPECT_EQ(w.List(shop_.id)->size(), 1u);
  EXPECT_TRUE(w.List(other->shop.id)->empty());
  EXPECT_TRUE(w.Delete(shop_.id, a->endpoint.id).ok());
  EXPECT_TRUE(w.List(shop_.id)->empty());
  EXPECT_EQ(w.Delete(shop_.id, a->endpoint.id).error().code, Code::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Stores, WebhooksTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::jobs
