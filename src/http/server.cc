// The HTTP/1.1 server on Boost.Beast.
// Server::Impl owns one Worker per thread (worker.h has the design and the lifetimes); this file
// has the Worker's code (accept, sweep, shutdown) and the Server's (bind, start, stop).
#include "http/server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "base/log.h"
#include "http/worker.h"

namespace vouch::http {
namespace internal {
namespace {

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

constexpr auto kSweepPeriod = std::chrono::seconds(1);
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
constexpr std::string_view kTooManyConnections =
    "HTTP/1.1 503 Service Unavailable\r\nServer: vouch\r\nRetry-After: 1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\nConnection: close\r\n\r\n"
    "too many connections\n";

// Answers a connection over the cap with a fixed 503 and closes it; never reads from it.
void Refuse(Socket socket) {
  auto held = std::make_shared<Socket>(std::move(socket));
  asio::async_write(*held, asio::buffer(kTooManyConnections.data(), kTooManyConnections.size()),
                    [held](ErrorCode, size_t) {
                      ErrorCode ignored;
                      held->shutdown(Socket::shutdown_both, ignored);
                      held->close(ignored);
                    });
}

std::string AddressText(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_string();
  }
  return a.to_string();
}

std::string HostPort(std::string_view host, uint16_t port) {
  bool v6 = host.find(':') != std::string_view::npos && host.front() != '[';
  return v6 ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

}  // namespace

// ---- Worker ----

ErrorCode Worker::Listen(const tcp::endpoint& endpoint) {
  ErrorCode ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.set_option(ReusePort(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    ErrorCode ignored;
    acceptor_.close(ignored);
  }
  return ec;
}

void Worker::Run() {
  Accept();
  Sweep();
  // A throw out of run() would end the thread and strand its connections; log it and go on.
  for (;;) {
    try {
      ioc_.run();
      return;
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "http.io_thread_error", {{"what", e.what()}});
    }
  }
}

void Worker::Accept() {
  acceptor_.async_accept(peer_, [this](ErrorCode ec, Socket socket) { OnAccept(ec, std::move(socket)); });
}

void Worker::OnAccept(ErrorCode ec, Socket socket) {
  if (stopped_ || ec == asio::error::operation_aborted) return;
  if (ec) {
    // Typically EMFILE: back off instead of spinning, and keep serving open connections.
    Log(LogLevel::kWarn, "http.accept_failed", {{"error", ec.message()}});
    retry_timer_.expires_after(kAcceptRetryDelay);
    retry_timer_.async_wait([this](ErrorCode wec) {
      if (!wec && !stopped_) Accept();
    });
    return;
  }
  ErrorCode ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  const int cap = shared_->options.max_connections;
  if (cap > 0 && shared_->connections.load(std::memory_order_relaxed) >= cap) {
    Log(LogLevel::kWarn, "http.connection_refused",
        {{"remote", AddressText(peer_.address())}, {"open", std::to_string(cap)}});
    Refuse(std::move(socket));
    return Accept();
  }
  sessions_.push_back(StartSession(shared_from_this(), std::move(socket), AddressText(peer_.address())));
  Accept();
}

void Worker::Sweep() {
  sweep_timer_.expires_after(kSweepPeriod);
  sweep_timer_.async_wait([this](ErrorCode ec) {
    if (ec || stopped_) return;
    ++tick_;
    for (size_t i = 0; i < sessions_.size();) {
      auto session = sessions_[i].lock();
      if (session) session->CloseIfIdle(tick_);
      if (!session || session->closed()) {
        sessions_[i] = std::move(sessions_.back());
        sessions_.pop_back();
      } else {
        ++i;
      }
    }
    Sweep();
  });
}

void Worker::Shutdown() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  ErrorCode ignored;
  acceptor_.close(ignored);
  sweep_timer_.cancel();
  retry_timer_.cancel();
  auto sessions = std::move(sessions_);
  for (auto& weak : sessions) {
    if (auto session = weak.lock()) session->Close();
  }
}

}  // namespace internal

namespace asio = boost::asio;
using internal::ErrorCode;
using internal::HostPort;
using internal::Shared;
using internal::tcp;
using internal::Worker;

namespace {

// Accepts "127.0.0.1", "::1", "[::1]" and names the resolver knows ("localhost").
Result<asio::ip::address> ResolveHost(std::string_view host) {
  std::string bare(host);
  if (bare.size() >= 2 && bare.front() == '[' && bare.back() == ']') {
    bare = bare.substr(1, bare.size() - 2);
  }
  ErrorCode ec;
  auto address = asio::ip::make_address(bare, ec);
  if (!ec) return address;
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(bare, "", tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    return Unavailable(
        fmt::format("cannot resolve host '{}': {}", host, ec ? ec.message() : std::string("no address")));
  }
  return results.begin()->endpoint().address();
}

}  // namespace

struct Server::Impl {
  std::shared_ptr<Shared> shared;
  std::mutex mu;
  bool started = false;
  bool stopped = false;
  std::vector<std::shared_ptr<Worker>> workers;
  std::vector<std::thread> threads;
  std::atomic<uint16_t> port{0};

  Status Start();
  void Stop();
};

Status Server::Impl::Start() {
  std::lock_guard lock(mu);
  if (started) return Error{Code::kFailedPrecondition, "the server was already started", {}};
  const ServerOptions& options = shared->options;
  auto address = ResolveHost(options.host);
  if (!address) return address.error();

  int thread_count =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  thread_count = std::max(thread_count, 1);
  uint16_t bound_port = options.port;
  std::vector<std::shared_ptr<Worker>> bound;
  for (int i = 0; i < thread_count; ++i) {
    auto worker = std::make_shared<Worker>(shared);
    ErrorCode ec = worker->Listen(tcp::endpoint(*address, bound_port));
    if (ec) {
      return Unavailable(
          fmt::format("cannot listen on {}: {}", HostPort(options.host, bound_port), ec.message()));
    }
    if (bound_port == 0) bound_port = worker->port();
    bound.push_back(std::move(worker));
  }
  started = true;
  port = bound_port;
  workers = std::move(bound);
  for (auto& worker : workers) threads.emplace_back([worker] { worker->Run(); });
  Log(LogLevel::kInfo, "http.listening",
      {{"address", HostPort(options.host, bound_port)}, {"threads", std::to_string(thread_count)}});
  return OkStatus();
}

void Server::Impl::Stop() {
  std::vector<std::thread> joining;
  std::vector<std::shared_ptr<Worker>> stopping;
  {
    std::lock_guard lock(mu);
    if (!started || stopped) return;
    stopped = true;
    joining = std::move(threads);
    stopping = std::move(workers);
  }
  for (auto& worker : stopping) worker->RequestShutdown();
  for (auto& thread : joining) {
    // Stop() from a handler cannot join its own thread; that thread ends once its queue drains.
    if (thread.get_id() == std::this_thread::get_id()) {
      thread.detach();
    } else {
      thread.join();
    }
  }
  Log(LogLevel::kInfo, "http.stopped", {{"port", std::to_string(port.load())}});
}

Server::Server(ServerOptions options, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->shared = std::make_shared<Shared>();
  impl_->shared->options = std::move(options);
  impl_->shared->handler = std::move(handler);
}

Server::~Server() { Stop(); }

Status Server::Start() { return impl_->Start(); }

uint16_t Server::port() const { return impl_->port.load(); }

void Server::Stop() { impl_->Stop(); }

}  // namespace vouch::http
