import { Hono } from "hono";
import { except } from "hono/combine";
import { cors } from "hono/cors";
import { methodNotAllowed } from "hono/method-not-allowed";
import { adminSite } from "./admin/site";
import type { AppEnv } from "./env";
import { ApiError, renderError, toApiError } from "./errors";
import { limitBody } from "./middleware/body-limit";
import { noStoreByDefault, securityHeaders } from "./middleware/response-headers";
import { services } from "./middleware/services";
import { adminUsers } from "./routes/admin-users";
import { apiUsers } from "./routes/api-users";
import { audit } from "./routes/audit";
import { auth } from "./routes/auth";
import { health } from "./routes/health";
import { media } from "./routes/media";
import { pictures } from "./routes/pictures";
import { profile } from "./routes/profile";

// Uploads have their own, larger limit, set on the route.
const PICTURE_PATHS = ["/api/users/me/picture", "/api/users/me/picture/"];

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
      renderError(
        c,
        new ApiError("METHOD_NOT_ALLOWED", {
          message: `Method "${c.req.method}" not allowed.`,
          headers: { Allow: methods.join(", ") },
        }),
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
app.use(
  except(
    PICTURE_PATHS,
    limitBody((config) => config.MAX_BODY_BYTES),
  ),
);

app.route("/health", health);
app.route("/auth", auth);
app.route("/auth", profile);
app.route("/auth/users", adminUsers);
app.route("/auth/audit", audit);
app.route("/api/users", apiUsers);
app.route("/api/users/me/picture", pictures);
app.route("/media", media);
app.route("/admin", adminSite);

app.notFound((c) => renderError(c, new ApiError("NOT_FOUND", { message: "Not found." })));

app.onError((err, c) => {
  const apiError = toApiError(err);
  if (apiError.status >= 500) {
    const cause =
      apiError.cause instanceof Error ? (apiError.cause.stack ?? apiError.cause.message) : String(apiError.cause);
    // The client's own id, if it sent one, helps match its report to this line; cut to a sane length.
    const clientRequestId = c.req.header("X-Request-Id")?.slice(0, 64);
    console.error(
      JSON.stringify({ level: "error", requestId: c.var.requestId, clientRequestId, code: apiError.code, cause }),
    );
  }
  return renderError(c, apiError);
});
