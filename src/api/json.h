#pragma once
// JSON in and out of the API: the only module that knows nlohmann::json (in its json_*.cc files).
// One header per area; this umbrella includes them all. Parsers name the offending field in the
// error ("customer.email", "line_items[2].price"); an order's JSON is only mapped onto
// app::RawOrder, its rules are app::ValidateOrder's (app/order_input.h).
#include "api/json_jobs.h"
#include "api/json_keys.h"
#include "api/json_orders.h"
#include "api/json_privacy.h"
#include "api/json_problem.h"
#include "api/json_reports.h"
#include "api/json_session.h"
#include "api/json_settings.h"
#include "api/json_users.h"
