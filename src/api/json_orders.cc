#include "api/json_orders.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "api/json_internal.h"
#include "api/json_problem.h"
#include "core/referral.h"

namespace vouch::api {

using internal::AmountField;
using internal::BoolField;
using internal::IntegerField;
using internal::Iso;
using internal::TextField;
using nlohmann::json;

namespace {

// An array member: absent (or null), an array, or something else.
app::RawShape ShapeOf(const json& obj, const char* key, json::const_iterator& it, bool object) {
  it = obj.find(key);
  if (it == obj.end() || it->is_null()) return app::RawShape::kAbsent;
  return (object ? it->is_object() : it->is_array()) ? app::RawShape::kPresent : app::RawShape::kWrongType;
}

app::RawOrder RawOrderOf(const json& j) {
  app::RawOrder o;
  if (!j.is_object()) {
    o.is_object = false;
    return o;
  }
  o.id = TextField(j, "id");
  o.created_at = TextField(j, "created_at");
  o.currency = TextField(j, "currency");
  o.total_price = AmountField(j, "total_price");
  json::const_iterator it;
  o.customer_shape = ShapeOf(j, "customer", it, /*object=*/true);
  if (o.customer_shape == app::RawShape::kPresent) {
    const json& c = *it;
    o.customer.id = TextField(c, "id");
    o.customer.email = TextField(c, "email");
    o.customer.phone = TextField(c, "phone");
    o.customer.first_name = TextField(c, "first_name");
    o.customer.last_name = TextField(c, "last_name");
    o.customer.locale = TextField(c, "locale");
    o.customer.accepts_email_marketing = BoolField(c, "accepts_email_marketing");
    o.customer.accepts_sms_marketing = BoolField(c, "accepts_sms_marketing");
  }
  o.discount_codes_shape = ShapeOf(j, "discount_codes", it, /*object=*/false);
  if (o.discount_codes_shape == app::RawShape::kPresent) {
    o.discount_codes.reserve(it->size());
    for (const auto& e : *it) {
      if (e.is_string()) {
        o.discount_codes.push_back(app::RawField::Text(e.get<std::string>()));
      } else if (e.is_object() && e.contains("code") && e["code"].is_string()) {
        o.discount_codes.push_back(app::RawField::Text(e["code"].get<std::string>()));  // Shopify's
      } else {
        o.discount_codes.push_back(app::RawField::WrongType());
      }
    }
  }
  o.line_items_shape = ShapeOf(j, "line_items", it, /*object=*/false);
  if (o.line_items_shape == app::RawShape::kPresent) {
    o.line_items.reserve(it->size());
    for (const auto& e : *it) {
      app::RawLineItem li;
      li.is_object = e.is_object();
      if (li.is_object) {
        li.product_id = TextField(e, "product_id");
        li.title = TextField(e, "title");
        li.category = TextField(e, "category");
        li.quantity = IntegerField(e, "quantity");
        li.price = AmountField(e, "price");
      }
      o.line_items.push_back(std::move(li));
    }
  }
  o.landing_site = TextField(j, "landing_site");
  o.browser_ip = TextField(j, "browser_ip");
  o.shipping_address_shape = ShapeOf(j, "shipping_address", it, /*object=*/true);
  if (o.shipping_address_shape == app::RawShape::kPresent) {
    o.shipping_address.line1 = TextField(*it, "line1");
    o.shipping_address.zip = TextField(*it, "zip");
    o.shipping_address.country = TextField(*it, "country");
  }
  return o;
}

Result<app::OrderInput> ParseOrderJson(const json& j, const std::string& default_region) {
  app::RawOrder raw = RawOrderOf(j);
  raw.default_region = default_region;
  return app::ValidateOrder(std::move(raw));
}

json IngestJson(const app::IngestResult& r) {
  json j{{"id", r.external_id}, {"created", r.created}};
  if (r.survey.scheduled) {
    j["survey"] = json{{"status", "scheduled"}, {"due_at", Iso(r.survey.due_at)}};
  } else {
    j["survey"] = json{{"status", "skipped"}, {"reason", r.survey.skipped_reason}};
  }
  if (r.referral) {
    json ref{{"code", r.referral->code}, {"status", core::VerdictName(r.referral->status)}};
    if (!r.referral->reward_code.empty()) ref["reward_code"] = r.referral->reward_code;
    ref["id"] = r.referral->referral_id;
    ref["decision"] = core::DecisionName(r.referral->decision);
    json rules = json::array();
    for (const auto& f : r.referral->rules) rules.push_back(json{{"rule", f.rule}, {"detail", f.detail}});
    ref["rules"] = rules;
    j["referral"] = ref;
  } else {
    j["referral"] = nullptr;
  }
  return j;
}

}  // namespace

Result<app::OrderInput> ParseOrder(std::string_view body, const std::string& default_region) {
  if (internal::NestsDeeperThan(body, internal::kMaxJsonDepth))
    return InvalidArgument("body", internal::kTooDeep);
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  return ParseOrderJson(j, default_region);
}

Result<std::vector<BatchItem>> ParseOrderBatch(std::string_view body, size_t max,
                                               const std::string& default_region) {
  std::vector<BatchItem> out;
  auto add = [&](const json& j) {
    std::string id;
    if (j.is_object() && j.contains("id") && (j["id"].is_string() || j["id"].is_number_integer())) {
      id = j["id"].is_string() ? j["id"].get<std::string>()
                               : j["id"].dump(-1, ' ', false, json::error_handler_t::replace);
      if (id.size() > 200) id.clear();
    }
    out.push_back(BatchItem{std::move(id), ParseOrderJson(j, default_region)});
  };
  const std::string too_many = "holds more than " + std::to_string(max) + " orders";
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '[') {
    if (internal::NestsDeeperThan(body, internal::kMaxJsonDepth + 1))
      return InvalidArgument("body", internal::kTooDeep);
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
    if (j.size() > max) return InvalidArgument("body", too_many);
    for (const auto& e : j) add(e);
    return out;
  }
  size_t start = 0, line_no = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (out.size() >= max) return InvalidArgument("body", too_many);
    if (internal::NestsDeeperThan(line, internal::kMaxJsonDepth)) {
      out.push_back(BatchItem{
          "", InvalidArgument("body", "line " + std::to_string(line_no) + " " + internal::kTooDeep)});
      continue;
    }
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      out.push_back(
          BatchItem{"", InvalidArgument("body", "line " + std::to_string(line_no) + " is not valid JSON")});
    } else {
      add(j);
    }
  }
  if (out.empty()) return InvalidArgument("body", "holds no orders");
  return out;
}

std::string ToJson(const app::IngestResult& r) {
  return IngestJson(r).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string BatchToJson(const std::vector<Result<app::IngestResult>>& results,
                        const std::vector<std::string>& ids) {
  json arr = json::array();
  size_t created = 0, existing = 0, failed = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    json e;
    if (results[i]) {
      e = IngestJson(*results[i]);
      e["status"] = results[i]->created ? 201 : 200;
      (results[i]->created ? created : existing)++;
    } else {
      const Error& err = results[i].error();
      e = json::parse(Problem(err).body);
      if (i < ids.size() && !ids[i].empty()) e["id"] = ids[i];
      ++failed;
    }
    e["index"] = i;
    arr.push_back(std::move(e));
  }
  return json{{"created", created}, {"existing", existing}, {"failed", failed}, {"results", arr}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

std::string ImportToJson(const app::ImportReport& r) {
  json problems = json::array();
  for (const auto& p : r.problems) {
    problems.push_back(json{{"line", p.line}, {"field", p.field}, {"detail", p.message}});
  }
  return json{{"created", r.created},   {"existing", r.existing}, {"failed", r.failed},
              {"surveyed", r.surveyed}, {"stopped", r.stopped},   {"problems", problems}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vouch::api
