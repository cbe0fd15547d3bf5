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

// One tag as the walk below reads it: its kind ('#', '^', '/', '>', '&', '!', '=', or 0 for a
// variable), its name, whether it was a triple "{{{name}}}", and the sections around it.
struct Tag {
  char kind = 0;
  std::string_view name;
  bool triple = false;
  size_t depth = 0;
};

// Walks the tags of `body` as the mustache parser reads them (set-delimiter tags included),
// calling `visit(tag, open)` for each, with `open` the names of the sections around it (before
// the tag's own effect); a visit returning an error stops the walk with it. Unclosed tags and
// delimiters the parser would refuse end the walk quietly (the parser names those errors).
template <typename Visit>
Status WalkTags(std::string_view body, Visit visit) {
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
    if (contents.empty()) continue;
    Tag tag;
    tag.triple = triple;
    tag.depth = open.size();
    if (triple) {
      tag.name = contents;
    } else if (std::string_view("#^/>&!=").find(contents.front()) != std::string_view::npos) {
      tag.kind = contents.front();
      tag.name = Trim(contents.substr(1));
    } else {
      tag.name = contents;
    }
    if (Status s = visit(tag, open, inverted); !s) return s;
    if (tag.kind == '=') {
      if (!SetDelimiters(contents, begin, end)) return OkStatus();
    } else if (tag.kind == '#' || tag.kind == '^') {
      open.push_back(tag.name);
      inverted.push_back(tag.kind == '^');
    } else if (tag.kind == '/') {
      if (open.empty()) return OkStatus();
      open.pop_back();
      inverted.pop_back();
    }
  }
  return OkStatus();
}

}  // namespace

Status CheckTemplateShape(std::string_view body, const char* field) {
  return WalkTags(
      body,
      [&](const Tag& tag, const std::vector<std::string_view>& open,
          const std::vector<bool>& inverted) -> Status {
        if (tag.kind == '#') {
          for (size_t i = 0; i < open.size(); ++i) {
            if (!inverted[i] && open[i] == tag.name) {
              return InvalidArgument(field, "section \"" + std::string(tag.name) +
                                                "\" is nested inside itself: each pass of the outer "
                                                "section would repeat the inner one");
            }
          }
        }
        if ((tag.kind == '#' || tag.kind == '^') && static_cast<int>(open.size()) + 1 > kTemplateMaxDepth) {
          return InvalidArgument(field, "nests sections more than " + std::to_string(kTemplateMaxDepth) +
                                            " deep (at section \"" + std::string(tag.name) + "\")");
        }
        if (tag.kind == '>') {
          return InvalidArgument(
              field, "uses the partial \"{{>" + std::string(tag.name) + "}}\"; partials are not supported");
        }
        return OkStatus();
      });
}

bool HasTopLevelVariable(std::string_view body, std::string_view name) {
  bool found = false;
  (void)WalkTags(body, [&](const Tag& tag, const std::vector<std::string_view>&, const std::vector<bool>&) {
    if (tag.depth == 0 && tag.name == name && (tag.kind == 0 || tag.kind == '&')) found = true;
    return OkStatus();
  });
  return found;
}

}  // namespace vouch::delivery
