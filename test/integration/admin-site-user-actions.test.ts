import { desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "../../src/db/schema";
import { createUser, csrfTokenIn, editForm, follow, STAFF, signedIn, userRow } from "../helpers/admin-site";
import { api, testDb } from "../helpers/api";
import { registerAndLoginDrf, tokenAuth } from "../helpers/drf";

const me = (token: string) => api("GET", "/api/users/me/", { headers: tokenAuth(token) });

async function auditActions(targetId: number) {
  const rows = await testDb().select().from(auditLog).where(eq(auditLog.targetId, targetId)).orderBy(desc(auditLog.id));
  return rows.map((row) => row.action);
}

describe("the user page's actions", () => {
  it("shows the password validators' messages beside the field and keeps the old password", async () => {
    const { browser } = await signedIn();
    const patient = await registerAndLoginDrf();
    const path = `/admin/users/${patient.user.id}`;
    const weak = await browser.submit(path, `${path}/password`, { password: "12345", password_confirm: "54321" });
    expect(weak.status).toBe(400);
    expect(weak.html).toMatch(
      /id="password" name="password" aria-invalid="true" aria-describedby="password-errors password-help"/,
    );
    expect(weak.html).toContain("<li>This password is too short. It must contain at least 8 characters.</li>");
    expect(weak.html).toContain("<li>This password is entirely numeric.</li>");
    expect(weak.html).toContain(
      '<ul class="errors" id="password_confirm-errors"><li>Passwords do not match.</li></ul>',
    );
    // Passwords are never sent back into the page.
    expect(weak.html).not.toContain('value="12345"');
    expect((await me(patient.token)).status).toBe(200);
  });

  it("sets a password, signing the user out everywhere", async () => {
    const { browser } = await signedIn();
    const patient = await registerAndLoginDrf();
    const path = `/admin/users/${patient.user.id}`;
    const password = "another-Fine-password-7";
    const done = await browser.submit(path, `${path}/password`, { password, password_confirm: password });
    expect(done.status).toBe(303);
    expect((await follow(browser, done)).html).toContain("The password was changed");
    expect((await me(patient.token)).status).toBe(401);
    const login = await api("POST", "/api/users/login/", { body: { email: patient.email, password } });
    expect(login.status).toBe(200);
    expect((await auditActions(patient.user.id))[0]).toBe("set_password");
  });

  it("signs a user out everywhere", async () => {
    const { browser } = await signedIn();
    const patient = await registerAndLoginDrf();
    const path = `/admin/users/${patient.user.id}`;
    const done = await browser.submit(path, `${path}/revoke-sessions`, {});
    expect(done.status).toBe(303);
    expect((await follow(browser, done)).html).toContain("The user was signed out everywhere.");
    expect((await me(patient.token)).status).toBe(401);
    expect((await auditActions(patient.user.id))[0]).toBe("revoke_sessions");
  });

  it("refuses a deactivated user's token at once", async () => {
    const { browser } = await signedIn();
    const patient = await registerAndLoginDrf();
    const path = `/admin/users/${patient.user.id}`;
    const done = await browser.submit(path, path, await editForm(patient.user.id, { is_active: "off" }));
    expect(done.status).toBe(303);
    expect((await me(patient.token)).status).toBe(401);
  });

  it("confirms a self-registered doctor's role with its button, audited, and offers it only where it applies", async () => {
    const { user: admin, browser } = await signedIn();
    const doctor = await createUser({ role: "doctor" });
    const path = `/admin/users/${doctor.id}`;
    const page = (await browser.get(path)).html;
    expect(page).toContain(`<form method="post" action="${path}/confirm-role">`);
    expect(page).toMatch(/<dt>Role confirmed<\/dt><dd>No<\/dd>/);
    const done = await browser.submit(path, `${path}/confirm-role`, {});
    expect(done.status).toBe(303);
    const after = await follow(browser, done);
    expect(after.html).toContain(`Confirmed the doctor role of ${doctor.email}.`);
    expect(after.html).toMatch(/<dt>Role confirmed<\/dt><dd><time datetime="/);
    expect(after.html).not.toContain(`${path}/confirm-role`);
    expect(await userRow(doctor.id)).toMatchObject({ roleConfirmedBy: admin.id });
    expect(await auditActions(doctor.id)).toEqual(["confirm_role"]);
    const patient = await createUser({ role: "patient" });
    expect((await browser.get(`/admin/users/${patient.id}`)).html).not.toContain("/confirm-role");
  });

  it("does not let a staff member who is not a superuser confirm another staff member's role", async () => {
    const { browser } = await signedIn(STAFF);
    const colleague = await createUser({ role: "doctor" }, STAFF);
    const path = `/admin/users/${colleague.id}`;
    const page = await browser.get(path);
    expect(page.html).not.toContain("/confirm-role");
    const token = csrfTokenIn(page.html) ?? "";
    expect((await browser.post(`${path}/confirm-role`, { csrf_token: token })).status).toBe(403);
    expect((await userRow(colleague.id))?.roleConfirmedAt).toBeNull();
  });

  it("deletes a user only after a confirmation page, and keeps the audit entry", async () => {
    const { browser } = await signedIn();
    const patient = await createUser();
    const path = `/admin/users/${patient.id}`;
    expect((await browser.get(path)).html).toContain(`<a class="button danger" href="${path}/delete">`);
    const confirm = await browser.get(`${path}/delete`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain(`<form method="post" action="${path}/delete"`);
    expect(confirm.html).toContain(`<a href="${path}">No, take me back</a>`);
    expect(await userRow(patient.id)).toBeDefined();
    const deleted = await browser.submit(`${path}/delete`, `${path}/delete`, {});
    expect(deleted.status).toBe(303);
    expect(deleted.location).toBe("/admin/users");
    expect((await follow(browser, deleted)).html).toContain(`Deleted the user ${patient.email}.`);
    expect(await userRow(patient.id)).toBeUndefined();
    expect((await browser.get(path)).status).toBe(404);
    expect(await auditActions(patient.id)).toEqual(["delete_user"]);
  });

  it("does not let a staff member who is not a superuser delete another staff member", async () => {
    const { browser } = await signedIn(STAFF);
    const colleague = await createUser({}, STAFF);
    const path = `/admin/users/${colleague.id}`;
    expect((await browser.get(path)).html).not.toContain("/delete");
    expect((await browser.get(`${path}/delete`)).status).toBe(403);
    const token = (await browser.get("/admin/users")).html.match(/name="csrf_token" value="(\w+)"/)?.[1] ?? "";
    expect((await browser.post(`${path}/delete`, { csrf_token: token })).status).toBe(403);
    expect(await userRow(colleague.id)).toBeDefined();
  });

  it("pages through a long audit trail, newest first", async () => {
    const { browser } = await signedIn();
    const patient = await createUser();
    const path = `/admin/users/${patient.id}`;
    for (let round = 0; round < 11; round++) await browser.submit(path, `${path}/revoke-sessions`, {});
    const first = await browser.get(path);
    expect(first.html).toContain("11 entries, newest first.");
    expect(first.html).toContain("token_version: 10 → 11");
    const older = await browser.get(`${path}?audit_page=2`);
    expect(older.html).toContain("token_version: 0 → 1");
    expect(older.html).toContain("Newer entries");
  });

  it("shows the first audit page for a page number it cannot read or that is out of bounds", async () => {
    const { browser } = await signedIn();
    const patient = await createUser();
    const path = `/admin/users/${patient.id}`;
    await browser.submit(path, `${path}/revoke-sessions`, {});
    for (const audit_page of ["1e21", "Infinity", "-1", "abc", "100001"]) {
      const page = await browser.get(`${path}?audit_page=${audit_page}`);
      expect(page.status, audit_page).toBe(200);
      expect(page.html).toContain("token_version: 0 → 1");
    }
  });
});
