// The Session: one HTTP/1.1 connection on Boost.Beast (worker.h has the design and lifetimes).
#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include "base/crypto.h"
#include "base/log.h"
#include "http/wire.h"
#include "http/worker.h"

namespace vouch::http::internal {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Parser = bhttp::request_parser<bhttp::string_body>;

constexpr size_t kHeaderLimit = 16 * 1024;
// Sweeps a connection waits for the client's EOF after we shut down our side following an error.
constexpr uint64_t kLingerSweeps = 2;
constexpr size_t kLingerReadSize = 4096;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// Beast 1.74 speaks boost::string_view.
std::string_view Sv(beast::string_view s) { return {s.data(), s.size()}; }

std::string_view ReasonPhrase(int status) {
  bhttp::status s = bhttp::int_to_status(static_cast<unsigned>(status));
  if (s == bhttp::status::unknown) return "Unknown";
  return Sv(bhttp::obsolete_reason(s));
}

// 1xx, 204 and 304 responses carry neither a body nor a Content-Length.
bool StatusHasBody(int status) { return status >= 200 && status != 204 && status != 304; }

// `field` names the part of the request at fault (RFC 9457 extension member), if any.
Response Problem(int status, std::string_view title, std::string_view detail, std::string_view field = {}) {
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = fmt::format(R"({{"type":"about:blank","title":"{}","status":{},"detail":"{}"{}}})",
                       JsonEscape(title), status, JsonEscape(detail),
                       field.empty() ? std::string() : fmt::format(R"(,"field":"{}")", JsonEscape(field)));
  return r;
}

// A request as the handler sees it, without its body and request id.
Request HeadOf(const bhttp::request<bhttp::string_body>& msg, const std::string& remote) {
  Request req;
  req.method = Sv(msg.method_string());
  req.target = Sv(msg.target());
  std::string_view target = req.target;
  size_t question = target.find('?');
  req.path.assign(target.substr(0, question));
  if (question != std::string_view::npos) req.query.assign(target.substr(question + 1));
  for (const auto& field : msg) {
    req.headers.emplace_back(ToLower(Sv(field.name_string())), std::string(Sv(field.value())));
  }
  req.remote_address = remote;
  return req;
}

const boost::system::error_category& HttpCategory() {
  return bhttp::make_error_code(bhttp::error::bad_method).category();
}

class PieceSlot;

// One connection. All methods but Respond() run on the Worker's thread.
class Session final : public Connection, public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<Worker> worker, Socket socket, std::string remote)
      : worker_(std::move(worker)), socket_(std::move(socket)), remote_(std::move(remote)) {
    worker_->shared().connections.fetch_add(1, std::memory_order_relaxed);
  }
  ~Session() override { worker_->shared().connections.fetch_sub(1, std::memory_order_relaxed); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() { ReadHeader(); }
  // Any thread. Sends the response to the request being handled; dropped if the connection or the
  // server has closed meanwhile.
  void Respond(Response response);
  void CloseIfIdle(uint64_t tick) override;  // see Connection
  void Close() override;
  bool closed() const override { return phase_ == Phase::kClosed; }
  Worker& worker() { return *worker_; }

 private:
  friend class PieceSlot;  // delivers a streamed body's pieces to OnPiece
  // kDeciding: the headers are read, the body limit is being decided (ServerOptions::body_limit_of).
  enum class Phase { kReading, kDeciding, kHandling, kWriting, kLingering, kClosed };

  // What the access log and the response need to know about the request being handled.
  struct InFlight {
    std::string method;
    std::string path;
    std::string request_id;
    unsigned version = 11;
    bool head = false;
    bool keep_alive = false;
    bool linger = false;  // close gracefully: the client may still be sending
    int status = 0;
    Clock::time_point start;
    bool chunked = false;  // a streamed body in chunked transfer encoding (HTTP/1.1)
  };

  void ReadHeader();
  void OnHeader(ErrorCode ec);
  // On the Worker's thread: applies the request's body limit, then reads the body (or answers 413).
  void OnBodyLimit(size_t limit);
  void ReadBody();
  void OnReadError(ErrorCode ec);
  void Fail(int status, std::string_view title, std::string_view detail, std::string_view field = {});
  void Dispatch();
  void Write(Response response);
  void SerializeHead(const Response& response, size_t body_size, bool chunked);
  void NextPiece();
  void OnPiece(Result<std::string> piece);
  void OnWrite(ErrorCode ec);
  void LogAccess();
  // The path as the access log shows it (ServerOptions::log_path).
  std::string LoggedPath(std::string_view method, std::string_view path) const;
  void Linger();
  void Enter(Phase phase);

  std::shared_ptr<Worker> worker_;
  Socket socket_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  size_t body_limit_ = 0;  // of the request being read
  Phase phase_ = Phase::kReading;
  uint64_t phase_tick_ = 0;  // the Worker's tick when phase_ began
  InFlight current_;
  std::string head_;  // status line and fields of the response being written (or a chunk's size line)
  std::string body_;
  std::function<void(PieceSink)> stream_;  // the producer of a streamed body being written
};

// Shared by the copies of one request's Responder. The first call wins; if every copy is
// destroyed uncalled (a handler bug or a throw), the client gets a 500, not a hung connection.
class ResponseSlot {
 public:
  explicit ResponseSlot(std::shared_ptr<Session> session) : session_(std::move(session)) {}
  ResponseSlot(const ResponseSlot&) = delete;
  ResponseSlot& operator=(const ResponseSlot&) = delete;
  ~ResponseSlot() {
    if (!done_.exchange(true)) {
      session_->Respond(Problem(500, "Internal Server Error", "the handler sent no response"));
    }
  }
  void Send(Response response) {
    if (!done_.exchange(true)) session_->Respond(std::move(response));
  }

 private:
  std::shared_ptr<Session> session_;
  std::atomic<bool> done_{false};
};

// Shared by the copies of one piece's sink: the first call wins, and a sink dropped uncalled
// aborts the body rather than leaving the connection waiting.
class PieceSlot {
 public:
  explicit PieceSlot(std::shared_ptr<Session> session) : session_(std::move(session)) {}
  PieceSlot(const PieceSlot&) = delete;
  PieceSlot& operator=(const PieceSlot&) = delete;
  ~PieceSlot() {
    if (!done_.exchange(true)) Post(Internal("the body's producer dropped its sink"));
  }
  void Send(Result<std::string> piece) {
    if (!done_.exchange(true)) Post(std::move(piece));
  }

 private:
  void Post(Result<std::string> piece);
  std::shared_ptr<Session> session_;
  std::atomic<bool> done_{false};
};

// ---- Session ----

void Session::Enter(Phase phase) {
  phase_ = phase;
  phase_tick_ = worker_->tick();
}

void Session::ReadHeader() {
  if (worker_->stopped()) return Close();
  Enter(Phase::kReading);
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  body_limit_ = worker_->shared().options.body_limit;
  parser_->body_limit(body_limit_);
  bhttp::async_read_header(socket_, buffer_, *parser_,
                           [self = shared_from_this()](ErrorCode ec, size_t) { self->OnHeader(ec); });
}

void Session::OnHeader(ErrorCode ec) {
  if (ec) return OnReadError(ec);
  if (parser_->is_done()) return Dispatch();
  const BodyLimitDecider& decider = worker_->shared().options.body_limit_of;
  if (!decider) return OnBodyLimit(body_limit_);
  Enter(Phase::kDeciding);
  Request head = HeadOf(parser_->get(), remote_);
  // Called once (later calls do nothing), from any thread.
  auto once = std::make_shared<std::atomic<bool>>(false);
  decider(head, [self = shared_from_this(), once](size_t limit) {
    if (once->exchange(true)) return;
    if (self->worker_->OnThisThread()) return self->OnBodyLimit(limit);
    self->worker_->PostUnlessStopped([self, limit] { self->OnBodyLimit(limit); });
  });
}

void Session::OnBodyLimit(size_t limit) {
  if (phase_ != Phase::kDeciding && phase_ != Phase::kReading) return;  // closed meanwhile
  body_limit_ = std::min(limit, worker_->shared().options.body_limit);
  Enter(Phase::kReading);
  if (const auto length = parser_->content_length(); length && *length > body_limit_) {
    return Fail(413, "Payload Too Large", fmt::format("request body exceeds {} bytes", body_limit_), "body");
  }
  parser_->body_limit(body_limit_);
  if (IEquals(Sv(parser_->get()[bhttp::field::expect]), "100-continue")) {
    asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](ErrorCode wec, size_t) {
                        if (wec) return self->Close();
                        self->ReadBody();
                      });
    return;
  }
  ReadBody();
}

void Session::ReadBody() {
  bhttp::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](ErrorCode ec, size_t) {
    if (ec) return self->OnReadError(ec);
    self->Dispatch();
  });
}

void Session::OnReadError(ErrorCode ec) {
  if (phase_ == Phase::kClosed) return;
  if (ec == bhttp::error::body_limit) {
    return Fail(413, "Payload Too Large", fmt::format("request body exceeds {} bytes", body_limit_), "body");
  }
  if (ec == bhttp::error::header_limit) {
    return Fail(431, "Request Header Fields Too Large",
                fmt::format("request header exceeds {} bytes", kHeaderLimit));
  }
  bool peer_gone = ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message;
  if (ec.category() == HttpCategory() && !peer_gone) {
    return Fail(400, "Bad Request", "malformed HTTP request");
  }
  Close();
}

// Answers a request the parser rejected, without calling the handler, then closes.
void Session::Fail(int status, std::string_view title, std::string_view detail, std::string_view field) {
  current_ = InFlight{};
  current_.method = "-";
  current_.path = "-";
  std::string_view given_id;
  if (parser_ && parser_->is_header_done()) {
    const auto& msg = parser_->get();
    current_.method = std::string(Sv(msg.method_string()));
    std::string_view target = Sv(msg.target());
    current_.path = LoggedPath(current_.method, target.substr(0, target.find('?')));
    given_id = Sv(msg["X-Request-Id"]);
  }
  current_.request_id = PickRequestId(given_id);
  current_.linger = true;
  current_.start = Clock::now();
  Enter(Phase::kHandling);
  Write(Problem(status, title, detail, field));
}

void Session::Dispatch() {
  auto& msg = parser_->get();
  Request req = HeadOf(msg, remote_);
  req.body = std::move(msg.body());
  req.request_id = PickRequestId(req.Header("x-request-id"));

  current_ = InFlight{req.method,
                      LoggedPath(req.method, req.path),
                      req.request_id,
                      msg.version(),
                      msg.method() == bhttp::verb::head,
                      msg.keep_alive(),
                      false,
                      0,
                      Clock::now()};
  Enter(Phase::kHandling);
  auto slot = std::make_shared<ResponseSlot>(shared_from_this());
  try {
    worker_->shared().handler(std::move(req),
                              [slot = std::move(slot)](Response r) { slot->Send(std::move(r)); });
  } catch (const std::exception& e) {
    Log(LogLevel::kError, "http.handler_threw", {{"request_id", current_.request_id}, {"what", e.what()}});
  } catch (...) {
    Log(LogLevel::kError, "http.handler_threw", {{"request_id", current_.request_id}});
  }
}

void Session::Respond(Response response) {
  if (worker_->OnThisThread()) {
    if (!worker_->stopped()) Write(std::move(response));
    return;
  }
  worker_->PostUnlessStopped(
      [self = shared_from_this(), r = std::move(response)]() mutable { self->Write(std::move(r)); });
}

void Session::Write(Response response) {
  if (phase_ != Phase::kHandling) return;  // closed meanwhile
  if (response.finish) {
    auto finish = std::move(response.finish);
    response.finish = nullptr;  // `finish` may assign a whole new response
    try {
      finish(response);
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "http.finish_threw", {{"request_id", current_.request_id}, {"what", e.what()}});
      response = Problem(500, "Internal Server Error", "the response could not be built");
    } catch (...) {
      Log(LogLevel::kError, "http.finish_threw", {{"request_id", current_.request_id}});
      response = Problem(500, "Internal Server Error", "the response could not be built");
    }
  }
  if (response.status < 100 || response.status > 999) {
    Log(LogLevel::kError, "http.bad_status",
        {{"request_id", current_.request_id}, {"status", std::to_string(response.status)}});
    response = Problem(500, "Internal Server Error", "the handler sent an invalid status");
  }
  current_.status = response.status;
  Enter(Phase::kWriting);
  const bool streamed = static_cast<bool>(response.stream) && StatusHasBody(response.status);
  // HTTP/1.0 knows no chunks: the body goes as it comes and the connection's close ends it.
  if (streamed && current_.version < 11) current_.keep_alive = false;
  current_.chunked = streamed && current_.version >= 11;
  SerializeHead(response, response.body.size(), streamed);
  if (current_.head || !StatusHasBody(response.status) || streamed) {
    body_.clear();
  } else {
    body_ = std::move(response.body);
  }
  if (streamed && !current_.head) {
    stream_ = std::move(response.stream);
    asio::async_write(socket_, asio::buffer(head_), [self = shared_from_this()](ErrorCode ec, size_t) {
      if (ec) return self->OnWrite(ec);
      self->NextPiece();
    });
    return;
  }
  std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(body_)};
  asio::async_write(socket_, buffers,
                    [self = shared_from_this()](ErrorCode ec, size_t) { self->OnWrite(ec); });
}

// Asks the producer for the next piece of a streamed body; OnPiece takes it on this thread.
void Session::NextPiece() {
  if (phase_ != Phase::kWriting) return;
  Enter(Phase::kWriting);  // the sweep gives the producer, like the client, the idle timeout
  auto slot = std::make_shared<PieceSlot>(shared_from_this());
  try {
    stream_([slot = std::move(slot)](Result<std::string> piece) { slot->Send(std::move(piece)); });
  } catch (const std::exception& e) {
    Log(LogLevel::kError, "http.stream_threw", {{"request_id", current_.request_id}, {"what", e.what()}});
  }
}

// Always posted, even from the I/O thread: a producer that answers at once must not have its
// std::function destroyed (the body's end) while it is still running.
void PieceSlot::Post(Result<std::string> piece) {
  session_->worker().PostUnlessStopped(
      [self = session_, p = std::move(piece)]() mutable { self->OnPiece(std::move(p)); });
}

void Session::OnPiece(Result<std::string> piece) {
  if (phase_ != Phase::kWriting || !stream_) return;  // closed meanwhile
  if (!piece) {
    Log(LogLevel::kError, "http.stream_failed",
        {{"request_id", current_.request_id}, {"error", piece.error().message}});
    stream_ = nullptr;
    LogAccess();
    return Close();
  }
  head_.clear();
  body_ = std::move(*piece);
  const bool last = body_.empty();
  if (last) stream_ = nullptr;
  if (current_.chunked) {
    // RFC 9112 7.1: size in hex, CRLF, data, CRLF; the last chunk has size 0 and no trailers.
    head_ = fmt::format("{:x}\r\n", body_.size());
    if (last) head_ += "\r\n";
  }
  static constexpr std::string_view kCrlf = "\r\n";
  std::array<asio::const_buffer, 3> buffers{
      asio::buffer(head_), asio::buffer(body_),
      asio::buffer(kCrlf.data(), current_.chunked && !last ? kCrlf.size() : 0)};
  asio::async_write(socket_, buffers, [self = shared_from_this(), last](ErrorCode ec, size_t) {
    if (ec || last) return self->OnWrite(ec);
    self->NextPiece();
  });
}

void Session::SerializeHead(const Response& response, size_t body_size, bool chunked) {
  head_.clear();
  head_ += "HTTP/1.1 ";
  AppendNumber(head_, static_cast<uint64_t>(response.status));
  head_ += ' ';
  head_ += ReasonPhrase(response.status);
  head_ += "\r\nServer: vouch\r\n";
  if (!response.content_type.empty()) AppendField(head_, "Content-Type", response.content_type);
  if (chunked) {
    if (current_.chunked) head_ += "Transfer-Encoding: chunked\r\n";
  } else if (StatusHasBody(response.status)) {
    head_ += "Content-Length: ";
    AppendNumber(head_, body_size);
    head_ += "\r\n";
  }
  AppendField(head_, "X-Request-Id", current_.request_id);
  if (!current_.keep_alive) {
    head_ += "Connection: close\r\n";
  } else if (current_.version < 11) {
    head_ += "Connection: keep-alive\r\n";
  }
  for (const auto& [name, value] : response.headers) {
    if (IsToken(name) && !IsServerOwned(name)) AppendField(head_, name, value);
  }
  head_ += "\r\n";
}

void Session::OnWrite(ErrorCode ec) {
  LogAccess();
  body_ = std::string();
  stream_ = nullptr;
  if (ec || phase_ == Phase::kClosed) return Close();
  if (current_.linger) return Linger();
  if (!current_.keep_alive) return Close();
  ReadHeader();
}

std::string Session::LoggedPath(std::string_view method, std::string_view path) const {
  const LogPathMapper& map = worker_->shared().options.log_path;
  return map ? map(method, path) : std::string(path);
}

void Session::LogAccess() {
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - current_.start).count();
  if (const RequestObserver& observe = worker_->shared().options.observe; observe) {
    observe(current_.path, current_.status, ms);
  }
  Log(current_.status >= 400 ? LogLevel::kInfo : LogLevel::kDebug, "http.request",
      {{"request_id", std::move(current_.request_id)},
       {"method", std::move(current_.method)},
       {"path", std::move(current_.path)},
       {"status", std::to_string(current_.status)},
       {"ms", FormatMillis(ms)}});
}

// After an error response the client may still be sending its request: closing at once would
// reset the connection and could destroy the response before the client reads it. So shut down
// our side and discard input until the client closes, or the sweep gives up on it.
void Session::Linger() {
  if (worker_->stopped()) return Close();
  if (phase_ != Phase::kLingering) {
    Enter(Phase::kLingering);
    ErrorCode ignored;
    socket_.shutdown(Socket::shutdown_send, ignored);
  }
  buffer_.clear();
  socket_.async_read_some(buffer_.prepare(kLingerReadSize),
                          [self = shared_from_this()](ErrorCode ec, size_t) {
                            if (ec || self->phase_ != Phase::kLingering) return self->Close();
                            self->Linger();
                          });
}

void Session::CloseIfIdle(uint64_t tick) {
  auto waited = tick - phase_tick_;
  auto limit = static_cast<uint64_t>(std::max(worker_->shared().options.idle_timeout_seconds, 1));
  switch (phase_) {
    case Phase::kReading:
    case Phase::kDeciding:
    case Phase::kWriting:
      if (waited > limit) Close();
      break;
    case Phase::kLingering:
      if (waited >= kLingerSweeps) Close();
      break;
    case Phase::kHandling:  // the handler owns the clock here
    case Phase::kClosed: break;
  }
}

void Session::Close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  stream_ = nullptr;
  ErrorCode ignored;
  socket_.close(ignored);
}

}  // namespace

std::shared_ptr<Connection> StartSession(std::shared_ptr<Worker> worker, Socket socket, std::string remote) {
  // Not make_shared: the Worker holds weak references until its next sweep, which would pin the
  // whole object's memory rather than just the control block.
  std::shared_ptr<Session> session(new Session(std::move(worker), std::move(socket), std::move(remote)));
  session->Start();
  return session;
}

}  // namespace vouch::http::internal
