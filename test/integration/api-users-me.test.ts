import { describe, expect, it } from "vitest";
import { api } from "../helpers/api";
import { expectFieldErrors, registerAndLoginDrf, tokenAuth } from "../helpers/drf";

// `me` shows the login's user and (issue 15) whether the address is verified.
const meOf = (session: Awaited<ReturnType<typeof registerAndLoginDrf>>) => ({ ...session.user, email_verified: false });

const update = (method: "PUT" | "PATCH", token: string, body: unknown) =>
  api(method, "/api/users/me/", { headers: tokenAuth(token), body });

describe("PATCH and PUT /api/users/me/", () => {
  it.each(["PATCH", "PUT"] as const)("%s changes names and bio and answers the user", async (method) => {
    const session = await registerAndLoginDrf();
    const response = await update(method, session.token, { first_name: "Jane", last_name: "Roe", bio: "New bio" });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ ...meOf(session), first_name: "Jane", last_name: "Roe", bio: "New bio" });
    const read = await api("GET", "/api/users/me/", { headers: tokenAuth(session.token) });
    expect(read.body).toEqual(response.body);
  });

  it("PATCH leaves fields not sent as they were", async () => {
    const session = await registerAndLoginDrf();
    const response = await update("PATCH", session.token, { bio: "" });
    expect(response.body).toEqual({ ...meOf(session), bio: "" });
  });

  it("ignores read-only fields: email, role, id, picture", async () => {
    const session = await registerAndLoginDrf();
    const response = await update("PATCH", session.token, {
      email: "someone.else@example.com",
      role: "admin",
      id: 1,
      profile_picture: "http://evil.example/x.png",
      is_staff: true,
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(meOf(session));
  });

  it("refuses bad values field by field and changes nothing", async () => {
    const session = await registerAndLoginDrf();
    const errors = expectFieldErrors(await update("PATCH", session.token, { first_name: 7, bio: "b".repeat(2001) }));
    expect(errors.first_name).toEqual(["Not a valid string."]);
    expect(errors.bio).toEqual(["Ensure this field has no more than 2000 characters."]);
    const read = await api("GET", "/api/users/me/", { headers: tokenAuth(session.token) });
    expect(read.body).toEqual(meOf(session));
  });

  it("needs a token", async () => {
    const response = await api("PATCH", "/api/users/me/", { body: { bio: "x" } });
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toBe("Token");
  });
});
