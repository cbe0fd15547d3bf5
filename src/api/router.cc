#include "api/router.h"

#include <stdexcept>
#include <utility>

namespace vouch::api {
namespace {

// Whether the raw segment decodes to `literal`. Only a segment with an escape is decoded (and
// allocates), so the common case is a plain comparison.
bool DecodesTo(std::string_view raw, std::string_view literal) {
  if (raw.find('%') == std::string_view::npos) return raw == literal;
  return http::PercentDecode(raw, false) == literal;
}

// Calls fn(segment) for each non-empty '/'-separated segment of `path` until fn returns false.
template <class Fn>
void ForEachSegment(std::string_view path, Fn&& fn) {
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i && !fn(path.substr(i, j - i))) return;
    i = j;
  }
}

bool IsCapture(std::string_view s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }

}  // namespace

// The segments of one request path, as string_views into it; no allocation.
struct Router::Segments {
  std::array<std::string_view, kMaxSegments> at{};
  size_t count = 0;       // segments stored
  bool overflow = false;  // the path has more than kMaxSegments segments
};

const std::string& Params::at(std::string_view name) const {
  if (names_ != nullptr) {
    for (size_t i = 0; i < count_; ++i) {
      if ((*names_)[i] == name) return values_[i];
    }
  }
  throw std::out_of_range("no path parameter '" + std::string(name) + "'");
}

void Router::Add(Route route) {
  Compiled c{nullptr, {}, {}, {}, {}, false};
  std::vector<std::string_view> parts;
  ForEachSegment(route.pattern, [&](std::string_view s) {
    parts.push_back(s);
    return true;
  });
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view s = parts[i];
    if (IsCapture(s)) {
      std::string_view name = s.substr(1, s.size() - 2);
      if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
        if (i + 1 != parts.size())
          throw std::invalid_argument("{name...} must end the pattern: " + route.pattern);
        c.rest = true;
        name.remove_suffix(3);
      }
      c.names.emplace_back(name);
      c.capture_at.push_back(i);
      c.segments.emplace_back();
      c.is_capture.push_back(true);
    } else {
      c.segments.emplace_back(s);
      c.is_capture.push_back(false);
    }
  }
  if (c.segments.size() > kMaxSegments || c.names.size() > Params::kMaxCaptures) {
    throw std::invalid_argument("pattern too long: " + route.pattern);
  }
  c.route = &routes_.emplace_back(std::move(route));
  const Compiled& added = compiled_.emplace_back(std::move(c));
  if (added.rest) {
    rest_routes_.push_back(&added);
    return;
  }
  const size_t count = added.segments.size();
  if (count > 0 && added.is_capture[0]) {
    capture_first_.push_back(&added);
    for (auto& b : buckets_) {
      if (b.count == count) b.routes.push_back(&added);
    }
    return;
  }
  const std::string first = count > 0 ? added.segments[0] : std::string();
  for (auto& b : buckets_) {
    if (b.count == count && b.first == first) {
      b.routes.push_back(&added);
      return;
    }
  }
  Bucket b{count, first, {}};
  for (const Compiled* earlier : capture_first_) {
    if (earlier->segments.size() == count) b.routes.push_back(earlier);
  }
  b.routes.push_back(&added);
  buckets_.push_back(std::move(b));
}

bool Router::Matches(const Compiled& c, const Segments& segs) const {
  const size_t fixed = c.rest ? c.segments.size() - 1 : c.segments.size();
  for (size_t i = 0; i < fixed; ++i) {
    if (!c.is_capture[i] && !DecodesTo(segs.at[i], c.segments[i])) return false;
  }
  return true;
}

void Router::Capture(const Compiled& c, const Segments& segs, std::string_view raw_path, Params& out) const {
  out.names_ = &c.names;
  out.count_ = c.names.size();
  for (size_t k = 0; k < c.names.size(); ++k) {
    const size_t i = c.capture_at[k];
    if (c.rest && k + 1 == c.names.size()) {
      // The rest of the path from segment i: each segment decoded, joined by '/'.
      std::string value;
      const auto offset = static_cast<size_t>(segs.at[i].data() - raw_path.data());
      ForEachSegment(raw_path.substr(offset), [&](std::string_view s) {
        if (!value.empty()) value += '/';
        value += http::PercentDecode(s, false);
        return true;
      });
      out.values_[k] = std::move(value);
    } else {
      out.values_[k] = http::PercentDecode(segs.at[i], false);
    }
  }
}

Router::Match Router::Find(std::string_view method, std::string_view raw_path) const {
  Match m;
  Segments segs;
  ForEachSegment(raw_path, [&](std::string_view s) {
    if (segs.count == kMaxSegments) {
      segs.overflow = true;
      return false;
    }
    segs.at[segs.count++] = s;
    return true;
  });
  // HEAD is served by the GET route; the server drops the body.
  auto method_fits = [&](const Route& r) {
    return r.method == method || (method == "HEAD" && r.method == "GET");
  };
  auto consider = [&](const Compiled* c) {
    if (!Matches(*c, segs)) return false;
    if (method_fits(*c->route)) {
      m.route = c->route;
      Capture(*c, segs, raw_path, m.params);
      return true;
    }
    if (m.other_method == nullptr) m.other_method = c->route;
    return false;
  };

  if (!segs.overflow) {
    const Bucket* bucket = nullptr;
    for (const auto& b : buckets_) {
      if (b.count == segs.count && (segs.count == 0 || DecodesTo(segs.at[0], b.first))) {
        bucket = &b;
        break;
      }
    }
    if (bucket != nullptr) {
      for (const Compiled* c : bucket->routes) {
        if (consider(c)) return m;
      }
    } else {
      for (const Compiled* c : capture_first_) {
        if (c->segments.size() == segs.count && consider(c)) return m;
      }
    }
  }
  for (const Compiled* c : rest_routes_) {
    if ((segs.overflow || segs.count >= c->segments.size()) && consider(c)) return m;
  }
  return m;
}

}  // namespace vouch::api
