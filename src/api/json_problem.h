#pragma once
// Errors and JSON bodies as HTTP responses: RFC 9457 problem documents and the status each error
// code maps to. Pure functions, thread-safe.
#include <string>

#include "base/result.h"
#include "http/server.h"

namespace vouch::api {

// RFC 9457 problem document for an error; the status comes from StatusOf(error.code). A 400 names
// the field in its detail; a 500 keeps its details in the log ("internal error").
http::Response Problem(const Error& error);
int StatusOf(Code code);
// A JSON body with `status`, as application/json.
http::Response Json(int status, std::string body);

}  // namespace vouch::api
