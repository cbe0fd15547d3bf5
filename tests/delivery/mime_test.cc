#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "base/crypto.h"
#include "base/time.h"
#include "delivery/mailer.h"

namespace vouch::delivery {
namespace {

const Instant kDate = FromUnixMillis(1795169700000);  // 2026-11-20T10:15:00Z, a Friday

MailMessage Sample() {
  MailMessage m;
  m.from_name = "Trail Shop";
  m.from_address = "noreply@trail.example";
  m.to_name = "Anna Berg";
  m.to_address = "anna@example.org";
  m.subject = "How was your order?";
  m.text = "Hello Anna,\nthanks!\n";
  m.html = "<p>Hello Anna,</p>\n<p>thanks!</p>\n";
  m.message_id = "<survey-17@trail.example>";
  m.headers = {{"List-Unsubscribe", "<https://vouch.example/u/abc>"}};
  return m;
}

std::vector<std::string> SplitCrlf(const std::string& s) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = s.find("\r\n", start)) != std::string::npos; start = end + 2) {
    lines.push_back(s.substr(start, end - start));
  }
  if (start < s.size()) lines.push_back(s.substr(start));
  return lines;
}

// Unfolded header fields of the top-level header block, in order.
std::vector<std::pair<std::string, std::string>> Headers(const std::string& mime) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const std::string& line : SplitCrlf(mime.substr(0, mime.find("\r\n\r\n")))) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      headers.back().second += line;  // unfolding removes only the CRLF
      continue;
    }
    const size_t colon = line.find(':');
    std::string value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    headers.emplace_back(line.substr(0, colon), value);
  }
  return headers;
}

std::string Header(const std::string& mime, const std::string& name) {
  std::string found;
  int count = 0;
  for (const auto& [n, v] : Headers(mime)) {
    if (n == name) {
      found = v;
      ++count;
    }
  }
  EXPECT_LE(count, 1) << "duplicate header " << name;
  return found;
}

std::string DecodeBase64(std::string text) {
  std::string url;
  for (char c : text) {
    if (c == '+')
      url += '-';
    else if (c == '/')
      url += '_';
    else if (c != '=' && c != '\r' && c != '\n')
      url += c;
  }
  std::string out;
  EXPECT_TRUE(Base64UrlDecode(url, out)) << text;
  return out;
}

// Decodes a run of RFC 2047 B-encoded UTF-8 words separated by spaces.
std::string DecodeWords(const std::string& value) {
  std::string out;
  size_t pos = 0;
  while ((pos = value.find("=?UTF-8?B?", pos)) != std::string::npos) {
    const size_t end = value.find("?=", pos + 10);
    EXPECT_LE(end + 2 - pos, 75u) << "encoded word longer than 75 characters";
    out += DecodeBase64(value.substr(pos + 10, end - pos - 10));
    pos = end + 2;
  }
  return out;
}

struct Part {
  std::string headers;
  std::string body;
};

// The parts between `boundary` delimiters (RFC 2046 5.1.1).
std::vector<Part> Parts(const std::string& mime, const std::string& boundary) {
  std::vector<Part> parts;
  const std::string delimiter = "\r\n--" + boundary;
  size_t pos = mime.find("--" + boundary + "\r\n");
  while (pos != std::string::npos) {
    const size_t start = mime.find("\r\n", pos) + 2;
    const size_t end = mime.find(delimiter, start);
    if (end == std::string::npos) break;
    const std::string part = mime.substr(start, end - start);
    const size_t blank = part.find("\r\n\r\n");
    parts.push_back({part.substr(0, blank), part.substr(blank + 4)});
    pos = mime.compare(end + delimiter.size(), 2, "--") == 0 ? std::string::npos : end + 2;
  }
  return parts;
}

std::string Boundary(const std::string& mime) {
  const std::string type = Header(mime, "Content-Type");
  const size_t start = type.find("boundary=\"");
  if (start == std::string::npos) return "";
  return type.substr(start + 10, type.find('"', start + 10) - start - 10);
}

TEST(ComposeMimeTest, EveryLineEndsInCrlfAndStaysShort) {
  MailMessage m = Sample();
  m.text = std::string(5000, 'x') + "\nline\r\nlast\r";
  m.subject = std::string(400, 'y');
  const std::string mime = ComposeMime(m, kDate);
  ASSERT_TRUE(mime.ends_with("\r\n"));
  for (size_t i = 0; i < mime.size(); ++i) {
    if (mime[i] == '\n') {
      ASSERT_TRUE(i > 0 && mime[i - 1] == '\r') << "bare LF at " << i;
    }
    if (mime[i] == '\r') {
      ASSERT_TRUE(i + 1 < mime.size() && mime[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  for (const std::string& line : SplitCrlf(mime)) EXPECT_LE(line.size(), 998u);
}

TEST(ComposeMimeTest, HeadersCarryTheMessage) {
  const std::string mime = ComposeMime(Sample(), kDate);
  EXPECT_EQ(Header(mime, "From"), "\"Trail Shop\" <noreply@trail.example>");
  EXPECT_EQ(Header(mime, "To"), "\"Anna Berg\" <anna@example.org>");
  EXPECT_EQ(Header(mime, "Subject"), "How was your order?");
  EXPECT_EQ(Header(mime, "Date"), "Fri, 20 Nov 2026 10:15:00 +0000");
  EXPECT_EQ(Header(mime, "Message-ID"), "<survey-17@trail.example>");
  EXPECT_EQ(Header(mime, "MIME-Version"), "1.0");
  EXPECT_EQ(Header(mime, "List-Unsubscribe"), "<https://vouch.example/u/abc>");
}

TEST(ComposeMimeTest, DateFollowsRfc5322) {
  const std::map<int64_t, std::string> cases = {
      {0, "Thu, 1 Jan 1970 00:00:00 +0000"},
      {951782400999, "Tue, 29 Feb 2000 00:00:00 +0000"},  // milliseconds are dropped
      {1795169700000, "Fri, 20 Nov 2026 10:15:00 +0000"},
      {1798761599000, "Thu, 31 Dec 2026 23:59:59 +0000"},
  };
  for (const auto& [ms, want] : cases) {
    EXPECT_EQ(Header(ComposeMime(Sample(), FromUnixMillis(ms)), "Date"), want) << ms;
  }
}

TEST(ComposeMimeTest, AddressesWithoutDisplayNameAndQuotedNames) {
  MailMessage m = Sample();
  m.to_name = "";
  m.from_name = R"(Trail "Best" \Shop)";
  const std::string mime = ComposeMime(m, kDate);
  EXPECT_EQ(Header(mime, "To"), "anna@example.org");
  EXPECT_EQ(Header(mime, "From"), R"("Trail \"Best\" \\Shop" <noreply@trail.example>)");
}

TEST(ComposeMimeTest, NonAsciiDisplayNameIsEncodedWord) {
  MailMessage m = Sample();
  m.from_name = "Wanderladen Müller & Söhne";
  const std::string from = Header(ComposeMime(m, kDate), "From");
  EXPECT_TRUE(from.starts_with("=?UTF-8?B?")) << from;
  EXPECT_TRUE(from.ends_with(" <noreply@trail.example>")) << from;
  EXPECT_EQ(DecodeWords(from), m.from_name);
}

TEST(ComposeMimeTest, NonAsciiSubjectIsEncodedInShortWordsAndRoundTrips) {
  MailMessage m = Sample();
  // Long enough for several encoded words; multi-byte characters must not be split.
  m.subject =
      "Wie zufrieden waren Sie mit Ihrer Bestellung bei Wanderladen Müller? ✓ Grüße, "
      "Ihr Team — €€€ äöü ÄÖÜ ß";
  const std::string mime = ComposeMime(m, kDate);
  const std::string subject = Header(mime, "Subject");
  EXPECT_EQ(subject.find_first_of("äöü€"), std::string::npos);
  EXPECT_EQ(DecodeWords(subject), m.subject);
  size_t subject_lines = 0;
  for (const std::string& line : SplitCrlf(mime.substr(0, mime.find("\r\n\r\n")))) {
    if (line.starts_with("Subject:") || (subject_lines > 0 && line.starts_with(" "))) {
      ++subject_lines;
      EXPECT_LE(line.size(), 85u) << line;
    } else if (subject_lines > 0) {
      break;
    }
  }
  EXPECT_GT(subject_lines, 1u) << "a long encoded subject is folded";
}

TEST(ComposeMimeTest, LongAsciiSubjectIsFoldedAtSpaces) {
  MailMessage m = Sample();
  for (int i = 0; i < 40; ++i) m.subject += "word" + std::to_string(i) + " ";
  m.subject += "end";
  const std::string mime = ComposeMime(m, kDate);
  EXPECT_EQ(Header(mime, "Subject"), m.subject);
  EXPECT_NE(mime.find("\r\n word"), std::string::npos) << "folded";
  for (const std::string& line : SplitCrlf(mime.substr(0, mime.find("\r\n\r\n")))) {
    EXPECT_LE(line.size(), 78u) << line;
  }
}

TEST(ComposeMimeTest, SubjectThatLooksEncodedIsEncoded) {
  MailMessage m = Sample();
  m.subject = "=?UTF-8?B?SGk=?= literally";
  const std::string subject = Header(ComposeMime(m, kDate), "Subject");
  EXPECT_EQ(DecodeWords(subject), m.subject);
}

TEST(ComposeMimeTest, LineBreaksInHeaderValuesCannotInjectHeaders) {
  MailMessage m = Sample();
  m.subject = "Hello\r\nBcc: victim@example.org";
  m.from_name = "Shop\nReply-To: evil@example.org";
  m.to_address = "anna@example.org\r\nCc: other@example.org";
  m.message_id = "<id@x>\r\nX-Evil: 1";
  m.headers = {{"List-Unsubscribe", "<https://u>\r\nBcc: b@example.org"},
               {"X-Bad\r\nBcc", "c@example.org"},
               {"Subject", "a second subject"},
               {"Content-Type", "text/evil"}};
  const std::string mime = ComposeMime(m, kDate);
  for (const auto& [name, value] : Headers(mime)) {
    EXPECT_NE(name, "Bcc");
    EXPECT_NE(name, "Cc");
    EXPECT_NE(name, "Reply-To");
    EXPECT_NE(name, "X-Evil");
  }
  EXPECT_EQ(Header(mime, "Subject"), "HelloBcc: victim@example.org");
  EXPECT_EQ(Header(mime, "To"), "\"Anna Berg\" <anna@example.orgCc:other@example.org>");
  EXPECT_EQ(Header(mime, "List-Unsubscribe"), "<https://u>Bcc: b@example.org");
  EXPECT_EQ(Header(mime, "X-BadBcc"), "c@example.org");
  EXPECT_EQ(Header(mime, "Message-ID"), "<id@x>X-Evil: 1");
  EXPECT_NE(Header(mime, "Content-Type"), "text/evil");
}

TEST(ComposeMimeTest, MultipartAlternativeTextThenHtmlInBase64) {
  MailMessage m = Sample();
  m.text = "Grüße aus dem Laden!\nZeile zwei — €10\n" + std::string(300, 'a');
  m.html = "<p>Grüße</p>\n<p>€10</p>";
  const std::string mime = ComposeMime(m, kDate);
  const std::string boundary = Boundary(mime);
  ASSERT_FALSE(boundary.empty());
  EXPECT_TRUE(Header(mime, "Content-Type").starts_with("multipart/alternative;"));
  EXPECT_TRUE(mime.ends_with("--" + boundary + "--\r\n"));

  const std::vector<Part> parts = Parts(mime, boundary);
  ASSERT_EQ(parts.size(), 2u);
  const std::string want_type[] = {"text/plain", "text/html"};
  const std::string want_body[] = {"Grüße aus dem Laden!\r\nZeile zwei — €10\r\n" + std::string(300, 'a'),
                                   "<p>Grüße</p>\r\n<p>€10</p>"};
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_NE(parts[i].headers.find("Content-Type: " + want_type[i] + "; charset=utf-8"), std::string::npos)
        << parts[i].headers;
    EXPECT_NE(parts[i].headers.find("Content-Transfer-Encoding: base64"), std::string::npos);
    for (const std::string& line : SplitCrlf(parts[i].body)) EXPECT_LE(line.size(), 76u);
    EXPECT_EQ(DecodeBase64(parts[i].body), want_body[i]) << "canonical CRLF line ends";
  }
}

TEST(ComposeMimeTest, BoundaryIsFreshPerMessage) {
  const std::string a = Boundary(ComposeMime(Sample(), kDate));
  const std::string b = Boundary(ComposeMime(Sample(), kDate));
  EXPECT_GE(a.size(), 20u);
  EXPECT_NE(a, b);
}

TEST(ComposeMimeTest, EmptyHtmlGivesSingleTextPart) {
  MailMessage m = Sample();
  m.html.clear();
  const std::string mime = ComposeMime(m, kDate);
  EXPECT_EQ(Header(mime, "Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Header(mime, "Content-Transfer-Encoding"), "base64");
  EXPECT_EQ(mime.find("multipart"), std::string::npos);
  EXPECT_EQ(DecodeBase64(mime.substr(mime.find("\r\n\r\n") + 4)), "Hello Anna,\r\nthanks!\r\n");
}

TEST(ComposeMimeTest, MissingMessageIdIsGeneratedInTheSendersDomain) {
  MailMessage m = Sample();
  m.message_id.clear();
  const std::string id = Header(ComposeMime(m, kDate), "Message-ID");
  EXPECT_TRUE(id.starts_with("<")) << id;
  EXPECT_TRUE(id.ends_with("@trail.example>")) << id;
  EXPECT_NE(id, Header(ComposeMime(m, kDate), "Message-ID"));
  m.message_id = "bare@trail.example";
  EXPECT_EQ(Header(ComposeMime(m, kDate), "Message-ID"), "<bare@trail.example>");
}

// An independent reader: Python's email package (policy.default) must see the same message.
TEST(ComposeMimeTest, PythonEmailParserReadsItBack) {
  MailMessage m = Sample();
  m.from_name = "Wanderladen Müller";
  m.subject = "Ihre Meinung zählt – Wanderladen Müller";
  m.text = "Grüße\n";
  m.html = "<p>Grüße</p>";
  const auto path =
      std::filesystem::temp_directory_path() / ("vouch-mime-" + std::to_string(::getpid()) + ".eml");
  std::ofstream(path, std::ios::binary) << ComposeMime(m, kDate);
  const std::string script =
      "import email,email.policy,sys\n"
      "m=email.message_from_binary_file(open(sys.argv[1],'rb'),policy=email.policy.default)\n"
      "print(m['subject']);print(m['from'].addresses[0].display_name);"
      "print(m['from'].addresses[0].addr_spec);print(m.get_content_type())\n"
      "for p in m.iter_parts(): print(p.get_content_type(), repr(p.get_content()))\n"
      "print(len(m.defects))\n";
  const std::string command = "/usr/bin/python3 -c \"" + script + "\" " + path.string();
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buffer[512];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  EXPECT_EQ(::pclose(pipe), 0);
  std::filesystem::remove(path);
  EXPECT_EQ(out,
            "Ihre Meinung zählt – Wanderladen Müller\n"
            "Wanderladen Müller\n"
            "noreply@trail.example\n"
            "multipart/alternative\n"
            "text/plain 'Grüße\\r\\n'\n"
            "text/html '<p>Grüße</p>'\n"
            "0\n");
}

}  // namespace
}  // namespace vouch::delivery
