import { createMiddleware } from "hono/factory";
import { databaseFor } from "../db/client";
import { type AppEnv, Config } from "../env";
import { ApiError } from "../errors";
import { kvKey, PWNED_RANGE_TTL_SECONDS } from "../kv";
import { type BreachCheck, breachCheckFrom, type RangeCache } from "../services/breached-passwords";
import type { SessionDeps } from "../services/jwt-sessions";
import type { LimitRules } from "../services/limiter";
import { SigningKeys } from "../services/signing-keys";

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
    },
  };
}

/** What is the same for every request of an isolate: the config and the settings derived from it. */
interface IsolateState {
  config: Config;
  tokenSettings: SessionDeps["settings"];
  signingKeys: SigningKeys;
  limitRules: LimitRules;
  breaches: BreachCheck;
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
    // Operators need to know which setting is wrong; callers only that the server is at fault.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    console.error(JSON.stringify({ level: "error", requestId, msg: "invalid configuration", problems }));
    throw new ApiError("MISCONFIGURED", { message: "The server is misconfigured. Please contact its operator." });
  }
  const config = parsed.data;
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
  };
  isolateStates.set(env, state);
  return state;
}

/** Builds this request's services from the isolate's config and settings and the bindings. */
export const services = createMiddleware<AppEnv>(async (c, next) => {
  const { config, tokenSettings, signingKeys, limitRules: rules, breaches } = isolateState(c.env, c.var.requestId);
  const db = databaseFor(config.DATABASE_URL);
  const { AUTH_KV: kv, MEDIA: bucket } = c.env;
  const now = systemClock;
  c.set("config", config);
  c.set("services", {
    db,
    kv,
    bucket,
    requestId: c.var.requestId,
    now,
    jwtSessions: { db, kv, settings: tokenSettings },
    signingKeys,
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
    adminContext: (actor) => ({
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
