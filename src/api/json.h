#pragma once
// JSON in and out of the API: the only module that knows nlohmann::json. Parsers name the
// offending field in the error ("customer.email", "line_items[2].price"); an order's JSON is only
// mapped onto app::RawOrder here, its rules are app::ValidateOrder's (app/order_input.h).
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "http/server.h"

namespace vouch::api {

// RFC 9457 problem document for an error; the status comes from StatusOf(error.code).
http::Response Problem(const Error& error);
int StatusOf(Code code);
http::Response Json(int status, std::string body);

Result<app::OrderInput> ParseOrder(std::string_view body);
// One element of a batch: the order's id as sent (when readable) and the parsed order or its error.
struct BatchItem {
  std::string id;
  Result<app::OrderInput> order;
};
// A JSON array of orders, or NDJSON (one order per line). Each element parsed alone: a bad one
// yields its error in place. kInvalidArgument for a body that is neither, or over `max` orders.
Result<std::vector<BatchItem>> ParseOrderBatch(std::string_view body, size_t max);
Result<app::SettingsPatch> ParseSettingsPatch(std::string_view body);

std::string ToJson(const app::IngestResult& r);
std::string BatchToJson(const std::vector<Result<app::IngestResult>>& results,
                        const std::vector<std::string>& ids);
std::string ToJson(const store::Shop& shop);
std::string ToJson(const app::NpsReport& r);
std::string ToJson(const store::Funnel& f, Instant from, Instant to);
std::string ToJson(const std::vector<store::PromoterRow>& rows, const std::string& currency);
std::string ToJson(const std::vector<store::ResponseRow>& rows);
std::string ToJson(const std::vector<store::Job>& jobs, const store::JobCounts& counts);
std::string ToJson(const app::CustomerExport& e);
std::string TemplatesToJson(const std::map<std::string, std::string>& overrides,
                            const std::vector<std::string>& names);
std::string CreatedShopJson(const app::CreatedShop& s);

}  // namespace vouch::api
