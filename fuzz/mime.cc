// MIME composition: whatever the fields hold (line breaks, non-ASCII, long words), the header
// block is CRLF-terminated lines and no field adds a header of its own.
#include "base/time.h"
#include "delivery/mailer.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto f = vouch::fuzz::Fields(vouch::fuzz::Text(data, size), 9);
  vouch::delivery::MailMessage m;
  m.from_name = f[0];
  m.from_address = f[1];
  m.to_name = f[2];
  m.to_address = f[3];
  m.subject = f[4];
  m.text = f[5];
  m.html = f[6];
  m.message_id = "<fuzz@vouch.test>";
  m.headers.emplace_back(std::string(f[7]), std::string(f[8]));
  const std::string out = vouch::delivery::ComposeMime(m, vouch::FromUnixMillis(1'795'600'000'000));
  const size_t end = out.find("\r\n\r\n");
  const std::string_view head = std::string_view(out).substr(0, end == std::string::npos ? out.size() : end);
  int subjects = 0;
  for (size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\n') vouch::fuzz::Require(i > 0 && head[i - 1] == '\r', "header lines end in CRLF");
    if (head[i] == '\r') vouch::fuzz::Require(i + 1 < head.size() && head[i + 1] == '\n', "no bare CR");
    if ((i == 0 || head[i - 1] == '\n') && head.substr(i).starts_with("Subject:")) ++subjects;
  }
  vouch::fuzz::Require(subjects == 1, "one Subject header");
  return 0;
}
