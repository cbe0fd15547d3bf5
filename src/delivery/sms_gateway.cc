// The SMS gateways on libcurl: Kannel's sendsms (GET) and Twilio's Messages.json (POST, form).
#include "delivery/sms_gateway.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "base/url.h"
#include "core/sms_text.h"

namespace vouch::delivery {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexDigit(s[i + 1]) >= 0 && HexDigit(s[i + 2]) >= 0) {
      out += static_cast<char>(HexDigit(s[i + 1]) * 16 + HexDigit(s[i + 2]));
      i += 2;
      continue;
    }
    out += s[i];
  }
  return out;
}

size_t OnBody(char* data, size_t size, size_t n, void* userdata) {
  auto* body = static_cast<std::string*>(userdata);
  if (body->size() < 4096) body->append(data, std::min(size * n, 4096 - body->size()));
  return size * n;
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  if (s.size() > 300) s.resize(300);
  return s;
}

class SmsSender final : public Sender {
 public:
  explicit SmsSender(SmsGatewayConfig config) : config_(std::move(config)) {
    GlobalInit();
    curl_ = curl_easy_init();
  }
  ~SmsSender() override {
    if (curl_ != nullptr) curl_easy_cleanup(curl_);
  }
  SmsSender(const SmsSender&) = delete;
  SmsSender& operator=(const SmsSender&) = delete;

  core::Channel channel() const override { return core::Channel::kSms; }

  SendResult Send(const Message& message) override {
    const auto* text = std::get_if<TextMessage>(&message);
    if (text == nullptr) return {SendOutcome::kPermanent, "sms sender cannot send an email message"};
    if (curl_ == nullptr) return {SendOutcome::kTransient, "curl_easy_init failed"};
    CURL* c = curl_;
    curl_easy_reset(c);
    std::string body, form, url;
    char error[CURL_ERROR_SIZE] = {0};
    if (config_.kind == SmsGatewayKind::kKannel) {
      url = config_.base + "/cgi-bin/sendsms?" + KannelSendQuery(config_, *text);
      curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
      url = config_.base + "/2010-04-01/Accounts/" + PercentEncode(config_.user) + "/Messages.json";
      form = TwilioSendForm(config_, *text);
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, form.c_str());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(form.size()));
      curl_easy_setopt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
      curl_easy_setopt(c, CURLOPT_USERNAME, config_.user.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, config_.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, config_.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
      return {SendOutcome::kTransient,
              std::string("sms gateway: ") + (error[0] ? error : curl_easy_strerror(rc))};
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    const std::string detail = "sms gateway " + std::to_string(status) + ": " + OneLine(body);
    if (status >= 200 && status < 300) return {SendOutcome::kSent, detail};
    if (status == 401 || status == 403 || status == 429 || status >= 500)
      return {SendOutcome::kTransient, detail};
    return {SendOutcome::kPermanent, detail};
  }

 private:
  SmsGatewayConfig config_;
  CURL* curl_ = nullptr;
};

}  // namespace

Result<SmsGatewayConfig> ParseSmsUrl(std::string_view url, const std::string& field) {
  auto bad = [&] {
    return InvalidArgument(field,
                           "must be kannel://user:pass@host:port, twilio://SID:TOKEN@api.twilio.com or "
                           "twilio+http://SID:TOKEN@host:port");
  };
  SmsGatewayConfig c;
  std::string scheme;
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return bad();
  scheme = std::string(url.substr(0, sep));
  std::string_view rest = url.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const size_t at = rest.rfind('@');
  if (at == std::string_view::npos || rest.find('/') != std::string_view::npos) return bad();
  const std::string_view userinfo = rest.substr(0, at), host = rest.substr(at + 1);
  const size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == userinfo.size() || host.empty())
    return bad();
  c.user = PercentDecode(userinfo.substr(0, colon));
  c.password = PercentDecode(userinfo.substr(colon + 1));
  for (char ch : host) {
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == ':' || ch == '[' ||
          ch == ']')) {
      return bad();
    }
  }
  if (scheme == "kannel") {
    c.kind = SmsGatewayKind::kKannel;
    c.base = "http://" + std::string(host);
  } else if (scheme == "twilio") {
    c.kind = SmsGatewayKind::kTwilio;
    c.base = "https://" + std::string(host);
  } else if (scheme == "twilio+http") {
    c.kind = SmsGatewayKind::kTwilio;
    c.base = "http://" + std::string(host);
  } else {
    return bad();
  }
  return c;
}

std::string KannelSendQuery(const SmsGatewayConfig& config, const TextMessage& message) {
  const bool gsm = core::MeasureSms(message.body).encoding == core::SmsEncoding::kGsm7;
  // Kannel replaces %d (the report's type) and %A (the SMSC's reply) when it fetches the URL.
  const std::string dlr = config.callback_base + "/hooks/kannel/dlr?secret=" + config.hook_secret +
                          "&job=" + std::to_string(message.job_id) + "&type=%d&reply=%A";
  return "username=" + PercentEncode(config.user) + "&password=" + PercentEncode(config.password) +
         "&from=" + PercentEncode(message.from) + "&to=" + PercentEncode(message.to) +
         "&text=" + PercentEncode(message.body) + "&charset=UTF-8&coding=" + (gsm ? "0" : "2") +
         "&dlr-mask=19&dlr-url=" + PercentEncode(dlr);
}

std::string TwilioSendForm(const SmsGatewayConfig& config, const TextMessage& message) {
  const bool service = message.from.size() == 34 && message.from.rfind("MG", 0) == 0;
  return "To=" + PercentEncode(message.to) + (service ? "&MessagingServiceSid=" : "&From=") +
         PercentEncode(message.from) + "&Body=" + PercentEncode(message.body) + "&StatusCallback=" +
         PercentEncode(config.callback_base + "/hooks/twilio?job=" + std::to_string(message.job_id));
}

std::unique_ptr<Sender> MakeSmsSender(SmsGatewayConfig config) {
  return std::make_unique<SmsSender>(std::move(config));
}

}  // namespace vouch::delivery
