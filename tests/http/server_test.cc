#include "http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/http_client.h"

namespace vouch::http {
namespace {

using std::chrono::milliseconds;
using test::HttpClient;
using SteadyClock = std::chrono::steady_clock;

constexpr milliseconds kReadBound{5000};

std::string Describe(const Status& status) { return status.ok() ? "" : status.error().message; }

Response Text(std::string body, int status = 200) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

// Echoes what the server parsed: "METHOD path ?query body".
void Echo(Request&& req, Responder respond) {
  Response r;
  r.body = req.method + " " + req.path + " ?" + req.query + " " + req.body;
  r.headers = {{"X-Seen-Request-Id", req.request_id}, {"X-Remote", req.remote_address}};
  respond(std::move(r));
}

// A plain TCP connection to 127.0.0.1, for bytes curl would never send.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  // Reads until `done(all bytes so far)`, the peer closes, or `bound` passes.
  std::string ReadUntil(const std::function<bool(std::string_view)>& done, milliseconds bound) {
    std::string got;
    auto deadline = SteadyClock::now() + bound;
    while (!done(got)) {
      auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0) {
        got.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n == 0 || errno == ECONNRESET) closed_by_peer_ = true;
      break;
    }
    return got;
  }
  std::string ReadToEof(milliseconds bound = kReadBound) {
    return ReadUntil([](std::string_view) { return false; }, bound);
  }
  bool closed_by_peer() const { return closed_by_peer_; }

 private:
  int fd_;
  bool connected_ = false;
  bool closed_by_peer_ = false;
};

// Requests handed from the I/O thread to a worker thread, answered there: the thread-pool pattern
// real handlers use.
class Deferrer {
 public:
  explicit Deferrer(milliseconds delay) : delay_(delay), thread_([this] { Loop(); }) {}
  ~Deferrer() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Handle(Request&& req, Responder respond) {
    {
      std::lock_guard lock(mu_);
      queue_.emplace_back(std::move(req), std::move(respond));
    }
    cv_.notify_all();
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return done_ || !queue_.empty(); });
      if (queue_.empty()) return;
      auto [req, respond] = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      std::this_thread::sleep_for(delay_);
      Response r;
      r.body = "later " + req.path;
      respond(std::move(r));
      lock.lock();
    }
  }

  milliseconds delay_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<Request, Responder>> queue_;
  bool done_ = false;
  std::thread thread_;
};

class ServerTest : public ::testing::Test {
 protected:
  Status Start(Handler handler, ServerOptions options = {}) {
    options.port = 0;
    if (options.threads == 0) options.threads = 2;
    server_ = std::make_unique<Server>(options, std::move(handler));
    Status status = server_->Start();
    if (status.ok()) {
      bool v6 = options.host.find(':') != std::string::npos;
      base_ =
          "http://" + (v6 ? "[" + options.host + "]" : options.host) + ":" + std::to_string(server_->port());
    }
    return status;
  }
  std::string Url(const std::string& path) const { return base_ + path; }

  std::unique_ptr<Server> server_;
  std::string base_;
  HttpClient client_;
};

TEST_F(ServerTest, EchoesMethodPathQueryAndBody) {
  ASSERT_TRUE(Start(Echo).ok());
  auto get = client_.Get(Url("/hello?a=1"));
  EXPECT_EQ(get.status, 200) << get.error;
  EXPECT_EQ(get.body, "GET /hello ?a=1 ");
  EXPECT_EQ(get.Header("server"), "vouch");
  EXPECT_EQ(get.Header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(get.Header("content-length"), std::to_string(get.body.size()));
  EXPECT_EQ(get.Header("x-remote"), "127.0.0.1");
  EXPECT_EQ(client_.Post(Url("/items"), "xyz").body, "POST /items ? xyz");
  EXPECT_EQ(client_.Patch(Url("/items/1"), "{}").body, "PATCH /items/1 ? {}");
  EXPECT_EQ(client_.Delete(Url("/items/1")).body, "DELETE /items/1 ? ");
}

TEST_F(ServerTest, KeepAliveReusesOneConnection) {
  ASSERT_TRUE(Start(Echo).ok());
  for (int i = 0; i < 5; ++i) {
    auto r = client_.Get(Url("/k" + std::to_string(i)));
    ASSERT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(r.body, "GET /k" + std::to_string(i) + " ? ");
    EXPECT_EQ(r.new_connections, i == 0 ? 1 : 0) << "request " << i;
  }
}

TEST_F(ServerTest, FreshConnectionOptionOpensOneEachTime) {
  ASSERT_TRUE(Start(Echo).ok());
  client_.defaults().fresh_connection = true;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client_.Get(Url("/")).new_connections, 1);
}

TEST_F(ServerTest, ResponderMayBeCalledLaterFromAnotherThread) {
  Deferrer deferrer(milliseconds(20));
  ASSERT_TRUE(Start([&](Request&& req, Responder respond) {
                deferrer.Handle(std::move(req), std::move(respond));
              }).ok());
  for (int i = 0; i < 3; ++i) {
    auto r = client_.Get(Url("/d" + std::to_string(i)));
    EXPECT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(r.body, "later /d" + std::to_string(i));
    EXPECT_EQ(r.new_connections, i == 0 ? 1 : 0);
  }
  server_->Stop();  // before the Deferrer goes: no request is left in its queue
}

TEST_F(ServerTest, HeadSendsContentLengthButNoBody) {
  ASSERT_TRUE(Start([](Request&&, Responder respond) { respond(Text("hello")); }).ok());
  auto head = client_.Head(Url("/"));
  EXPECT_EQ(head.status, 200) << head.error;
  EXPECT_EQ(head.Header("content-length"), "5");
  EXPECT_EQ(head.body, "");
  // A stray body would be read as the start of the next response on the same connection.
  auto get = client_.Get(Url("/"));
  EXPECT_EQ(get.body, "hello");
  EXPECT_EQ(get.new_connections, 0);

  RawConnection raw(server_->port());
  ASSERT_TRUE(raw.Send("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string bytes = raw.ReadToEof();
  EXPECT_TRUE(raw.closed_by_peer());
  EXPECT_NE(bytes.find("Content-Length: 5\r\n"), std::string::npos) << bytes;
  EXPECT_EQ(bytes.substr(bytes.size() - 4), "\r\n\r\n") << bytes;
}

TEST_F(ServerTest, BodyOverTheLimitGets413WithoutCallingTheHandler) {
  std::atomic<int> calls{0};
  ServerOptions options;
  options.body_limit = 100;
  ASSERT_TRUE(Start(
                  [&](Request&& req, Responder respond) {
                    ++calls;
                    Echo(std::move(req), std::move(respond));
                  },
                  options)
                  .ok());
  EXPECT_EQ(client_.Post(Url("/"), std::string(100, 'a')).status, 200);
  EXPECT_EQ(calls.load(), 1);

  // 101 bytes go out at once; 5000 make curl wait for "100 Continue" first.
  for (size_t size : {101, 5000}) {
    auto r = client_.Post(Url("/"), std::string(size, 'a'));
    EXPECT_EQ(r.status, 413) << r.error;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
    EXPECT_EQ(r.Header("connection"), "close");
    EXPECT_EQ(r.body, R"({"type":"about:blank","title":"Payload Too Large","status":413,)"
                      R"("detail":"request body exceeds 100 bytes","field":"body"})");
  }

  RawConnection raw(server_->port());
  ASSERT_TRUE(
      raw.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
               "c8\r\n" +
               std::string(200, 'b') + "\r\n0\r\n\r\n"));
  std::string bytes = raw.ReadToEof();
  EXPECT_EQ(bytes.rfind("HTTP/1.1 413 Payload Too Large\r\n", 0), 0u) << bytes;
  EXPECT_TRUE(raw.closed_by_peer());
  EXPECT_EQ(calls.load(), 1);
}

// The limit is decided per request from its head (here: by path, once at once, once later from
// another thread), before the body is read: a 64 MiB Content-Length over it is answered 413 with
// none of the body sent; under it the body is read and handled.
TEST_F(ServerTest, ABodyLimitDecidedFromTheHeadRefusesBeforeTheBodyIsRead) {
  std::atomic<int> calls{0};
  std::vector<std::thread> deciders;
  std::mutex mu;
  ServerOptions options;
  options.body_limit = 128 << 20;
  options.body_limit_of = [&](const Request& head, std::function<void(size_t)> decide) {
    const size_t limit = head.path == "/big" ? (64 << 20) + 1 : 10;
    if (head.Header("x-later") == "1") {
      std::lock_guard lock(mu);
      deciders.emplace_back([decide = std::move(decide), limit] {
        std::this_thread::sleep_for(milliseconds{50});
        decide(limit);
      });
    } else {
      decide(limit);
    }
  };
  ASSERT_TRUE(Start(
                  [&](Request&& req, Responder respond) {
                    ++calls;
                    Echo(std::move(req), std::move(respond));
                  },
                  options)
                  .ok());
  for (const std::string later : {"0", "1"}) {
    RawConnection raw(server_->port());
    const auto started = SteadyClock::now();
    ASSERT_TRUE(raw.Send("POST /small HTTP/1.1\r\nHost: x\r\nX-Later: " + later +
                         "\r\nContent-Length: 67108864\r\n\r\n"));
    std::string bytes = raw.ReadUntil(
        [](std::string_view got) { return got.find("exceeds 10 bytes") != std::string_view::npos; },
        kReadBound);
    EXPECT_EQ(bytes.rfind("HTTP/1.1 413 Payload Too Large\r\n", 0), 0u) << bytes;
    EXPECT_LT(SteadyClock::now() - started, milliseconds{2000});
  }
  auto small = client_.Request("POST", Url("/small"), "0123456789", {{"X-Later", "1"}});
  EXPECT_EQ(small.status, 200) << small.error;
  EXPECT_EQ(small.body, "POST /small ? 0123456789");
  auto big = client_.Post(Url("/big"), std::string(2 << 20, 'a'));
  EXPECT_EQ(big.status, 200) << big.error;
  EXPECT_EQ(calls.load(), 2);
  std::lock_guard lock(mu);
  for (auto& t : deciders) t.join();
}

// Connections over max_connections get a fixed 503 with Retry-After and are closed; once some
// close, new ones are served again.
TEST_F(ServerTest, ConnectionsOverTheCapGet503AndAreClosed) {
  ServerOptions options;
  options.max_connections = 3;
  options.threads = 1;
  ASSERT_TRUE(Start(Echo, options).ok());
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawConnection>(server_->port()));
    ASSERT_TRUE(held.back()->Send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string ok = held.back()->ReadUntil(
        [](std::string_view got) { return got.find("GET /x") != std::string_view::npos; }, kReadBound);
    ASSERT_EQ(ok.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << ok;
  }
  RawConnection extra(server_->port());
  std::string refused = extra.ReadToEof();
  EXPECT_EQ(refused.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << refused;
  EXPECT_NE(refused.find("Retry-After: 1\r\n"), std::string::npos) << refused;
  EXPECT_TRUE(extra.closed_by_peer());
  held.clear();
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    std::this_thread::sleep_for(milliseconds{20});
    served = client_.Get(Url("/again")).status == 200;
  }
  EXPECT_TRUE(served);
}

TEST_F(ServerTest, ExpectContinueGetsAnInterimResponse) {
  ASSERT_TRUE(Start(Echo).ok());
  RawConnection raw(server_->port());
  ASSERT_TRUE(
      raw.Send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
               "Expect: 100-continue\r\nConnection: close\r\n\r\n"));
  std::string interim = raw.ReadUntil(
      [](std::string_view got) { return got.find("\r\n\r\n") != std::string_view::npos; }, kReadBound);
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(raw.Send("hello"));
  std::string bytes = raw.ReadToEof();
  EXPECT_EQ(bytes.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << bytes;
  EXPECT_NE(bytes.find("POST /up ? hello"), std::string::npos) << bytes;
}

TEST_F(ServerTest, MalformedRequestGets400AndTheServerGoesOn) {
  std::atomic<int> calls{0};
  ASSERT_TRUE(Start([&](Request&& req, Responder respond) {
                ++calls;
                Echo(std::move(req), std::move(respond));
              }).ok());
  for (std::string garbage :
       {std::string("THIS IS NOT HTTP\r\n\r\n"), std::string("GET / HTTP/1.1\r\nBad Header\r\n\r\n"),
        std::string("\x01\x02\x03\r\n\r\n"), std::string("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n")}) {
    RawConnection raw(server_->port());
    ASSERT_TRUE(raw.Send(garbage));
    std::string bytes = raw.ReadToEof();
    EXPECT_EQ(bytes.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << bytes;
    EXPECT_NE(bytes.find("Content-Type: application/problem+json\r\n"), std::string::npos);
    EXPECT_NE(bytes.find(R"("status":400)"), std::string::npos);
    EXPECT_TRUE(raw.closed_by_peer());
  }
  EXPECT_EQ(calls.load(), 0);
  EXPECT_EQ(client_.Get(Url("/after")).body, "GET /after ? ");
}

TEST_F(ServerTest, RequestIdIsEchoedGeneratedOrReplaced) {
  ASSERT_TRUE(Start(Echo).ok());
  auto is_generated = [](const std::string& id) {
    return id.size() == 16 && id.find_first_not_of(
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                                  "vwxyz0123456789-_") == std::string::npos;
  };
  auto given = client_.Get(Url("/"), {{"X-Request-Id", "abc-123_X.y"}});
  EXPECT_EQ(given.Header("x-request-id"), "abc-123_X.y");
  EXPECT_EQ(given.Header("x-seen-request-id"), "abc-123_X.y");

  auto longest = std::string(64, 'a');
  EXPECT_EQ(client_.Get(Url("/"), {{"X-Request-Id", longest}}).Header("x-request-id"), longest);

  auto absent1 = client_.Get(Url("/")).Header("x-request-id");
  auto absent2 = client_.Get(Url("/")).Header("x-request-id");
  EXPECT_TRUE(is_generated(absent1)) << absent1;
  EXPECT_NE(absent1, absent2);

  for (std::string bad : {std::string("has space"), std::string(65, 'a'), std::string("a/b")}) {
    auto r = client_.Get(Url("/"), {{"X-Request-Id", bad}});
    EXPECT_TRUE(is_generated(r.Header("x-request-id"))) << bad << " -> " << r.Header("x-request-id");
    EXPECT_EQ(r.Header("x-request-id"), r.Header("x-seen-request-id"));
  }
}

// The path stays as sent (a router splits it into segments before decoding each); query values
// are decoded on demand.
TEST_F(ServerTest, KeepsThePathEncodedAndDecodesQueryValues) {
  std::mutex mu;
  Request seen;
  ASSERT_TRUE(Start([&](Request&& req, Responder respond) {
                {
                  std::lock_guard lock(mu);
                  seen = req;
                }
                respond(Response{});
              }).ok());
  ASSERT_EQ(client_.Get(Url("/a%20b/c%2Fd+e?x=1%202&y=a+b&flag&e%3D=%26")).status, 200);
  std::lock_guard lock(mu);
  EXPECT_EQ(seen.target, "/a%20b/c%2Fd+e?x=1%202&y=a+b&flag&e%3D=%26");
  EXPECT_EQ(seen.path, "/a%20b/c%2Fd+e");
  EXPECT_EQ(seen.query, "x=1%202&y=a+b&flag&e%3D=%26");
  EXPECT_EQ(seen.Query("x"), "1 2");
  EXPECT_EQ(seen.Query("y"), "a b");
  EXPECT_EQ(seen.Query("e="), "&");
  EXPECT_TRUE(seen.HasQuery("flag"));
  EXPECT_EQ(seen.Query("flag"), "");
  EXPECT_FALSE(seen.HasQuery("missing"));
  EXPECT_EQ(seen.Header("host"), "127.0.0.1:" + std::to_string(server_->port()));
}

TEST(UrlTest, PercentCodingFollowsRfc3986) {
  EXPECT_EQ(PercentEncode("a b/c~d-e_f.g"), "a%20b%2Fc~d-e_f.g");
  EXPECT_EQ(PercentEncode("é&="), "%C3%A9%26%3D");
  EXPECT_EQ(PercentDecode("%C3%A9%2f", false), "é/");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("100%", false), "100%");  // malformed escapes are kept as sent
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  EXPECT_EQ(PercentDecode(PercentEncode(all), false), all);
}

TEST_F(ServerTest, ServesIpv6Loopback) {
  ServerOptions options;
  options.host = "::1";
  Status status = Start(Echo, options);
  if (!status.ok()) GTEST_SKIP() << "::1 unavailable: " << Describe(status);
  auto r = client_.Get(Url("/six"));
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "GET /six ? ");
  EXPECT_EQ(r.Header("x-remote"), "::1");
}

TEST_F(ServerTest, BindFailureIsUnavailableAndNamesTheAddress) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  uint16_t taken = ntohs(addr.sin_port);

  ServerOptions options;
  options.port = taken;
  Server server(options, Echo);
  Status status = server.Start();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, Code::kUnavailable);
  EXPECT_NE(status.error().message.find("127.0.0.1:" + std::to_string(taken)), std::string::npos)
      << status.error().message;
  server.Stop();
  ::close(fd);
}

TEST_F(ServerTest, StopWithARequestPendingReturnsAndALateResponderIsHarmless) {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Responder> parked;
  ASSERT_TRUE(Start([&](Request&&, Responder respond) {
                std::lock_guard lock(mu);
                parked = std::move(respond);
                cv.notify_all();
              }).ok());
  test::HttpResponse pending;
  std::thread client([&] { pending = HttpClient().Get(Url("/slow")); });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, kReadBound, [&] { return parked.has_value(); }));
  }
  auto before = SteadyClock::now();
  server_->Stop();
  EXPECT_LT(SteadyClock::now() - before, std::chrono::seconds(3));
  client.join();
  EXPECT_EQ(pending.status, 0);  // the connection was closed, not answered
  server_->Stop();               // idempotent
  server_.reset();               // the responder now outlives the server itself
  std::lock_guard lock(mu);
  (*parked)(Text("too late"));
  parked.reset();
}

TEST_F(ServerTest, StopRacingRespondersOnOtherThreadsNeitherHangsNorCrashes) {
  Deferrer deferrer(milliseconds(0));
  ASSERT_TRUE(Start([&](Request&& req, Responder respond) {
                deferrer.Handle(std::move(req), std::move(respond));
              }).ok());
  std::atomic<bool> go_on{true};
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      HttpClient client;
      while (go_on) {
        if (client.Get(Url("/race")).status == 200) ++answered;
      }
    });
  }
  while (answered < 50) std::this_thread::sleep_for(milliseconds(1));
  server_->Stop();
  go_on = false;
  for (auto& client : clients) client.join();
  EXPECT_GE(answered.load(), 50);
}

TEST_F(ServerTest, AnUnansweredOrThrowingHandlerYields500) {
  ASSERT_TRUE(Start([](Request&& req, Responder respond) {
                if (req.path == "/throw") throw std::runtime_error("boom");
                if (req.path == "/twice") {
                  respond(Text("one"));
                  respond(Text("two"));
                }
              }).ok());
  EXPECT_EQ(client_.Get(Url("/drop")).status, 500);
  EXPECT_EQ(client_.Get(Url("/throw")).status, 500);
  auto twice = client_.Get(Url("/twice"));
  EXPECT_EQ(twice.body, "one");
  auto next = client_.Get(Url("/twice"));
  EXPECT_EQ(next.body, "one");
  EXPECT_EQ(next.new_connections, 0);
}

// Response::finish runs on the connection's I/O thread (the one that called the handler), not on
// the thread that responded; one that throws gives a 500 and the connection goes on.
TEST_F(ServerTest, FinishBuildsTheResponseOnTheIoThread) {
  std::mutex mu;
  std::thread::id handler_thread, finish_thread, responder_thread;
  std::vector<std::thread> responders;
  ASSERT_TRUE(Start([&](Request&& req, Responder respond) {
                {
                  std::lock_guard lock(mu);
                  handler_thread = std::this_thread::get_id();
                }
                const bool fail = req.path == "/fail";
                std::lock_guard outer(mu);
                responders.emplace_back([&, fail, respond = std::move(respond)] {
                  Response r;
                  r.finish = [&, fail](Response& out) {
                    if (fail) throw std::runtime_error("render failed");
                    std::lock_guard held(mu);
                    finish_thread = std::this_thread::get_id();
                    out = Text("built late", 201);
                  };
                  {
                    std::lock_guard held(mu);
                    responder_thread = std::this_thread::get_id();
                  }
                  respond(std::move(r));
                });
              }).ok());
  auto r = client_.Get(Url("/late"));
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "built late");
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(finish_thread, handler_thread);
    EXPECT_NE(finish_thread, responder_thread);
  }
  EXPECT_EQ(client_.Get(Url("/fail")).status, 500);
  auto again = client_.Get(Url("/late"));
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.new_connections, 0);
  server_->Stop();
  for (auto& t : responders) t.join();
}

TEST_F(ServerTest, HandlerHeadersCannotSplitTheResponseOrItsFraming) {
  ASSERT_TRUE(
      Start([](Request&&, Responder respond) {
        Response r = Text("moved", 302);
        r.headers = {{"Location", "/next\r\nInjected: yes"}, {"Content-Length", "999"}, {"Bad Name", "x"}};
        respond(std::move(r));
      }).ok());
  auto r = client_.Get(Url("/"));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("location"), "/next  Injected: yes");
  EXPECT_EQ(r.Header("injected"), "");
  EXPECT_EQ(r.Header("content-length"), "5");
  EXPECT_EQ(r.body, "moved");
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  ASSERT_TRUE(Start(Echo).ok());
  RawConnection raw(server_->port());
  ASSERT_TRUE(
      raw.Send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
               "GET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string bytes = raw.ReadToEof();
  auto one = bytes.find("GET /one ? ");
  auto two = bytes.find("GET /two ? ");
  ASSERT_NE(one, std::string::npos) << bytes;
  ASSERT_NE(two, std::string::npos) << bytes;
  EXPECT_LT(one, two);
  EXPECT_TRUE(raw.closed_by_peer());
}

TEST_F(ServerTest, Http10ClosesUnlessAskedToKeepAlive) {
  ASSERT_TRUE(Start(Echo).ok());
  RawConnection once(server_->port());
  ASSERT_TRUE(once.Send("GET /old HTTP/1.0\r\n\r\n"));
  std::string bytes = once.ReadToEof();
  EXPECT_NE(bytes.find("Connection: close\r\n"), std::string::npos) << bytes;
  EXPECT_TRUE(once.closed_by_peer());

  RawConnection kept(server_->port());
  ASSERT_TRUE(kept.Send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  bytes = kept.ReadUntil(
      [](std::string_view got) { return got.find("GET /old ? ") != std::string_view::npos; }, kReadBound);
  EXPECT_NE(bytes.find("Connection: keep-alive\r\n"), std::string::npos) << bytes;
  EXPECT_FALSE(kept.closed_by_peer());
}

TEST_F(ServerTest, IdleConnectionsAreClosedAfterTheTimeout) {
  ServerOptions options;
  options.idle_timeout_seconds = 1;
  ASSERT_TRUE(Start(Echo, options).ok());

  RawConnection silent(server_->port());
  RawConnection after_request(server_->port());
  ASSERT_TRUE(silent.connected());
  ASSERT_TRUE(after_request.Send("GET /k HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto before = SteadyClock::now();
  EXPECT_EQ(silent.ReadToEof(), "");
  EXPECT_TRUE(silent.closed_by_peer());
  EXPECT_GE(SteadyClock::now() - before, milliseconds(900));

  std::string bytes = after_request.ReadToEof();
  EXPECT_NE(bytes.find("GET /k ? "), std::string::npos) << bytes;
  EXPECT_TRUE(after_request.closed_by_peer());
}

TEST_F(ServerTest, ManyConcurrentClientsEachGetTheirOwnAnswers) {
  ServerOptions options;
  options.threads = 4;
  ASSERT_TRUE(Start(Echo, options).ok());
  constexpr int kThreads = 8;
  constexpr int kRequests = 200;
  std::atomic<int> right{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client;
      for (int i = 0; i < kRequests; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto r = client.Post(Url("/c/" + id), "body " + id);
        if (r.status == 200 && r.body == "POST /c/" + id + " ? body " + id) ++right;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(right.load(), kThreads * kRequests);
}

// ---- Streamed bodies (Response::stream) ----

// Piece i of a test body: `size` bytes of a pattern that differs per piece, so a lost, doubled
// or reordered piece shows in the reassembled body.
std::string Piece(int i, size_t size) {
  std::string p(size, '\0');
  for (size_t k = 0; k < size; ++k) p[k] = static_cast<char>('a' + (static_cast<size_t>(i) * 7 + k) % 26);
  return p;
}

// A producer of `pieces` pieces of `size` bytes, each handed over from a thread of its own (as
// the API hands them from its pool), counting how often it was asked.
struct Producer {
  int pieces = 0;
  size_t size = 0;
  std::shared_ptr<std::atomic<int>> asked = std::make_shared<std::atomic<int>>(0);
  int fail_at = -1;  // deliver an error instead of this piece

  std::function<void(PieceSink)> Stream() const {
    auto next = std::make_shared<int>(0);
    return [*this, next](PieceSink sink) {
      asked->fetch_add(1);
      const int i = (*next)++;
      std::thread([i, n = pieces, bytes = size, fail = fail_at, sink = std::move(sink)] {
        if (i == fail) return sink(Internal("the store went away"));
        sink(i < n ? Piece(i, bytes) : std::string());
      }).detach();
    };
  }
};

Response Streamed(const Producer& p) {
  Response r;
  r.content_type = "text/csv";
  r.body = "ignored when streaming";
  r.stream = p.Stream();
  return r;
}

TEST_F(ServerTest, StreamedBodyArrivesWholeInChunksAndTheConnectionIsReused) {
  Producer p{.pieces = 200, .size = 100'000};  // 20 MB
  ASSERT_TRUE(Start([&](Request&&, Responder respond) { respond(Streamed(p)); }).ok());
  auto r = client_.Get(Url("/export.csv"));
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.Header("transfer-encoding"), "chunked");
  EXPECT_EQ(r.Header("content-length"), "");
  EXPECT_EQ(r.Header("content-type"), "text/csv");
  ASSERT_EQ(r.body.size(), 200u * 100'000u);
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(r.body.compare(static_cast<size_t>(i) * 100'000, 100'000, Piece(i, 100'000)), 0)
        << "piece " << i;
  }
  EXPECT_EQ(p.asked->load(), 201);  // every piece, then the end
  auto again = client_.Get(Url("/export.csv"));
  EXPECT_EQ(again.body.size(), 200u * 100'000u);
  EXPECT_EQ(again.new_connections, 0);
}

TEST_F(ServerTest, StreamedBodyIsFramedAsRfc9112Chunks) {
  Producer p{.pieces = 3, .size = 20};
  ASSERT_TRUE(Start([&](Request&&, Responder respond) { respond(Streamed(p)); }).ok());
  RawConnection raw(server_->port());
  ASSERT_TRUE(raw.Send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string bytes = raw.ReadToEof();
  EXPECT_TRUE(raw.closed_by_peer());
  const size_t body = bytes.find("\r\n\r\n");
  ASSERT_NE(body, std::string::npos) << bytes;
  EXPECT_NE(bytes.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << bytes;
  EXPECT_EQ(bytes.find("Content-Length"), std::string::npos) << bytes;
  EXPECT_EQ(bytes.substr(body + 4), "14\r\n" + Piece(0, 20) + "\r\n14\r\n" + Piece(1, 20) + "\r\n14\r\n" +
                                        Piece(2, 20) + "\r\n0\r\n\r\n");
}

TEST_F(ServerTest, StreamedBodyToHttp10GoesUnframedAndTheCloseEndsIt) {
  Producer p{.pieces = 2, .size = 10};
  ASSERT_TRUE(Start([&](Request&&, Responder respond) { respond(Streamed(p)); }).ok());
  RawConnection raw(server_->port());
  ASSERT_TRUE(raw.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  std::string bytes = raw.ReadToEof();
  EXPECT_TRUE(raw.closed_by_peer());
  EXPECT_EQ(bytes.find("Transfer-Encoding"), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("Connection: close\r\n"), std::string::npos) << bytes;
  EXPECT_EQ(bytes.substr(bytes.find("\r\n\r\n") + 4), Piece(0, 10) + Piece(1, 10));
}

TEST_F(ServerTest, StreamedBodyFailingMidwayIsCutShortAndTheServerGoesOn) {
  Producer p{.pieces = 10, .size = 1000, .fail_at = 3};
  ASSERT_TRUE(Start([&](Request&& req, Responder respond) {
                if (req.path == "/ok") return respond(Text("fine"));
                respond(Streamed(p));
              }).ok());
  auto r = client_.Get(Url("/export.csv"));
  EXPECT_NE(r.error, "");  // curl sees the chunked body end early
  EXPECT_EQ(p.asked->load(), 4);
  EXPECT_EQ(client_.Get(Url("/ok")).body, "fine");
}

TEST_F(ServerTest, HeadOfAStreamedBodyAsksNoPiece) {
  Producer p{.pieces = 5, .size = 10};
  ASSERT_TRUE(Start([&](Request&&, Responder respond) { respond(Streamed(p)); }).ok());
  auto head = client_.Head(Url("/"));
  EXPECT_EQ(head.status, 200) << head.error;
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(p.asked->load(), 0);
  auto get = client_.Get(Url("/"));
  EXPECT_EQ(get.body.size(), 50u);
  EXPECT_EQ(get.new_connections, 0);
}

// The client's pace sets the producer's: a client that reads nothing gets a few pieces into the
// socket buffers and no more are made, so a large export costs a bounded amount of memory.
TEST_F(ServerTest, StreamedBodyWaitsForASlowClient) {
  Producer p{.pieces = 1'000'000, .size = 1 << 20};  // a terabyte, were it all produced
  ASSERT_TRUE(Start([&](Request&&, Responder respond) { respond(Streamed(p)); }).ok());
  RawConnection raw(server_->port());
  ASSERT_TRUE(raw.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::this_thread::sleep_for(milliseconds(500));
  const int stalled = p.asked->load();
  EXPECT_GE(stalled, 1);
  EXPECT_LE(stalled, 64) << "pieces made while the client read nothing";
  // Reading some lets it go on.
  std::string got = raw.ReadUntil([](std::string_view b) { return b.size() > (8u << 20); }, kReadBound);
  EXPECT_GT(got.size(), 8u << 20);
  EXPECT_GT(p.asked->load(), stalled);
  server_->Stop();
}

}  // namespace
}  // namespace vouch::http
