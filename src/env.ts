import * as z from "zod";
import type { Database } from "./db/client";
import type { User } from "./db/schema";
import type { AdminContext } from "./services/administration";
import type { ApiTokenStore } from "./services/api-tokens";
import { type BreachCheck, BreachCheckVars } from "./services/breached-passwords";
import { DEFAULT_HASH_LIMITS, type HashLimits } from "./services/django-hashes";
import type { JwtSessionStore } from "./services/jwt-sessions";
import { checkSigningKeyVars, SigningKeyVars } from "./services/key-lifecycle";
import type { LimiterDeps } from "./services/limiter";
import type { MailDeps } from "./services/mail/delivery";
import type { PictureDeps } from "./services/pictures";
import type { SessionStore } from "./services/sessions";
import type { SigningKeys } from "./services/signing-keys";
import type { StaffSessionStore } from "./services/staff-sessions";

const csv = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean),
);

const seconds = z.coerce.number().int().positive();
const count = z.coerce.number().int().positive();

/** `teacher:student,doctor:patient` -> `{teacher: ["student"], doctor: ["patient"]}`. */
const staffScopes = csv.pipe(
  z
    .array(z.string().regex(/^[\w-]+:[\w-]+$/, "STAFF_SCOPES entries look like staff_role:looked_after_role"))
    .transform((pairs) => {
      const scopes: Record<string, string[]> = {};
      for (const [staff = "", looked = ""] of pairs.map((pair) => pair.split(":"))) {
        scopes[staff] = [...(scopes[staff] ?? []), looked];
      }
      return scopes;
    }),
);

const flag = z.enum(["true", "false"]).transform((value) => value === "true");

/** A link template of PASSWORD_RESET_URL or EMAIL_VERIFY_URL: an http(s) URL with `{token}` in it. */
const linkTemplate = (name: string) =>
  z
    .union([
      z.literal(""),
      z
        .string()
        .refine((template) => template.includes("{token}"), `${name} must contain {token}`)
        .refine(
          (template) => /^https?:$/.test(URL.parse(template.replaceAll(/{(token|uid)}/g, "x"))?.protocol ?? ""),
          `${name} must be an http(s) URL`,
        ),
    ])
    .optional()
    .transform((template) => template || undefined);

// Mail (src/services/mail/): which transport, who sends, what the links lead to and how long they live.
const MailVars = z.object({
  MAIL_TRANSPORT: z.enum(["console", "cloudflare", "http"]).default("console"),
  MAIL_FROM: z.email({ error: "MAIL_FROM must be an email address" }).default("no-reply@example.com"),
  APP_NAME: z.string().trim().min(1).max(100).default("edge-auth"),
  // The provider's send endpoint (Resend's by default) and its key, for MAIL_TRANSPORT=http.
  MAIL_API_URL: z.url({ protocol: /^https?$/ }).default("https://api.resend.com/emails"),
  MAIL_API_KEY: z.string().min(1).optional(),
  PASSWORD_RESET_TTL: seconds.default(3600),
  EMAIL_VERIFICATION_TTL: seconds.default(86_400),
  PASSWORD_RESET_URL: linkTemplate("PASSWORD_RESET_URL"),
  EMAIL_VERIFY_URL: linkTemplate("EMAIL_VERIFY_URL"),
  REQUIRE_EMAIL_VERIFICATION: flag.default(false),
  // Mail requests (reset, verification resend): per account (over it, the answer stays the same and
  // nothing is sent) and per address (429), in one window; failed token confirmations per address.
  MAIL_REQUEST_MAX_PER_ACCOUNT: count.default(3),
  MAIL_REQUEST_MAX_PER_ADDRESS: count.default(20),
  MAIL_REQUEST_WINDOW_SECONDS: seconds.default(3600),
  TOKEN_CONFIRM_MAX_FAILURES: count.default(20),
  TOKEN_CONFIRM_WINDOW_SECONDS: seconds.default(3600),
});

/** Vars and secrets as the Worker receives them: strings, parsed and checked (see middleware/services.ts). */
export const Config = z
  .object({
    JWT_SECRET: z
      .string({ error: "JWT_SECRET is not set" })
      // HS256 keys shorter than the hash output weaken the MAC (RFC 7518 section 3.2).
      .refine((secret) => new TextEncoder().encode(secret).byteLength >= 32, "JWT_SECRET must be at least 32 bytes"),
    DATABASE_URL: z.url({ error: "DATABASE_URL must be a URL" }),
    ACCESS_TOKEN_TTL: seconds.default(3600),
    REFRESH_TOKEN_TTL: seconds.default(604_800),
    API_TOKEN_TTL: seconds.default(2_592_000),
    JWT_ISSUER: z.string().min(1).default("edge-auth"),
    JWT_AUDIENCE: z.string().min(1).default("edge-auth"),
    ROLES: csv.default(["student", "teacher", "admin", "doctor", "patient"]),
    CORS_ORIGINS: csv.default([]),
    STAFF_SCOPES: staffScopes.default({ teacher: ["student"], doctor: ["patient"] }),
    MAX_BODY_BYTES: z.coerce.number().int().positive().default(65_536),
    MAX_PICTURE_BYTES: z.coerce.number().int().positive().default(2_097_152),
    // The admin site (src/admin/). KV refuses TTLs under 60 s, and both of these become KV TTLs.
    ADMIN_SESSION_IDLE_SECONDS: seconds.min(60).default(1800),
    ADMIN_SESSION_MAX_SECONDS: seconds.min(60).default(43_200),
    // How long the refresh token a rotation replaced still gets its successor (two tabs refreshing at once).
    REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().nonnegative().default(10),
    // The hourly purge: sessions ended (expired or revoked) this long ago go, and the audit log's
    // entries too when AUDIT_RETENTION_DAYS is set (it is kept otherwise).
    SESSION_RETENTION_DAYS: z.coerce.number().int().nonnegative().default(30),
    AUDIT_RETENTION_DAYS: z.union([z.literal(""), z.coerce.number().int().positive()]).default(""),
    // Where clients reach the API, for /openapi.json's `servers`; unset or empty: the request's origin.
    PUBLIC_URL: z
      .union([z.literal(""), z.url({ protocol: /^https?$/, error: "PUBLIC_URL must be an http(s) URL" })])
      .optional()
      .transform((url) => (url ? url.replace(/\/+$/, "") : undefined)),
    // Attempt limits (src/services/limiter.ts): failed logins and old-password checks per account
    // from one address, per account from every address (then a back-off that spares addresses that
    // signed in to it within LOGIN_KNOWN_ADDRESS_SECONDS), per address; registrations per address.
    LOGIN_PAIR_MAX_FAILURES: count.default(5),
    LOGIN_PAIR_WINDOW_SECONDS: seconds.default(900),
    LOGIN_ACCOUNT_MAX_FAILURES: count.default(10),
    LOGIN_ACCOUNT_WINDOW_SECONDS: seconds.default(900),
    LOGIN_ACCOUNT_MAX_BACKOFF_SECONDS: seconds.default(900),
    LOGIN_KNOWN_ADDRESS_SECONDS: seconds.default(2_592_000),
    LOGIN_ADDRESS_MAX_FAILURES: count.default(50),
    LOGIN_ADDRESS_WINDOW_SECONDS: seconds.default(900),
    REGISTRATION_MAX_PER_ADDRESS: count.default(20),
    REGISTRATION_WINDOW_SECONDS: seconds.default(3600),
    // Imported Django hashes (npm run import:django) above this many PBKDF2 iterations are refused, so
    // a crafted hash cannot burn a login's CPU; Django 6.0 makes 1,200,000.
    MAX_IMPORTED_PBKDF2_ITERATIONS: count.max(10_000_000).default(DEFAULT_HASH_LIMITS.maxImportedPbkdf2Iterations),
    // New passwords checked against Pwned Passwords: PWNED_PASSWORDS_URL, BREACHED_PASSWORD_CHECK.
    ...BreachCheckVars.shape,
    // Dev only, never in wrangler.toml: "on" counts each request's KV reads for `npm run bench`
    // (`npm run dev -- --bench` sets it; see middleware/services.ts).
    BENCH_COUNTERS: z
      .string()
      .optional()
      .transform((value) => value === "on"),
    // How tokens are signed (src/services/key-lifecycle.ts): JWT_ALGORITHM, JWT_KEY_ENCRYPTION_KEY,
    // JWT_KEY_PUBLISH_SECONDS.
    ...SigningKeyVars.shape,
    ...MailVars.shape,
  })
  .superRefine(checkSigningKeyVars)
  // Links in mail are built from PUBLIC_URL alone: a request's Host header is the sender's to
  // choose, so a reset link built from it could point a victim at an attacker's domain.
  .refine((config) => config.MAIL_TRANSPORT === "console" || config.PUBLIC_URL !== undefined, {
    path: ["PUBLIC_URL"],
    message: "PUBLIC_URL must be set when MAIL_TRANSPORT sends mail: links in mail are built from it",
  })
  .refine((config) => config.MAIL_TRANSPORT !== "http" || config.MAIL_API_KEY !== undefined, {
    path: ["MAIL_API_KEY"],
    message: "MAIL_API_KEY is not set (MAIL_TRANSPORT=http)",
  });

export type Config = z.infer<typeof Config>;

/** The config the bindings give, or what is wrong with them, one line a setting, for the operator. */
export function readConfig(env: Env): { config: Config } | { problems: string[] } {
  const parsed = Config.safeParse(env);
  if (parsed.success) return { config: parsed.data };
  return { problems: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) };
}

/** Every dependency the services take, for one request: handlers pass these on, never build them. */
export interface Services {
  db: Database;
  bucket: R2Bucket;
  requestId: string;
  /** The clock every service that records a time reads. */
  now: () => Date;
  /** The session rows of every kind: listing and ending them. */
  sessions: SessionStore;
  jwtSessions: JwtSessionStore;
  /** The isolate's signing keys: the JWKS, rotation and revocation. */
  signingKeys: SigningKeys;
  apiTokens: ApiTokenStore;
  pictures: PictureDeps;
  staffSessions: StaffSessionStore;
  /** The attempt limits, for this request's client address. */
  limiter: LimiterDeps;
  /** The breached-password check every new password goes through. */
  breaches: BreachCheck;
  /** How much work an imported Django hash may ask of one password check. */
  hashLimits: HashLimits;
  /** Mail, sent after the response (`waitUntil`), and the links it carries. */
  mail: MailDeps;
  /** Runs `task` after the response (`waitUntil`); it must catch its own failures. */
  later(task: Promise<unknown>): void;
  /** The administration services acting for `actor`: the API and the admin site alike. */
  adminContext(actor: User): AdminContext;
}

/**
 * What every request has. What only some have (the caller, the staff member of an admin page) is
 * declared by the middleware that sets it, so a handler that needs it without that middleware in
 * front does not compile.
 */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    config: Config;
    /** Every dependency the services take, built once per request (middleware/services.ts). */
    services: Services;
  };
}
