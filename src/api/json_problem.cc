#include "api/json_problem.h"

#include <utility>

#include <nlohmann/json.hpp>

namespace vouch::api {

using nlohmann::json;

namespace {

const char* Title(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
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
    case Code::kPermissionDenied: return 403;
    case Code::kResourceExhausted: return 429;
    case Code::kPayloadTooLarge: return 413;
    case Code::kUnavailable: return 503;
    case Code::kInternal: return 500;
  }
  return 500;
}

http::Response Problem(const Error& error) {
  const int status = StatusOf(error.code);
  json j{
      {"type", "about:blank"}, {"title", Title(status)}, {"status", status}, {"code", CodeName(error.code)}};
  // Internal errors keep their details in the log, not in the answer.
  j["detail"] = status == 500 ? "internal error" : error.message;
  if (!error.field.empty()) {
    j["field"] = error.field;
    if (status == 400) j["detail"] = error.field + " " + error.message;
  }
  http::Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = j.dump(-1, ' ', false, json::error_handler_t::replace);
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

}  // namespace vouch::api
