#include "delivery/template_scan.h"

#include <algorithm>
#include <string>
#include <vector>

namespace vouch::delivery {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// "=<% %>=" -> the new delimiters, as the parser reads them; false when it would refuse them.
bool SetDelimiters(std::string_view contents, std::string& begin, std::string& end) {
  if (contents.size() < 5 || contents.back() != '=') return false;
  const std::string_view inner = Trim(contents.substr(1, contents.size() - 2));
  const size_t space = inner.find(' ');
  if (space == std::string_view::npos) return false;
  const size_t next = inner.find_first_not_of(' ', space + 1);
  if (next == std::string_view::npos) return false;
  const std::string_view b = inner.substr(0, space);
  const std::string_view e = inner.substr(next);
  const auto valid = [](std::string_view d) {
    return std::none_of(d.begin(), d.end(), [](char c) { return c == '=' || IsSpace(c); });
  };
  if (!valid(b) || !valid(e)) return false;
  begin = b;
  end = e;
  return true;
}

}  // namespace

Status CheckTemplateShape(std::string_view body, const char* field) {
  std::string begin = "{{";
  std::string end = "}}";
  std::vector<std::string_view> open;  // the sections around the current position
  std::vector<bool> inverted;
  size_t pos = 0;
  while (pos < body.size()) {
    if (body.compare(pos, begin.size(), begin) != 0) {
      ++pos;
      continue;
    }
    const bool braces = begin == "{{" && end == "}}";
    size_t contents_at = pos + begin.size();
    const bool triple =
        braces && pos != body.size() - 2 && contents_at < body.size() && body[contents_at] == '{';
    const std::string_view closing = triple ? std::string_view("}}}") : std::string_view(end);
    if (triple) ++contents_at;
    const size_t close_at = body.find(closing, contents_at);
    if (close_at == std::string_view::npos) return OkStatus();  // the parser names the error
    const std::string_view contents = Trim(body.substr(contents_at, close_at - contents_at));
    pos = close_at + closing.size();
    if (triple || contents.empty()) continue;
    const char kind = contents.front();
    const std::string_view name = Trim(contents.substr(1));
    if (kind == '=') {
      if (!SetDelimiters(contents, begin, end)) return OkStatus();
    } else if (kind == '#' || kind == '^') {
      if (kind == '#') {
        for (size_t i = 0; i < open.size(); ++i) {
          if (!inverted[i] && open[i] == name) {
            return InvalidArgument(field, "section \"" + std::string(name) +
                                              "\" is nested inside itself: each pass of the outer "
                                              "section would repeat the inner one");
          }
        }
      }
      open.push_back(name);
      inverted.push_back(kind == '^');
      if (static_cast<int>(open.size()) > kTemplateMaxDepth) {
        return InvalidArgument(field, "nests sections more than " + std::to_string(kTemplateMaxDepth) +
                                          " deep (at section \"" + std::string(name) + "\")");
      }
    } else if (kind == '/') {
      if (open.empty()) return OkStatus();
      open.pop_back();
      inverted.pop_back();
    } else if (kind == '>') {
      return InvalidArgument(
          field, "uses the partial \"{{>" + std::string(name) + "}}\"; partials are not supported");
    }
  }
  return OkStatus();
}

}  // namespace vouch::delivery
