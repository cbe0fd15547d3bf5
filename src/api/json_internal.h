#pragma once
// Helpers the JSON files of the api module share (json_*.cc only; not part of the module's
// interface). Kept free of nlohmann/json.hpp (scripts/check.sh): a helper that builds a JSON value
// takes the JSON type as a template parameter. Pure functions, thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/audiences.h"
#include "app/followups.h"
#include "app/order_input.h"
#include "base/money.h"
#include "base/time.h"

namespace vouch::api::internal {

// Arrays and objects may nest this deep in a request body; deeper is a 400 before parsing (the
// parsed value's copies, comparisons and dumps recurse per level).
inline constexpr int kMaxJsonDepth = 32;

// Whether `text` (JSON, valid or not) opens more than `max` arrays or objects inside each other;
// brackets in strings do not count. One pass, no allocation.
inline bool NestsDeeperThan(std::string_view text, int max) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

inline constexpr const char* kTooDeep = "nests arrays or objects more than 32 deep";

// An instant as the API writes it: RFC 3339, UTC, "Z".
inline std::string Iso(Instant t) { return FormatRfc3339(t); }

// Money as the API writes it: {"amount": "12.50", "currency": "EUR", "minor": 1250}.
template <class Json>
Json MoneyJson(int64_t minor, const std::string& currency) {
  return Json{{"amount", FormatAmount(minor, currency)}, {"minor", minor}, {"currency", currency}};
}

// The audience a report is cut by (issue 16): {"id","name"}, or null.
template <class Json>
Json AudienceRefJson(const std::optional<store::Audience>& a) {
  if (!a) return nullptr;
  return Json{{"id", a->id}, {"name", a->name}};
}

// A detractor's follow-up: {"survey_id","status","owner","note","updated_at","resolved_at"},
// null where unset (one never stored has no times).
template <class Json>
Json FollowupJson(const store::Followup& f) {
  const bool stored = f.updated_at != Instant{};
  return Json{{"survey_id", f.survey_id},
              {"status", store::FollowupStatusName(f.status)},
              {"owner", f.owner ? Json(*f.owner) : Json(nullptr)},
              {"note", f.note ? Json(*f.note) : Json(nullptr)},
              {"updated_at", stored ? Json(Iso(f.updated_at)) : Json(nullptr)},
              {"resolved_at", f.resolved_at ? Json(Iso(*f.resolved_at)) : Json(nullptr)}};
}

// A JSON member onto a RawField (the order sources: json_orders.cc, json_hooks.cc): only the JSON
// types are decided here; every rule is app::ValidateOrder's. Absent or null: absent.
// Text: strings, and integers as their digits.
template <class Json>
app::RawField TextField(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return app::RawField::Absent();
  if (it->is_string()) return app::RawField::Text(it->template get<std::string>());
  if (it->is_number_integer()) return app::RawField::Text(it->dump());
  return app::RawField::WrongType();
}

// An amount: a string, or any number as its decimal text.
template <class Json>
app::RawField AmountField(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return app::RawField::Absent();
  if (it->is_string()) return app::RawField::Text(it->template get<std::string>());
  if (it->is_number()) return app::RawField::Text(it->dump());
  return app::RawField::WrongType();
}

// An integer (a quantity): JSON integers only.
template <class Json>
app::RawField IntegerField(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return app::RawField::Absent();
  if (it->is_number_integer()) return app::RawField::Text(it->dump());
  return app::RawField::WrongType();
}

// A yes/no (a consent): JSON true or false as the text "true"/"false"; null or absent: absent.
template <class Json>
app::RawField BoolField(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return app::RawField::Absent();
  if (it->is_boolean()) return app::RawField::Text(it->template get<bool>() ? "true" : "false");
  return app::RawField::WrongType();
}

}  // namespace vouch::api::internal
