#include "support/smtp_sink.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace vouch::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kStartTimeout{20};  // python start-up plus an openssl key
constexpr char kLogName[] = "sink.log";

[[noreturn]] void Fail(const std::string& what) {
  throw std::runtime_error("SmtpSink: " + what +
                           (errno != 0 ? ": " + std::string(std::strerror(errno)) : ""));
}

fs::path ScriptPath() {
  if (const char* root = std::getenv("VOUCH_SOURCE_DIR"); root != nullptr && *root != '\0') {
    return fs::path(root) / "tests" / "support" / "smtp_sink.py";
  }
  return fs::path(__FILE__).parent_path() / "smtp_sink.py";
}

std::string Python() {
  const char* python = std::getenv("VOUCH_PYTHON");
  return python != nullptr && *python != '\0' ? python : "/usr/bin/python3";
}

fs::path MakeTempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      (tmp != nullptr && *tmp != '\0' ? std::string(tmp) : "/tmp") + "/vouch-smtp-sink-XXXXXX";
  errno = 0;
  if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp " + pattern);
  return pattern;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

int MillisLeft(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

// Reads the child's "PORT <n>" line; 0 when it exits or times out first.
uint16_t ReadPort(int fd) {
  const auto deadline = Clock::now() + kStartTimeout;
  std::string line;
  while (line.find('\n') == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    const int ready = poll(&p, 1, MillisLeft(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return 0;
    char buffer[256];
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    line.append(buffer, static_cast<size_t>(n));
  }
  unsigned port = 0;
  if (std::sscanf(line.c_str(), "PORT %u", &port) != 1 || port == 0 || port > 65535) return 0;
  return static_cast<uint16_t>(port);
}

}  // namespace

SmtpSink::SmtpSink() : SmtpSink(Options{}) {}

SmtpSink::SmtpSink(Options options) : options_(std::move(options)), dir_(MakeTempDir()) {
  try {
    errno = 0;
    inotify_fd_ = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (inotify_fd_ < 0) Fail("inotify_init1");
    if (inotify_add_watch(inotify_fd_, dir_.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
      Fail("inotify_add_watch " + dir_.string());
    }
    Start(0);
  } catch (...) {
    if (inotify_fd_ >= 0) close(inotify_fd_);
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
    throw;
  }
}

SmtpSink::~SmtpSink() {
  Stop();
  close(inotify_fd_);
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

std::string SmtpSink::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

void SmtpSink::Start(uint16_t port) {
  int in[2];
  int out[2];
  errno = 0;
  if (pipe2(in, O_CLOEXEC) != 0) Fail("pipe2");
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    Fail("pipe2");
  }
  std::vector<std::string> args = {Python(), ScriptPath().string(), "--dir", dir_.string(),
                                   "--port", std::to_string(port)};
  if (options_.rcpt_reply != 0)
    args.insert(args.end(), {"--rcpt-reply", std::to_string(options_.rcpt_reply)});
  if (options_.data_reply != 0)
    args.insert(args.end(), {"--data-reply", std::to_string(options_.data_reply)});
  if (!options_.auth.empty()) args.insert(args.end(), {"--auth", options_.auth});
  if (options_.starttls) args.emplace_back("--starttls");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  // dup2 onto 0 and 1 clears close-on-exec there; every other end closes at exec.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  if (spawned != 0) {
    close(in[1]);
    close(out[0]);
    errno = spawned;
    Fail("cannot run " + args[0]);
  }
  pid_ = pid;
  stdin_fd_ = in[1];
  port_ = ReadPort(out[0]);
  close(out[0]);
  if (port_ == 0) {
    Stop();
    errno = 0;
    Fail("smtp_sink.py did not start listening (is " + args[0] +
         " the python with aiosmtpd? "
         "script: " +
         args[1] + ")");
  }
}

void SmtpSink::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
  close(stdin_fd_);
  stdin_fd_ = -1;
  pid_ = -1;
}

void SmtpSink::Restart() {
  const uint16_t port = port_;
  Stop();
  Start(port);
}

size_t SmtpSink::MessageCount() const {
  size_t n = 0;
  while (fs::exists(dir_ / (std::to_string(n + 1) + ".eml"))) ++n;
  return n;
}

std::vector<std::string> SmtpSink::Messages() const {
  std::vector<std::string> messages;
  const size_t n = MessageCount();
  for (size_t i = 1; i <= n; ++i) messages.push_back(ReadFile(dir_ / (std::to_string(i) + ".eml")));
  return messages;
}

std::vector<std::string> SmtpSink::WaitForMessages(size_t n, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (MessageCount() < n) {
    pollfd p{inotify_fd_, POLLIN, 0};
    const int ready = poll(&p, 1, MillisLeft(deadline));
    if (ready == 0) break;
    if (ready < 0 && errno != EINTR) break;
    alignas(inotify_event) char events[4096];
    while (read(inotify_fd_, events, sizeof events) > 0) {
    }
  }
  return Messages();
}

std::vector<std::string> SmtpSink::LogLines() const {
  std::vector<std::string> lines;
  std::ifstream in(dir_ / kLogName);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

size_t SmtpSink::connections() const {
  size_t n = 0;
  for (const std::string& line : LogLines()) n += line.starts_with("connect ") ? 1 : 0;
  return n;
}

std::vector<SmtpSink::Envelope> SmtpSink::Envelopes() const {
  std::vector<Envelope> envelopes;
  for (const std::string& line : LogLines()) {
    if (!line.starts_with("message ")) continue;
    Envelope e;
    const size_t from = line.find(" from=");
    const size_t to = line.find(" to=");
    if (from == std::string::npos || to == std::string::npos || to < from) continue;
    e.mail_from = line.substr(from + 6, to - from - 6);
    std::istringstream rcpts(line.substr(to + 4));
    for (std::string r; std::getline(rcpts, r, ',');) e.rcpt_to.push_back(r);
    envelopes.push_back(std::move(e));
  }
  return envelopes;
}

}  // namespace vouch::test
