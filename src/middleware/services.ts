import { createMiddleware } from "hono/factory";
import { databaseFor } from "../db/client";
import { type AppEnv, Config } from "../env";
import { ApiError } from "../errors";
import { kvKey, PWNED_RANGE_TTL_SECONDS } from "../kv";
import { type BreachCheck, breachCheckFrom, type RangeCache } from "../services/breached-passwords";
import type { SessionDeps } from "../services/jwt-sessions";
import type { LimitRules } from "../services/limiter";
import type { MailDeps } from "../services/mail/delivery";
import { cloudflareMailer, consoleMailer, httpMailer, type Mailer } from "../services/mail/transports";

const systemClock = () => new Date();
const unixSeconds = (now: () => Date) => () => Math.floor(now().getTime() / 1000);
const ms = (seconds: number) => seconds * 1000;

/** Pwned Passwords ranges kept in KV (`pwnedRange`). */
function pwnedRangeCache(kv: KVNamespace): RangeCache {
  return {
    get: (prefix) => kv.get(kvKey("pwnedRange", prefix)),
    put: (prefix, range) => kv.put(kvKey("pwnedRange", prefix), range, { expirationTtl: PWNED_RANGE_TTL_SECONDS }),
  };
}

/** The attempt limits the vars set; the account back-off starts at one second and doubles. */
export function limitRules(config: Config): LimitRules {
  const mailWindowMs = ms(config.MAIL_REQUEST_WINDOW_SECONDS);
  const mailPerAddress = { limit: config.MAIL_REQUEST_MAX_PER_ADDRESS, windowMs: mailWindowMs };
  const mailPerAccount = { limit: config.MAIL_REQUEST_MAX_PER_ACCOUNT, windowMs: mailWindowMs };
  return {
    pair: { limit: config.LOGIN_PAIR_MAX_FAILURES, windowMs: ms(config.LOGIN_PAIR_WINDOW_SECONDS) },
    account: {
      limit: config.LOGIN_ACCOUNT_MAX_FAILURES,
      windowMs: ms(config.LOGIN_ACCOUNT_WINDOW_SECONDS),
      baseWaitMs: ms(1),
      maxWaitMs: ms(config.LOGIN_ACCOUNT_MAX_BACKOFF_SECONDS),
      knownForMs: ms(config.LOGIN_KNOWN_ADDRESS_SECONDS),
    },
    address: { limit: config.LOGIN_ADDRESS_MAX_FAILURES, windowMs: ms(config.LOGIN_ADDRESS_WINDOW_SECONDS) },
    requests: {
      registration: { limit: config.REGISTRATION_MAX_PER_ADDRESS, windowMs: ms(config.REGISTRATION_WINDOW_SECONDS) },
      passwordReset: mailPerAddress,
      verificationMail: mailPerAddress,
      tokenFailure: { limit: config.TOKEN_CONFIRM_MAX_FAILURES, windowMs: ms(config.TOKEN_CONFIRM_WINDOW_SECONDS) },
    },
    accountRequests: { passwordReset: mailPerAccount, verificationMail: mailPerAccount },
  };
}

/** What is the same for every request of an isolate: the config and the settings derived from it. */
interface IsolateState {
  config: Config;
  tokenSettings: SessionDeps["settings"];
  limitRules: LimitRules;
  breaches: BreachCheck;
  mail: Omit<MailDeps, "requestId">;
}

// A failed send waits this long before its one retry.
const MAIL_RETRY_DELAY_MS = 500;

/** The transport MAIL_TRANSPORT names, or a problem with the config; none for console without PUBLIC_URL. */
function mailerFor(config: Config, env: Env): Mailer | undefined | { problem: string } {
  const from = { name: config.APP_NAME, email: config.MAIL_FROM };
  switch (config.MAIL_TRANSPORT) {
    case "console":
      return config.PUBLIC_URL ? consoleMailer(config.PUBLIC_URL) : undefined;
    case "cloudflare":
      // A binding is not a var: Config cannot see it, so its absence is checked here.
      if (!env.EMAIL) return { problem: "EMAIL: MAIL_TRANSPORT=cloudflare needs the send_email binding EMAIL" };
      return cloudflareMailer(env.EMAIL, from);
    case "http":
      return httpMailer(config.MAIL_API_URL, config.MAIL_API_KEY ?? "", from);
  }
}

function misconfigured(requestId: string, problems: string[]): ApiError {
  // Operators need to know which setting is wrong; callers only that the server is at fault.
  console.error(JSON.stringify({ level: "error", requestId, msg: "invalid configuration", problems }));
  return new ApiError("MISCONFIGURED", { message: "The server is misconfigured. Please contact its operator." });
}

// The runtime hands every request of an isolate the same, immutable `env`: its parsed config, and
// what is derived from it, are kept beside it rather than built again per request. Only a valid
// config is kept, so a bad one is logged on every request until it is fixed.
const isolateStates = new WeakMap<Env, IsolateState>();

function isolateState(env: Env, requestId: string): IsolateState {
  const cached = isolateStates.get(env);
  if (cached) return cached;
  const parsed = Config.safeParse(env);
  if (!parsed.success) {
    throw misconfigured(
      requestId,
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const config = parsed.data;
  const mailer = mailerFor(config, env);
  if (mailer && "problem" in mailer) throw misconfigured(requestId, [mailer.problem]);
  const state = {
    config,
    tokenSettings: {
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      accessTtlSeconds: config.ACCESS_TOKEN_TTL,
      refreshTtlSeconds: config.REFRESH_TOKEN_TTL,
    },
    limitRules: limitRules(config),
    breaches: breachCheckFrom(config, pwnedRangeCache(env.AUTH_KV)),
    mail: {
      mailer,
      appName: config.APP_NAME,
      links: {
        publicUrl: config.PUBLIC_URL,
        resetTemplate: config.PASSWORD_RESET_URL,
        verifyTemplate: config.EMAIL_VERIFY_URL,
      },
      resetTtlSeconds: config.PASSWORD_RESET_TTL,
      verificationTtlSeconds: config.EMAIL_VERIFICATION_TTL,
      requireEmailVerification: config.REQUIRE_EMAIL_VERIFICATION,
      retryDelayMs: MAIL_RETRY_DELAY_MS,
    },
  };
  isolateStates.set(env, state);
  return state;
}

/** `waitUntil`, where there is an execution context; `app.request` in a script or test has none. */
function runAfterResponse(
  context: () => { waitUntil(task: Promise<unknown>): void },
): (task: Promise<unknown>) => void {
  return (task) => {
    try {
      context().waitUntil(task);
    } catch {
      // No execution context: the task, already running, runs on unawaited.
    }
  };
}

/** Builds this request's services from the isolate's config and settings and the bindings. */
export const services = createMiddleware<AppEnv>(async (c, next) => {
  const { config, tokenSettings, limitRules: rules, breaches, mail } = isolateState(c.env, c.var.requestId);
  const db = databaseFor(config.DATABASE_URL);
  const { AUTH_KV: kv, MEDIA: bucket } = c.env;
  const now = systemClock;
  const mailing = { mail: { ...mail, requestId: c.var.requestId }, later: runAfterResponse(() => c.executionCtx) };
  c.set("config", config);
  c.set("services", {
    db,
    kv,
    bucket,
    requestId: c.var.requestId,
    now,
    jwtSessions: { db, kv, settings: tokenSettings },
    apiTokens: { db, ttlSeconds: config.API_TOKEN_TTL },
    pictures: { db, bucket },
    staffSessions: {
      kv,
      idleSeconds: config.ADMIN_SESSION_IDLE_SECONDS,
      maxSeconds: config.ADMIN_SESSION_MAX_SECONDS,
      now: unixSeconds(now),
    },
    limiter: {
      namespace: c.env.LIMITER,
      rules,
      // Cloudflare sets CF-Connecting-IP on every request it passes on; only local runs lack it.
      clientAddress: c.req.header("CF-Connecting-IP") ?? "local",
      now,
    },
    breaches,
    ...mailing,
    adminContext: (actor) => ({
      ...mailing,
      now,
      db,
      bucket,
      actor,
      scopes: config.STAFF_SCOPES,
      roles: config.ROLES,
      breaches,
      requestId: c.var.requestId,
    }),
  });
  await next();
});
