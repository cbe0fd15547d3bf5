#pragma once
// The route areas of the HTTP surface, one registration function each (routes_<area>.cc). Each
// adds its routes to `router`; their handlers keep a reference to `app`, which must outlive the
// router. Api (handlers.h) composes them: adding an area is one line in its list.
#include <functional>
#include <string>

#include "api/router.h"
#include "app/app.h"

namespace vouch::api {

inline constexpr size_t kMaxBatchBody = 64 << 20;  // 64 MiB for /api/v1/orders/batch
inline constexpr size_t kMaxBatchOrders = 10'000;

// POST /api/v1/orders (with its I/O-thread fast path) and /api/v1/orders/batch.
void AddOrderRoutes(Router& router, app::App& app);
// /api/v1/settings and /api/v1/templates.
void AddSettingsRoutes(Router& router, app::App& app);
// /api/v1/nps, /funnel, /promoters, /promoters/{customer_id}, /responses, /categories.
void AddReportRoutes(Router& router, app::App& app);
// PATCH /api/v1/responses/{survey_id}/followup, GET /api/v1/followups/summary.
void AddFollowupRoutes(Router& router, app::App& app);
// Streamed CSV exports: /api/v1/responses.csv, /api/v1/promoters.csv, /api/v1/referrals.csv.
void AddExportRoutes(Router& router, app::App& app);
// /api/v1/jobs: the outbox, for a shop to see failed mail.
void AddJobRoutes(Router& router, app::App& app);
// /api/v1/customers/{id}: personal data export and erasure.
void AddPrivacyRoutes(Router& router, app::App& app);
// /hooks/shopify/{shop_id} and /hooks/woocommerce/{shop_id}: webhooks from the shop's store software.
void AddHookRoutes(Router& router, app::App& app);
// Customer pages: /s (answers, with the click fast path), /u (unsubscribe), /r (share links).
void AddPageRoutes(Router& router, app::App& app);
// /api/v1/session: dashboard sign-in, who is signed in, sign-out (session cookie).
void AddSessionRoutes(Router& router, app::App& app);
// /api/v1/users (admins) and /api/v1/session/password (the signed-in user's own).
void AddUserRoutes(Router& router, app::App& app);
// /api/v1/orders/{id}/refunds, /api/v1/orders/{id}/cancel, /api/v1/promoters/{id}/rewards.
void AddMoneyRoutes(Router& router, app::App& app);
// /api/v1/campaigns and /api/v1/compare/channels: paid campaigns beside the referral program.
void AddCampaignRoutes(Router& router, app::App& app);
// /api/v1/referrals/tree and /api/v1/program: referral generations; /api/v1/themes: comment themes.
void AddProgramRoutes(Router& router, app::App& app);
// /api/v1/experiments: offer experiments with their sequential test, stop and adopt.
void AddExperimentRoutes(Router& router, app::App& app);
// /api/v1/audiences: a shop's audiences (activation gate, offer, report cut).
void AddAudienceRoutes(Router& router, app::App& app);
// /api/v1/keys: a shop's API keys (admins).
void AddKeyRoutes(Router& router, app::App& app);
// /api/v1/webhooks: a shop's outgoing webhook and Slack endpoints (app/webhooks.h).
void AddWebhookRoutes(Router& router, app::App& app);
// /api/v1/themes/defined (a shop's own comment themes), /api/v1/themes/tagged and
// /api/v1/themes/over-time (their reports).
void AddDefinedThemeRoutes(Router& router, app::App& app);
// /healthz, /static/{path...} (the embedded web/static folder) and /api/v1/openapi.json (docs/api).
void AddAssetRoutes(Router& router, app::App& app);
// The dashboard's index.html at `/` and its client-side paths (/overview, /promoters/{id}, ...).
void AddDashboardRoutes(Router& router, app::App& app);
// Text messages: /hooks/kannel (inbound), /hooks/kannel/dlr (delivery reports), /hooks/twilio
// (both, signed), and /q/{token} (a texted survey's question page).
void AddSmsRoutes(Router& router, app::App& app);
// GET /metrics: `text` renders the page; with a non-empty `token`, only for "Bearer <token>".
void AddMetricsRoutes(Router& router, std::function<std::string()> text, std::string token);

}  // namespace vouch::api
