import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { methodNotAllowed } from "hono/method-not-allowed";
import { ACCOUNT_PATHS, accountSite, renderAccountFailure } from "./account/site";
import { ADMIN_PATHS, adminSite, renderAdminFailure } from "./admin/site";
import type { AppEnv } from "./env";
import { ApiError, loggedApiError, renderError } from "./errors";
import { limitBody } from "./middleware/body-limit";
import { noStoreByDefault, securityHeaders } from "./middleware/response-headers";
import { services } from "./middleware/services";
import { apiPictures } from "./routes/api-pictures";
import { apiUsers } from "./routes/api-users";
import { apiUsersPasswordReset } from "./routes/api-users-password-reset";
import { apiUsersSessions } from "./routes/api-users-sessions";
import { apiUsersVerifyEmail } from "./routes/api-users-verify-email";
import { auth } from "./routes/auth";
import { authAudit } from "./routes/auth-audit";
import { authKeys } from "./routes/auth-keys";
import { authPasswordReset } from "./routes/auth-password-reset";
import { authProfile } from "./routes/auth-profile";
import { authSessions } from "./routes/auth-sessions";
import { authUsers } from "./routes/auth-users";
import { authVerifyEmail } from "./routes/auth-verify-email";
import { health } from "./routes/health";
import { media } from "./routes/media";
import { reference } from "./routes/reference";
import { wellKnown } from "./routes/well-known";

/**
 * What was thrown, answered in the shape of the wing the request belongs to. The admin site renders
 * its own errors; this hands it those raised before a request reaches it (a method it does not
 * serve, a misconfiguration, a body over the limit) and its unknown paths.
 */
function answerError(err: unknown, c: Context<AppEnv>): Response {
  if (ADMIN_PATHS.test(c.req.path)) return renderAdminFailure(err, c);
  if (ACCOUNT_PATHS.test(c.req.path)) return renderAccountFailure(err, c);
  return renderError(c, loggedApiError(err, c));
}

// strict: false serves `/auth/login` and `/auth/login/` alike: Django clients send the slash.
export const app = new Hono<AppEnv>({ strict: false });

app.use(securityHeaders, noStoreByDefault);
// Always our own id, never the client's X-Request-Id: the id goes into the audit trail, where a
// chosen one could forge correlations (and one over 64 characters would not fit its column).
app.use(async (c, next) => {
  const id = crypto.randomUUID();
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
});
app.use(
  methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) =>
      answerError(
        new ApiError("METHOD_NOT_ALLOWED", {
          message: `Method "${c.req.method}" not allowed.`,
          headers: { Allow: methods.join(", ") },
        }),
        c,
      ),
  }),
);
app.use(services);
app.use(
  "/auth/*",
  cors({
    origin: (origin, c) => (c.var.config.CORS_ORIGINS.includes(origin) ? origin : null),
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type"],
    maxAge: 600,
  }),
);
// Mounted before the general body limit below, which therefore never runs for it (its handler
// answers without calling on): the upload declares its own, larger limit on its route. Mounted one
// level up, as a mount path's own trailing slash would not reach the document.
const upload = app.route("/api/users/me", apiPictures);
app.use(limitBody((config) => config.MAX_BODY_BYTES));

// Chained (on from the upload), so that AppType carries every route's types for `hc<AppType>`.
const routes = upload
  .route("/health", health)
  .route("/auth", auth)
  .route("/auth", authProfile)
  .route("/auth/sessions", authSessions)
  .route("/auth/users", authUsers)
  .route("/auth/audit", authAudit)
  .route("/auth/password-reset", authPasswordReset)
  .route("/auth/verify-email", authVerifyEmail)
  .route("/api/users/sessions", apiUsersSessions)
  .route("/auth/keys", authKeys)
  .route("/api/users", apiUsers)
  .route("/api/users/password-reset", apiUsersPasswordReset)
  .route("/api/users/verify-email", apiUsersVerifyEmail)
  .route("/media", media)
  .route("/.well-known", wellKnown);
export type AppType = typeof routes;

app.route("/", reference);
app.route("/admin", adminSite);
app.route("/account", accountSite);

app.notFound((c) => answerError(new ApiError("NOT_FOUND", { message: "Not found." }), c));
app.onError(answerError);
