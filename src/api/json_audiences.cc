#include "api/json_audiences.h"

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using internal::Iso;
using nlohmann::json;

namespace {

Result<std::vector<std::string>> Strings(const json& v, const std::string& field) {
  if (!v.is_array()) return InvalidArgument(field, "must be an array of strings");
  if (v.size() > app::kMaxAudienceValues) return InvalidArgument(field, "must hold at most 50 values");
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) return InvalidArgument(field + "[" + std::to_string(i) + "]", "must be a string");
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

Result<store::AudienceOffer> ParseOffer(const json& v) {
  if (!v.is_object()) return InvalidArgument("offer", "must be an object or null");
  store::AudienceOffer o;
  bool kind = false, value = false, reward = false;
  for (const auto& [k, x] : v.items()) {
    const std::string field = "offer." + k;
    if (k == "discount_kind") {
      if (!x.is_string()) return InvalidArgument(field, "must be a string");
      o.discount_kind = x.get<std::string>();
      kind = true;
    } else if (k == "discount_value" || k == "reward_minor") {
      if (!x.is_number_integer()) return InvalidArgument(field, "must be an integer");
      (k == "discount_value" ? o.discount_value : o.reward_minor) = x.get<int64_t>();
      (k == "discount_value" ? value : reward) = true;
    } else {
      return InvalidArgument(field, "is not a known field");
    }
  }
  if (!kind) return InvalidArgument("offer.discount_kind", "is required");
  if (!value) return InvalidArgument("offer.discount_value", "is required");
  if (!reward) return InvalidArgument("offer.reward_minor", "is required");
  return o;
}

json AudienceJson(const store::Audience& a) {
  json offer = nullptr;
  if (a.offer) {
    offer = json{{"discount_kind", a.offer->discount_kind},
                 {"discount_value", a.offer->discount_value},
                 {"reward_minor", a.offer->reward_minor}};
  }
  return json{{"id", a.id},
              {"name", a.name},
              {"categories", a.categories},
              {"min_order_minor", a.min_order_minor ? json(*a.min_order_minor) : json(nullptr)},
              {"max_order_minor", a.max_order_minor ? json(*a.max_order_minor) : json(nullptr)},
              {"locales", a.locales},
              {"repeat_buyer", a.repeat_buyer},
              {"gate", a.gate},
              {"offer", offer},
              {"created_at", Iso(a.created_at)}};
}

}  // namespace

Result<app::AudienceInput> ParseAudience(std::string_view body) {
  if (internal::NestsDeeperThan(body, internal::kMaxJsonDepth))
    return InvalidArgument("body", internal::kTooDeep);
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  app::AudienceInput in;
  bool named = false;
  for (const auto& [k, v] : j.items()) {
    if (k == "name" || k == "repeat_buyer") {
      if (!v.is_string()) return InvalidArgument(k, "must be a string");
      (k == "name" ? in.name : in.repeat_buyer) = v.get<std::string>();
      named = named || k == "name";
    } else if (k == "categories" || k == "locales") {
      auto list = Strings(v, k);
      if (!list) return list.error();
      (k == "categories" ? in.categories : in.locales) = std::move(*list);
    } else if (k == "min_order_minor" || k == "max_order_minor") {
      if (v.is_null()) continue;
      if (!v.is_number_integer()) return InvalidArgument(k, "must be an integer or null");
      (k == "min_order_minor" ? in.min_order_minor : in.max_order_minor) = v.get<int64_t>();
    } else if (k == "gate") {
      if (!v.is_boolean()) return InvalidArgument(k, "must be true or false");
      in.gate = v.get<bool>();
    } else if (k == "offer") {
      if (v.is_null()) continue;
      auto offer = ParseOffer(v);
      if (!offer) return offer.error();
      in.offer = std::move(*offer);
    } else {
      return InvalidArgument(k, "is not a known field");
    }
  }
  if (!named) return InvalidArgument("name", "is required");
  return in;
}

std::string ToJson(const store::Audience& a) {
  return AudienceJson(a).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ToJson(const std::vector<store::Audience>& list) {
  json items = json::array();
  for (const auto& a : list) items.push_back(AudienceJson(a));
  return json{{"audiences", items}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vouch::api
