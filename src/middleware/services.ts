import { createMiddleware } from "hono/factory";
import { databaseFor } from "../db/client";
import { type AppEnv, type Config, readConfig } from "../env";
import { ApiError } from "../errors";
import { kvKey, PWNED_RANGE_TTL_SECONDS } from "../kv";
import { type BreachCheck, breachCheckFrom, type RangeCache } from "../services/breached-passwords";
import type { LimitRules } from "../services/limiter";
import type { MailDeps } from "../services/mail/delivery";
import { cloudflareMailer, consoleMailer, httpMailer, type Mailer } from "../services/mail/transports";
import { clientFacts } from "../services/sessions";
import { SigningKeys } from "../services/signing-keys";
import type { TokenSettings } from "../services/tokens";

const systemClock = () => new Date();
const ms = (seconds: number) => seconds * 1000;

/** Pwned Passwords ranges kept in KV (`pwnedRange`). */
function pwnedRangeCache(kv: KVNamespace): RangeCache {
  return {
    get: (prefix) => kv.get(kvKey("pwnedRange", prefix)),
    put: (prefix, range) => kv.put(kvKey("pwnedRange", prefix), range, { expirationTtl: PWNED_RANGE_TTL_SECONDS }),
  };
}

const KV_READS = new Set<PropertyKey>(["get", "getWithMetadata", "list"]);

/**
 * `kv`, counting its reads into `reads`: for `npm run bench`, which reads the count of each response
 * from `Server-Timing`. Miniflare has no counter to ask, and counting here, only when BENCH_COUNTERS
 * is on, leaves every other request as it was. Reads of the isolate's Pwned Passwords cache (built
 * once, below) are not counted: only registrations and password changes make them.
 */
function countingReads(kv: KVNamespace, reads: { count: number }): KVNamespace {
  return new Proxy(kv, {
    get(target, key) {
      const member = Reflect.get(target, key, target);
      if (typeof member !== "function") return member;
      return (...args: unknown[]) => {
        if (KV_READS.has(key)) reads.count++;
        return member.apply(target, args);
      };
    },
  });
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
  tokenSettings: TokenSettings;
  signingKeys: SigningKeys;
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
  const read = readConfig(env);
  if ("problems" in read) throw misconfigured(requestId, read.problems);
  const { config } = read;
  const mailer = mailerFor(config, env);
  if (mailer && "problem" in mailer) throw misconfigured(requestId, [mailer.problem]);
  // Held by the isolate, like the database handle it reads keys through: its cache is the point.
  const signingKeys = new SigningKeys({
    algorithm: config.JWT_ALGORITHM,
    hmacSecret: config.JWT_SECRET,
    db: databaseFor(config.DATABASE_URL),
    keyEncryptionKey: config.JWT_KEY_ENCRYPTION_KEY,
    policy: {
      tokenLifetimeSeconds: Math.max(config.ACCESS_TOKEN_TTL, config.REFRESH_TOKEN_TTL),
      publishSeconds: config.JWT_KEY_PUBLISH_SECONDS,
    },
  });
  const state = {
    config,
    signingKeys,
    tokenSettings: {
      keys: signingKeys,
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
  const {
    config,
    tokenSettings,
    signingKeys,
    limitRules: rules,
    breaches,
    mail,
  } = isolateState(c.env, c.var.requestId);
  const db = databaseFor(config.DATABASE_URL);
  const kvReads = { count: 0 };
  const kv = config.BENCH_COUNTERS ? countingReads(c.env.AUTH_KV, kvReads) : c.env.AUTH_KV;
  const bucket = c.env.MEDIA;
  const now = systemClock;
  // Cloudflare sets CF-Connecting-IP on every request it passes on; only local runs lack it.
  const address = c.req.header("CF-Connecting-IP");
  const sessions = {
    db,
    client: clientFacts(c.req.header("User-Agent"), address),
    now,
    adminIdleSeconds: config.ADMIN_SESSION_IDLE_SECONDS,
  };
  const mailing = { mail: { ...mail, requestId: c.var.requestId }, later: runAfterResponse(() => c.executionCtx) };
  c.set("config", config);
  c.set("services", {
    db,
    bucket,
    requestId: c.var.requestId,
    now,
    sessions,
    signingKeys,
    jwtSessions: {
      ...sessions,
      kv,
      settings: tokenSettings,
      reuseGraceMs: ms(config.REFRESH_REUSE_GRACE_SECONDS),
      requestId: c.var.requestId,
    },
    apiTokens: { ...sessions, ttlSeconds: config.API_TOKEN_TTL },
    pictures: { db, bucket },
    staffSessions: { ...sessions, kv, maxSeconds: config.ADMIN_SESSION_MAX_SECONDS },
    limiter: { namespace: c.env.LIMITER, rules, clientAddress: address ?? "local", now },
    breaches,
    hashLimits: { maxImportedPbkdf2Iterations: config.MAX_IMPORTED_PBKDF2_ITERATIONS },
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
      sessions,
    }),
  });
  await next();
  if (config.BENCH_COUNTERS) c.res.headers.append("Server-Timing", `kv-reads;desc=${kvReads.count}`);
});
