import { beforeAll, expect, inject } from "vitest";
import { type Account, callApi, createSuperuserWithCli, logIn, registerPatient, uploadPicture } from "./helpers/admin";
import { screenshot, test } from "./helpers/browser";

let superuser: Account;
let patient: Awaited<ReturnType<typeof registerPatient>>;

beforeAll(async () => {
  superuser = await createSuperuserWithCli();
  patient = await registerPatient("Pat", "Ient");
  await uploadPicture(patient.token);
});

test("a superuser logs in, finds a patient, makes them a doctor and deactivates them", async ({ page }) => {
  await page.goto("/admin/");
  await expect.poll(() => page.url()).toMatch(/\/admin\/login\?next=%2Fadmin%2F$/);
  await screenshot(page, "admin-login");

  await page.getByLabel("Email address").fill(superuser.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect.poll(() => page.getByRole("alert").textContent()).toContain("Please enter the correct email");
  await screenshot(page, "admin-login-error");

  await logIn(page, superuser);
  await expect.poll(() => page.locator("h1").textContent()).toBe("Users");
  await screenshot(page, "admin-users");

  await page.getByLabel("Search email or name").fill(patient.email);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect.poll(() => page.locator("#users-summary").textContent()).toBe("Showing 1–1 of 1");
  await screenshot(page, "admin-users-search");

  await page.getByRole("link", { name: patient.email }).click();
  await expect.poll(() => page.locator("h1").textContent()).toBe("Pat Ient");
  // The picture comes from /media/, which the CSP's img-src 'self' allows.
  expect(
    await page
      .getByRole("img", { name: "Pat Ient" })
      .evaluate((image) => (image as { naturalWidth: number }).naturalWidth),
  ).toBe(2);
  await screenshot(page, "admin-user");

  // A mistake first: the error shows beside its field, and what was typed stays.
  await page.getByLabel("Email address").fill("not-an-email");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect.poll(() => page.locator("#email-errors").textContent()).toBe("Enter a valid email address.");
  expect(await page.getByLabel("Email address").inputValue()).toBe("not-an-email");
  await screenshot(page, "admin-user-validation-error");

  await page.getByLabel("Email address").fill(patient.email);
  await page.getByLabel("Role").selectOption("doctor");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect.poll(() => page.getByRole("status").textContent()).toBe(`Saved the changes to ${patient.email}.`);
  expect(await page.getByLabel("Role").inputValue()).toBe("doctor");

  expect((await callApi("GET", "/api/users/me/", { token: patient.token })).status).toBe(200);
  await page.getByLabel("Active").uncheck();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect.poll(() => page.getByRole("status").textContent()).toContain("Saved the changes");
  expect(await page.getByLabel("Active").isChecked()).toBe(false);
  await expect.poll(() => page.locator(".audit").textContent()).toContain("is_active: true → false");
  await screenshot(page, "admin-user-saved");
  // Deactivation signs the patient out everywhere: their API token is refused at once.
  expect((await callApi("GET", "/api/users/me/", { token: patient.token })).status).toBe(401);

  // Readable on a phone: the same page in a narrow viewport.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/admin/users");
  await screenshot(page, "admin-users-phone");
});

test("a forged POST without the CSRF token is refused and changes nothing", async ({ page }) => {
  const target = await registerPatient("Forged", "Target");
  await logIn(page, superuser);
  const path = `/admin/users/${target.id}`;
  // From outside the page: the session cookie goes along, the token does not.
  const forged = await page.request.post(path, {
    form: { first_name: "Forged", last_name: "Target", email: target.email, role: "admin", bio: "", is_active: "off" },
    headers: { Origin: inject("baseUrl") },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  // From inside it: the real form with its token taken out.
  await page.goto(path);
  await page.locator(`form[action="${path}"] input[name="csrf_token"]`).evaluate((input) => input.remove());
  await page.getByLabel("Role").selectOption("doctor");
  const response = page.waitForResponse((candidate) => candidate.request().method() === "POST");
  await page.getByRole("button", { name: "Save changes" }).click();
  expect((await response).status()).toBe(403);
  await expect.poll(() => page.locator("h1").textContent()).toBe("Access denied");
  await screenshot(page, "admin-403");

  await page.goto(path);
  expect(await page.getByLabel("Role").inputValue()).toBe("patient");
  expect(await page.getByLabel("Active").isChecked()).toBe(true);
  expect((await callApi("GET", "/api/users/me/", { token: target.token })).status).toBe(200);
});

test("shows a 404 page like the others, and deletes only after a confirmation", async ({ page }) => {
  const doomed = await registerPatient("Doomed", "Account");
  await logIn(page, superuser);
  const missing = await page.goto("/admin/users/987654321");
  expect(missing?.status()).toBe(404);
  await screenshot(page, "admin-404");

  await page.goto(`/admin/users/${doomed.id}`);
  await page.getByRole("link", { name: "Delete this user…" }).click();
  await expect.poll(() => page.locator("h1").textContent()).toBe("Delete Doomed Account?");
  await screenshot(page, "admin-delete-confirmation");
  await page.getByRole("button", { name: "Yes, delete this user" }).click();
  await expect.poll(() => page.getByRole("status").textContent()).toBe(`Deleted the user ${doomed.email}.`);
  expect((await page.goto(`/admin/users/${doomed.id}`))?.status()).toBe(404);
});

test("keeps the last superuser: removing one's own flag is refused with a message", async ({ page }) => {
  await logIn(page, superuser);
  await page.getByLabel("Search email or name").fill(superuser.email);
  await page.getByRole("button", { name: "Apply" }).click();
  await page.getByRole("link", { name: superuser.email }).click();
  await page.getByLabel("Superuser").uncheck();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect
    .poll(() => page.getByRole("alert").textContent())
    .toBe("The last active superuser cannot be removed or demoted.");
  expect(await page.getByLabel("Superuser").isChecked()).toBe(true);
});

test("is usable from the keyboard: the skip link first, then the page in order", async ({ page }) => {
  await page.goto("/admin/login");
  const focused = async () => {
    const element = page.locator(":focus");
    return (await element.getAttribute("name")) ?? (await element.textContent())?.trim();
  };
  const order: (string | undefined)[] = [];
  for (let step = 0; step < 5; step++) {
    await page.keyboard.press("Tab");
    order.push(await focused());
  }
  expect(order).toEqual(["Skip to main content", "edge-auth admin", "email", "password", "Log in"]);
  // The skip link lands in <main>, so the next stop is the form's first field.
  await page.goto("/admin/login");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  expect(await focused()).toBe("email");
});

test("logs out, and the session cookie it had no longer works", async ({ page }) => {
  await logIn(page, superuser);
  const cookie = (await page.context().cookies()).find((candidate) => candidate.name === "admin_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/admin" });
  await page.getByRole("button", { name: "Log out" }).click();
  await expect.poll(() => page.getByRole("status").textContent()).toBe("You have been logged out.");
  await screenshot(page, "admin-logged-out");
  const replayed = await fetch(`${inject("baseUrl")}/admin/users`, {
    headers: { Cookie: `admin_session=${cookie?.value}` },
    redirect: "manual",
  });
  expect(replayed.status).toBe(302);
  expect(replayed.headers.get("Location")).toBe("/admin/login?next=%2Fadmin%2Fusers");
});
