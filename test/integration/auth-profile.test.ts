import { describe, expect, it } from "vitest";
import { findUserById } from "../../src/db/users";
import { api, expectErrorEnvelope, registerAndLogin, registrationBody, testDb, uniqueEmail } from "../helpers/api";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const NEW_PASSWORD = "violet-Harbor-58";

const login = (email: string, password: string) => api("POST", "/auth/login/", { body: { email, password } });
const changePassword = (access: string, body: Record<string, unknown>) =>
  api("POST", "/auth/change-password/", { token: access, body });

describe("GET /auth/profile/", () => {
  it("answers with exactly the documented body, flags included", async () => {
    const session = await registerAndLogin();
    const response = await api("GET", "/auth/profile/", { token: session.access });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: true,
      data: {
        id: session.user.id,
        email: session.email,
        fullName: "Test Person",
        role: "student",
        bio: "",
        profile_picture: null,
        created_at: expect.stringMatching(ISO_UTC),
        last_login: expect.stringMatching(ISO_UTC),
        is_active: true,
        is_staff: false,
        is_superuser: false,
        // Issue 15: the profile (not register or login) tells whether the address is verified.
        email_verified: false,
        pending_email: null,
      },
    });
    expect((await api("GET", "/auth/profile")).status).toBe(401);
  });
});

describe("PUT and PATCH /auth/profile/", () => {
  it("changes the full name and email with PUT, answering with the documented body", async () => {
    const session = await registerAndLogin();
    const email = uniqueEmail("renamed");
    const response = await api("PUT", "/auth/profile/", {
      token: session.access,
      body: { fullName: "Nguyen Van B", email },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({
      success: true,
      data: { ...session.user, email, fullName: "Nguyen Van B" },
      message: "Profile updated successfully",
    });
    const read = await api("GET", "/auth/profile", { token: session.access });
    expect(read.body.data).toMatchObject({ email, fullName: "Nguyen Van B" });
    expect((await login(email, session.password)).status).toBe(200);
    expect((await login(session.email, session.password)).status).toBe(401);
  });

  it("changes only the full name with PATCH", async () => {
    const session = await registerAndLogin();
    const response = await api("PATCH", "/auth/profile/", { token: session.access, body: { fullName: "Only Name" } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data).toMatchObject({ email: session.email, fullName: "Only Name" });
    expect(response.body.message).toBe("Profile updated successfully");
  });

  it("refuses a PUT that leaves out a field", async () => {
    const session = await registerAndLogin();
    const response = await api("PUT", "/auth/profile/", { token: session.access, body: { fullName: "No Email" } });
    expect(expectErrorEnvelope(response, 400).email).toEqual(["This field is required."]);
  });

  it("refuses an email another user has, in any case", async () => {
    const session = await registerAndLogin();
    const other = await registerAndLogin();
    for (const email of [other.email, other.email.toUpperCase()]) {
      const response = await api("PATCH", "/auth/profile/", { token: session.access, body: { email } });
      expect(expectErrorEnvelope(response, 400).email).toEqual([expect.any(String)]);
    }
    expect((await findUserById(testDb(), session.user.id))?.email).toBe(session.email);
  });

  it("lets a user change only the case of their own email", async () => {
    const session = await registerAndLogin();
    const email = session.email.toUpperCase();
    const response = await api("PATCH", "/auth/profile/", { token: session.access, body: { email } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data.email).toBe(email);
  });

  it("frees the old email for a new registration", async () => {
    const session = await registerAndLogin();
    const moved = await api("PATCH", "/auth/profile/", { token: session.access, body: { email: uniqueEmail() } });
    expect(moved.status).toBe(200);
    const response = await api("POST", "/auth/register/", { body: registrationBody({ email: session.email }) });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  });

  it("ignores role, staff and superuser flags and password sent along", async () => {
    const session = await registerAndLogin();
    const db = testDb();
    const before = await findUserById(db, session.user.id);
    const response = await api("PUT", "/auth/profile/", {
      token: session.access,
      body: {
        fullName: "Still Student",
        email: session.email,
        role: "admin",
        is_staff: true,
        is_superuser: true,
        is_active: false,
        password: NEW_PASSWORD,
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data.role).toBe("student");
    const after = await findUserById(db, session.user.id);
    expect(after).toMatchObject({ role: "student", isStaff: false, isSuperuser: false, isActive: true });
    expect(after?.password).toBe(before?.password);
    expect((await login(session.email, session.password)).status).toBe(200);
    expect((await login(session.email, NEW_PASSWORD)).status).toBe(401);
  });
});

describe("POST /auth/change-password/", () => {
  const body = (old_password: string, new_password = NEW_PASSWORD, new_password_confirm = new_password) => ({
    old_password,
    new_password,
    new_password_confirm,
  });

  it("answers 200 with the documented body and swaps the password", async () => {
    const session = await registerAndLogin();
    const response = await changePassword(session.access, body(session.password));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ success: true, message: "Password changed successfully" });
    expect((await login(session.email, session.password)).status).toBe(401);
    expect((await login(session.email, NEW_PASSWORD)).status).toBe(200);
  });

  it("refuses every token issued before the change, and moves password_changed_at", async () => {
    const session = await registerAndLogin();
    const db = testDb();
    const before = await findUserById(db, session.user.id);
    expect((await changePassword(session.access, body(session.password))).status).toBe(200);
    expectErrorEnvelope(await api("GET", "/auth/profile/", { token: session.access }), 401);
    expectErrorEnvelope(await api("POST", "/auth/refresh/", { body: { refresh: session.refresh } }), 401);
    const after = await findUserById(db, session.user.id);
    expect(after?.passwordChangedAt.getTime()).toBeGreaterThan(before?.passwordChangedAt.getTime() ?? Infinity);
    expect(Math.abs((after?.passwordChangedAt.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    const fresh = await login(session.email, NEW_PASSWORD);
    expect((await api("GET", "/auth/profile/", { token: fresh.body.data.access })).status).toBe(200);
  });

  it("refuses a wrong old password with errors.old_password, changing nothing", async () => {
    const session = await registerAndLogin();
    const response = await changePassword(session.access, body("not-my-Password-1"));
    expect(expectErrorEnvelope(response, 400).old_password).toEqual([
      "Your old password was entered incorrectly. Please enter it again.",
    ]);
    expect((await login(session.email, session.password)).status).toBe(200);
    expect((await api("GET", "/auth/profile/", { token: session.access })).status).toBe(200);
  });

  it("refuses a confirmation that differs with errors.new_password_confirm", async () => {
    const session = await registerAndLogin();
    const response = await changePassword(session.access, body(session.password, NEW_PASSWORD, "violet-Harbor-59"));
    expect(expectErrorEnvelope(response, 400).new_password_confirm).toEqual(["Passwords do not match."]);
  });

  it("refuses a weak new password with Django's messages under errors.new_password", async () => {
    const session = await registerAndLogin();
    const short = await changePassword(session.access, body(session.password, "Ab3$x"));
    expect(expectErrorEnvelope(short, 400).new_password).toContain(
      "This password is too short. It must contain at least 8 characters.",
    );
    const common = await changePassword(session.access, body(session.password, "password123"));
    expect(expectErrorEnvelope(common, 400).new_password).toContain("This password is too common.");
    expect((await login(session.email, session.password)).status).toBe(200);
  });

  it("refuses a new password too similar to this user's email", async () => {
    const session = await registerAndLogin();
    const localPart = session.email.split("@")[0] ?? "";
    const response = await changePassword(session.access, body(session.password, localPart));
    // The username is made from the email, and Django checks the username first, so either may be named.
    expect(expectErrorEnvelope(response, 400).new_password).toEqual([
      expect.stringMatching(/^The password is too similar to the (username|email address)\.$/),
    ]);
  });

  it("refuses missing fields and a missing token", async () => {
    const session = await registerAndLogin();
    const errors = expectErrorEnvelope(await changePassword(session.access, {}), 400);
    expect(Object.keys(errors).sort()).toEqual(["new_password", "new_password_confirm", "old_password"]);
    expectErrorEnvelope(await changePassword("", body(session.password)), 401);
  });
});
