import { describe, expect, it } from "vitest";
import { curl } from "../helpers/curl";

/** The document's register example, its body byte for byte but for the email. */
function registerAsDocumented(email: string) {
  return curl(
    "POST",
    "http://localhost:8000/auth/register/",
    { "Content-Type": "application/json" },
    `{
    "email": "${email}",
    "password": "testpassword123",
    "password_confirm": "testpassword123",
    "fullName": "Test User",
    "role": "student"
  }`,
  );
}

// The document's "Using curl" session. The database is shared, so the email gets a unique tag; every
// other byte of the bodies is as the document writes them.
describe("the document's curl examples", () => {
  it("register, login and profile work as written", async () => {
    const email = `test+${crypto.randomUUID().slice(0, 12)}@example.com`;

    const register = await registerAsDocumented(email);
    expect(register.status, JSON.stringify(register.body)).toBe(201);
    expect(register.body).toMatchObject({
      success: true,
      data: { email, fullName: "Test User", role: "student", last_login: null },
      message: "User registered successfully",
    });

    const login = await curl(
      "POST",
      "http://localhost:8000/auth/login/",
      { "Content-Type": "application/json" },
      `{
    "email": "${email}",
    "password": "testpassword123"
  }`,
    );
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expect(login.body).toMatchObject({ success: true, message: "Login successful", data: { user: { email } } });
    const ACCESS_TOKEN: string = login.body.data.access;

    const profile = await curl("GET", "http://localhost:8000/auth/profile/", {
      Authorization: `Bearer ${ACCESS_TOKEN}`,
    });
    expect(profile.status, JSON.stringify(profile.body)).toBe(200);
    expect(profile.body.data).toMatchObject({
      id: register.body.data.id,
      email,
      fullName: "Test User",
      role: "student",
      is_active: true,
      is_staff: false,
      is_superuser: false,
    });
  });

  it("the rest of the documented session works: refresh, logout, change password", async () => {
    const email = `test+${crypto.randomUUID().slice(0, 12)}@example.com`;
    const json = { "Content-Type": "application/json" };
    const credentials = (password: string) => `{
    "email": "${email}",
    "password": "${password}"
  }`;
    const register = await registerAsDocumented(email);
    expect(register.status, JSON.stringify(register.body)).toBe(201);
    const login = await curl("POST", "http://localhost:8000/auth/login/", json, credentials("testpassword123"));
    expect(login.status).toBe(200);

    const refresh = await curl(
      "POST",
      "http://localhost:8000/auth/refresh/",
      json,
      `{
    "refresh": "${login.body.data.refresh}"
}`,
    );
    expect(refresh.status, JSON.stringify(refresh.body)).toBe(200);
    expect(refresh.body).toMatchObject({ success: true, message: "Token refreshed successfully" });
    expect(refresh.body.data.access).toEqual(expect.any(String));

    const logout = await curl(
      "POST",
      "http://localhost:8000/auth/logout/",
      { Authorization: `Bearer ${refresh.body.data.access}`, ...json },
      `{
    "refresh": "${refresh.body.data.refresh}"
}`,
    );
    expect(logout.status, JSON.stringify(logout.body)).toBe(200);
    expect(logout.body).toEqual({ success: true, message: "Logout successful" });

    // Logged out, the client logs in again to change its password.
    const again = await curl("POST", "http://localhost:8000/auth/login/", json, credentials("testpassword123"));
    expect(again.status).toBe(200);
    const change = await curl(
      "POST",
      "http://localhost:8000/auth/change-password/",
      { Authorization: `Bearer ${again.body.data.access}`, ...json },
      `{
    "old_password": "testpassword123",
    "new_password": "newpassword123",
    "new_password_confirm": "newpassword123"
}`,
    );
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    expect(change.body).toEqual({ success: true, message: "Password changed successfully" });

    const withNew = await curl("POST", "http://localhost:8000/auth/login/", json, credentials("newpassword123"));
    expect(withNew.status, JSON.stringify(withNew.body)).toBe(200);
    const withOld = await curl("POST", "http://localhost:8000/auth/login/", json, credentials("testpassword123"));
    expect(withOld.status).toBe(401);
  });
});
