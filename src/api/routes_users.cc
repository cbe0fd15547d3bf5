// A shop's dashboard users (admins only): /api/v1/users, and a signed-in user's own password,
// /api/v1/session/password. Sessions and CSRF: params.h; the use cases: app/users.h.
#include "api/json_problem.h"
#include "api/json_users.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

void AddUserRoutes(Router& router, app::App& app) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/users",
              .handler = AuthedAs(app, true, [&app](const Request&, const Params&, const Principal& who) {
                auto users = app.users().List(who.shop.id);
                if (!users) return Problem(users.error());
                return Json(200, UsersJson(*users));
              })});
  // An invitation: the user gets a one-time password, shown here once.
  router.Add({.method = "POST",
              .pattern = "/api/v1/users",
              .handler = AuthedAs(app, true, [&app](const Request& req, const Params&, const Principal& who) {
                auto invite = ParseUserInvite(req.body);
                if (!invite) return Problem(invite.error());
                auto created = app.users().Create(who.shop.id, invite->email, invite->role);
                if (!created) return Problem(created.error());
                Response r = Json(201, CreatedUserJson(*created));
                r.headers.emplace_back("Cache-Control", "no-store");
                return r;
              })});
  router.Add(
      {.method = "PATCH",
       .pattern = "/api/v1/users/{id}",
       .handler = AuthedAs(app, true, [&app](const Request& req, const Params& p, const Principal& who) {
         auto role = ParseRoleChange(req.body);
         if (!role) return Problem(role.error());
         auto user = app.users().SetRole(who.shop.id, IdParam(p.at("id")), *role);
         if (!user) return Problem(user.error());
         return Json(200, UserJson(*user));
       })});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/users/{id}",
              .handler = AuthedAs(app, true, [&app](const Request&, const Params& p, const Principal& who) {
                auto done = app.users().Delete(who.shop.id, IdParam(p.at("id")));
                if (!done) return Problem(done.error());
                return NoContent();
              })});
  // Any signed-in user's own password (viewers too); ends their other sessions.
  router.Add({.method = "POST",
              .pattern = "/api/v1/session/password",
              .handler = [&app](const Request& req, const Params&) -> Response {
                auto s = AuthenticateSession(app, req);
                if (!s) return Problem(s.error());
                auto change = ParsePasswordChange(req.body);
                if (!change) return Problem(change.error());
                auto done = app.users().ChangePassword(s->shop.id, s->user.id, change->current_password,
                                                       change->new_password, s->session_id);
                if (!done) return Problem(done.error());
                return NoContent();
              }});
}

}  // namespace vouch::api
