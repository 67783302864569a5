import { expect, inject } from "vitest";
import { callApi, registerPatient } from "./helpers/admin";
import { screenshot, test } from "./helpers/browser";

interface CaughtMail {
  subject: string;
  links: string[];
}

/** The newest message to `email` whose subject starts so, from the catcher's outbox, once it arrives. */
async function mailTo(email: string, subject: string): Promise<CaughtMail> {
  let found: CaughtMail | undefined;
  await expect
    .poll(async () => {
      const outbox = (await (
        await fetch(`${inject("mailCatcherUrl")}/outbox?to=${encodeURIComponent(email)}`)
      ).json()) as CaughtMail[];
      found = outbox.filter((mail) => mail.subject.startsWith(subject)).at(-1);
      return found !== undefined;
    })
    .toBe(true);
  return found as CaughtMail;
}

test("a user asks for a reset, opens the mailed link, sets a password on the page and logs in with it", async ({
  page,
}) => {
  const patient = await registerPatient("Reset", "Me");
  expect((await callApi("POST", "/api/users/password-reset/", { body: { email: patient.email } })).status).toBe(200);
  const [link] = (await mailTo(patient.email, "Reset your password")).links;
  expect(link).toMatch(new RegExp(`^${inject("baseUrl")}/account/reset-password\\?token=[\\w-]{43}$`));

  await page.goto(link as string);
  await expect.poll(() => page.locator("h1").textContent()).toBe("Choose a new password");
  await screenshot(page, "reset-password");

  await page.getByLabel("New password", { exact: true }).fill("12345678");
  await page.getByLabel("New password again").fill("12345678");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect
    .poll(() => page.locator("#new_password-errors").textContent())
    .toContain("This password is entirely numeric.");
  await screenshot(page, "reset-password-error");

  const password = "browser-Reset-secret-31";
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("New password again").fill(password);
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect.poll(() => page.locator("h1").textContent()).toBe("Password reset");
  await screenshot(page, "reset-password-done");

  // The old session is dead, the old password too, the new one works.
  expect((await callApi("GET", "/api/users/me/", { token: patient.token })).status).toBe(401);
  expect(
    (await callApi("POST", "/api/users/login/", { body: { email: patient.email, password: patient.password } })).status,
  ).toBe(400);
  const login = await callApi("POST", "/api/users/login/", { body: { email: patient.email, password } });
  expect(login.status).toBe(200);
  await mailTo(patient.email, "Your password was changed");

  await page.goto(link as string);
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("New password again").fill(password);
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect.poll(() => page.getByRole("alert").textContent()).toContain("This link is invalid, used or expired.");
  await screenshot(page, "reset-password-used-link");
});
