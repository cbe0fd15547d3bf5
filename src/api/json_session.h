#pragma once
// Dashboard sign-in in JSON (docs/dashboard contract): the sign-in body, a session as the
// dashboard sees it (its user and CSRF token; never the cookie's token). Pure functions,
// thread-safe.
#include <string>
#include <string_view>

#include "app/sessions.h"
#include "base/result.h"

namespace vouch::api {

// {"email","password","shop_id"?}; `client` is left empty. Errors name the field.
Result<app::SignInInput> ParseSignIn(std::string_view body);
// {"user":{"id","email","role","shop_id","shop_name"},"csrf_token"}
std::string SessionJson(const app::SessionInfo& s);

}  // namespace vouch::api
