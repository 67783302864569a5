import { describe, expect, it } from "vitest";
import { api, registerAndLogin } from "../helpers/api";
import { registerAndLoginDrf, tokenAuth } from "../helpers/drf";

const drfLogin = (email: string, password: string) => api("POST", "/api/users/login/", { body: { email, password } });
const authLogin = (email: string, password: string) => api("POST", "/auth/login/", { body: { email, password } });
const drfMe = (token: string) => api("GET", "/api/users/me/", { headers: tokenAuth(token) });
const authProfile = (access: string) => api("GET", "/auth/profile/", { token: access });

describe("one user, two APIs", () => {
  it("a user registered under /auth/ logs in under /api/users/, the full name split", async () => {
    const session = await registerAndLogin({ fullName: "Nguyen Van A" });
    const login = await drfLogin(session.email, session.password);
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({
      id: session.user.id,
      email: session.email,
      first_name: "Nguyen Van",
      last_name: "A",
      role: "student",
      bio: "",
      profile_picture: null,
    });
  });

  it("a user registered under /api/users/ logs in under /auth/, the names joined", async () => {
    const session = await registerAndLoginDrf({ first_name: "Mary Ann", last_name: "Smith" });
    const login = await authLogin(session.email, session.password);
    expect(login.status).toBe(200);
    expect(login.body.data.user).toMatchObject({
      id: session.user.id,
      fullName: "Mary Ann Smith",
      role: "patient",
      bio: "Patient bio here",
    });
    // The side that was written reads back exactly.
    expect((await drfMe(session.token)).body).toMatchObject({ first_name: "Mary Ann", last_name: "Smith" });
  });

  it("names and bio written through either API show in both", async () => {
    const drf = await registerAndLoginDrf();
    const auth = (await authLogin(drf.email, drf.password)).body.data;

    const patched = await api("PATCH", "/auth/profile/", {
      token: auth.access,
      body: { fullName: "Jane Q Public", bio: "Set under /auth/" },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await drfMe(drf.token)).body).toMatchObject({
      first_name: "Jane Q",
      last_name: "Public",
      bio: "Set under /auth/",
    });

    await api("PATCH", "/api/users/me/", { headers: tokenAuth(drf.token), body: { last_name: "Doe", bio: "Back" } });
    expect((await authProfile(auth.access)).body.data).toMatchObject({ fullName: "Jane Q Doe", bio: "Back" });
  });

  it("a password change under /auth/ revokes the user's /api/users/ tokens", async () => {
    const session = await registerAndLogin();
    const { token } = (await drfLogin(session.email, session.password)).body;
    expect((await drfMe(token)).status).toBe(200);
    const newPassword = "fresh-Password-2025";
    const change = await api("POST", "/auth/change-password/", {
      token: session.access,
      body: { old_password: session.password, new_password: newPassword, new_password_confirm: newPassword },
    });
    expect(change.status).toBe(200);
    expect((await drfMe(token)).status).toBe(401);
    expect((await drfLogin(session.email, newPassword)).status).toBe(200);
  });

  it("a password change under /api/users/ revokes the user's JWTs, access and refresh", async () => {
    const drf = await registerAndLoginDrf();
    const { access, refresh } = (await authLogin(drf.email, drf.password)).body.data;
    const newPassword = "fresh-Password-2026";
    const change = await api("POST", "/api/users/change-password/", {
      headers: tokenAuth(drf.token),
      body: { old_password: drf.password, new_password: newPassword, new_password_confirm: newPassword },
    });
    expect(change.status).toBe(200);
    expect((await authProfile(access)).status).toBe(401);
    expect((await api("POST", "/auth/refresh/", { body: { refresh } })).status).toBe(401);
  });

  it("an email taken under one API is taken under the other", async () => {
    const session = await registerAndLogin();
    const response = await api("POST", "/api/users/register/", {
      body: {
        email: session.email.toUpperCase(),
        password: session.password,
        password_confirm: session.password,
        role: "patient",
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.email).toEqual(["A user with that email already exists."]);
  });
});
