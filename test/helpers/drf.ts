import { expect } from "vitest";
import { type ApiResponse, api, STRONG_PASSWORD, uniqueEmail } from "./api";

/** `Authorization: Token <key>`, as the `/api/users/` document's clients send it. */
export const tokenAuth = (token: string) => ({ Authorization: `Token ${token}` });

/** A registration body as the `/api/users/` document shows it, with a fresh email. */
export function drfRegistration(overrides: Record<string, unknown> = {}) {
  return {
    email: uniqueEmail("drf"),
    password: STRONG_PASSWORD,
    password_confirm: STRONG_PASSWORD,
    first_name: "John",
    last_name: "Doe",
    role: "patient",
    bio: "Patient bio here",
    ...overrides,
  };
}

/** Registers through `/api/users/register/` and logs in; returns the key and the user shown. */
export async function registerAndLoginDrf(overrides: Record<string, unknown> = {}) {
  const body = drfRegistration(overrides);
  const registered = await api("POST", "/api/users/register/", { body });
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  const login = await api("POST", "/api/users/login/", { body: { email: body.email, password: body.password } });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  return {
    email: body.email as string,
    password: body.password as string,
    token: login.body.token as string,
    user: login.body.user,
  };
}

/** Asserts DRF's validation shape, `{field: ["message"], ...}` and nothing else; returns it. */
export function expectFieldErrors(response: ApiResponse, status = 400): Record<string, string[]> {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  expect(response.body).not.toHaveProperty("success");
  expect(response.body).not.toHaveProperty("detail");
  for (const messages of Object.values(response.body)) {
    expect(Array.isArray(messages) && messages.length > 0).toBe(true);
    for (const message of messages as unknown[]) expect(typeof message).toBe("string");
  }
  return response.body;
}

/** Asserts DRF's `{detail: "..."}` with this status; returns the message. */
export function expectDetail(response: ApiResponse, status: number): string {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(Object.keys(response.body)).toEqual(["detail"]);
  expect(typeof response.body.detail).toBe("string");
  return response.body.detail;
}
