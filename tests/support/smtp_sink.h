#pragma once
// A real SMTP server for tests: tests/support/smtp_sink.py (aiosmtpd) run by /usr/bin/python3 in
// a child process, listening on 127.0.0.1 on a port it picked itself, storing what it accepts in
// a fresh temporary directory. Not thread-safe: one test thread drives it.
//
//   vouch::test::SmtpSink sink;                      // or SmtpSink(options)
//   config.url = sink.url();                         // "smtp://127.0.0.1:41234"
//   ... send two messages ...
//   std::vector<std::string> got = sink.WaitForMessages(2, std::chrono::seconds(10));
//   ASSERT_EQ(got.size(), 2u);
//   EXPECT_EQ(sink.connections(), 1u);
//
// The script is found at $VOUCH_SOURCE_DIR/tests/support/smtp_sink.py (CTest sets it), else next
// to this file; the interpreter is $VOUCH_PYTHON, else /usr/bin/python3 (the one with aiosmtpd).
// The constructor and Restart() throw std::runtime_error when the server cannot be started, so
// a test fails with the reason; the child's stderr is the test's stderr. The child exits when
// this object is destroyed, and also when the test process dies (it watches its stdin).
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace vouch::test {

class SmtpSink {
 public:
  struct Options {
    int rcpt_reply = 0;     // answer RCPT TO with this code (550, 451, ...) instead of 250
    int data_reply = 0;     // answer the end of DATA with this code instead of 250
    std::string auth;       // "user:pass": require AUTH PLAIN/LOGIN with these credentials
    bool starttls = false;  // offer and require STARTTLS (self-signed certificate, CN=localhost)
  };

  // What the server saw around one accepted message.
  struct Envelope {
    std::string mail_from;
    std::vector<std::string> rcpt_to;
  };

  SmtpSink();
  explicit SmtpSink(Options options);
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  uint16_t port() const { return port_; }
  std::string url() const;  // "smtp://127.0.0.1:<port>"
  const std::filesystem::path& dir() const { return dir_; }
  bool running() const { return pid_ > 0; }

  // Waits until at least `n` messages have been accepted or `timeout` passed (woken by the
  // directory's inotify events, no polling sleeps), then returns all accepted messages' raw text
  // (CRLF line ends, dot-unstuffed), oldest first. Fewer than `n` means the wait timed out.
  std::vector<std::string> WaitForMessages(size_t n,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The messages accepted so far, oldest first, without waiting.
  std::vector<std::string> Messages() const;
  // The envelopes of the accepted messages, in the same order.
  std::vector<Envelope> Envelopes() const;
  // TCP connections accepted so far (a STARTTLS upgrade is not a new one).
  size_t connections() const;
  // Lines of sink.log: "connect ...", "message ...", "reply RCPT 550", ...
  std::vector<std::string> LogLines() const;

  // Stops the server (SIGTERM, waits for it): its port refuses connections until Restart().
  void Stop();
  // Stops, then serves again on the same port, options and directory (message numbering and the
  // counters continue), so a client's open connection is dead but the URL stays valid.
  void Restart();

 private:
  void Start(uint16_t port);
  size_t MessageCount() const;

  Options options_;
  std::filesystem::path dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;  // write end of the child's stdin; closing it makes the child exit
  int inotify_fd_ = -1;
};

}  // namespace vouch::test
