// The SMTP Mailer on libcurl. One easy handle lives as long as the Mailer, so libcurl keeps the
// SMTP connection open between messages (MAIL FROM follows the previous transfer directly) and
// notices a connection the server closed before reusing it.
#include <curl/curl.h>

#include <cstring>
#include <mutex>

#include "delivery/mailer.h"

namespace vouch::delivery {
namespace {

constexpr long kMaxTimeoutSeconds = 3600;
constexpr std::string_view kVerbs[] = {"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL",
                                       "RCPT", "DATA", "RSET",     "NOOP", "QUIT"};
constexpr long kAuthRequired = 530;  // RFC 4954 (AUTH) and RFC 3207 (STARTTLS) "first"

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The envelope address: what is between angle brackets, without line breaks or spaces.
std::string EnvelopeAddress(std::string_view address) {
  std::string out = "<";
  for (char c : address) {
    if (c != '\r' && c != '\n' && c != '\0' && c != '<' && c != '>' && c != ' ') out += c;
  }
  return out + ">";
}

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlPtr = std::unique_ptr<CURLU, UrlDeleter>;

// Reads one part of `url`; empty when absent.
std::string UrlPart(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, flags) != CURLUE_OK || value == nullptr) return "";
  std::string out(value);
  curl_free(value);
  return out;
}

// The config's URL split for libcurl: credentials moved to their own options (and out of error
// messages), the HELO domain as the path when the URL has none.
struct ParsedUrl {
  std::string url;
  std::string username;
  std::string password;
};

Result<ParsedUrl> ParseSmtpUrl(const SmtpConfig& config) {
  UrlPtr url(curl_url());
  if (!url) return Internal("curl_url() failed");
  auto bad = [&](std::string why) { return InvalidArgument("smtp.url", std::move(why)); };
  if (curl_url_set(url.get(), CURLUPART_URL, config.url.c_str(), 0) != CURLUE_OK) {
    return bad("must be a URL like smtp://user:pass@mail.example:587");
  }
  const std::string scheme = UrlPart(url.get(), CURLUPART_SCHEME);
  if (scheme != "smtp" && scheme != "smtps") return bad("scheme must be smtp or smtps");
  if (UrlPart(url.get(), CURLUPART_HOST).empty()) return bad("has no host");
  ParsedUrl parsed;
  parsed.username = UrlPart(url.get(), CURLUPART_USER, CURLU_URLDECODE);
  parsed.password = UrlPart(url.get(), CURLUPART_PASSWORD, CURLU_URLDECODE);
  curl_url_set(url.get(), CURLUPART_USER, nullptr, 0);
  curl_url_set(url.get(), CURLUPART_PASSWORD, nullptr, 0);
  const std::string path = UrlPart(url.get(), CURLUPART_PATH);
  if (path.empty() || path == "/") {
    const std::string helo = "/" + (config.helo_domain.empty() ? "localhost" : config.helo_domain);
    curl_url_set(url.get(), CURLUPART_PATH, helo.c_str(), CURLU_URLENCODE);
  }
  parsed.url = UrlPart(url.get(), CURLUPART_URL);
  return parsed;
}

// What the server said, gathered from libcurl's debug stream: the latest reply and the first
// failure reply (4xx/5xx) of the current transfer, each with the command it answered ("RCPT").
// The failure matters: after it libcurl still sends QUIT, whose "221 Bye" comes last.
struct ServerReplies {
  struct Reply {
    std::string command;
    std::string text;
    long code = 0;
  };
  std::string command;  // the last command sent (its verb only)
  Reply last;
  Reply failure;
  int count = 0;           // replies seen in the current transfer
  bool reply_done = true;  // the next line starts a new reply

  void Clear() { *this = ServerReplies{}; }
  const Reply& Relevant() const { return failure.code != 0 ? failure : last; }
  std::string Describe() const {
    const Reply& r = Relevant();
    if (r.text.empty()) return "";
    return r.command.empty() ? r.text : r.text + " (after " + r.command + ")";
  }
};

long ReplyCode(std::string_view line) {
  if (line.size() < 3) return 0;
  long code = 0;
  for (char c : line.substr(0, 3)) {
    if (c < '0' || c > '9') return 0;
    code = code * 10 + (c - '0');
  }
  return code;
}

int OnDebug(CURL*, curl_infotype type, char* data, size_t size, void* userdata) {
  auto* replies = static_cast<ServerReplies*>(userdata);
  std::string_view text(data, size);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (type == CURLINFO_HEADER_OUT) {
    // Only a known verb: AUTH lines and the lines after them carry credentials.
    const std::string_view verb = text.substr(0, text.find(' '));
    for (std::string_view known : kVerbs) {
      if (verb == known) replies->command = std::string(verb);
    }
  } else if (type == CURLINFO_HEADER_IN) {
    ServerReplies::Reply& last = replies->last;
    if (replies->reply_done) {
      last = {replies->command, std::string(text), ReplyCode(text)};
      ++replies->count;
    } else {
      last.text += ' ';
      last.text += text;
    }
    // "250-..." continues a multi-line reply, "250 ..." ends it.
    replies->reply_done = !(text.size() > 3 && text[3] == '-');
    if (replies->reply_done && last.code >= 400 && replies->failure.code == 0) {
      replies->failure = last;
    }
  }
  return 0;
}

struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t OnRead(char* buffer, size_t size, size_t count, void* userdata) {
  auto* upload = static_cast<Upload*>(userdata);
  const size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

class SmtpMailer final : public Mailer {
 public:
  SmtpMailer(const SmtpConfig& config, const Clock& clock) : clock_(clock) {
    GlobalInit();
    auto valid = ValidateSmtpConfig(config);
    auto parsed = ParseSmtpUrl(config);
    if (!valid.ok() || !parsed.ok()) {
      const Error& e = valid.ok() ? parsed.error() : valid.error();
      config_error_ = "invalid SMTP config: " + e.field + " " + e.message;
      return;
    }
    curl_.reset(curl_easy_init());
    if (!curl_) {
      config_error_ = "curl_easy_init failed";
      return;
    }
    Configure(config, *parsed);
  }

  SmtpMailer(const SmtpMailer&) = delete;  // libcurl holds pointers to members
  SmtpMailer& operator=(const SmtpMailer&) = delete;

  SendResult Send(const MailMessage& message) override {
    if (!config_error_.empty()) return {SendOutcome::kTransient, config_error_};
    const std::string mime = ComposeMime(message, clock_.Now());
    Attempt attempt = Transfer(message, mime, /*fresh=*/false);
    if (attempt.retry_on_new_connection) attempt = Transfer(message, mime, /*fresh=*/true);
    return attempt.result;
  }

 private:
  struct Attempt {
    SendResult result;
    // A server may drop an idle connection at any moment. When a reused connection broke before
    // the server said anything, nothing was accepted: the message can go again at once.
    bool retry_on_new_connection = false;
  };

  struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
  };

  void Configure(const SmtpConfig& config, const ParsedUrl& url) {
    CURL* c = curl_.get();
    curl_easy_setopt(c, CURLOPT_URL, url.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (!url.username.empty()) curl_easy_setopt(c, CURLOPT_USERNAME, url.username.c_str());
    if (!url.password.empty()) curl_easy_setopt(c, CURLOPT_PASSWORD, url.password.c_str());
    if (config.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, config.verify_peer ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, config.verify_peer ? 2L : 0L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, config.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, config.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, &OnRead);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload_);
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, &OnDebug);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, &replies_);
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // feeds OnDebug; nothing is printed
  }

  // One transfer; `fresh` forbids reusing the open connection.
  Attempt Transfer(const MailMessage& message, const std::string& mime, bool fresh) {
    CURL* c = curl_.get();
    const std::string from = EnvelopeAddress(message.from_address);
    std::unique_ptr<curl_slist, SlistDeleter> rcpt(
        curl_slist_append(nullptr, EnvelopeAddress(message.to_address).c_str()));
    for (const auto& cc : message.cc) {
      curl_slist* more = curl_slist_append(rcpt.get(), EnvelopeAddress(cc).c_str());
      if (more != nullptr) {
        rcpt.release();
        rcpt.reset(more);
      }
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mime.size()));
    curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, fresh ? 1L : 0L);
    upload_ = Upload{mime, 0};
    replies_.Clear();
    error_[0] = '\0';

    const CURLcode rc = curl_easy_perform(c);
    long connects = 0;
    long code = replies_.Relevant().code;
    curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
    if (code == 0) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, nullptr);
    const bool reused = connects == 0;
    return {Classify(rc, code), reused && replies_.count == 0 && BrokenConnection(rc)};
  }

  static bool BrokenConnection(CURLcode rc) {
    return rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING ||
           rc == CURLE_WEIRD_SERVER_REPLY;
  }

  SendResult Classify(CURLcode rc, long code) const {
    const std::string reply = replies_.Describe();
    if (rc == CURLE_OK) return {SendOutcome::kSent, reply};
    std::string transport = error_[0] != '\0' ? error_ : curl_easy_strerror(rc);
    // Rejected or missing credentials (535, 530) and a server that insists on TLS (530) are
    // config problems, not the message's: retry once the config is fixed.
    if (rc == CURLE_LOGIN_DENIED) {
      return {SendOutcome::kTransient, "SMTP authentication failed: " + reply};
    }
    if (code == kAuthRequired) return {SendOutcome::kTransient, reply};
    if (code >= 500 && code < 600) return {SendOutcome::kPermanent, reply};
    if (code >= 400 && code < 500) return {SendOutcome::kTransient, reply};
    return {SendOutcome::kTransient, reply.empty() ? transport : transport + "; " + reply};
  }

  const Clock& clock_;
  std::unique_ptr<CURL, CurlDeleter> curl_;
  std::string config_error_;
  char error_[CURL_ERROR_SIZE] = {};
  Upload upload_;
  ServerReplies replies_;
};

}  // namespace

Status ValidateSmtpConfig(const SmtpConfig& config) {
  GlobalInit();
  if (config.timeout_seconds <= 0 || config.timeout_seconds > kMaxTimeoutSeconds) {
    return InvalidArgument("smtp.timeout_seconds", "must be between 1 and 3600");
  }
  auto parsed = ParseSmtpUrl(config);
  if (!parsed.ok()) return parsed.error();
  return OkStatus();
}

std::unique_ptr<Mailer> MakeSmtpMailer(const SmtpConfig& config, const Clock& clock) {
  return std::make_unique<SmtpMailer>(config, clock);
}

}  // namespace vouch::delivery
