#include "api/json.h"

#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "base/money.h"
#include "core/nps.h"

namespace vouch::api {

using nlohmann::json;

namespace {

const char* Title(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Content";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

// JSON onto RawOrder: only the JSON types are decided here (strings and integers are text;
// amounts also take any number); every rule is app::ValidateOrder's.
app::RawField TextField(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return app::RawField::Absent();
  if (it->is_string()) return app::RawField::Text(it->get<std::string>());
  if (it->is_number_integer()) return app::RawField::Text(it->dump());
  return app::RawField::WrongType();
}

app::RawField AmountField(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return app::RawField::Absent();
  if (it->is_string()) return app::RawField::Text(it->get<std::string>());
  if (it->is_number()) return app::RawField::Text(it->dump());
  return app::RawField::WrongType();
}

app::RawField IntegerField(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return app::RawField::Absent();
  if (it->is_number_integer()) return app::RawField::Text(it->dump());
  return app::RawField::WrongType();
}

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
  return o;
}

Result<app::OrderInput> ParseOrderJson(const json& j) { return app::ValidateOrder(RawOrderOf(j)); }

std::string Iso(Instant t) { return FormatRfc3339(t); }

json MoneyJson(int64_t minor, const std::string& currency) {
  return json{{"amount", FormatAmount(minor, currency)}, {"minor", minor}, {"currency", currency}};
}

}  // namespace

int StatusOf(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kNotFound: return 404;
    case Code::kAlreadyExists: return 409;
    case Code::kFailedPrecondition: return 409;
    case Code::kUnauthenticated: return 401;
    case Code::kPayloadTooLarge: return 413;
    case Code::kUnavailable: return 503;
    case Code::kInternal: return 500;
  }
  return 500;
}

http::Response Problem(const Error& error) {
  const int status = StatusOf(error.code);
  json j{{"type", "about:blank"}, {"title", Title(status)}, {"status", status}, {"code", CodeName(error.code)}};
  // Internal errors keep their details in the log, not in the answer.
  j["detail"] = status == 500 ? "internal error" : error.message;
  if (!error.field.empty()) {
    j["field"] = error.field;
    if (status == 400) j["detail"] = error.field + " " + error.message;
  }
  http::Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = j.dump();
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  if (status == 503) r.headers.emplace_back("Retry-After", "1");
  return r;
}

http::Response Json(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

Result<app::OrderInput> ParseOrder(std::string_view body) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  return ParseOrderJson(j);
}

Result<std::vector<BatchItem>> ParseOrderBatch(std::string_view body, size_t max) {
  std::vector<BatchItem> out;
  auto add = [&](const json& j) {
    std::string id;
    if (j.is_object() && j.contains("id") && (j["id"].is_string() || j["id"].is_number_integer())) {
      id = j["id"].is_string() ? j["id"].get<std::string>() : j["id"].dump();
      if (id.size() > 200) id.clear();
    }
    out.push_back(BatchItem{std::move(id), ParseOrderJson(j)});
  };
  const std::string too_many = "holds more than " + std::to_string(max) + " orders";
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '[') {
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
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      out.push_back(BatchItem{"", InvalidArgument("body", "line " + std::to_string(line_no) + " is not valid JSON")});
    } else {
      add(j);
    }
  }
  if (out.empty()) return InvalidArgument("body", "holds no orders");
  return out;
}

Result<app::SettingsPatch> ParseSettingsPatch(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  app::SettingsPatch p;
  auto str = [&](const char* key, std::optional<std::string>& out) -> Status {
    if (!j.contains(key)) return OkStatus();
    if (!j[key].is_string()) return InvalidArgument(key, "must be a string");
    out = j[key].get<std::string>();
    if (out->size() > 2000) return InvalidArgument(key, "is too long");
    return OkStatus();
  };
  auto num = [&](const char* key, std::optional<int64_t>& out) -> Status {
    if (!j.contains(key)) return OkStatus();
    if (!j[key].is_number_integer()) return InvalidArgument(key, "must be an integer");
    out = j[key].get<int64_t>();
    return OkStatus();
  };
  static const std::set<std::string> kKnown = {
      "name", "url", "survey_delay_seconds", "throttle_days", "discount_kind", "discount_value",
      "reward_minor", "currency", "code_expiry_days", "code_max_uses", "landing_url", "locale",
      "sender_name"};
  for (const auto& [k, v] : j.items()) {
    if (!kKnown.count(k)) return InvalidArgument(k, "is not a setting");
  }
  VOUCH_TRY(str("name", p.name));
  VOUCH_TRY(str("url", p.url));
  VOUCH_TRY(num("survey_delay_seconds", p.survey_delay_seconds));
  VOUCH_TRY(num("throttle_days", p.throttle_days));
  VOUCH_TRY(str("discount_kind", p.discount_kind));
  VOUCH_TRY(num("discount_value", p.discount_value));
  VOUCH_TRY(num("reward_minor", p.reward_minor));
  VOUCH_TRY(str("currency", p.currency));
  VOUCH_TRY(num("code_expiry_days", p.code_expiry_days));
  VOUCH_TRY(num("code_max_uses", p.code_max_uses));
  VOUCH_TRY(str("landing_url", p.landing_url));
  VOUCH_TRY(str("locale", p.locale));
  VOUCH_TRY(str("sender_name", p.sender_name));
  return p;
}

namespace {
json IngestJson(const app::IngestResult& r) {
  json j{{"id", r.external_id}, {"created", r.created}};
  if (r.survey.scheduled) {
    j["survey"] = json{{"status", "scheduled"}, {"due_at", Iso(r.survey.due_at)}};
  } else {
    j["survey"] = json{{"status", "skipped"}, {"reason", r.survey.skipped_reason}};
  }
  if (r.referral) {
    json ref{{"code", r.referral->code}, {"status", r.referral->status}};
    if (!r.referral->reward_code.empty()) ref["reward_code"] = r.referral->reward_code;
    j["referral"] = ref;
  } else {
    j["referral"] = nullptr;
  }
  return j;
}
}  // namespace

std::string ToJson(const app::IngestResult& r) { return IngestJson(r).dump(); }

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
  return json{{"created", created}, {"existing", existing}, {"failed", failed}, {"results", arr}}.dump();
}

std::string ToJson(const store::Shop& s) {
  const auto& st = s.settings;
  return json{{"id", s.id},
              {"name", s.name},
              {"url", s.url},
              {"survey_delay_seconds", st.survey_delay_seconds},
              {"throttle_days", st.throttle_days},
              {"discount_kind", st.discount_kind},
              {"discount_value", st.discount_value},
              {"reward_minor", st.reward_minor},
              {"currency", st.currency},
              {"code_expiry_days", st.code_expiry_days},
              {"code_max_uses", st.code_max_uses},
              {"landing_url", st.landing_url},
              {"locale", st.locale},
              {"sender_name", st.sender_name},
              {"created_at", Iso(s.created_at)}}
      .dump();
}

std::string CreatedShopJson(const app::CreatedShop& s) {
  json j = json::parse(ToJson(s.shop));
  j["api_key"] = s.api_key;
  return json{{"shop", j}, {"api_key", s.api_key}, {"shop_id", s.shop.id}}.dump();
}

namespace {

// The NPS report is written straight into a string, not through a JSON DOM: a 3-year day-interval
// report has 1,095 buckets, and building and serialising their DOM was half of the query's CPU
// (callgrind, docs/BENCHMARKS.md). Same members as the DOM gave, keys in its sorted order except
// that a bucket's "end" and "start" come last.
// `v` rounded to one decimal ("-12.3", "0.0"), as the DOM's rounded doubles printed, by integer
// arithmetic: fmt's float formatting was the largest part left of a 1,095-bucket report.
void AppendOneDecimal(std::string& out, double v) {
  const auto tenths = static_cast<int64_t>(std::llround(v * 10.0));
  const int64_t magnitude = tenths < 0 ? -tenths : tenths;
  if (tenths < 0) out += '-';
  out += std::to_string(magnitude / 10);
  out += '.';
  out += static_cast<char>('0' + magnitude % 10);
}

void AppendNps(std::string& out, const core::NpsEstimate& e) {
  out += "\"ci_high\":";
  AppendOneDecimal(out, e.ci_high);
  out += ",\"ci_low\":";
  AppendOneDecimal(out, e.ci_low);
  out += ",\"detractors\":";
  out += std::to_string(e.detractors);
  out += ",\"margin\":";
  AppendOneDecimal(out, e.margin);
  out += ",\"n\":";
  out += std::to_string(e.n);
  out += ",\"nps\":";
  AppendOneDecimal(out, e.nps);
  out += ",\"passives\":";
  out += std::to_string(e.passives);
  out += ",\"promoters\":";
  out += std::to_string(e.promoters);
}

}  // namespace

std::string ToJson(const app::NpsReport& r) {
  std::string out;
  out.reserve(256 + r.buckets.size() * 200);
  out += "{\"buckets\":[";
  for (size_t i = 0; i < r.buckets.size(); ++i) {
    const auto& b = r.buckets[i];
    out += i == 0 ? "{" : ",{";
    AppendNps(out, b.estimate);
    out += ",\"end\":\"";
    out += Iso(b.end);
    out += "\",\"start\":\"";
    out += Iso(b.start);
    out += "\"}";
  }
  out += "],\"confidence\":0.95,\"from\":\"";
  out += Iso(r.from);
  out += "\",\"interval\":";
  out += json(r.interval).dump();
  out += ",\"method\":\"adjusted-wald (Rocks 2016)\",\"overall\":{";
  AppendNps(out, r.overall);
  out += "},\"segment\":";
  out += r.segment ? json(*r.segment).dump() : "null";
  out += ",\"to\":\"";
  out += Iso(r.to);
  out += "\"}";
  return out;
}

std::string ToJson(const store::Funnel& f, Instant from, Instant to) {
  return json{{"from", Iso(from)},
              {"to", Iso(to)},
              {"orders", f.orders},
              {"surveys_scheduled", f.surveys_scheduled},
              {"surveys_sent", f.surveys_sent},
              {"responses", f.responses},
              {"promoters", f.promoters},
              {"activated", f.activated},
              {"share_visits", f.share_visits},
              {"referred_orders", f.referred_orders},
              {"referred_revenue_minor", f.referred_revenue_minor},
              {"rewards", f.rewards},
              {"reward_cost_minor", f.reward_cost_minor}}
      .dump();
}

std::string ToJson(const std::vector<store::PromoterRow>& rows, const std::string& currency) {
  json arr = json::array();
  for (const auto& p : rows) {
    arr.push_back(json{{"customer_id", p.external_id},
                       {"email", p.email},
                       {"first_name", p.first_name},
                       {"last_name", p.last_name},
                       {"code", p.code},
                       {"share_visits", p.visits},
                       {"referrals", p.referrals},
                       {"revenue", MoneyJson(p.revenue_minor, currency)},
                       {"reward_cost", MoneyJson(p.reward_cost_minor, currency)}});
  }
  return json{{"promoters", arr}}.dump();
}

std::string ToJson(const std::vector<store::ResponseRow>& rows) {
  json arr = json::array();
  for (const auto& r : rows) {
    arr.push_back(json{{"survey_id", r.survey_id},
                       {"order_id", r.order_external_id},
                       {"customer_id", r.customer_external_id},
                       {"email", r.email},
                       {"first_name", r.first_name},
                       {"last_name", r.last_name},
                       {"score", r.score},
                       {"category", core::CategoryName(core::Classify(core::Score{r.score}))},
                       {"comment", r.comment},
                       {"state", store::AnswerStateName(r.state)},
                       {"segment", r.segment},
                       {"answered_at", Iso(r.answered_at)}});
  }
  json j{{"responses", arr}};
  j["next_after"] = rows.empty() ? json(nullptr) : json(rows.back().survey_id);
  return j.dump();
}

std::string ToJson(const std::vector<store::Job>& jobs, const store::JobCounts& c) {
  json arr = json::array();
  for (const auto& job : jobs) {
    json e{{"id", job.id},
           {"kind", store::JobKindName(job.kind)},
           {"ref_id", job.ref_id},
           {"status", store::JobStatusName(job.status)},
           {"attempts", job.attempts},
           {"run_at", Iso(job.run_at)},
           {"last_error", job.last_error},
           {"created_at", Iso(job.created_at)}};
    e["finished_at"] = job.finished_at ? json(Iso(*job.finished_at)) : json(nullptr);
    arr.push_back(std::move(e));
  }
  return json{{"counts",
               {{"pending", c.pending}, {"running", c.running}, {"done", c.done}, {"failed", c.failed},
                {"skipped", c.skipped}}},
              {"jobs", arr}}
      .dump();
}

std::string ToJson(const app::CustomerExport& e) {
  const auto& c = e.customer;
  json orders = json::array();
  for (const auto& o : e.orders) {
    orders.push_back(json{{"id", o.external_id},
                          {"created_at", Iso(o.created_at)},
                          {"total", MoneyJson(o.total_minor, o.currency)},
                          {"discount_codes", o.discount_codes}});
  }
  json surveys = json::array();
  for (const auto& s : e.surveys) {
    json j{{"id", s.id}, {"due_at", Iso(s.due_at)}, {"status", store::SurveyStatusName(s.status)}, {"comment", s.comment},
           {"answer_state", store::AnswerStateName(s.answer_state)}};
    j["score"] = s.score ? json(*s.score) : json(nullptr);
    j["answered_at"] = s.answered_at ? json(Iso(*s.answered_at)) : json(nullptr);
    surveys.push_back(std::move(j));
  }
  json out{{"customer",
            {{"id", c.external_id}, {"email", c.email}, {"phone", c.phone}, {"first_name", c.first_name},
             {"last_name", c.last_name}, {"locale", c.locale}}},
           {"orders", orders},
           {"surveys", surveys}};
  out["customer"]["unsubscribed_at"] = c.unsubscribed_at ? json(Iso(*c.unsubscribed_at)) : json(nullptr);
  out["referral_code"] = e.code ? json{{"code", e.code->code}, {"uses", e.code->uses},
                                       {"visits", e.code->visits}}
                                : json(nullptr);
  return out.dump();
}

std::string TemplatesToJson(const std::map<std::string, std::string>& overrides,
                            const std::vector<std::string>& names) {
  return json{{"names", names}, {"overrides", overrides}}.dump();
}

}  // namespace vouch::api
