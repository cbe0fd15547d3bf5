#pragma once
// The HTTP/1.1 server: Boost.Beast lives only in src/http's sources (server.cc, session.cc,
// worker.h), never in this header. One io_context per thread, each with its own SO_REUSEPORT
// acceptor; keep-alive; bodies over the limit get 413 before the handler runs (and before the
// body is read, for a limit decided from the headers: ServerOptions::body_limit_of).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/url.h"

namespace vouch::http {

struct Request {
  std::string method;  // "GET", "POST", "HEAD", ...
  std::string target;  // raw request target, "/api/v1/nps?from=..."
  // The path part of target as sent, still percent-encoded ("/api/v1/customers/gid%3A%2F%2F..."):
  // a router splits it on '/' before decoding each segment, so an encoded '/' stays in its segment.
  std::string path;
  std::string query;                                         // raw query string without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_address;
  std::string request_id;  // X-Request-Id from the client if sane, else a fresh random id

  // The first header value with this lower-case name, or empty.
  std::string_view Header(std::string_view lower_name) const;
  // The percent-decoded value of a query parameter ('+' is a space), or empty.
  std::string Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const;
};

// A streamed body's producer hands each piece to this, exactly once per request for a piece: the
// piece's bytes, an empty string for the end of the body, or an error, which aborts the
// connection (the client sees the body cut short). Callable from any thread; later calls are
// ignored; dropped uncalled, it counts as an error.
using PieceSink = std::function<void(Result<std::string>)>;

// The server adds Server, Content-Type (from content_type), Content-Length (the body's size, also
// for HEAD, whose body is not sent; none for 1xx/204/304) and X-Request-Id, plus Connection when
// it will close. Entries in `headers` with those names are dropped; CR/LF in values become spaces.
struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  // `{}` lets designated initializers (Response{.status = 404, .body = ...}) skip these without
  // tripping -Wmissing-field-initializers.
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};
  // If set, called on the connection's I/O thread just before the response is written, and may
  // rewrite all of it: a handler answered from a busy thread (the store's writer) leaves the
  // rendering of its body to the I/O thread this way. If it throws, the client gets a 500.
  std::function<void(Response&)> finish{};
  // If set, the body is produced in pieces instead of taken from `body`, and sent with chunked
  // transfer encoding (to an HTTP/1.0 client: as it comes, then the connection closes), so a
  // large body never lives in memory at once. The server calls `stream` on the connection's I/O
  // thread for the first piece once the head is written, and for each next piece once the
  // previous one is written: a slow client slows the producer. `stream` must not block (hand the
  // work to another executor and call the sink from there); it is not called again before its
  // sink was called, and it is dropped when the body ends or the connection closes. Not called
  // for HEAD or for a status without a body.
  std::function<void(PieceSink)> stream{};
};

// Called exactly once per request, from any thread; later calls are ignored. If every copy is
// destroyed uncalled (or the handler throws), the client gets a 500.
using Responder = std::function<void(Response)>;
// Runs on an I/O thread: must not block; hand blocking work to another executor.
using Handler = std::function<void(Request&&, Responder)>;

// Decides a request's body limit once its headers are read, before any of its body is: called on
// the I/O thread with the request without its body; must not block. It calls `decide` with the
// limit exactly once, at once or later from any thread (after a lookup elsewhere); the body is
// read meanwhile. A Content-Length over the limit is answered 413 at once, a chunked body as soon
// as it passes the limit. If `decide` is dropped uncalled the connection times out as if idle.
using BodyLimitDecider = std::function<void(const Request& head, std::function<void(size_t)> decide)>;

// What the access log shows of a request's path (say its route's pattern, so that link tokens
// and personal ids stay out of logs). Called on the I/O thread; must not block.
using LogPathMapper = std::function<std::string(std::string_view method, std::string_view path)>;

// Told of every response once it is written: the path as the access log shows it (log_path), the
// status, and the milliseconds since the request's head was read. Called on the I/O thread; must
// be quick (counters).
using RequestObserver = std::function<void(std::string_view logged_path, int status, double ms)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;              // 0 picks a free port
  int threads = 0;                   // 0: one per core
  size_t body_limit = 1 << 20;       // the most any request may send
  BodyLimitDecider body_limit_of{};  // each request's own limit (capped by body_limit); none: body_limit
  LogPathMapper log_path{};          // the path as logged; none: as sent
  RequestObserver observe{};         // none: nothing is told
  int idle_timeout_seconds = 30;     // for a request to arrive or a response to drain (+ <= 1 s)
  // Open connections (over all threads) beyond which a new one is answered 503 with Retry-After
  // and closed; 0: no cap.
  int max_connections = 0;
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the I/O threads; returns once requests are being accepted.
  Status Start();
  // The bound port (useful with port 0).
  uint16_t port() const;
  // Stops accepting, closes connections and joins the threads. Idempotent. Responders still held
  // elsewhere stay safe to call (or drop) afterwards, even after ~Server: they do nothing.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string PercentDecode(std::string_view s, bool plus_is_space);
using vouch::PercentEncode;  // base/url.h: for building links

}  // namespace vouch::http
