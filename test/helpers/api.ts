import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createDb } from "../../src/db/client";
import { SigningKeys } from "../../src/services/signing-keys";
import type { TokenSettings } from "../../src/services/tokens";
import { appRequest, fetchWorker } from "./fetch-worker";

export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies.
  body: any;
}

/** A random client address (198.51.x.y), for `CF-Connecting-IP`. */
export function randomIp(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(2));
  return `198.51.${bytes[0]}.${bytes[1]}`;
}

/**
 * Sends a JSON request to the Worker under test, as a client of the documents would. It comes from
 * an address of its own unless `headers` name one (`CF-Connecting-IP`): the attempt limits count
 * per address, and no test should meet another's counts.
 */
export async function api(
  method: string,
  path: string,
  {
    body,
    token,
    headers = {},
    settle,
  }: {
    body?: unknown;
    token?: string;
    headers?: Record<string, string>;
    /** Wait for what the request does after its response (mail), with these bindings or the test's. */
    settle?: true | Env;
  } = {},
): Promise<ApiResponse> {
  const send = settle
    ? (url: string, init: RequestInit) => appRequest(url, init, settle === true ? env : settle)
    : fetchWorker;
  const response = await send(`http://localhost${path}`, {
    method,
    headers: {
      "CF-Connecting-IP": randomIp(),
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** A fresh address for every test, so tests never share users. */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}.${crypto.randomUUID().slice(0, 12)}@example.com`;
}

export const STRONG_PASSWORD = "correct-Horse-battery-9";

/** Registers a user through `/auth/register/` and logs them in; returns their tokens. */
export async function registerAndLogin(overrides: Record<string, unknown> = {}) {
  const email = uniqueEmail();
  const registration = {
    email,
    password: STRONG_PASSWORD,
    password_confirm: STRONG_PASSWORD,
    fullName: "Test Person",
    role: "student",
    ...overrides,
  };
  const registered = await api("POST", "/auth/register/", { body: registration });
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  const login = await api("POST", "/auth/login/", {
    body: { email: registration.email, password: registration.password },
  });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  const { access, refresh, user } = login.body.data;
  return { email: registration.email as string, password: registration.password as string, access, refresh, user };
}

/** A registration body as the document shows it, with a fresh email; any field can be overridden. */
export function registrationBody(overrides: Record<string, unknown> = {}) {
  return {
    email: uniqueEmail(),
    password: STRONG_PASSWORD,
    password_confirm: STRONG_PASSWORD,
    fullName: "Test Person",
    role: "student",
    ...overrides,
  };
}

/** A database handle on the MySQL the Worker under test uses, for arranging rows and reading them back. */
export function testDb() {
  return createDb(env.DATABASE_URL);
}

/** The Worker's token settings, from the same vars, for tests that sign tokens with a fixed clock. */
export function testTokenSettings(): TokenSettings {
  const keys = new SigningKeys({
    algorithm: "HS256",
    hmacSecret: env.JWT_SECRET,
    db: testDb(),
    policy: { tokenLifetimeSeconds: Number(env.REFRESH_TOKEN_TTL), publishSeconds: 600 },
  });
  return {
    keys,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    accessTtlSeconds: Number(env.ACCESS_TOKEN_TTL),
    refreshTtlSeconds: Number(env.REFRESH_TOKEN_TTL),
  };
}

/**
 * Asserts the `/auth/` document's error envelope, `{success:false, errors:{field:[...]}, message}`,
 * with this status; returns the field errors for further checks.
 */
export function expectErrorEnvelope(response: ApiResponse, status: number): Record<string, string[]> {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  expect(response.body).toMatchObject({ success: false, message: expect.any(String) });
  const { errors } = response.body;
  expect(typeof errors === "object" && errors !== null && !Array.isArray(errors)).toBe(true);
  for (const messages of Object.values(errors)) {
    expect(Array.isArray(messages) && messages.length > 0).toBe(true);
    for (const message of messages as unknown[]) expect(typeof message).toBe("string");
  }
  return errors;
}

/** Sends a body exactly as given, for malformed JSON and other media types that `api()` cannot send. */
export async function apiRaw(method: string, path: string, body: string, contentType: string): Promise<ApiResponse> {
  const response = await fetchWorker(`http://localhost${path}`, {
    method,
    headers: { "Content-Type": contentType },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}
