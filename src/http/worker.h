#pragma once
// Internal to src/http (not part of the server's interface): the Worker (one I/O thread with its
// io_context, acceptor and sweep timer) and the connections it serves, on Boost.Asio/Beast.
// server.cc has the Worker's and the Server's code; session.cc the Session, one connection,
// private to that file (so its code keeps internal linkage, as when it all was one file).
//
// Server::Impl owns one Worker per thread. A Worker owns an io_context run by that thread alone,
// its own SO_REUSEPORT acceptor on the shared address, a once-a-second sweep timer and weak
// references to its Sessions. A Session is one connection: read a request, call the handler,
// write the response, loop. Every Session step runs on its Worker's thread, so a Session needs no
// lock; the one exception is Respond(), which any thread may call and which hops onto that thread.
//
// Lifetime: a Session holds its Worker (and so its io_context) alive, and a Responder holds its
// Session, so a Responder called after Stop() or even after ~Server() touches only live objects;
// Stop() flips each Worker's `stopped_` under a mutex so that nothing is posted to an io_context
// whose thread has gone.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "http/server.h"

namespace vouch::http::internal {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using ErrorCode = boost::system::error_code;
using Clock = std::chrono::steady_clock;
// Concrete executor types rather than any_io_executor: no type-erased dispatch per operation.
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Acceptor = asio::basic_socket_acceptor<tcp, Executor>;

// What every Worker shares; immutable once the server has started.
struct Shared {
  ServerOptions options;
  Handler handler;
  // Sessions alive on all Workers (counted by the Session's constructor and destructor).
  mutable std::atomic<int> connections{0};
};

class Worker;

// A connection as its Worker sees it: swept and closed, on the Worker's thread only. The Session
// behind it (session.cc) is private to that file.
class Connection {
 public:
  virtual ~Connection() = default;
  // Closes the connection if it has waited on the peer for too long; `tick` counts sweeps. A
  // request must arrive, and a response drain, within idle_timeout_seconds (+ up to one sweep):
  // this also bounds slow-loris clients. Time spent in the handler is not counted.
  virtual void CloseIfIdle(uint64_t tick) = 0;
  virtual void Close() = 0;
  virtual bool closed() const = 0;
};

// Starts serving an accepted connection on `worker`'s thread (session.cc): the Session keeps
// itself alive through its pending operations; the Worker keeps a weak reference for its sweeps.
std::shared_ptr<Connection> StartSession(std::shared_ptr<Worker> worker, Socket socket, std::string remote);

// One I/O thread's share of the server.
class Worker : public std::enable_shared_from_this<Worker> {
 public:
  explicit Worker(std::shared_ptr<const Shared> shared) : shared_(std::move(shared)) {}

  // Opens, binds and listens; before Run().
  ErrorCode Listen(const tcp::endpoint& endpoint);
  uint16_t port() const {
    ErrorCode ec;
    return acceptor_.local_endpoint(ec).port();
  }
  // The thread body: returns once Shutdown() has run and the last operation has finished.
  void Run();
  // Any thread: stop accepting and close every connection.
  void RequestShutdown() {
    asio::post(ioc_, [self = shared_from_this()] { self->Shutdown(); });
  }
  // Any thread: runs fn on this Worker's thread, unless it has shut down (fn is then dropped).
  template <class Fn>
  void PostUnlessStopped(Fn&& fn) {
    std::lock_guard lock(mu_);
    if (!stopped_) asio::post(ioc_, std::forward<Fn>(fn));
  }
  bool OnThisThread() { return ioc_.get_executor().running_in_this_thread(); }
  // Only on this Worker's thread.
  bool stopped() const { return stopped_; }
  uint64_t tick() const { return tick_; }
  const Shared& shared() const { return *shared_; }

 private:
  void Accept();
  void OnAccept(ErrorCode ec, Socket socket);
  void Sweep();
  void Shutdown();

  std::shared_ptr<const Shared> shared_;
  asio::io_context ioc_{1};
  Acceptor acceptor_{ioc_};
  tcp::endpoint peer_;
  asio::steady_timer sweep_timer_{ioc_};
  asio::steady_timer retry_timer_{ioc_};
  std::vector<std::weak_ptr<Connection>> sessions_;
  uint64_t tick_ = 0;
  std::mutex mu_;
  bool stopped_ = false;  // written only on this Worker's thread, under mu_
};

}  // namespace vouch::http::internal
