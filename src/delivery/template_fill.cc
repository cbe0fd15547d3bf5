#include "delivery/template_fill.h"

#include <algorithm>

namespace vouch::delivery {
namespace {

constexpr char kGapOpen = '\x02';
constexpr char kGapClose = '\x03';
constexpr std::string_view kEscapedEnd = "&amp;\x03";
constexpr std::string_view kRawEnd = "&\x03";

// Appends `value` as the renderer writes it.
void AppendValue(std::string& out, const std::string& value, bool escaped) {
  size_t run = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const char* with = nullptr;
    switch (value[i]) {
      case kLineMark: with = ""; break;
      case '&': with = escaped ? "&amp;" : nullptr; break;
      case '<': with = escaped ? "&lt;" : nullptr; break;
      case '>': with = escaped ? "&gt;" : nullptr; break;
      case '"': with = escaped ? "&quot;" : nullptr; break;
      case '\'': with = escaped ? "&apos;" : nullptr; break;
      default: break;
    }
    if (with == nullptr) continue;
    out.append(value, run, i - run);
    out += with;
    run = i + 1;
  }
  out.append(value, run, std::string::npos);
}

}  // namespace

bool FillableBody(std::string_view body) {
  if (body.find("{{=") != std::string_view::npos) return false;
  if (body.find_first_of(std::string_view("\x02\x03", 2)) != std::string_view::npos) return false;
  for (size_t open = body.find("{{"); open != std::string_view::npos; open = body.find("{{", open + 2)) {
    const size_t close = body.find("}}", open + 2);
    if (close == std::string_view::npos) return false;
    if (body.substr(open, close - open).find('\n') != std::string_view::npos) return false;
    open = close;
  }
  return true;
}

size_t ShapeOf(const TemplateContext& ctx, std::string& shape, std::vector<const std::string*>& values) {
  size_t longest = 0;
  const auto name = [&shape](const std::string& key) {
    shape += std::to_string(key.size());
    shape += ':';
    shape += key;
  };
  const auto text = [&](const std::string& value) {
    shape += value.empty() ? 'e' : 's';
    if (value.empty()) return;
    values.push_back(&value);
    longest = std::max(longest, value.size());
  };
  for (const auto& [key, value] : ctx.values()) {
    name(key);
    if (const auto* str = std::get_if<std::string>(&value)) {
      text(*str);
    } else if (const auto* b = std::get_if<bool>(&value)) {
      shape += *b ? 't' : 'f';
    } else {
      const auto& list = std::get<std::vector<TemplateContext::Record>>(value);
      shape += 'l';
      shape += std::to_string(list.size());
      for (const auto& record : list) {
        shape += '(';
        for (const auto& [field, v] : record) {
          name(field);
          text(v);
        }
        shape += ')';
      }
    }
  }
  return longest;
}

TemplateContext Placeholders(const TemplateContext& ctx) {
  TemplateContext out;
  uint32_t next = 0;
  const auto hole = [&next](const std::string& value) {
    if (value.empty()) return std::string();
    return std::string(1, kGapOpen) + std::to_string(next++) + std::string(kRawEnd);
  };
  for (const auto& [key, value] : ctx.values()) {
    if (const auto* str = std::get_if<std::string>(&value)) {
      out.Set(key, hole(*str));
    } else if (const auto* b = std::get_if<bool>(&value)) {
      out.SetBool(key, *b);
    } else {
      out.SetEmptyList(key);
      for (const auto& record : std::get<std::vector<TemplateContext::Record>>(value)) {
        TemplateContext::Record holes;
        for (const auto& [field, v] : record) holes.emplace(field, hole(v));
        out.AddItem(key, std::move(holes));
      }
    }
  }
  return out;
}

std::optional<Skeleton> CutSkeleton(std::string_view r, size_t count) {
  Skeleton sk;
  sk.text.reserve(r.size());
  size_t at = 0;
  for (size_t open = r.find(kGapOpen); open != std::string_view::npos; open = r.find(kGapOpen, at)) {
    sk.text.append(r.substr(at, open - at));
    size_t i = open + 1;
    uint64_t index = 0;
    while (i < r.size() && r[i] >= '0' && r[i] <= '9' && index <= count) index = index * 10 + (r[i++] - '0');
    if (i == open + 1 || index >= count) return std::nullopt;
    bool escaped = false;
    if (r.substr(i).starts_with(kEscapedEnd)) {
      escaped = true;
      i += kEscapedEnd.size();
    } else if (r.substr(i).starts_with(kRawEnd)) {
      i += kRawEnd.size();
    } else {
      return std::nullopt;
    }
    sk.gaps.push_back({sk.text.size(), static_cast<uint32_t>(index), escaped});
    at = i;
  }
  if (r.find(kGapClose, at) != std::string_view::npos) return std::nullopt;
  sk.text.append(r.substr(at));
  return sk;
}

std::string Fill(const Skeleton& sk, const std::vector<const std::string*>& values) {
  size_t size = sk.text.size();
  for (const auto& gap : sk.gaps) size += values[gap.value]->size() + (gap.escaped ? 16 : 0);
  std::string out;
  out.reserve(size);
  size_t at = 0;
  for (const auto& gap : sk.gaps) {
    out.append(sk.text, at, gap.text_end - at);
    at = gap.text_end;
    AppendValue(out, *values[gap.value], gap.escaped);
  }
  out.append(sk.text, at, std::string::npos);
  return out;
}

}  // namespace vouch::delivery
