#include "api/json_orders.h"

#include <functional>
#include <utility>

#include <fmt/format.h>
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

// One batch element: its id as sent (a string, or an integer's digits; none when over 200
// characters) and the order parsed from it.
BatchItem ItemOf(const json& j, const std::string& default_region) {
  std::string id;
  if (j.is_object()) {
    auto it = j.find("id");
    if (it != j.end() && (it->is_string() || it->is_number_integer())) {
      id =
          it->is_string() ? it->get<std::string>() : it->dump(-1, ' ', false, json::error_handler_t::replace);
      if (id.size() > 200) id.clear();
    }
  }
  return BatchItem{std::move(id), ParseOrderJson(j, default_region)};
}

// A JSON array read as a stream (nlohmann's SAX interface): each element is built as a DOM of its
// own, handed to `on_element` as soon as it closes and freed, so a batch never exists as one DOM.
// Elements past `max` are counted and skipped, never built, and the whole text is still read: a
// body that is both too long and invalid JSON is "not valid JSON", as when it was parsed whole.
// The caller has checked the nesting depth (internal::NestsDeeperThan) and that the text opens
// with '['; anything else at the top (or after the array) is a parse error.
class ArrayStream {
 public:
  using OnElement = std::function<void(const json&)>;
  ArrayStream(size_t max, OnElement on_element) : max_(max), on_element_(std::move(on_element)) {}
  // Elements seen (closed or not), including those past `max`.
  size_t Elements() const { return elements_; }

  bool null() { return Value(json(nullptr)); }
  bool boolean(bool v) { return Value(json(v)); }
  bool number_integer(json::number_integer_t v) { return Value(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return Value(json(v)); }
  bool number_float(json::number_float_t v, const json::string_t&) { return Value(json(v)); }
  bool string(json::string_t& v) { return Value(json(std::move(v))); }
  bool binary(json::binary_t&) { return false; }  // JSON text has none
  bool start_object(size_t) { return Open(json::object()); }
  bool key(json::string_t& k) {
    if (!Skipping()) key_ = std::move(k);
    return true;
  }
  bool end_object() { return Close(); }
  bool start_array(size_t) {
    if (depth_ > 0) return Open(json::array());
    depth_ = 1;  // the batch's own array
    return true;
  }
  bool end_array() {
    if (depth_ > 1) return Close();
    depth_ = 0;
    return true;
  }
  bool parse_error(size_t, const std::string&, const json::exception&) { return false; }

 private:
  // Inside an element past `max`: nothing is built.
  bool Skipping() const { return elements_ > max_; }

  // A scalar: an element of its own at depth 1, else a member of the open container.
  bool Value(json v) {
    if (depth_ == 1) {
      if (++elements_ <= max_) on_element_(v);
      return true;
    }
    if (!Skipping()) Slot() = std::move(v);
    return true;
  }
  bool Open(json container) {
    if (depth_++ == 1) {
      ++elements_;
      if (!Skipping()) {
        element_ = std::move(container);
        open_.push_back(&element_);
      }
      return true;
    }
    if (!Skipping()) {
      json& slot = Slot();
      slot = std::move(container);
      open_.push_back(&slot);
    }
    return true;
  }
  bool Close() {
    --depth_;
    if (Skipping()) return true;
    open_.pop_back();
    if (depth_ == 1) {
      on_element_(element_);
      element_ = json();
    }
    return true;
  }
  // Where the next value goes in the innermost open container. Its address stays valid while a
  // child is open: nothing else is added to the parent until the child closes.
  json& Slot() {
    json& parent = *open_.back();
    if (parent.is_array()) {
      parent.push_back(json());
      return parent.back();
    }
    return parent[key_];
  }

  size_t max_;
  OnElement on_element_;
  size_t elements_ = 0;
  int depth_ = 0;            // arrays and objects open, the batch's own array included
  json element_;             // the element being built
  std::vector<json*> open_;  // its open containers, outermost first
  std::string key_;          // the last key read in the innermost open object
};

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
  auto add = [&](const json& j) { out.push_back(ItemOf(j, default_region)); };
  const std::string too_many = "holds more than " + std::to_string(max) + " orders";
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '[') {
    if (internal::NestsDeeperThan(body, internal::kMaxJsonDepth + 1))
      return InvalidArgument("body", internal::kTooDeep);
    ArrayStream stream(max, add);
    if (!json::sax_parse(body, &stream)) return InvalidArgument("body", "is not valid JSON");
    if (stream.Elements() > max) return InvalidArgument("body", too_many);
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

// Written element by element: one result's DOM at a time, never a DOM of them all. The bytes are
// those of the whole document dumped at once (the members in nlohmann's sorted order, "results"
// last).
std::string BatchToJson(const std::vector<Result<app::IngestResult>>& results,
                        const std::vector<std::string>& ids) {
  size_t created = 0, existing = 0, failed = 0;
  for (const auto& r : results) ++(!r ? failed : r->created ? created : existing);
  std::string out =
      fmt::format(R"({{"created":{},"existing":{},"failed":{},"results":[)", created, existing, failed);
  for (size_t i = 0; i < results.size(); ++i) {
    json e;
    if (results[i]) {
      e = IngestJson(*results[i]);
      e["status"] = results[i]->created ? 201 : 200;
    } else {
      e = json::parse(Problem(results[i].error()).body);
      if (i < ids.size() && !ids[i].empty()) e["id"] = ids[i];
    }
    e["index"] = i;
    if (i > 0) out += ',';
    out += e.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  out += "]}";
  return out;
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
