import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { expect, inject } from "vitest";
import { IMAGES } from "../../fixtures/images";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export interface Account {
  email: string;
  password: string;
}

/** A fresh address per run: the harness's database lives for one run, but names stay readable. */
export const freshEmail = (name: string) => `${name}.${randomBytes(3).toString("hex")}@example.com`;

/**
 * Makes a superuser the way an operator does, with the real CLI (`npm run createsuperuser` runs
 * this same command) against the database the Worker under test uses.
 */
export async function createSuperuserWithCli(): Promise<Account> {
  const account = { email: freshEmail("ada.admin"), password: "Browser-suite-superuser-42" };
  const { stdout } = await promisify(execFile)(
    `${ROOT}node_modules/.bin/tsx`,
    ["scripts/createsuperuser.ts", "--email", account.email, "--full-name", "Ada Admin", "--no-input"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: inject("mysqlUrl"),
        PWNED_PASSWORDS_URL: inject("pwnedPasswordsUrl"),
        AUTH_SUPERUSER_PASSWORD: account.password,
      },
    },
  );
  expect(stdout).toContain(`Superuser created: ${account.email}`);
  return account;
}

/** Calls the Worker's JSON API from Node, as an app would. */
export async function callApi(method: string, path: string, { body, token }: { body?: unknown; token?: string } = {}) {
  const response = await fetch(`${inject("baseUrl")}${path}`, {
    method,
    headers: {
      ...(body ? { "Content-Type": "application/json" } : {}),
      ...(token ? { Authorization: `Token ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Registers a patient through `/api/users/register/` and logs them in; returns their id and Token. */
export async function registerPatient(firstName: string, lastName: string) {
  const account = { email: freshEmail(firstName.toLowerCase()), password: "Patient-password-1729" };
  const registration = {
    ...account,
    password_confirm: account.password,
    first_name: firstName,
    last_name: lastName,
    role: "patient",
    bio: "Registered by the browser suite",
  };
  const registered = await callApi("POST", "/api/users/register/", { body: registration });
  expect(registered.status).toBe(201);
  const login = await callApi("POST", "/api/users/login/", { body: account });
  expect(login.status).toBe(200);
  return { ...account, id: registered.body.id as number, token: login.body.token as string };
}

/** Logs in through the login page, by the fields' labels, as a person would. */
export async function logIn(page: Page, account: Account): Promise<void> {
  await page.goto("/admin/");
  await page.getByLabel("Email address").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL("**/admin/users");
}

/** Gives a user a profile picture through `/api/users/me/picture/`, so their page shows one. */
export async function uploadPicture(token: string): Promise<void> {
  const response = await fetch(`${inject("baseUrl")}/api/users/me/picture/`, {
    method: "PUT",
    headers: { Authorization: `Token ${token}`, "Content-Type": IMAGES.png.mediaType },
    body: IMAGES.png.bytes,
  });
  expect(response.status).toBe(200);
}
