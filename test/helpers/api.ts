import { exports } from "cloudflare:workers";

export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies.
  body: any;
}

/** Sends a JSON request to the Worker under test, as a client of the documents would. */
export async function api(
  method: string,
  path: string,
  { body, token, headers = {} }: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const response = await exports.default.fetch(`http://localhost${path}`, {
    method,
    headers: {
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
