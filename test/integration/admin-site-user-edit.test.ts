import { describe, expect, it } from "vitest";
import { IMAGES } from "../fixtures/images";
import { createUser, editForm, follow, STAFF, SUPERUSER, signedIn, userRow } from "../helpers/admin-site";
import { registerAndLoginDrf, tokenAuth } from "../helpers/drf";
import { fetchWorker } from "../helpers/fetch-worker";

describe("the user page", () => {
  it("shows the account, its picture, join date and last login, and the forms the reader may use", async () => {
    const { browser } = await signedIn();
    const patient = await registerAndLoginDrf();
    await fetchWorker("http://localhost/api/users/me/picture/", {
      method: "PUT",
      headers: { ...tokenAuth(patient.token), "Content-Type": "image/png" },
      body: IMAGES.png.bytes,
    });
    const page = await browser.get(`/admin/users/${patient.user.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(
      /<img class="avatar" src="http:\/\/localhost\/media\/profile_pictures\/[0-9a-f]{40}\.png"/,
    );
    expect(page.html).toContain(`<dd>${patient.email}</dd>`);
    expect(page.html).toMatch(/<dt>Last login<\/dt><dd><time datetime="/);
    for (const label of ["First name", "Last name", "Email address", "Role", "Bio", "Active", "Staff", "Superuser"]) {
      expect(page.html).toMatch(new RegExp(`<label (class="checkbox" )?for="[a-z_]+">(<input[^>]*>)?${label}</label>`));
    }
    expect(page.html).toContain(`action="/admin/users/${patient.user.id}/password"`);
    expect(page.html).toContain("Sign out everywhere");
    expect(page.html).toContain("No changes have been recorded for this user.");
  });

  it("saves an edit through the administration service, with a flash message and an audit entry", async () => {
    const { user: admin, browser } = await signedIn();
    const patient = await createUser({ role: "patient" });
    const path = `/admin/users/${patient.id}`;
    const changes = { first_name: "Mary Ann", last_name: "Smith", role: "doctor", bio: "Changed by an admin" };
    const saved = await browser.submit(path, path, await editForm(patient.id, changes));
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(path);
    const row = await userRow(patient.id);
    // An administrator's choice of role needs no separate confirmation.
    expect(row).toMatchObject({ fullName: "Mary Ann Smith", role: "doctor", roleConfirmedBy: admin.id });
    expect(row?.bio).toBe("Changed by an admin");
    const page = await follow(browser, saved);
    expect(page.html).toContain(`role="status">Saved the changes to ${patient.email}.`);
    expect(page.html).toContain(`<strong>${admin.email}</strong> <span class="badge">update_user</span>`);
    expect(page.html).toContain("role: patient → doctor");
    // The flash is shown once.
    expect((await browser.get(path)).html).not.toContain("Saved the changes");
  });

  it("shows validation errors beside their fields, keeps what was typed, and changes nothing", async () => {
    const { browser } = await signedIn();
    const patient = await createUser();
    const path = `/admin/users/${patient.id}`;
    const form = await editForm(patient.id, { email: "not-an-email", first_name: "x".repeat(151), bio: "kept bio" });
    const page = await browser.submit(path, path, form);
    expect(page.status).toBe(400);
    expect(page.html).toContain("Please correct the errors below.");
    expect(page.html).toMatch(/id="email" name="email" aria-invalid="true" aria-describedby="email-errors"/);
    expect(page.html).toContain('<ul class="errors" id="email-errors"><li>Enter a valid email address.</li></ul>');
    expect(page.html).toContain("Ensure this field has no more than 150 characters.");
    expect(page.html).toContain('value="not-an-email"');
    expect(page.html).toContain(">kept bio</textarea>");
    expect((await userRow(patient.id))?.email).toBe(patient.email);
  });

  it("refuses an email another user has and a role that does not exist, as field errors", async () => {
    const { browser } = await signedIn();
    const patient = await createUser();
    const other = await createUser();
    const path = `/admin/users/${patient.id}`;
    const taken = await browser.submit(path, path, await editForm(patient.id, { email: other.email.toUpperCase() }));
    expect(taken.status).toBe(400);
    expect(taken.html).toContain("A user with that email already exists.");
    const role = await browser.submit(path, path, await editForm(patient.id, { role: "wizard" }));
    expect(role.html).toContain("&quot;wizard&quot; is not a valid choice.");
    expect((await userRow(patient.id))?.email).toBe(patient.email);
  });

  it("lets a superuser grant staff", async () => {
    const { browser } = await signedIn(SUPERUSER);
    const patient = await createUser();
    const path = `/admin/users/${patient.id}`;
    expect((await browser.submit(path, path, await editForm(patient.id, { is_staff: "on" }))).status).toBe(303);
    expect((await userRow(patient.id))?.isStaff).toBe(true);
  });

  it("gives a staff member who is not a superuser no privileged fields, and refuses them forged (403)", async () => {
    const { browser } = await signedIn(STAFF);
    const patient = await createUser();
    const path = `/admin/users/${patient.id}`;
    const page = await browser.get(path);
    expect(page.html).not.toContain('name="is_staff"');
    expect(page.html).not.toContain('name="is_superuser"');
    expect(page.html).not.toContain('<option value="admin"');
    expect(page.html).toContain("Only a superuser can change these");
    const { is_staff: _staff, is_superuser: _superuser, ...allowed } = await editForm(patient.id);
    const forgeries: Record<string, string>[] = [{ is_staff: "on" }, { is_superuser: "on" }, { role: "admin" }];
    for (const forged of forgeries) {
      const refused = await browser.submit(path, path, { ...allowed, ...forged });
      expect(refused.status, JSON.stringify(forged)).toBe(403);
      expect(refused.html).toContain("Access denied");
    }
    expect(await userRow(patient.id)).toMatchObject({ isStaff: false, isSuperuser: false, role: "patient" });
    // What is theirs to change still goes through.
    expect((await browser.submit(path, path, { ...allowed, is_active: "off" })).status).toBe(303);
    expect((await userRow(patient.id))?.isActive).toBe(false);
  });

  it("shows a superuser's account read-only to a staff member who is not one, and refuses changes", async () => {
    const { browser } = await signedIn(STAFF);
    const superuser = await createUser({}, SUPERUSER);
    const path = `/admin/users/${superuser.id}`;
    const page = await browser.get(path);
    expect(page.status).toBe(200);
    expect(page.html).toContain("You may view this account but not change it.");
    expect(page.html).not.toContain(`<form method="post" action="${path}`);
    const { is_staff: _staff, is_superuser: _superuser, ...form } = await editForm(superuser.id, { bio: "hacked" });
    expect((await browser.submit("/admin/users", path, form)).status).toBe(403);
    expect(
      (await browser.submit("/admin/users", `${path}/password`, { password: "x", password_confirm: "x" })).status,
    ).toBe(403);
    expect((await userRow(superuser.id))?.bio).toBe("Patient bio here");
  });

  it("has 404 pages that look like the rest for unknown users and paths", async () => {
    const { browser } = await signedIn();
    for (const path of ["/admin/users/999999999", "/admin/users/999999999/delete", "/admin/nowhere"]) {
      const page = await browser.get(path);
      expect(page.status, path).toBe(404);
      expect(page.html).toContain("<h1>Page not found</h1>");
      expect(page.html).toContain('<a href="/admin/users">Back to the users</a>');
      expect(page.html).toContain("Log out");
    }
  });
});
