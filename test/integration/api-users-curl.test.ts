import { describe, expect, it } from "vitest";
import { curl } from "../helpers/curl";

// The `/api/users/` document's requests as written: its bodies byte for byte but for a unique email
// (the database is shared), its host kept, the token from the login in place of YOUR_AUTH_TOKEN_HERE.
describe("the /api/users/ document's examples", () => {
  it("register, login and the curl for /me work as written", async () => {
    const email = `user+${crypto.randomUUID().slice(0, 12)}@example.com`;
    const json = { "Content-Type": "application/json" };

    const register = await curl(
      "POST",
      "http://127.0.0.1:8000/api/users/register/",
      json,
      `{
  "email": "${email}",
  "password": "secure_password",
  "password_confirm": "secure_password",
  "first_name": "John",
  "last_name": "Doe",
  "role": "patient",
  "bio": "Patient bio here" 
}`,
    );
    expect(register.status, JSON.stringify(register.body)).toBe(201);

    const login = await curl(
      "POST",
      "http://127.0.0.1:8000/api/users/login/",
      json,
      `{
  "email": "${email}",
  "password": "secure_password"
}`,
    );
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    // The documented response, field for field; only the id and the token vary.
    expect(login.body).toEqual({
      user: {
        id: register.body.id,
        email,
        first_name: "John",
        last_name: "Doe",
        role: "patient",
        profile_picture: null,
        bio: "Patient bio here",
      },
      token: expect.stringMatching(/^[0-9a-f]{40}$/),
    });

    const YOUR_AUTH_TOKEN_HERE = login.body.token;
    const me = await curl("GET", "http://127.0.0.1:8000/api/users/me/", {
      Authorization: `Token ${YOUR_AUTH_TOKEN_HERE}`,
    });
    expect(me.status).toBe(200);
    // The login's user, and (issue 15: `me` only) whether the address is verified.
    expect(me.body).toEqual({ ...login.body.user, email_verified: false });
  });
});
